//! The temporaries of a scrutinee live as long as Rust keeps them: a guard made by
//! `q.lock().unwrap()` in `match q.lock().unwrap().pop() { … }`, in `while let
//! Some(job) = q.lock().unwrap().pop() { … }` or in `if let Some(x) = …` stays locked
//! until the `match` ends, through each turn of the loop's body, or through the `if
//! let`'s block (dropped before its `else`, as Rust 2024 does) — the classic way a
//! worker ends up holding the queue's lock while it works. Elsewhere a temporary guard
//! is dropped at once (see `guarded`).
//!
//! While a scrutinee is compiled, its temporary guards are collected instead of
//! unlocked; then they are held as variables of the construct's scope (so `break`,
//! `continue` and `return` drop them as they drop any guard) and unlocked where the
//! construct ends.

use super::*;

/// The temporary guards one scrutinee made: (mutex, read guard).
pub(super) type Held = Vec<(MutexId, bool)>;

impl FnCx<'_, '_> {
    /// Compiles a scrutinee with `f`, collecting the temporary guards it makes.
    pub(super) fn scrutinee<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> CResult<T>,
    ) -> CResult<(T, Held)> {
        let outer = self.scrutinee.replace(Vec::new());
        let r = f(self);
        let held = std::mem::replace(&mut self.scrutinee, outer).unwrap_or_default();
        Ok((r?, held))
    }

    /// A temporary guard is done with: unlocked now, or kept if a scrutinee is being
    /// compiled.
    pub(super) fn drop_temp(&mut self, m: MutexId, read: bool) -> CResult<()> {
        match self.scrutinee.as_mut() {
            Some(h) => {
                h.push((m, read));
                Ok(())
            }
            None => self.op(unlock(m, read)),
        }
    }

    /// Holds `held` as guards of the innermost scope, dropped with it on every path out.
    pub(super) fn hold(&mut self, held: &Held, at: Span) {
        for &(m, read) in held {
            let l = self.temp();
            let name = ast::Ident {
                name: "temporary#".into(),
                span: at,
            };
            self.bind(&name, l, Ty::Guard(m, read), false);
        }
    }

    /// Unlocks `held` where the construct ends normally.
    pub(super) fn release_held(&mut self, held: &Held) -> CResult<()> {
        for &(m, read) in held.iter().rev() {
            self.op(unlock(m, read))?;
        }
        Ok(())
    }

    /// Runs `f` (an inlined function's body) with no scrutinee open: its own
    /// temporaries are dropped inside it.
    pub(super) fn outside_scrutinee<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let outer = self.scrutinee.take();
        let r = f(self);
        self.scrutinee = outer;
        r
    }
}
