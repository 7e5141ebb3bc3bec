//! Closures: `|| body`, `move || body`, `|s| body` (parameters are names).

use super::*;

impl Parser {
    /// `|| body`, `move || body`; the body is a block, a loop/if statement, or an expression.
    pub(super) fn closure(&mut self) -> PResult<Expr> {
        self.enter()?;
        let start = self.span();
        let is_move = self.eat_kw("move");
        let mut params = Vec::new();
        if !self.eat("||") {
            if !self.eat("|") {
                let span = self.span();
                return Err(self.error(span, "expected `||`", None));
            }
            while !self.is("|") {
                params.push(self.ident("a parameter name")?);
                if self.eat(":") {
                    self.type_text()?;
                }
                if !self.eat(",") {
                    break;
                }
            }
            self.expect("|", Some("close the parameters with `|`"))?;
        }
        let body = if self.is("{") {
            self.block()?
        } else if self.is_kw("for") || self.is_kw("while") || self.is_kw("loop") || self.is_kw("if")
        {
            let s = self.block_like()?;
            Block {
                is_unsafe: false,
                span: s.span(),
                stmts: vec![s],
            }
        } else {
            let e = self.expr()?;
            let span = e.span();
            Block {
                is_unsafe: false,
                stmts: vec![Stmt::Expr { expr: e, span }],
                span,
            }
        };
        self.leave();
        Ok(Expr::Closure {
            is_move,
            params,
            span: start.to(body.span),
            body: Box::new(body),
        })
    }
}
