//! `Once::call_once(|| { … })` and `OnceLock::get_or_init(|| value)` on a `static`: the
//! machine's `OnceBegin` says whether this thread runs the initialiser (the closure's body,
//! compiled in place: it runs at most once, in the calling thread), which ends with
//! `OnceEnd`; then `OnceGet` reads an `OnceLock`'s value.

use super::sum::{Part, Sum};
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
        match (m, lock, args) {
            ("get", true, []) => return self.once_lock_get(o),
            ("set", true, [v]) => return self.once_lock_set(o, v),
            _ => {}
        }
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

    /// `CELL.get()`: `Some(value)` once it is initialised, else `None` (never waits).
    fn once_lock_get(&mut self, o: OnceId) -> CResult<(Operand, Ty)> {
        let (done, value, skip) = (self.temp(), self.temp(), self.f.label());
        self.op(Op::OncePeek { once: o, done })?;
        self.op(Op::Set {
            dst: value,
            src: Operand::Imm(0),
        })?;
        self.f.jump_if_zero(Operand::Local(done), skip);
        self.op(Op::OnceGet {
            once: o,
            dst: value,
        })?;
        self.f.bind(skip);
        let dst = self.temp();
        self.sum_into(dst, Operand::Local(done), Operand::Local(value))?;
        let ty = self.sum_type(Sum {
            result: false,
            ok: Part::Val(Ty::Int, false),
            err: Part::Unknown,
        })?;
        Ok((Operand::Local(dst), ty))
    }

    /// `CELL.set(v)`: `Ok(())` when this call initialised it, else `Err(v)` (it waits
    /// while another thread runs an initialiser, as std's does).
    fn once_lock_set(&mut self, o: OnceId, v: &Expr) -> CResult<(Operand, Ty)> {
        let (value, vty) = self.typed_expr(v)?;
        if vty != Ty::Int {
            self.err(
                v.span(),
                "an `OnceLock` holds a number here",
                "`static CELL: OnceLock<u64> = OnceLock::new();`",
            );
            return Err(());
        }
        let (run, taken, end) = (self.temp(), self.f.label(), self.f.label());
        let dst = self.temp();
        self.op(Op::OnceBegin { once: o, run })?;
        self.f.jump_if_zero(Operand::Local(run), taken);
        self.op(Op::OnceEnd { once: o, value })?;
        self.sum_into(dst, Operand::Imm(1), Operand::Imm(0))?;
        self.f.jump(end);
        self.f.bind(taken);
        self.sum_into(dst, Operand::Imm(0), value)?;
        self.f.bind(end);
        let ty = self.sum_type(Sum {
            result: true,
            ok: Part::Unit,
            err: Part::Val(Ty::Int, false),
        })?;
        Ok((Operand::Local(dst), ty))
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
