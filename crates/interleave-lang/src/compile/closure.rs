//! A spawned closure's body, with the value it returns: a tail expression (no `;` before
//! the closing brace, or a closure written `|| expr`) is what `h.join().unwrap()` gives
//! the joiner, as `JoinHandle<T>` does.

use super::{CResult, FnCx, Ty};
use crate::ast::{Block, Expr, Stmt};
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
        // The statements before it, in the body's scope; then the value, before the
        // guards of that scope are dropped at the closing brace.
        let head = &body.stmts[..body.stmts.len() - 1];
        self.block_with(body, head, |fc| {
            fc.at(value.span());
            match fc.typed_expr(value)? {
                (v, Ty::Int) => fc.op(Op::ThreadResult { src: v }),
                _ => Ok(()),
            }
        })
    }
}
