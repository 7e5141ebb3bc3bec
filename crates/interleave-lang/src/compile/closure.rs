//! A spawned closure's body, with the value it returns: a tail expression (no `;` before
//! the closing brace, or a closure written `|| expr`) is what `h.join().unwrap()` gives
//! the joiner, as `JoinHandle<T>` does.

use super::{CResult, FnCx, Ty};
use crate::ast::{Block, Expr, Stmt};
use crate::diag::Span;
use interleave_core::program::Op;

/// Whether the statement `expr` (spanning `stmt`) was written with no `;` after it: the
/// source between the two ends holds none (a closing parenthesis, say, may stand there).
pub(crate) fn no_semicolon(src: &str, expr: &Expr, stmt: Span) -> bool {
    src.get(expr.span().end..stmt.end)
        .is_some_and(|rest| !rest.contains(';'))
}

/// The block's tail expression: its last statement, an expression with no `;` after it.
fn tail<'b>(src: &str, b: &'b Block) -> Option<&'b Expr> {
    match b.stmts.last() {
        Some(Stmt::Expr { expr, span }) if no_semicolon(src, expr, *span) => match expr {
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
        let Some(value) = tail(self.cx.src, body) else {
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
