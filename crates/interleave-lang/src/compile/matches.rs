//! `match` (and `if let Ok(…)`, which takes the same calls): on the `Result` of `join()`, `recv()`, `send(v)`, `try_lock()` and
//! `compare_exchange(…)` (arms `Ok(p)` and `Err(p)`), or on a number (arms `1 | 2`,
//! `1..=5`, a name, `_`). Each arm runs in its own scope (a guard bound by `Ok(g)` is
//! dropped at its end); the arms' values (numbers) are the `match`'s value. A `match`
//! that leaves a case out is rustc's E0004.

use super::branch::Join;
use super::*;
use crate::ast::{Arm, MatchPat};

/// What the `Ok` and `Err` of a scrutinee carry: the `Ok` value and its type, and whether
/// the `Err` carries a number (`compare_exchange`'s current value) or nothing simulated.
pub(super) struct Outcomes {
    pub(super) ok_value: Operand,
    pub(super) ok_ty: Ty,
    pub(super) err_value: Option<Operand>,
    /// Which error it was, for `Err(TryRecvError::Empty)` arms: a local holding one of
    /// the codes [`err_kinds`] gives.
    pub(super) err_kind: Option<Local>,
    /// An `Option` or `Result` value (see `sum`): its type and the value itself.
    pub(super) sum: Option<(sum::Sum, Operand)>,
}

/// The kinds of error a call's `Err` can be told apart by (their type, and each kind's
/// name and code): `try_recv`'s `TryRecvError`.
fn err_kinds(e: &Expr) -> Option<(&'static str, &'static [(&'static str, i64)])> {
    match e {
        Expr::Method { name, .. } if name.name == "try_recv" => {
            Some(("TryRecvError", &[("Empty", 0), ("Disconnected", -1)]))
        }
        Expr::Method { name, .. } if name.name == "recv_timeout" => {
            Some(("RecvTimeoutError", &[("Timeout", 0), ("Disconnected", -1)]))
        }
        _ => None,
    }
}

impl FnCx<'_, '_> {
    pub(super) fn match_expr(
        &mut self,
        scrutinee: &Expr,
        arms: &[Arm],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        // A scope for the scrutinee's temporary guards, held to the `match`'s end.
        self.scopes.push(Scope::default());
        let r = self.match_in_scope(scrutinee, arms, span);
        self.pop_scope();
        r
    }

    fn match_in_scope(
        &mut self,
        scrutinee: &Expr,
        arms: &[Arm],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        let on_result = arms.iter().any(|a| {
            matches!(
                a.pat,
                MatchPat::Ok(_)
                    | MatchPat::Err(_)
                    | MatchPat::ErrKind(_)
                    | MatchPat::Some(_)
                    | MatchPat::None(_)
            )
        }) || self.is_sum(scrutinee);
        // An arm with a guard covers nothing: its guard may not hold (as rustc counts).
        let covered =
            |f: &dyn Fn(&MatchPat) -> bool| arms.iter().any(|a| a.guard.is_none() && f(&a.pat));
        let catch_all = covered(&|p| matches!(p, MatchPat::Wild(_) | MatchPat::Bind(_)));
        let missing = if on_result {
            let ok = catch_all
                || covered(&|p| {
                    matches!(
                        p,
                        MatchPat::Ok(Pat::Ident { .. } | Pat::Wild(_))
                            | MatchPat::Some(Pat::Ident { .. } | Pat::Wild(_))
                    )
                })
                || covered(
                    &|p| matches!(p, MatchPat::Ok(Pat::Tuple(t)) | MatchPat::Some(Pat::Tuple(t)) if t.is_empty()),
                );
            let every_kind = err_kinds(scrutinee).is_some_and(|(_, kinds)| {
                kinds.iter().all(|(k, _)| {
                    covered(&|p| matches!(p, MatchPat::ErrKind(path) if path.last().is_some_and(|l| l.name == *k)))
                })
            });
            let err = catch_all
                || every_kind
                || covered(&|p| {
                    matches!(
                        p,
                        MatchPat::Err(Pat::Ident { .. } | Pat::Wild(_)) | MatchPat::None(_)
                    )
                });
            let option = arms
                .iter()
                .any(|a| matches!(a.pat, MatchPat::Some(_) | MatchPat::None(_)));
            match (ok, err, option) {
                (true, true, _) => None,
                (false, _, false) => Some("`Ok(_)`"),
                (_, false, false) => Some("`Err(_)`"),
                (false, _, true) => Some("`Some(_)`"),
                (_, false, true) => Some("`None`"),
            }
        } else if catch_all {
            None
        } else {
            Some("the other numbers")
        };
        if let Some(m) = missing {
            self.err_code(
                "E0004",
                scrutinee.span(),
                format!("non-exhaustive patterns: {m} not covered"),
                "add an arm for it, or `_ => …` for every other case",
            );
            return Err(());
        }
        let result = self.temp();
        self.op(Op::Set {
            dst: result,
            src: Operand::Imm(0),
        })?;
        let end = self.f.label();
        let mut j = Join::new(Some(result), "`match` arms");
        let held: temps::Held;
        if on_result {
            let ok = self.temp();
            let (outcomes, h) = self.scrutinee(|cx| cx.result_outcomes(scrutinee, ok))?;
            self.hold(&h, scrutinee.span());
            held = h;
            for arm in arms {
                let next = self.f.label();
                match &arm.pat {
                    MatchPat::Ok(_) | MatchPat::Some(_) => {
                        let some = matches!(arm.pat, MatchPat::Some(_));
                        self.check_kind(&outcomes, some, arm.span)?;
                        self.f.jump_if_zero(Operand::Local(ok), next);
                    }
                    MatchPat::Err(_) | MatchPat::None(_) => {
                        let some = matches!(arm.pat, MatchPat::None(_));
                        self.check_kind(&outcomes, some, arm.span)?;
                        self.f
                            .jump_unless(Operand::Local(ok), BinOp::Eq, Operand::Imm(0), next);
                    }
                    MatchPat::ErrKind(path) => {
                        let code = self.err_kind_code(scrutinee, path)?;
                        let kind = outcomes.err_kind.expect("calls with kinds keep them");
                        self.f.jump_unless(
                            Operand::Local(kind),
                            BinOp::Eq,
                            Operand::Imm(code),
                            next,
                        );
                    }
                    MatchPat::Wild(_) => {}
                    _ => {
                        self.err(
                            arm.span,
                            "a `Result` is matched with `Ok(…)`, `Err(…)` or `_`, an `Option` with `Some(…)`, `None` or `_`",
                            "",
                        );
                        return Err(());
                    }
                }
                self.arm(arm, &outcomes, &mut j, next)?;
                self.f.jump(end);
                self.f.bind(next);
            }
        } else {
            let (v, h) = self.scrutinee(|cx| cx.expr(scrutinee))?;
            self.hold(&h, scrutinee.span());
            held = h;
            let s = self.temp();
            self.op(Op::Set { dst: s, src: v })?;
            let s = Operand::Local(s);
            for arm in arms {
                let next = self.f.label();
                match &arm.pat {
                    MatchPat::Ints(vs) if vs.len() == 1 => {
                        self.f.jump_unless(s, BinOp::Eq, Operand::Imm(vs[0]), next);
                    }
                    MatchPat::Ints(vs) => {
                        // `a | b | …`: one step per alternative, as compiled code tests them.
                        let hit = self.f.label();
                        for &x in vs {
                            let t = self.temp();
                            self.op(Op::Bin {
                                dst: t,
                                op: BinOp::Ne,
                                a: s,
                                b: Operand::Imm(x),
                            })?;
                            self.f.jump_if_zero(Operand::Local(t), hit);
                        }
                        self.f.jump(next);
                        self.f.bind(hit);
                    }
                    MatchPat::Range(lo, hi) => {
                        self.f.jump_unless(s, BinOp::Ge, Operand::Imm(*lo), next);
                        self.f.jump_unless(s, BinOp::Le, Operand::Imm(*hi), next);
                    }
                    MatchPat::Wild(_) | MatchPat::Bind(_) => {}
                    MatchPat::Ok(_)
                    | MatchPat::Err(_)
                    | MatchPat::ErrKind(_)
                    | MatchPat::Some(_)
                    | MatchPat::None(_) => {
                        unreachable!("checked above")
                    }
                }
                let outcomes = Outcomes {
                    ok_value: s,
                    ok_ty: Ty::Int,
                    err_value: None,
                    err_kind: None,
                    sum: None,
                };
                self.arm(arm, &outcomes, &mut j, next)?;
                self.f.jump(end);
                self.f.bind(next);
            }
        }
        self.f.bind(end);
        self.release_held(&held)?;
        let ty = self.join_end(&j)?;
        self.at(span);
        Ok((Operand::Local(result), ty))
    }

    /// One arm: its bindings in a scope of their own, then its body; a value it ends with
    /// goes to `j`. Where its guard does not hold, on to the arm at `next`.
    fn arm(&mut self, arm: &Arm, o: &Outcomes, j: &mut Join, next: Label) -> CResult<()> {
        self.scopes.push(Scope::default());
        let bound = match (&arm.pat, o.sum) {
            (MatchPat::Ok(p) | MatchPat::Some(p), Some((s, _))) => {
                self.bind_part(p, o.ok_value, s.ok)
            }
            (MatchPat::Err(p), Some((s, _))) => self.bind_part(p, o.ok_value, s.err),
            (MatchPat::Bind(n), Some((s, whole))) => {
                let ty = self.sum_type(s)?;
                self.bind_value(
                    &Pat::Ident {
                        name: n.clone(),
                        mutable: false,
                    },
                    whole,
                    ty,
                )
            }
            (pat, _) => self.arm_pat(pat, o),
        };
        let guarded = bound.and_then(|()| match &arm.guard {
            Some(g) => {
                let c = self.expr(g)?;
                self.f.jump_if_zero(c, next);
                Ok(())
            }
            None => Ok(()),
        });
        let r = guarded.and_then(|()| self.branch_value(&arm.body, j));
        let depth = self.scopes.len() - 1;
        let released = self.release_guards(depth, true);
        self.pop_scope();
        r.and(released)
    }

    /// Binds an arm's pattern on a call's `Result` or a number.
    fn arm_pat(&mut self, pat: &MatchPat, o: &Outcomes) -> CResult<()> {
        match pat {
            MatchPat::Ok(p) => self.bind_value(p, o.ok_value, o.ok_ty),
            MatchPat::Err(Pat::Ident { name, .. }) if o.err_value.is_none() => {
                self.err(
                    name.span,
                    "the error inside this `Err(…)` is not simulated as a value",
                    "write `Err(_)`",
                );
                Err(())
            }
            MatchPat::Err(p) => match o.err_value {
                Some(v) => self.bind_value(p, v, Ty::Int),
                None => Ok(()),
            },
            MatchPat::Bind(n) => self.bind_value(
                &Pat::Ident {
                    name: n.clone(),
                    mutable: false,
                },
                o.ok_value,
                Ty::Int,
            ),
            _ => Ok(()),
        }
    }

    /// Binds a pattern to a value (a guard has none to copy).
    pub(super) fn bind_value(&mut self, p: &Pat, v: Operand, ty: Ty) -> CResult<()> {
        let l = self.temp();
        if !matches!(ty, Ty::Guard(..)) {
            self.op(Op::Set { dst: l, src: v })?;
        }
        self.bind_pat(p, l, ty)
    }

    /// The code of the error kind `path` names (`TryRecvError::Empty`), for the call `e`.
    fn err_kind_code(&mut self, e: &Expr, path: &[ast::Ident]) -> CResult<i64> {
        let span = path[0].span.to(path[path.len() - 1].span);
        let Some((ty, kinds)) = err_kinds(e) else {
            self.err(
                span,
                "this call's errors are not told apart here",
                "write `Err(_)`",
            );
            return Err(());
        };
        let last = &path[path.len() - 1].name;
        let found = kinds.iter().find(|(k, _)| k == last);
        match found {
            Some(&(_, code)) if path.len() < 2 || path[path.len() - 2].name == ty => Ok(code),
            _ => {
                let all: Vec<String> = kinds.iter().map(|(k, _)| format!("`{ty}::{k}`")).collect();
                self.err(
                    span,
                    format!("the error here is a `{ty}`: {}", all.join(" or ")),
                    "",
                );
                Err(())
            }
        }
    }

    /// Runs the call whose `Result` is matched: its ok flag goes to `ok`.
    pub(super) fn result_outcomes(&mut self, e: &Expr, ok: Local) -> CResult<Outcomes> {
        if self.is_sum(e) || !matches!(e, Expr::Method { .. }) {
            return self.sum_outcomes(e, ok);
        }
        let unit = |err_value| Outcomes {
            ok_value: Operand::Imm(0),
            ok_ty: Ty::Int,
            err_value,
            err_kind: None,
            sum: None,
        };
        let Expr::Method {
            recv,
            name,
            args,
            span,
        } = e
        else {
            self.err(e.span(), "this `Result` is not simulated yet", "`match` or `if let` the result of `join()`, `recv()`, `send(v)`, `try_lock()` or `compare_exchange(…)`");
            return Err(());
        };
        match (name.name.as_str(), args.as_slice()) {
            ("compare_exchange" | "compare_exchange_weak", _) => {
                let Some((Global::Atomic(a), _)) = self.shared_target(recv) else {
                    self.err(
                        recv.span(),
                        "`compare_exchange` is a method of an atomic",
                        "",
                    );
                    return Err(());
                };
                let (old, _) = self.atomic_method(a, name, args, *span, Use::Test(ok))?;
                Ok(Outcomes {
                    ok_value: old,
                    ok_ty: Ty::Int,
                    err_value: Some(old),
                    err_kind: None,
                    sum: None,
                })
            }
            ("try_lock", []) => {
                let m = self.mutex_of(recv)?;
                self.op(Op::TryLock { dst: ok, mutex: m })?;
                Ok(Outcomes {
                    ok_value: Operand::Imm(0),
                    ok_ty: Ty::Guard(m, false),
                    err_value: None,
                    err_kind: None,
                    sum: None,
                })
            }
            ("recv", []) => {
                let chan = self.handle(recv, Ty::Receiver(0))?;
                let dst = self.temp();
                self.op(Op::Recv {
                    chan,
                    dst,
                    ok: Some(ok),
                })?;
                Ok(Outcomes {
                    ok_value: Operand::Local(dst),
                    ok_ty: self.received(recv),
                    err_value: None,
                    err_kind: None,
                    sum: None,
                })
            }
            ("try_recv", []) | ("recv_timeout", [_]) => {
                let chan = self.handle(recv, Ty::Receiver(0))?;
                let (dst, status) = (self.temp(), self.temp());
                match args.as_slice() {
                    [d] => {
                        let ticks = self.duration_ticks(d)?;
                        self.op(Op::RecvTimeout {
                            chan,
                            ticks,
                            dst,
                            ok: status,
                        })?;
                    }
                    _ => self.op(Op::TryRecv {
                        chan,
                        dst,
                        ok: status,
                    })?,
                }
                self.op(Op::Bin {
                    dst: ok,
                    op: BinOp::Eq,
                    a: Operand::Local(status),
                    b: Operand::Imm(1),
                })?;
                Ok(Outcomes {
                    ok_value: Operand::Local(dst),
                    ok_ty: self.received(recv),
                    err_value: None,
                    err_kind: Some(status),
                    sum: None,
                })
            }
            ("send", [v]) => {
                let chan = self.handle(recv, Ty::Sender(0))?;
                let end = self.typed_expr(recv)?.1;
                let value = self.sent(end, v)?;
                self.op(Op::Send {
                    chan,
                    value,
                    ok: Some(ok),
                })?;
                Ok(unit(None))
            }
            ("join", []) => {
                let ret = self.thread_ret(recv);
                let thread = self.handle(recv, Ty::Thread(ret))?;
                self.mark_moved(recv, *span);
                self.op(Op::Join {
                    thread,
                    ok: Some(ok),
                })?;
                let dst = self.temp();
                self.op(Op::JoinResult { thread, dst })?;
                Ok(Outcomes {
                    ok_value: Operand::Local(dst),
                    ok_ty: ret.ty(),
                    err_value: None,
                    err_kind: None,
                    sum: None,
                })
            }
            (m, _) => {
                self.err(name.span, format!("the `Result` of `{m}(…)` is not simulated yet"), "`match` or `if let` the result of `join()`, `recv()`, `send(v)`, `try_lock()` or `compare_exchange(…)`");
                Err(())
            }
        }
    }
}
