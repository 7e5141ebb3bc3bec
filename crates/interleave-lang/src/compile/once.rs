//! `Once::call_once(|| { … })` and `OnceLock::get_or_init(|| value)` on a `static`: the
//! machine's `OnceBegin` says whether this thread runs the initialiser (the closure's body,
//! compiled in place: it runs at most once, in the calling thread), which ends with
//! `OnceEnd`; then `OnceGet` reads an `OnceLock`'s value.

use super::*;

impl FnCx<'_, '_> {
    /// The `Once` / `OnceLock` static `recv` names, if it names one.
    pub(super) fn once_of(&self, recv: &Expr) -> Option<(OnceId, bool)> {
        let Expr::Path(p) = unref(recv) else {
            return None;
        };
        if p.len() != 1 || self.lookup(&p[0].name).is_some() {
            return None;
        }
        match self.global(&p[0].name) {
            Some((Global::Once(o, lock), _)) => Some((o, lock)),
            _ => None,
        }
    }

    pub(super) fn once_method(
        &mut self,
        (o, lock): (OnceId, bool),
        name: &ast::Ident,
        args: &[Expr],
    ) -> CResult<(Operand, Ty)> {
        let m = name.name.as_str();
        let known = matches!((m, lock), ("call_once", false) | ("get_or_init", true));
        let (true, [init]) = (known, args) else {
            return self.once_refused(lock, name);
        };
        let body = match init {
            Expr::Closure { params, body, .. } if params.is_empty() => body,
            _ => {
                self.err(
                    init.span(),
                    format!("`{m}` takes a closure here"),
                    "`|| { … }`",
                );
                return Err(());
            }
        };
        match (m, lock) {
            ("call_once", false) => {
                self.initialiser(o, |fc| fc.block(body).map(|()| Operand::Imm(0)))?;
                Ok((Operand::Imm(0), Ty::Int))
            }
            ("get_or_init", true) => {
                let value = self.temp();
                self.initialiser(o, |fc| {
                    fc.body_with_int_tail(body, |fc, v| fc.op(Op::Set { dst: value, src: v }))
                        .map(|()| Operand::Local(value))
                })?;
                let dst = self.temp();
                self.op(Op::OnceGet { once: o, dst })?;
                Ok((Operand::Local(dst), Ty::Int))
            }
            _ => self.once_refused(lock, name),
        }
    }

    /// `OnceBegin`, the initialiser where this thread runs it, `OnceEnd`.
    fn initialiser(
        &mut self,
        o: OnceId,
        init: impl FnOnce(&mut Self) -> CResult<Operand>,
    ) -> CResult<()> {
        let (run, done) = (self.temp(), self.f.label());
        self.op(Op::OnceBegin { once: o, run })?;
        self.f.jump_if_zero(Operand::Local(run), done);
        let r = self.branch_arm(|fc| {
            let value = init(fc)?;
            fc.op(Op::OnceEnd { once: o, value })
        });
        self.f.bind(done);
        r
    }

    fn once_refused(&mut self, lock: bool, name: &ast::Ident) -> CResult<(Operand, Ty)> {
        let (ty, want) = if lock {
            ("OnceLock", "`CELL.get_or_init(|| value)`")
        } else {
            ("Once", "`INIT.call_once(|| { … })`")
        };
        self.err(
            name.span,
            format!("`{ty}::{}` is not simulated yet", name.name),
            want,
        );
        Err(())
    }
}
