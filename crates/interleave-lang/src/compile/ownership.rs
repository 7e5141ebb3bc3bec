//! Ownership across threads, as rustc checks it and with rustc's error codes: what a
//! spawned closure may take from the thread that spawns it.
//!
//! - **E0277** — a value that is not `Send` (an `Rc`, a `MutexGuard`) cannot move into
//!   another thread.
//! - **E0373** — a closure without `move` borrows what it uses; `thread::spawn` needs a
//!   closure that may outlive the function, so it may not borrow the function's locals.
//! - **E0382** — a value moved into a thread (or dropped, or joined) is gone: using it
//!   again, or moving it again in the next round of a loop, does not compile.

use super::*;
use crate::ast::Stmt;

/// Whether the closure body uses `name` by value (so a closure without `move` takes it
/// rather than borrowing it): `drop(name)`, `name.join()`, `for x in name`.
fn consumed(body: &Block, name: &str) -> bool {
    fn is(e: &Expr, name: &str) -> bool {
        matches!(e, Expr::Path(p) if p.len() == 1 && p[0].name == name)
    }
    fn expr(e: &Expr, name: &str) -> bool {
        match e {
            Expr::Call { callee, args, .. } => {
                (last(callee) == "drop" && args.first().is_some_and(|a| is(a, name)))
                    || args.iter().any(|a| expr(a, name))
            }
            Expr::Method {
                recv,
                name: m,
                args,
                ..
            } => {
                (m.name == "join" && is(recv, name))
                    || expr(recv, name)
                    || args.iter().any(|a| expr(a, name))
            }
            Expr::Unary { expr: e, .. } | Expr::Await { expr: e, .. } => expr(e, name),
            Expr::Binary { lhs, rhs, .. } => expr(lhs, name) || expr(rhs, name),
            _ => false,
        }
    }
    fn block(b: &Block, name: &str) -> bool {
        b.stmts.iter().any(|s| stmt(s, name))
    }
    fn stmt(s: &Stmt, name: &str) -> bool {
        match s {
            Stmt::Let { init: e, .. } | Stmt::Expr { expr: e, .. } => expr(e, name),
            Stmt::Assign { value, .. } => expr(value, name),
            Stmt::For { iter, body, .. } => is(iter, name) || block(body, name),
            Stmt::If { then, els, .. } | Stmt::IfLetOk { then, els, .. } => {
                block(then, name) || els.as_deref().is_some_and(|e| stmt(e, name))
            }
            Stmt::While { body, .. } | Stmt::WhileLetOk { body, .. } | Stmt::Loop { body, .. } => {
                block(body, name)
            }
            Stmt::Block(b) => block(b, name),
            _ => false,
        }
    }
    block(body, name)
}

/// Whether a value of this type is copied, not moved (so using it after a move is fine).
pub(super) fn is_copy(ty: Ty) -> bool {
    matches!(ty, Ty::Int)
}

impl FnCx<'_, '_> {
    /// An error with rustc's code.
    pub(super) fn err_code(&mut self, code: &'static str, span: Span, msg: String, hint: &str) {
        let mut d = Diagnostic::error(span, msg).code(code);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.cx.diags.push(d);
    }

    /// What a closure given to `thread::spawn` (at `at`) captures may go to another
    /// thread: checked before its body is compiled, so a refusal is the one error.
    pub(super) fn check_spawn_captures(
        &mut self,
        is_move: bool,
        body: &Block,
        captures: &[(String, Ty, Local)],
        at: Span,
    ) -> CResult<()> {
        for (name, ty, _) in captures {
            let gone = self.lookup(name).and_then(|v| v.gone.then_some(v.moved_at));
            if let Some(moved_at) = gone.filter(|_| !is_copy(*ty)) {
                let hint = match moved_at {
                    Some(s) => format!(
                        "it was moved at line {} (into a thread, a `drop`, or a `join`); clone it first if both need it (`Arc::clone(&{name})`)",
                        line_col(self.cx.src, s.start).0
                    ),
                    None => String::new(),
                };
                self.err_code("E0382", at, format!("use of moved value: `{name}`"), &hint);
                return Err(());
            }
            let not_send = match ty {
                Ty::Arc(_, true) => Some(
                    "`Rc` counts its owners without atomic operations, so two threads cloning or dropping it at once could corrupt the count: Rust refuses to send it (`Rc` is not `Send`); use `Arc`, the atomically counted version: `Arc::new`, `Arc::clone`",
                ),
                Ty::Guard(_) => Some(
                    "a lock is released by the thread that took it, so a guard stays in its thread (`MutexGuard` is not `Send`): lock the mutex inside the spawned closure instead",
                ),
                _ => None,
            };
            if let Some(hint) = not_send {
                let t = heap::type_name(*ty, self.cx);
                self.err_code(
                    "E0277",
                    at,
                    format!("`{t}` cannot be sent between threads safely"),
                    hint,
                );
                return Err(());
            }
        }
        if !is_move {
            if let Some((name, _, _)) = captures.iter().find(|(n, _, _)| !consumed(body, n)) {
                self.err_code(
                    "E0373",
                    at,
                    format!("closure may outlive the current function, but it borrows `{name}`, which is owned by the current function"),
                    &format!("the new thread may run after this function returns, when `{name}` is gone: write `move ||` so the closure takes ownership of `{name}` (share it with `Arc` if this thread needs it too)"),
                );
                return Err(());
            }
        }
        Ok(())
    }
}
