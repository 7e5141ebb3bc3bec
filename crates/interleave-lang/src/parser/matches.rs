//! `match` expressions: a scrutinee and arms of `pattern => expression,` or
//! `pattern => { … }`; patterns are `Ok(p)`, `Err(p)`, numbers (`1 | 2`), ranges (`1..=5`),
//! `_` and a name.

use super::*;

impl Parser {
    pub(super) fn match_expr(&mut self) -> PResult<Expr> {
        self.enter()?;
        let start = self.bump().span;
        let scrutinee = self.expr()?;
        self.expect("{", Some("a `match` lists its arms in `{ … }`"))?;
        let mut arms = Vec::new();
        while !self.is("}") && *self.peek() != Tok::Eof {
            let from = self.span();
            let pat = self.match_pat()?;
            let guard = if self.eat_kw("if") {
                Some(self.expr()?)
            } else {
                None
            };
            self.expect("=>", Some("an arm is `pattern => value`"))?;
            let (body, is_block) = if self.is("{") {
                (self.block()?, true)
            } else {
                let s = self.arm_stmt()?;
                let span = s.span();
                (
                    Block {
                        stmts: vec![s],
                        span,
                        is_unsafe: false,
                    },
                    false,
                )
            };
            arms.push(Arm {
                pat,
                guard,
                body,
                is_block,
                span: from.to(self.prev_span()),
            });
            if !self.eat(",") && !is_block && !self.is("}") {
                let span = self.span();
                return Err(self.error(span, "expected `,` after a `match` arm", None));
            }
        }
        self.expect("}", Some("close the `match` with `}`"))?;
        self.leave();
        Ok(Expr::Match {
            scrutinee: Box::new(scrutinee),
            arms,
            span: start.to(self.prev_span()),
        })
    }

    /// An arm's body without braces: an expression, an assignment, or `return` / `break`
    /// / `continue` (no `;`: the arm ends at `,` or `}`).
    fn arm_stmt(&mut self) -> PResult<Stmt> {
        let start = self.span();
        for kw in ["break", "continue", "return"] {
            if self.eat_kw(kw) {
                let value = if kw == "return" && !self.is(",") && !self.is("}") {
                    Some(Box::new(self.expr()?))
                } else {
                    None
                };
                let span = start.to(self.prev_span());
                return Ok(match kw {
                    "break" => Stmt::Break(span),
                    "continue" => Stmt::Continue(span),
                    _ => Stmt::Return(span, value),
                });
            }
        }
        let expr = self.expr()?;
        if let Some(op) = self.assign_op() {
            self.bump();
            let value = self.expr()?;
            let span = start.to(self.prev_span());
            return Ok(Stmt::Assign {
                place: expr,
                op,
                value,
                span,
            });
        }
        let span = expr.span();
        Ok(Stmt::Expr { expr, span })
    }

    fn match_pat(&mut self) -> PResult<MatchPat> {
        if let Tok::Ident(k) = self.peek().clone() {
            if k == "Ok" || k == "Err" {
                self.bump();
                self.expect("(", None)?;
                if k == "Err" && self.peek_at(1) == &Tok::P("::") {
                    let mut path = vec![self.ident("an error kind")?];
                    while self.eat("::") {
                        path.push(self.ident("a name after `::`")?);
                    }
                    self.expect(")", None)?;
                    return Ok(MatchPat::ErrKind(path));
                }
                let p = self.pat()?;
                self.expect(")", None)?;
                return Ok(if k == "Ok" {
                    MatchPat::Ok(p)
                } else {
                    MatchPat::Err(p)
                });
            }
            if k == "Some" && self.peek_at(1) == &Tok::P("(") {
                self.bump();
                self.bump();
                let p = self.pat()?;
                self.expect(")", None)?;
                return Ok(MatchPat::Some(p));
            }
            if k == "None" {
                return Ok(MatchPat::None(self.bump().span));
            }
            if k == "_" {
                return Ok(MatchPat::Wild(self.bump().span));
            }
            if !KEYWORDS.contains(&k.as_str()) && !k.starts_with(char::is_uppercase) {
                return Ok(MatchPat::Bind(self.ident("a name")?));
            }
        }
        let mut ints = Vec::new();
        loop {
            let e = self.unary()?;
            let Some(lo) = const_int(&e) else {
                return Err(self.error(
                    e.span(),
                    "this pattern is not simulated yet",
                    Some("arms match `Ok(v)`, `Err(e)`, `Some(v)`, `None`, numbers (`1 | 2`), ranges (`1..=5`), `_` or a name"),
                ));
            };
            if self.eat("..=") {
                let e = self.unary()?;
                let Some(hi) = const_int(&e) else {
                    return Err(self.error(e.span(), "a range pattern ends with a number", None));
                };
                return Ok(MatchPat::Range(lo, hi));
            }
            ints.push(lo);
            if !self.eat("|") {
                break;
            }
        }
        Ok(MatchPat::Ints(ints))
    }
}
