//! Scopes: binding a name, moving a value out of it, the drop flags of guards given up on
//! some paths only, and what a scope's end drops — guards unlocked, `Arc`s and channel
//! ends dropped — in rustc's order (innermost scope first, last declared first).

use super::*;

impl FnCx<'_, '_> {
    pub(super) fn bind(&mut self, name: &ast::Ident, local: Local, ty: Ty, mutable: bool) {
        if ty == Ty::Int {
            // Shown beside its thread in the page while in scope.
            self.f.name(local, &name.name);
        }
        let branch = self.branch;
        let scope = self.scopes.last_mut().expect("a scope is open");
        scope.vars.push(Var {
            name: name.name.clone(),
            local,
            ty,
            mutable,
            gone: false,
            branch,
            drop_flag: None,
            moved_at: None,
            boolean: false,
            at: Some(name.span),
            int: None,
            borrow: false,
        });
    }

    /// `e`, when it names a variable, is moved (into a call that takes it) at `at`.
    pub(super) fn mark_moved(&mut self, e: &Expr, at: Span) {
        if let Expr::Path(p) = e {
            if let Some(v) = self.lookup_mut(&p[0].name).filter(|_| p.len() == 1) {
                v.gone = true;
                v.moved_at = Some(at);
            }
        }
    }

    /// Every variable's `gone`, outermost first: what a branch starts from.
    pub(super) fn gone_flags(&self) -> Vec<bool> {
        self.scopes
            .iter()
            .flat_map(|s| &s.vars)
            .map(|v| v.gone)
            .collect()
    }

    pub(super) fn set_gone_flags(&mut self, flags: &[bool]) {
        let vars = self.scopes.iter_mut().flat_map(|s| &mut s.vars);
        for (v, &g) in vars.zip(flags) {
            v.gone = g;
        }
    }

    /// The drop flag of the guard `name`, given up (dropped, or moved into a condvar's
    /// `wait`) inside a branch it was declared outside of — made on first need: on the
    /// other paths it is still held, so its scope's end must unlock it only where the
    /// flag is 0. `None` when it is given up where it was declared.
    pub(super) fn branch_drop_flag(&mut self, name: &str) -> Option<Local> {
        let branch = self.branch;
        let (outside, flag) = self.lookup(name).map(|v| (v.branch, v.drop_flag))?;
        if outside >= branch {
            return None;
        }
        let flag = flag.unwrap_or_else(|| self.f.local());
        if let Some(v) = self.lookup_mut(name) {
            v.drop_flag = Some(flag);
        }
        Some(flag)
    }

    /// Compiles one arm of an `if` (or a loop body) as a branch: a guard from outside
    /// that it drops gets a drop flag.
    pub(super) fn branch_arm(&mut self, arm: impl FnOnce(&mut Self) -> CResult<()>) -> CResult<()> {
        self.branch += 1;
        let r = arm(self);
        self.branch -= 1;
        r
    }

    /// Releases the live guards of scopes `from..` (innermost first, last declared first).
    pub(super) fn release_guards(&mut self, from: usize, forget: bool) -> CResult<()> {
        // Guards as (mutex, read, drop flag): one dropped on some paths unlocks only where
        // its flag is 0. `Arc`s and channel ends (`Err((local, side))`) are dropped.
        type GuardEnd = (MutexId, bool, Option<Local>);
        let mut ends: Vec<Result<GuardEnd, (Local, Side)>> = Vec::new();
        for (i, scope) in self.scopes.iter_mut().enumerate().skip(from).rev() {
            // A channel end declared in a nested scope (a loop's body, a block, a called
            // function's parameters) is dropped at its end, as in Rust: a sender cloned in
            // each iteration does not keep the channel open. Those of a thread's outermost
            // scopes are dropped when it exits (see the machine's `exit`).
            let nested = i >= 2;
            for v in scope.vars.iter_mut().rev() {
                match (v.ty, v.gone, v.drop_flag) {
                    (Ty::Guard(m, read), false, _) => ends.push(Ok((m, read, None))),
                    (Ty::Guard(m, read), true, Some(flag)) => ends.push(Ok((m, read, Some(flag)))),
                    (Ty::Arc(..), false, _) => ends.push(Err((v.local, Side::Arc))),
                    (Ty::Sender(_), false, _) if nested && !v.borrow => {
                        ends.push(Err((v.local, Side::Sender)))
                    }
                    (Ty::Receiver(_), false, _) if nested && !v.borrow => {
                        ends.push(Err((v.local, Side::Receiver)))
                    }
                    _ => continue,
                }
                if forget {
                    v.gone = true;
                }
            }
        }
        for end in ends {
            match end {
                Err((handle, side)) => self.op(Op::DropHandle {
                    chan: Operand::Local(handle),
                    side,
                })?,
                Ok((m, read, None)) => self.op(unlock(m, read))?,
                Ok((m, read, Some(flag))) => {
                    let (held, skip) = (self.temp(), self.f.label());
                    self.op(Op::Bin {
                        dst: held,
                        op: BinOp::Eq,
                        a: Operand::Local(flag),
                        b: Operand::Imm(0),
                    })?;
                    self.f.jump_if_zero(Operand::Local(held), skip);
                    self.op(unlock(m, read))?;
                    self.f.bind(skip);
                    // Cleared for the next time round a loop that declares the guard.
                    self.op(Op::Set {
                        dst: flag,
                        src: Operand::Imm(0),
                    })?;
                }
            }
        }
        Ok(())
    }
}
