//! Closures: `|| body`, `move || body`.

use super::*;

impl Parser {
    /// `|| body`, `move || body`; the body is a block, a loop/if statement, or an expression.
    pub(super) fn closure(&mut self) -> PResult<Expr> {
        self.enter()?;
        let start = self.span();
        let is_move = self.eat_kw("move");
        if !self.eat("||") {
            if self.eat("|") {
                let span = self.span();
                return Err(self.error(
                    span,
                    "closures with parameters are not supported",
                    Some("spawned closures take no arguments: `spawn(move || { … })`"),
                ));
            }
            let span = self.span();
            return Err(self.error(span, "expected `||`", None));
        }
        let body = if self.is("{") {
            self.block()?
        } else if self.is_kw("for") || self.is_kw("while") || self.is_kw("loop") || self.is_kw("if")
        {
            let s = self.block_like()?;
            Block {
                span: s.span(),
                stmts: vec![s],
            }
        } else {
            let e = self.expr()?;
            let span = e.span();
            Block {
                stmts: vec![Stmt::Expr { expr: e, span }],
                span,
            }
        };
        self.leave();
        Ok(Expr::Closure {
            is_move,
            span: start.to(body.span),
            body: Box::new(body),
        })
    }
}
