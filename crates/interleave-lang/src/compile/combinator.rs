//! The methods of `Option` and `Result` that take a closure or a value (`map`,
//! `and_then`, `map_err`, `unwrap_or_else`, `ok_or`, `ok`, `is_some_and`, `filter` …),
//! each run as the `match` std's documentation gives for it: `o.map(|x| x * 2)` is
//! `match o { Some(x) => Some(x * 2), None => None }`. The receiver is computed once,
//! into a local no program can name; the closure's body is inlined in the arm.

use super::sum::Sum;
use super::*;
use crate::ast::tail;
use crate::ast::{Arm, Ident, MatchPat};

fn ident(name: &str, span: Span) -> Ident {
    Ident {
        name: name.into(),
        span,
    }
}

fn path(name: &str, span: Span) -> Expr {
    Expr::Path(vec![ident(name, span)])
}

fn call(ctor: &str, arg: Expr, span: Span) -> Expr {
    Expr::Call {
        callee: vec![ident(ctor, span)],
        bang: false,
        args: vec![arg],
        span,
    }
}

fn block_of(e: Expr) -> Block {
    let span = e.span();
    Block {
        stmts: vec![Stmt::Expr { expr: e, span }],
        span,
        is_unsafe: false,
    }
}

fn bind(name: &Ident) -> Pat {
    Pat::Ident {
        name: name.clone(),
        mutable: false,
    }
}

fn arm(pat: MatchPat, guard: Option<Expr>, body: Block, span: Span) -> Arm {
    Arm {
        pat,
        guard,
        body,
        is_block: true,
        span,
    }
}

/// A function argument applied to what the arm binds: the name to bind it to and the
/// body that computes the result (a closure's own parameter and body; a function's
/// name called on a fresh name). `None` where `f` takes another number of arguments.
fn apply(src: &str, f: &Expr, takes: usize) -> Option<(Option<Ident>, Block)> {
    match f {
        Expr::Closure { params, body, .. } if params.len() == takes => {
            tail(src, body)?;
            Some((params.first().cloned(), body.as_ref().clone()))
        }
        Expr::Path(p) if !p.is_empty() => {
            let span = f.span();
            let x = ident("arg#", span);
            let args = if takes == 1 {
                vec![path("arg#", span)]
            } else {
                Vec::new()
            };
            let body = block_of(Expr::Call {
                callee: p.clone(),
                bang: false,
                args,
                span,
            });
            Some(((takes == 1).then_some(x), body))
        }
        _ => None,
    }
}

/// `body` with its last expression wrapped in `ctor(…)`.
fn wrapped(src: &str, mut body: Block, ctor: &str) -> Option<Block> {
    let value = tail(src, &body)?.clone();
    let span = value.span();
    body.stmts.pop();
    body.stmts.push(Stmt::Expr {
        expr: call(ctor, value, span),
        span,
    });
    Some(body)
}

impl FnCx<'_, '_> {
    /// `recv.name(args)` where `recv` (computed into `v`, of type `ty`, the sum `s`) is an
    /// `Option` or a `Result`, if `name` is one of the methods above.
    pub(super) fn combinator(
        &mut self,
        (v, ty, s): (Operand, Ty, Sum),
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
    ) -> Option<CResult<(Operand, Ty)>> {
        let src = self.cx.src;
        let at = name.span;
        let (yes, no) = if s.result {
            ("Ok", "Err")
        } else {
            ("Some", "None")
        };
        let hidden = ident("e#", at);
        let some = |p: Pat| match s.result {
            true => MatchPat::Ok(p),
            false => MatchPat::Some(p),
        };
        let other = |p: Pat| match s.result {
            true => MatchPat::Err(p),
            false => MatchPat::None(at),
        };
        // What the other side gives back unchanged: `Err(e)` or `None`.
        let same_other = || match s.result {
            true => block_of(call("Err", path("e#", at), at)),
            false => block_of(path("None", at)),
        };
        let unit = |n: Option<Ident>| n.map_or(Pat::Wild(at), |n| bind(&n));
        let v_name = ident("v#", at);
        let keep = || {
            arm(
                some(bind(&v_name)),
                None,
                block_of(call(yes, path("v#", at), at)),
                at,
            )
        };
        let arms: Option<Vec<Arm>> = match (name.name.as_str(), args, s.result) {
            ("map", [f], _) => apply(src, f, 1).and_then(|(x, body)| {
                Some(vec![
                    arm(some(unit(x)), None, wrapped(src, body, yes)?, at),
                    arm(other(bind(&hidden)), None, same_other(), at),
                ])
            }),
            ("map_err", [f], true) => apply(src, f, 1).and_then(|(x, body)| {
                Some(vec![
                    keep(),
                    arm(other(unit(x)), None, wrapped(src, body, no)?, at),
                ])
            }),
            ("and_then", [f], _) => apply(src, f, 1).map(|(x, body)| {
                vec![
                    arm(some(unit(x)), None, body, at),
                    arm(other(bind(&hidden)), None, same_other(), at),
                ]
            }),
            ("or_else", [f], result) => apply(src, f, usize::from(result))
                .map(|(x, body)| vec![keep(), arm(other(unit(x)), None, body, at)]),
            ("unwrap_or_else", [f], result) => {
                apply(src, f, usize::from(result)).map(|(x, body)| {
                    vec![
                        arm(some(bind(&v_name)), None, block_of(path("v#", at)), at),
                        arm(other(unit(x)), None, body, at),
                    ]
                })
            }
            ("is_some_and", [f], false) | ("is_ok_and", [f], true) => {
                apply(src, f, 1).map(|(x, body)| {
                    vec![
                        arm(some(unit(x)), None, body, at),
                        arm(
                            MatchPat::Wild(at),
                            None,
                            block_of(Expr::Bool(false, at)),
                            at,
                        ),
                    ]
                })
            }
            ("is_none_or", [f], false) => apply(src, f, 1).map(|(x, body)| {
                vec![
                    arm(some(unit(x)), None, body, at),
                    arm(MatchPat::Wild(at), None, block_of(Expr::Bool(true, at)), at),
                ]
            }),
            ("is_err_and", [f], true) => apply(src, f, 1).map(|(x, body)| {
                vec![
                    arm(other(unit(x)), None, body, at),
                    arm(
                        MatchPat::Wild(at),
                        None,
                        block_of(Expr::Bool(false, at)),
                        at,
                    ),
                ]
            }),
            ("filter", [f], false) => apply(src, f, 1).and_then(|(x, body)| {
                // The predicate is the guard; it sees the value (`|x| *x > 2` and `|&x|`
                // read the same here).
                let x = x?;
                let guard = (body.stmts.len() == 1).then(|| tail(src, &body).cloned())??;
                Some(vec![
                    arm(
                        some(bind(&x)),
                        Some(guard),
                        block_of(call("Some", Expr::Path(vec![x.clone()]), at)),
                        at,
                    ),
                    arm(MatchPat::Wild(at), None, block_of(path("None", at)), at),
                ])
            }),
            ("ok", [], true) => Some(vec![
                arm(
                    some(bind(&v_name)),
                    None,
                    block_of(call("Some", path("v#", at), at)),
                    at,
                ),
                arm(MatchPat::Wild(at), None, block_of(path("None", at)), at),
            ]),
            ("err", [], true) => Some(vec![
                arm(
                    other(bind(&v_name)),
                    None,
                    block_of(call("Some", path("v#", at), at)),
                    at,
                ),
                arm(MatchPat::Wild(at), None, block_of(path("None", at)), at),
            ]),
            ("ok_or", [e], false) => Some(vec![
                arm(
                    some(bind(&v_name)),
                    None,
                    block_of(call("Ok", path("v#", at), at)),
                    at,
                ),
                arm(
                    MatchPat::None(at),
                    None,
                    block_of(call("Err", e.clone(), at)),
                    at,
                ),
            ]),
            ("ok_or_else", [f], false) => apply(src, f, 0).and_then(|(_, body)| {
                Some(vec![
                    arm(
                        some(bind(&v_name)),
                        None,
                        block_of(call("Ok", path("v#", at), at)),
                        at,
                    ),
                    arm(MatchPat::None(at), None, wrapped(src, body, "Err")?, at),
                ])
            }),
            ("unwrap_or_default", [], _) => {
                let default = match s.ok {
                    sum::Part::Val(Ty::Int, true) => Expr::Bool(false, at),
                    sum::Part::Val(Ty::Int, false) => Expr::Int(0, at),
                    sum::Part::Val(Ty::Str(_), _) => Expr::Call {
                        callee: vec![ident("String", at), ident("new", at)],
                        bang: false,
                        args: Vec::new(),
                        span: at,
                    },
                    _ => return None,
                };
                Some(vec![
                    arm(some(bind(&v_name)), None, block_of(path("v#", at)), at),
                    arm(MatchPat::Wild(at), None, block_of(default), at),
                ])
            }
            _ => return None,
        };
        let Some(arms) = arms else {
            self.err(
                span,
                format!("`{}` is simulated with a closure of its own here (`|x| …` ending in a value) or a function's name", name.name),
                "",
            );
            return Some(Err(()));
        };
        // The receiver under a name no program can write, in a scope of its own.
        self.scopes.push(Scope::default());
        let r = self
            .bind_value(&bind(&ident("recv#", at)), v, ty)
            .and_then(|()| self.match_expr(&path("recv#", at), &arms, span));
        let depth = self.scopes.len() - 1;
        let released = self.release_guards(depth, true);
        self.pop_scope();
        Some(r.and_then(|x| released.map(|()| x)))
    }
}
