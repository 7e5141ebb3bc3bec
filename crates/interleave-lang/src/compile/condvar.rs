//! `Condvar`: `wait(guard)`, `wait_while(guard, |v| cond)`, `notify_one()` and
//! `notify_all()` on a `static`, a local, an `Arc<Condvar>`, or the condvar of an
//! `Arc<(Mutex<T>, Condvar)>` destructured with `let (lock, cvar) = &*pair;`.
//!
//! `wait` takes the guard (it moves, as in Rust) and gives back a guard of the same
//! mutex: the machine's `CondvarWait` unlocks and sleeps, then a `Lock` takes the mutex
//! again. `wait_while` is that in a loop, testing the closure with the guard's value.

use super::*;

impl FnCx<'_, '_> {
    /// The condvar `recv` names, if it names one.
    pub(super) fn condvar_of(&self, recv: &Expr) -> Option<CondvarId> {
        let Expr::Path(p) = unref(recv) else {
            return None;
        };
        if p.len() != 1 {
            return None;
        }
        match self.lookup(&p[0].name) {
            Some(v) if v.gone => None,
            Some(v) => match v.ty {
                Ty::Condvar(c) | Ty::Arc(Pointee::Condvar(c), _) => Some(c),
                _ => None,
            },
            None => match self.global(&p[0].name) {
                Some((Global::Condvar(c), _)) => Some(c),
                _ => None,
            },
        }
    }

    pub(super) fn condvar_method(
        &mut self,
        c: CondvarId,
        name: &ast::Ident,
        args: &[Expr],
        stmt: bool,
    ) -> CResult<(Operand, Ty)> {
        match (name.name.as_str(), args) {
            ("notify_one" | "notify_all", []) => {
                let all = name.name == "notify_all";
                self.op(Op::CondvarNotify { condvar: c, all })?;
                Ok((Operand::Imm(0), Ty::Int))
            }
            ("wait", [guard]) => {
                let m = self.take_guard(guard)?;
                self.wait_once(c, m)?;
                self.guard_result(m, stmt)
            }
            ("wait_while", [guard, cond]) => {
                let m = self.take_guard(guard)?;
                self.wait_while(c, m, cond)?;
                self.guard_result(m, stmt)
            }
            ("wait_timeout" | "wait_timeout_while" | "wait_timeout_ms", _) => {
                self.err(
                    name.span,
                    format!("`Condvar::{}` is not simulated yet", name.name),
                    "use `wait` in a `while` loop, or `wait_while`",
                );
                Err(())
            }
            _ => {
                self.err(
                    name.span,
                    format!("a Condvar has no method `{}` here", name.name),
                    "`cv.wait(guard)`, `cv.wait_while(guard, |v| …)`, `cv.notify_one()`, `cv.notify_all()`",
                );
                Err(())
            }
        }
    }

    /// The guard a `wait` returns: dropped at once when the call is a statement.
    fn guard_result(&mut self, m: MutexId, stmt: bool) -> CResult<(Operand, Ty)> {
        if stmt {
            self.op(Op::Unlock { mutex: m })?;
        }
        Ok((Operand::Imm(0), Ty::Guard(m, false)))
    }

    fn wait_once(&mut self, c: CondvarId, m: MutexId) -> CResult<()> {
        self.op(Op::CondvarWait {
            condvar: c,
            mutex: m,
        })?;
        self.op(Op::Lock { mutex: m })
    }

    /// `while cond(&mut *guard) { guard = cv.wait(guard) }`: the closure's parameter is
    /// the guard, for its body only.
    fn wait_while(&mut self, c: CondvarId, m: MutexId, cond: &Expr) -> CResult<()> {
        let Expr::Closure { params, body, .. } = cond else {
            self.err(
                cond.span(),
                "`wait_while` takes a closure here",
                "`cv.wait_while(guard, |v| *v == 0)`",
            );
            return Err(());
        };
        let [param] = params.as_slice() else {
            self.err(
                cond.span(),
                "the closure takes one parameter: the guarded value",
                "`|v| *v == 0`",
            );
            return Err(());
        };
        let (top, done) = (self.f.label(), self.f.label());
        self.f.bind(top);
        self.scopes.push(Scope::default());
        let alias = self.temp();
        self.bind(param, alias, Ty::Guard(m, false), true);
        let keep = self.temp();
        let r = self.body_with_int_tail(body, |fc, v| fc.op(Op::Set { dst: keep, src: v }));
        // The parameter borrows the guard: leaving the closure does not unlock it.
        if let Some(v) = self.lookup_mut(&param.name) {
            v.gone = true;
        }
        self.pop_scope();
        r?;
        self.f.jump_if_zero(Operand::Local(keep), done);
        self.wait_once(c, m)?;
        self.f.jump(top);
        self.f.bind(done);
        Ok(())
    }

    /// `g` in `cv.wait(g)`: a live guard, which moves into the call (declared outside
    /// the branch it moves in, it gets a drop flag, as `drop(g)` there would), or a
    /// guard made there (`cv.wait_while(m.lock().unwrap(), …)`).
    fn take_guard(&mut self, g: &Expr) -> CResult<MutexId> {
        let span = g.span();
        let var = match g {
            Expr::Path(p) if p.len() == 1 => self.lookup(&p[0].name).map(|v| (v.ty, v.gone)),
            Expr::Path(_) => None,
            _ => match self.typed_expr(g)? {
                (_, Ty::Guard(m, false)) => return Ok(m),
                _ => None,
            },
        };
        let name = match g {
            Expr::Path(p) => p[0].name.clone(),
            _ => String::new(),
        };
        match var {
            Some((Ty::Guard(m, false), false)) => {
                let var = self.lookup_mut(&name).expect("looked up above");
                var.gone = true;
                var.moved_at = Some(span);
                let had_flag = var.drop_flag;
                if let Some(flag) = self.branch_drop_flag(&name).or(had_flag) {
                    self.op(Op::Set {
                        dst: flag,
                        src: Operand::Imm(1),
                    })?;
                }
                Ok(m)
            }
            Some((Ty::Guard(..), true)) => {
                self.err_code(
                    "E0382",
                    span,
                    format!("use of moved value: `{name}` (the guard was already given up)"),
                    "`wait` gives the guard back: `g = cv.wait(g).unwrap();`",
                );
                Err(())
            }
            _ => {
                self.err(
                    span,
                    "`wait` takes the guard of a locked mutex",
                    "`let mut g = m.lock().unwrap(); g = cv.wait(g).unwrap();`",
                );
                Err(())
            }
        }
    }
}
