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
            Expr::Unary { expr: e, .. }
            | Expr::Await { expr: e, .. }
            | Expr::Try { expr: e, .. }
            | Expr::Field { base: e, .. }
            | Expr::Cast { expr: e, .. } => expr(e, name),
            Expr::Tuple(items, _) | Expr::Array(items, _) => items.iter().any(|e| expr(e, name)),
            Expr::Binary { lhs, rhs, .. }
            | Expr::Index {
                base: lhs,
                index: rhs,
                ..
            } => expr(lhs, name) || expr(rhs, name),
            Expr::If(s) => stmt(s, name),
            Expr::Match {
                scrutinee, arms, ..
            } => expr(scrutinee, name) || arms.iter().any(|a| block(&a.body, name)),
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

/// Whether the closure body changes the local `name`: assigns to it (`name += 1`) or calls
/// a method that changes a vector (`name.push(x)`).
fn mutates(body: &Block, name: &str) -> bool {
    fn expr(e: &Expr, name: &str) -> bool {
        match e {
            Expr::Method {
                recv,
                name: m,
                args,
                ..
            } => {
                (matches!(recv.as_ref(), Expr::Path(p) if p.len() == 1 && p[0].name == name)
                    && [
                        "push", "pop", "clear", "insert", "remove", "sort", "truncate",
                    ]
                    .contains(&m.name.as_str()))
                    || expr(recv, name)
                    || args.iter().any(|a| expr(a, name))
            }
            Expr::Call { args, .. } => args.iter().any(|a| expr(a, name)),
            Expr::Unary { expr: e, .. } => expr(e, name),
            Expr::Binary { lhs, rhs, .. } => expr(lhs, name) || expr(rhs, name),
            Expr::If(s) => stmt(s, name),
            Expr::Match {
                scrutinee, arms, ..
            } => expr(scrutinee, name) || arms.iter().any(|a| block(&a.body, name)),
            _ => false,
        }
    }
    fn block(b: &Block, name: &str) -> bool {
        b.stmts.iter().any(|s| stmt(s, name))
    }
    fn stmt(s: &Stmt, name: &str) -> bool {
        match s {
            Stmt::Assign { place, value, .. } => {
                matches!(place, Expr::Path(p) if p.len() == 1 && p[0].name == name)
                    || expr(value, name)
            }
            Stmt::Let { init: e, .. } | Stmt::Expr { expr: e, .. } => expr(e, name),
            Stmt::For { body, .. }
            | Stmt::While { body, .. }
            | Stmt::WhileLetOk { body, .. }
            | Stmt::Loop { body, .. }
            | Stmt::Block(body) => block(body, name),
            Stmt::If { then, els, .. } | Stmt::IfLetOk { then, els, .. } => {
                block(then, name) || els.as_deref().is_some_and(|e| stmt(e, name))
            }
            _ => false,
        }
    }
    block(body, name)
}

/// Whether a value of this type is copied, not moved (so using it after a move is fine).
pub(super) fn is_copy(ty: Ty) -> bool {
    matches!(
        ty,
        Ty::Int
            | Ty::Str(false)
            | Ty::ThreadId
            | Ty::OptStr
            | Ty::Tuple(_, true)
            | Ty::Sum(_, true)
    )
}

impl FnCx<'_, '_> {
    /// A scoped thread's borrows against the other threads of its scope, as the borrow
    /// checker sees them: two that change the same local (E0499), or one that changes
    /// it while another reads it (E0502).
    pub(super) fn check_scoped_borrows(
        &mut self,
        body: &Block,
        captures: &[(String, Ty, Local)],
        at: Span,
    ) -> CResult<()> {
        let Some(scope) = self.thread_scopes.last() else {
            return Ok(());
        };
        let mut found = None;
        for (name, _, _) in captures {
            let mutable = mutates(body, name);
            let earlier = scope
                .borrowed
                .iter()
                .find(|(n, m, _)| n == name && (*m || mutable));
            if let Some(&(_, was_mutable, _)) = earlier {
                found = Some((name.clone(), mutable, was_mutable));
                break;
            }
        }
        if let Some((name, mutable, was_mutable)) = found {
            let (code, msg) = match (mutable, was_mutable) {
                (true, true) => ("E0499", format!("cannot borrow `{name}` as mutable more than once at a time")),
                (true, false) => ("E0502", format!("cannot borrow `{name}` as mutable because it is also borrowed as immutable")),
                _ => ("E0502", format!("cannot borrow `{name}` as immutable because it is also borrowed as mutable")),
            };
            self.err_code(code, at, msg, &format!("another thread of this scope already borrows `{name}`, and the two run at the same time: only readers may share it; give each thread its own value, or share it behind a `Mutex`"));
            return Err(());
        }
        let borrowed: Vec<(String, bool, Span)> = captures
            .iter()
            .map(|(n, _, _)| (n.clone(), mutates(body, n), at))
            .collect();
        if let Some(scope) = self.thread_scopes.last_mut() {
            scope.borrowed.extend(borrowed);
        }
        Ok(())
    }

    /// At the end of a scope: a local that one of its threads changes through a borrow
    /// (and no other touches) is legal Rust the simulator does not follow yet.
    pub(super) fn lone_mutable_borrows(&mut self, scope: &ThreadScope) -> CResult<()> {
        if let Some((name, _, at)) = scope.borrowed.iter().find(|(_, m, _)| *m) {
            self.err(
                *at,
                format!("a scoped thread that changes `{name}`, a local it borrows, is not simulated yet"),
                "share it as an atomic or a `Mutex` (`let n = AtomicUsize::new(0);`), which scoped threads may change through `&`",
            );
            return Err(());
        }
        Ok(())
    }

    /// `name` is changed by the thread that spawned scoped threads borrowing it, while
    /// they may run: rustc refuses (E0506 for an assignment, E0502 for a `&mut` call).
    pub(super) fn check_not_lent(&mut self, name: &ast::Ident, assign: bool) -> CResult<()> {
        let lent = self
            .thread_scopes
            .iter()
            .any(|s| s.borrowed.iter().any(|(n, _, _)| *n == name.name));
        if !lent {
            return Ok(());
        }
        let n = &name.name;
        let (code, msg) = if assign {
            (
                "E0506",
                format!("cannot assign to `{n}` because it is borrowed"),
            )
        } else {
            (
                "E0502",
                format!("cannot borrow `{n}` as mutable because it is also borrowed as immutable"),
            )
        };
        self.err_code(code, name.span, msg, &format!("a thread of this scope borrows `{n}` and may be reading it now: change it before the scope or after it"));
        Err(())
    }

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
        borrows: bool,
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
                Ty::Guard(..) => Some(
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
        if !is_move && !borrows {
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
