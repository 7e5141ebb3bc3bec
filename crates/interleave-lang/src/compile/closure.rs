//! A spawned closure's body, with the value it returns: a tail expression (no `;` before
//! the closing brace, or a closure written `|| expr`) is what `h.join().unwrap()` gives
//! the joiner, as `JoinHandle<T>` does.

use super::{CResult, FnCx, Ty};
use crate::ast::{Block, Expr, Stmt};
use crate::diag::Span;
use interleave_core::program::Op;

/// The block's tail expression: its last statement, an expression with no `;` after it.
fn tail(b: &Block) -> Option<&Expr> {
    match b.stmts.last() {
        Some(Stmt::Expr { expr, span }) if span.end == expr.span().end => match expr {
            // Statements that happen to end a block, not values a thread returns.
            Expr::Closure { .. } | Expr::Await { .. } | Expr::Range { .. } | Expr::Tuple(..) => {
                None
            }
            e => Some(e),
        },
        _ => None,
    }
}

impl FnCx<'_, '_> {
    /// Compiles a spawned closure's body; a tail expression becomes the thread's result.
    pub(super) fn closure_body(&mut self, body: &Block) -> CResult<()> {
        let Some(value) = tail(body) else {
            return self.block(body);
        };
        let head = Block {
            stmts: body.stmts[..body.stmts.len() - 1].to_vec(),
            span: body.span,
        };
        // The statements before it, in the body's scope; then the value, before the
        // guards of that scope are dropped at the closing brace.
        self.scopes.push(super::Scope::default());
        let mut ok = true;
        for s in &head.stmts {
            if self.stmt(s).is_err() {
                ok = false;
            }
        }
        self.at(value.span());
        match self.typed_expr(value) {
            Ok((v, Ty::Int)) => {
                if self.op(Op::ThreadResult { src: v }).is_err() {
                    ok = false;
                }
            }
            Ok(_) => {}
            Err(()) => ok = false,
        }
        self.at(Span::new(body.span.end.saturating_sub(1), body.span.end));
        let depth = self.scopes.len() - 1;
        let released = self.release_guards(depth, true);
        self.pop_scope();
        if ok {
            released
        } else {
            Err(())
        }
    }
}
