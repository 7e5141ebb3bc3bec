//! A vector behind a lock: `Arc<Mutex<Vec<T>>>` (or a local `Mutex<Vec<T>>`), reached
//! through a guard — a named one (`let mut g = data.lock().unwrap(); g.push(1);`) or a
//! temporary (`data.lock().unwrap().push(1);`, dropped at the `;` as in Rust).
//!
//! The mutex's value is the vector's number (see the core's `machine/vec.rs`). Its ops
//! touch nothing the explorer watches, which is exact because every one runs while the
//! lock is held: the lock orders them. So a guard's vector is read only while its guard
//! lives: `*g` prints it (`{:?}`), and a temporary guard printed whole is held until the
//! print is done; moving the vector out (`let v = *g;`) is rustc's E0507.

use super::heap::Elem;
use super::*;
use interleave_core::program::Pointee;

impl FnCx<'_, '_> {
    /// The element type of the vector mutex `m` holds, if it holds one.
    pub(super) fn vec_mutex(&self, m: MutexId) -> Option<Elem> {
        self.cx
            .mutex_vecs
            .iter()
            .find(|(x, _)| *x == m)
            .map(|(_, e)| *e)
    }

    /// The mutex `e` names (a local `Mutex`, an `Arc` of one, a static), looked up only.
    fn mutex_named(&self, e: &Expr) -> Option<MutexId> {
        let Expr::Path(p) = e else { return None };
        let [name] = p.as_slice() else { return None };
        match self.lookup(&name.name).map(|v| v.ty) {
            Some(Ty::Mutex(m) | Ty::Arc(Pointee::Mutex(m), _)) => Some(m),
            Some(_) => None,
            None => match self.global(&name.name) {
                Some((Global::Mutex(m), _)) => Some(m),
                _ => None,
            },
        }
    }

    /// The vector mutex behind the guard `e` (a guard variable, or `M.lock().unwrap()`),
    /// if `e` is one.
    pub(super) fn guarded_vec(&self, e: &Expr) -> Option<MutexId> {
        let m = match unref(e) {
            Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name).map(|v| v.ty) {
                Some(Ty::Guard(m, _)) => m,
                _ => return None,
            },
            e => match strip_unwrap(e) {
                Expr::Method { recv, name, .. }
                    if matches!(name.name.as_str(), "lock" | "read" | "write") =>
                {
                    self.mutex_named(recv)?
                }
                _ => return None,
            },
        };
        self.vec_mutex(m).map(|_| m)
    }

    /// Takes the guard `e` (locking for a temporary one) and reads the vector's number:
    /// (the number, its elements, the mutex, `Some(read)` for a temporary guard to drop).
    /// Writing through a named guard needs `let mut g` (rustc's E0596).
    pub(super) fn open_guarded(
        &mut self,
        e: &Expr,
        write: bool,
    ) -> CResult<(Operand, Elem, MutexId, Option<bool>)> {
        if let Expr::Path(p) = e {
            let immutable = self
                .lookup(&p[0].name)
                .is_some_and(|v| !v.mutable && !v.gone);
            if write && immutable {
                self.err_code(
                    "E0596",
                    p[0].span,
                    format!(
                        "cannot borrow `{}` as mutable, as it is not declared as mutable",
                        p[0].name
                    ),
                    &format!(
                        "declare the guard `let mut {}` to change the vector through it",
                        p[0].name
                    ),
                );
                return Err(());
            }
        }
        let (m, temp) = self.deref_target(e, write)?;
        let t = self.temp();
        self.op(Op::MutexLoad { dst: t, mutex: m })?;
        let elem = self.vec_mutex(m).unwrap_or(Elem::Unknown);
        Ok((Operand::Local(t), elem, m, temp))
    }

    /// `g.push(x)`, `g.len()` through a guard of a vector mutex.
    pub(super) fn guarded_method(
        &mut self,
        recv: &Expr,
        name: &ast::Ident,
        args: &[Expr],
    ) -> CResult<(Operand, Ty)> {
        let write = name.name == "push";
        let (h, elem, m, temp) = self.open_guarded(recv, write)?;
        let r = self.vec_method(recv, h, elem, name, args);
        if let Some(read) = temp {
            self.drop_temp(m, read)?;
        }
        r
    }

    /// A new element type for the vector behind the guard `e`.
    pub(super) fn set_guarded_elem(&mut self, e: &Expr, elem: Elem) {
        if let Some(m) = self.guarded_vec(e) {
            if let Some(slot) = self.cx.mutex_vecs.iter_mut().find(|(x, _)| *x == m) {
                if slot.1 != Elem::Broken {
                    slot.1 = elem;
                }
            }
        }
    }

    /// `*g` of a vector mutex's guard, as a value: only a print may read it (the vector
    /// stays behind the lock); a temporary guard is held until the print is done.
    pub(super) fn guarded_deref(&mut self, e: &Expr, span: Span) -> CResult<(Operand, Ty)> {
        if !self.printing {
            let m = self.guarded_vec(e).expect("called for a guarded vector");
            let elem = self.vec_mutex(m).unwrap_or(Elem::Unknown);
            self.err_code(
                "E0507",
                span,
                format!(
                    "cannot move out of dereference of `MutexGuard<'_, {}>`",
                    heap::type_name(Ty::Vec(elem), self.cx)
                ),
                "use the vector through the guard (`g.len()`, `g[0]`, `g.push(x)`), or print it with `{:?}`",
            );
            return Err(());
        }
        let (h, elem, m, temp) = self.open_guarded(e, false)?;
        if let Some(read) = temp {
            self.held.push((m, read));
        }
        Ok((h, Ty::Vec(elem)))
    }

    /// Drops the temporary guards a print held (see `guarded_deref`).
    pub(super) fn drop_held(&mut self) -> CResult<()> {
        while let Some((m, read)) = self.held.pop() {
            self.op(unlock(m, read))?;
        }
        Ok(())
    }
}
