//! Iterator chains as a `let`'s value — the shapes courses write to spawn and join many
//! threads:
//!
//! ```text
//! let handles: Vec<_> = (0..4).map(|i| thread::spawn(move || i * 2)).collect();
//! let total: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
//! let n = v.iter().count();
//! ```
//!
//! A source (a range, `v.iter()`, `v.into_iter()`, `rx.iter()`), at most one `map` with a
//! closure of one parameter, and a sink (`collect`, `sum`, `count`) — or
//! `Vec::from_iter(source)` — are the `for` loop they
//! stand for: `let mut handles = vec![]; for i in 0..4 { handles.push(…); }`, so each
//! step of the chain is a step of the loop, as in the compiled program. (Rust's iterators
//! are lazy, but a chain ending in one of these sinks runs every step at that `let`.)

use super::{CResult, FnCx};
use crate::ast::{Block, Expr, Ident, Pat, Stmt};
use crate::diag::Span;
use interleave_core::program::BinOp;

#[derive(Clone, Copy, PartialEq)]
enum Sink {
    Collect,
    Sum,
    Count,
}

/// A chain: where its items come from, its `map` (parameter and body), how it ends.
struct Chain<'e> {
    source: &'e Expr,
    map: Option<(&'e Ident, &'e Block)>,
    sink: Sink,
}

/// The methods that make or end a chain: a name among them outside a `let` gets
/// [`FnCx::chain_elsewhere`]'s sentence.
pub(super) const CHAIN_METHODS: [&str; 4] = ["map", "collect", "sum", "count"];

fn chain(e: &Expr) -> Option<Chain<'_>> {
    // `Vec::from_iter(source)` is `source.collect()`.
    if let Expr::Call {
        callee,
        bang: false,
        args,
        ..
    } = e
    {
        let path: Vec<&str> = callee.iter().map(|i| i.name.as_str()).collect();
        return match (path.as_slice(), args.as_slice()) {
            (["Vec", "from_iter"], [source]) if is_source(source) => Some(Chain {
                source,
                map: None,
                sink: Sink::Collect,
            }),
            _ => None,
        };
    }
    let Expr::Method {
        recv, name, args, ..
    } = e
    else {
        return None;
    };
    let sink = match name.name.as_str() {
        "collect" => Sink::Collect,
        "sum" => Sink::Sum,
        "count" => Sink::Count,
        _ => return None,
    };
    if !args.is_empty() {
        return None;
    }
    let (source, map) = match recv.as_ref() {
        Expr::Method {
            recv, name, args, ..
        } if name.name == "map" => match args.as_slice() {
            [Expr::Closure { params, body, .. }] if params.len() == 1 => {
                (recv.as_ref(), Some((&params[0], body.as_ref())))
            }
            _ => return None,
        },
        other => (other, None),
    };
    is_source(source).then_some(Chain { source, map, sink })
}

/// A range, or `x.iter()` / `x.into_iter()`.
fn is_source(e: &Expr) -> bool {
    match e {
        Expr::Range { .. } => true,
        Expr::Method { name, args, .. } => {
            args.is_empty() && (name.name == "iter" || name.name == "into_iter")
        }
        _ => false,
    }
}

/// Whether the source in `span` names `name` (as a whole word).
fn mentions(src: &str, span: Span, name: &str) -> bool {
    let Some(text) = src.get(span.start..span.end) else {
        return true;
    };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

impl FnCx<'_, '_> {
    /// `let name = chain;` as the loop it stands for; `None` when `init` is no chain.
    pub(super) fn let_chain(&mut self, pat: &Pat, init: &Expr, span: Span) -> Option<CResult<()>> {
        let c = chain(init)?;
        let Pat::Ident { name, mutable } = pat else {
            self.err(
                span,
                "an iterator chain's value is given a name here",
                "`let v: Vec<_> = (0..n).map(|i| …).collect();`",
            );
            return Some(Err(()));
        };
        let item = Ident {
            name: "item".into(),
            span: c.source.span(),
        };
        let (param, mut stmts, value) = match c.map {
            Some((p, body)) => {
                let tail = crate::ast::tail(self.cx.src, body).cloned();
                let mut stmts = body.stmts.clone();
                if tail.is_some() {
                    stmts.pop();
                }
                (p.clone(), stmts, tail)
            }
            None => (
                item.clone(),
                Vec::new(),
                Some(Expr::Path(vec![item.clone()])),
            ),
        };
        // `let v = v.iter()….collect();` reads the old `v`: the new one is made under a
        // name no program can write, and takes the name after the loop.
        let shadows = mentions(self.cx.src, init.span(), &name.name);
        let acc = match shadows {
            true => Ident {
                name: format!("{}#", name.name),
                span: name.span,
            },
            false => name.clone(),
        };
        let target = Expr::Path(vec![acc.clone()]);
        let step = match (c.sink, value) {
            (Sink::Collect, Some(v)) => Stmt::Expr {
                expr: Expr::Method {
                    recv: Box::new(target),
                    name: Ident {
                        name: "push".into(),
                        span,
                    },
                    args: vec![v],
                    span,
                },
                span,
            },
            (Sink::Sum, Some(v)) => Stmt::Assign {
                place: target,
                op: Some(BinOp::Add),
                value: v,
                span,
            },
            (Sink::Count, v) => {
                // `count` runs the closure too (for what it does), and adds one.
                stmts.extend(v.map(|expr| Stmt::Expr { expr, span }));
                Stmt::Assign {
                    place: target,
                    op: Some(BinOp::Add),
                    value: Expr::Int(1, span),
                    span,
                }
            }
            (_, None) => {
                self.err(
                    init.span(),
                    "this `map`'s closure gives no value to collect or add up",
                    "end the closure with the value, with no `;` after it",
                );
                return Some(Err(()));
            }
        };
        stmts.push(step);
        let start = match c.sink {
            Sink::Collect => Expr::Call {
                callee: vec![Ident {
                    name: "vec".into(),
                    span,
                }],
                bang: true,
                args: Vec::new(),
                span,
            },
            Sink::Sum | Sink::Count => Expr::Int(0, span),
        };
        let body_span = c.map.map_or(span, |(_, b)| b.span);
        let rename = Stmt::Let {
            pat: Pat::Ident {
                name: name.clone(),
                mutable: *mutable,
            },
            ty: None,
            init: Expr::Path(vec![acc.clone()]),
            span,
        };
        let lowered = [
            Stmt::Let {
                pat: Pat::Ident {
                    name: acc,
                    mutable: true,
                },
                ty: None,
                init: start,
                span,
            },
            Stmt::For {
                pat: Pat::Ident {
                    name: param,
                    mutable: false,
                },
                iter: c.source.clone(),
                body: Block {
                    stmts,
                    span: body_span,
                    is_unsafe: false,
                },
                span,
            },
        ];
        Some(
            lowered
                .iter()
                .chain(shadows.then_some(&rename))
                .try_for_each(|s| self.stmt(s)),
        )
    }

    /// The sentence for a chain written where it is not simulated (not a `let`'s value).
    pub(super) fn chain_elsewhere(&mut self, span: Span) {
        self.err(
            span,
            "an iterator chain is simulated as a `let`'s value only",
            "`let v: Vec<_> = (0..n).map(|i| …).collect();`, `let total: i32 = v.iter().sum();`",
        );
    }
}
