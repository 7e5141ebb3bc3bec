//! `if` and `match` as values (`let x = if c { 1 } else { 2 };`, a function ending in
//! `if a > b { a } else { b }`, `let name = match n { 1 => "one", _ => "many" };`): each
//! branch puts its last expression's value in one local. The first branch with a value
//! sets the type and the others must fit it (rustc's E0308); a branch that does not end
//! normally (`return`, `break`, `continue`, `panic!`) fits any; an `if` without `else`
//! has the value `()` (E0317 where a value is wanted).

use super::*;
use crate::ast::tail;

/// What the branches of one `if` or `match` gave so far.
pub(super) struct Join {
    /// Where the value goes; `None` when it is discarded (a statement).
    result: Option<Local>,
    /// The type of the branches with a value so far.
    ty: Option<Ty>,
    /// A branch that ends without a value (`()`), if one was seen.
    unit: Option<Span>,
    /// An `if` without `else`, if this is one.
    no_else: Option<Span>,
    /// `"\`if\` and \`else\`"` or `"\`match\` arms"`, for E0308.
    what: &'static str,
}

impl Join {
    pub(super) fn new(result: Option<Local>, what: &'static str) -> Join {
        Join {
            result,
            ty: None,
            unit: None,
            no_else: None,
            what,
        }
    }
}

/// Whether evaluating `e` never finishes normally: it panics.
fn diverges(e: &Expr) -> bool {
    matches!(e, Expr::Call { callee, bang: true, .. }
        if callee.len() == 1
            && matches!(callee[0].name.as_str(), "panic" | "unreachable" | "todo" | "unimplemented"))
}

/// Whether `e` may have the type `()` (so a branch ending in it fits one with no value):
/// a call, a method call, a block-like expression.
fn maybe_unit(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Call { .. }
            | Expr::Method { .. }
            | Expr::Match { .. }
            | Expr::If(_)
            | Expr::Await { .. }
    )
}

impl FnCx<'_, '_> {
    /// One branch's block: its statements, then its last expression's value into `j`.
    pub(super) fn branch_value(&mut self, b: &Block, j: &mut Join) -> CResult<()> {
        let Some(value) = tail(self.cx.src, b) else {
            self.block(b)?;
            if !self.dead {
                j.unit.get_or_insert(b.span);
            }
            return Ok(());
        };
        self.body_with_tail(b, |fc, v, ty, _| fc.join_value(j, value, v, ty))
    }

    /// The value `v` of type `ty` of one branch, ending in `e`.
    pub(super) fn join_value(&mut self, j: &mut Join, e: &Expr, v: Operand, ty: Ty) -> CResult<()> {
        if diverges(e) {
            return Ok(());
        }
        if ty == Ty::Int && maybe_unit(e) && j.ty.is_none_or(|t| t == Ty::Int) {
            // A call that may be `()`: it fits a branch with no value.
            j.unit.get_or_insert(e.span());
        } else {
            j.ty = match j.ty {
                None => Some(ty),
                Some(want) => match self.fit(ty, want) {
                    Some(t) => Some(t),
                    None => {
                        let (w, h) = (heap::type_name(want, self.cx), heap::type_name(ty, self.cx));
                        self.err_code(
                            "E0308",
                            e.span(),
                            format!(
                                "{} have incompatible types: expected `{w}`, found `{h}`",
                                j.what
                            ),
                            "every branch must give a value of the same type",
                        );
                        return Err(());
                    }
                },
            };
        }
        match j.result {
            Some(dst) => self.op(Op::Set { dst, src: v }),
            None => Ok(()),
        }
    }

    /// The type of the whole `if` or `match`, once every branch was compiled.
    pub(super) fn join_end(&mut self, j: &Join) -> CResult<Ty> {
        let Some(ty) = j.ty else {
            return Ok(Ty::Int);
        };
        if ty == Ty::Int && j.result.is_none() {
            return Ok(ty);
        }
        if let Some(span) = j.no_else.filter(|_| j.result.is_some()) {
            self.err_code(
                "E0317",
                span,
                "`if` may be missing an `else` clause: without one its value is `()`".into(),
                "add `else { … }` that gives a value of the same type",
            );
            return Err(());
        }
        match j.unit.filter(|_| ty != Ty::Int) {
            Some(unit) => {
                let t = heap::type_name(ty, self.cx);
                self.err_code(
                    "E0308",
                    unit,
                    format!("{} have incompatible types: expected `{t}`, found `()`", j.what),
                    "this branch gives no value; end it with an expression of the same type as the others",
                );
                Err(())
            }
            None => Ok(ty),
        }
    }

    /// `if …` used as a value (`stmt` when it is discarded).
    pub(super) fn if_expr(&mut self, s: &Stmt, stmt: bool) -> CResult<(Operand, Ty)> {
        let result = self.temp();
        let mut j = Join::new((!stmt).then_some(result), "`if` and `else`");
        self.if_value(s, &mut j)?;
        let ty = self.join_end(&j)?;
        self.at(s.span());
        Ok((Operand::Local(result), ty))
    }

    fn if_value(&mut self, s: &Stmt, j: &mut Join) -> CResult<()> {
        let else_l = self.f.label();
        let end = self.f.label();
        let mut before = self.gone_flags();
        let mut held = Vec::new();
        let els = match s {
            Stmt::If {
                cond, then, els, ..
            } => {
                let c = self.expr(cond)?;
                self.f.jump_if_zero(c, else_l);
                before = self.gone_flags();
                self.branch_arm(|cx| cx.branch_value(then, j))?;
                els
            }
            Stmt::IfLetOk {
                ctor,
                pat,
                value,
                then,
                els,
                ..
            } => {
                held =
                    self.if_let_then(*ctor, pat, value, else_l, |cx| cx.branch_value(then, j))?;
                els
            }
            other => return self.stmt(other),
        };
        self.f.jump(end);
        self.f.bind(else_l);
        self.release_held(&held)?;
        self.else_arm_with(before, |cx| match els.as_deref() {
            None => {
                j.no_else.get_or_insert(s.span());
                Ok(())
            }
            Some(Stmt::Block(b)) => cx.branch_arm(|cx| cx.branch_value(b, j)),
            Some(e) => cx.branch_arm(|cx| cx.if_value(e, j)),
        })?;
        self.f.bind(end);
        Ok(())
    }
}
