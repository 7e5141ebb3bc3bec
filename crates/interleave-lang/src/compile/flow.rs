//! Blocks and control flow: scopes (guards unlocked at their end), `if`, loops (what a
//! body moves is checked against the next iteration), `for` over ranges and receivers,
//! `if let Ok(…)` / `while let Ok(…)`.

use super::*;

impl<'s> FnCx<'_, 's> {
    pub(super) fn block(&mut self, b: &Block) -> CResult<()> {
        self.block_with(b, &b.stmts, |_| Ok(()))
    }

    /// `stmts` (a block's, or all but its last) in the block's scope, then `last`, then the
    /// scope's guards are dropped at `b`'s closing brace.
    pub(super) fn block_with(
        &mut self,
        b: &Block,
        stmts: &[Stmt],
        last: impl FnOnce(&mut Self) -> CResult<()>,
    ) -> CResult<()> {
        self.scopes.push(Scope::default());
        let mut ok = true;
        for s in stmts {
            if self.stmt(s).is_err() {
                ok = false;
            }
        }
        if last(self).is_err() {
            ok = false;
        }
        // The guards of this scope are dropped at its closing brace.
        self.at(Span::new(b.span.end.saturating_sub(1), b.span.end));
        let depth = self.scopes.len() - 1;
        let released = self.release_guards(depth, true);
        self.pop_scope();
        if ok {
            released
        } else {
            Err(())
        }
    }

    pub(super) fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        self.at(s.span());
        match s {
            Stmt::Let {
                pat,
                init,
                span,
                ty,
            } => {
                let boolean = ty.as_deref() == Some("bool") || self.is_bool(init);
                let int = match ty {
                    Some(written) => {
                        self.check_literal(written, init);
                        int::int_ty(written)
                    }
                    None => self.int_of(init),
                };
                self.let_stmt(pat, init, *span)?;
                if let (Some(t), Pat::Ident { name, .. }) = (int, pat) {
                    if let Some(v) = self.lookup_mut(&name.name) {
                        v.int = Some(t);
                    }
                }
                match (ty, pat) {
                    (Some(written), Pat::Ident { name, .. }) => {
                        self.annotate(name, written, init.span())?
                    }
                    (None, Pat::Ident { name, .. }) => self.learned_type(name, init.span())?,
                    _ => {}
                }
                if let (true, Pat::Ident { name, .. }) = (boolean, pat) {
                    if let Some(v) = self.lookup_mut(&name.name) {
                        v.boolean = true;
                    }
                }
                Ok(())
            }
            Stmt::Assign {
                place,
                op,
                value,
                span,
            } => self.assign(place, *op, value, *span),
            Stmt::Expr { expr, .. } => self.expr_stmt(expr),
            Stmt::Block(b) => self.block(b),
            Stmt::Const(c) => {
                // A number known now: it takes no step, and is gone with its scope.
                self.consts
                    .push((c.name.name.clone(), c.init, self.scopes.len()));
                Ok(())
            }
            Stmt::If {
                cond, then, els, ..
            } => {
                let c = self.expr(cond)?;
                let else_l = self.f.label();
                let end = self.f.label();
                self.f.jump_if_zero(c, else_l);
                let before = self.gone_flags();
                self.branch_arm(|cx| cx.block(then))?;
                self.f.jump(end);
                self.f.bind(else_l);
                self.else_arm(before, els.as_deref())?;
                self.f.bind(end);
                Ok(())
            }
            Stmt::IfLetOk {
                ctor,
                pat,
                value,
                then,
                els,
                ..
            } => {
                let else_l = self.f.label();
                let end = self.f.label();
                let before = self.gone_flags();
                let held = self.if_let_then(*ctor, pat, value, else_l, |cx| cx.block(then))?;
                self.f.jump(end);
                self.f.bind(else_l);
                self.release_held(&held)?;
                self.else_arm(before, els.as_deref())?;
                self.f.bind(end);
                Ok(())
            }
            Stmt::While { cond, body, .. } => {
                let top = self.f.label();
                let end = self.f.label();
                self.f.bind(top);
                let c = self.expr(cond)?;
                self.f.jump_if_zero(c, end);
                self.loop_body(body, (end, top), false)?;
                self.f.jump(top);
                self.f.bind(end);
                Ok(())
            }
            Stmt::WhileLetOk {
                ctor,
                pat,
                value,
                body,
                ..
            } => {
                let top = self.f.label();
                let end = self.f.label();
                self.f.bind(top);
                self.scopes.push(Scope::default());
                let held = self.scrutinee(|cx| cx.if_let_ok(*ctor, pat, value, end));
                let held = match held {
                    Ok(((), held)) => held,
                    Err(()) => {
                        self.pop_scope();
                        return Err(());
                    }
                };
                // The scrutinee's temporary guards are held through the body: dropped
                // at its end, at `continue` and `break`, and where the pattern fails.
                self.hold(&held, value.span());
                let next = match held.is_empty() {
                    true => top,
                    false => self.f.label(),
                };
                let own_next = !held.is_empty();
                let r = self.loop_body(body, (end, next), true);
                self.pop_scope();
                r?;
                if own_next {
                    self.f.bind(next);
                    self.release_held(&held)?;
                }
                self.f.jump(top);
                self.f.bind(end);
                self.release_held(&held)?;
                Ok(())
            }
            Stmt::Loop { body, .. } => {
                let top = self.f.label();
                let end = self.f.label();
                self.f.bind(top);
                self.loop_body(body, (end, top), false)?;
                self.f.jump(top);
                self.f.bind(end);
                Ok(())
            }
            Stmt::For {
                pat,
                iter,
                body,
                span,
            } => self.for_loop(pat, iter, body, *span),
            Stmt::Break(span) | Stmt::Continue(span) => {
                let Some(l) = self.loops.last() else {
                    self.err(*span, "`break` or `continue` outside a loop", "");
                    return Err(());
                };
                let (target, depth) = (
                    if matches!(s, Stmt::Break(_)) {
                        l.brk
                    } else {
                        l.cont
                    },
                    l.depth,
                );
                self.release_guards(depth, false)?;
                self.f.jump(target);
                if matches!(s, Stmt::Break(_)) {
                    let now = self.gone_flags();
                    if let Some(l) = self.loops.last_mut() {
                        l.breaks.push(now);
                    }
                } else {
                    self.loops_back()?;
                }
                self.dead = true;
                Ok(())
            }
            Stmt::Return(span, value) => {
                let frame = self.frames.last().expect("inside a function");
                let (ret, depth, dst, want) = (frame.ret, frame.depth, frame.value, frame.ty);
                match (value, dst) {
                    (Some(e), Some(dst)) => {
                        let (v, ty) = self.typed_expr(e)?;
                        if let Some(want) = want {
                            self.expect_ty(ty, want, e.span())?;
                        }
                        self.op(Op::Set { dst, src: v })?;
                    }
                    (Some(_), None) => {
                        self.err(
                            *span,
                            "this function returns nothing: `return` takes no value here",
                            "declare what it returns: `fn f() -> i64`",
                        );
                        return Err(());
                    }
                    (None, _) => {}
                }
                self.release_guards(depth, false)?;
                self.f.jump(ret);
                self.dead = true;
                Ok(())
            }
        }
    }

    /// A loop's body; `binds` when the innermost scope holds the loop's pattern (bound
    /// afresh each iteration).
    pub(super) fn loop_body(
        &mut self,
        body: &Block,
        (brk, cont): (Label, Label),
        binds: bool,
    ) -> CResult<()> {
        let start = self.gone_flags();
        self.loops.push(LoopCx {
            brk,
            cont,
            outer: self.scopes.len() - usize::from(binds),
            depth: self.scopes.len(),
            start: start.clone(),
            breaks: Vec::new(),
        });
        let r = self.branch_arm(|cx| cx.block(body));
        let r = r.and_then(|()| if self.dead { Ok(()) } else { self.loops_back() });
        let l = self.loops.pop().expect("pushed above");
        // After the loop: the state it began with (a `while` may not run its body, and a
        // body that comes round again moved nothing new) or the state at any `break`.
        let mut after = start;
        for b in &l.breaks {
            for (a, g) in after.iter_mut().zip(b) {
                *a |= *g;
            }
        }
        self.set_gone_flags(&after);
        self.dead = false;
        r
    }

    /// The path here goes round the innermost loop again (its body's end, or `continue`):
    /// a variable from outside the loop that this iteration moved would be moved again
    /// (rustc: "value moved here, in previous iteration of loop").
    pub(super) fn loops_back(&mut self) -> CResult<()> {
        let l = self.loops.last().expect("inside a loop");
        let start = &l.start;
        let moved: Vec<(String, Ty, Option<Span>)> = self.scopes[..l.outer]
            .iter()
            .flat_map(|s| &s.vars)
            .zip(start)
            .filter(|(v, &was)| v.gone && !was)
            .map(|(v, _)| (v.name.clone(), v.ty, v.moved_at))
            .collect();
        if moved.is_empty() {
            return Ok(());
        }
        for (name, ty, at) in moved {
            let hint = match ty {
                Ty::Sender(_) => format!("it moves here in one iteration, and the next would move it again: give each iteration its own sender, `let {name} = {name}.clone();` inside the loop, before the move"),
                Ty::Mutex(_) | Ty::Atomic(_) | Ty::Arc(..) => format!("it moves here into the first thread, and the next iteration would move it again: one value has one owner, so share it — `Arc::new(…)` before the loop, and `let {name} = Arc::clone(&{name});` inside it, before the move"),
                _ => "it moves here in one iteration, and the next would use it again: `break` (or `return`) right after it, or make it inside the loop".to_string(),
            };
            self.err_code(
                "E0382",
                at.unwrap_or(Span::new(0, 0)),
                format!("use of moved value: `{name}` (value moved here, in previous iteration of loop)"),
                &hint,
            );
        }
        Err(())
    }

    /// The `else` arm (if any) of an `if` whose `then` arm is compiled: it starts from the
    /// state `before` the `then` arm, and afterwards whatever either arm moved is gone.
    pub(super) fn else_arm(&mut self, before: Vec<bool>, els: Option<&Stmt>) -> CResult<()> {
        self.else_arm_with(before, |cx| match els {
            Some(e) => cx.branch_arm(|cx| cx.stmt(e)),
            None => Ok(()),
        })
    }

    /// The `else` side of a branch (`els` compiles it), from the drop flags as they were
    /// `before` the `then` side; where the two paths meet, what either moved is gone.
    pub(super) fn else_arm_with(
        &mut self,
        before: Vec<bool>,
        els: impl FnOnce(&mut Self) -> CResult<()>,
    ) -> CResult<()> {
        let (after_then, then_dead) = (self.gone_flags(), self.dead);
        self.set_gone_flags(&before);
        self.dead = false;
        els(self)?;
        let (after_else, else_dead) = (self.gone_flags(), self.dead);
        // A path that ended in `break`, `continue` or `return` does not reach the join.
        let merged: Vec<bool> = match (then_dead, else_dead) {
            (true, false) => after_else,
            (false, true) => after_then,
            _ => after_else
                .iter()
                .zip(&after_then)
                .map(|(a, b)| *a || *b)
                .collect(),
        };
        self.set_gone_flags(&merged);
        self.dead = then_dead && else_dead;
        Ok(())
    }

    /// `Ok(p) = value` (or `Err(p)`, `Some(p)`): binds `p` where the value is that
    /// variant, jumps to `fail` otherwise.
    pub(super) fn if_let_ok(
        &mut self,
        ctor: ast::Ctor,
        pat: &Pat,
        value: &Expr,
        fail: Label,
    ) -> CResult<()> {
        // The same calls as a `match` on a `Result` takes (see `matches`).
        let ok = self.temp();
        let o = self.result_outcomes(value, ok)?;
        self.check_kind(&o, ctor == ast::Ctor::Some, value.span())?;
        if ctor == ast::Ctor::Err {
            self.f
                .jump_unless(Operand::Local(ok), BinOp::Eq, Operand::Imm(0), fail);
            return match (o.sum, o.err_value, pat) {
                (Some((s, _)), _, _) => self.bind_part(pat, o.ok_value, s.err),
                (None, _, Pat::Wild(_)) => Ok(()),
                (None, Some(v), _) => self.bind_value(pat, v, Ty::Int),
                (None, None, _) => {
                    self.err(
                        value.span(),
                        "the error inside this `Err(…)` is not simulated as a value",
                        "write `Err(_)`",
                    );
                    Err(())
                }
            };
        }
        self.f.jump_if_zero(Operand::Local(ok), fail);
        match o.sum {
            Some((s, _)) => self.bind_part(pat, o.ok_value, s.ok),
            None => self.bind_value(pat, o.ok_value, o.ok_ty),
        }
    }

    /// `if let ctor(pat) = value { then }` up to the end of `then`: on the pattern's
    /// failure, a jump to `fail` with the scrutinee's temporary guards still held (the
    /// caller releases what this returns there, before any `else`).
    pub(super) fn if_let_then(
        &mut self,
        ctor: ast::Ctor,
        pat: &Pat,
        value: &Expr,
        fail: Label,
        then: impl FnOnce(&mut Self) -> CResult<()>,
    ) -> CResult<temps::Held> {
        let mut held = Vec::new();
        self.branch_arm(|cx| {
            cx.scopes.push(Scope::default());
            let r = cx
                .scrutinee(|cx| cx.if_let_ok(ctor, pat, value, fail))
                .and_then(|((), h)| {
                    cx.hold(&h, value.span());
                    held = h;
                    then(cx)
                });
            let depth = cx.scopes.len() - 1;
            let released = cx.release_guards(depth, true);
            cx.pop_scope();
            r.and(released)
        })?;
        Ok(held)
    }

    pub(super) fn bind_pat(&mut self, pat: &Pat, local: Local, ty: Ty) -> CResult<()> {
        match pat {
            Pat::Ident { name, mutable } => {
                self.bind(name, local, ty, *mutable);
                Ok(())
            }
            Pat::Wild(_) => {
                if let Ty::Guard(m, read) = ty {
                    // `let _ = M.lock()` drops the guard at once, as in Rust.
                    self.op(unlock(m, read))?;
                }
                Ok(())
            }
            Pat::Tuple(parts) => self.bind_tuple(parts, local, ty),
            Pat::Ref(p) => self.bind_pat(p, local, ty),
        }
    }

    pub(super) fn for_loop(
        &mut self,
        pat: &Pat,
        iter: &Expr,
        body: &Block,
        span: Span,
    ) -> CResult<()> {
        let top = self.f.label();
        let cont = self.f.label();
        let end = self.f.label();
        self.scopes.push(Scope::default());
        let r = (|| -> CResult<()> {
            match iter {
                Expr::Range {
                    start,
                    end: stop,
                    inclusive,
                    ..
                } => {
                    let i = self.temp();
                    let s = self.expr(start)?;
                    self.op(Op::Set { dst: i, src: s })?;
                    let stop_v = self.expr(stop)?;
                    let limit = self.temp();
                    self.op(Op::Set {
                        dst: limit,
                        src: stop_v,
                    })?;
                    // Tested at the bottom, like compiled Rust: per iteration one step to
                    // increment and one to compare-and-branch. The loop variable is
                    // immutable, so it is bound to the counter directly.
                    let (keep, stop_op) = if *inclusive {
                        (BinOp::Le, BinOp::Gt)
                    } else {
                        (BinOp::Lt, BinOp::Ge)
                    };
                    self.at(span);
                    self.f
                        .jump_unless(Operand::Local(i), keep, Operand::Local(limit), end);
                    self.f.bind(top);
                    let fit = self.int_of(start).or_else(|| self.int_of(stop));
                    self.bind_pat(pat, i, Ty::Int)?;
                    if let (Some(t), Pat::Ident { name, .. }) = (fit, pat) {
                        if let Some(v) = self.lookup_mut(&name.name) {
                            v.int = Some(t);
                        }
                    }
                    self.loop_body(body, (end, cont), true)?;
                    self.f.bind(cont);
                    // The counter steps past the last value: the loop variable never
                    // holds it (as a Rust range iterator's item never does).
                    self.f.unname(i);
                    self.at(span);
                    self.increment(i)?;
                    // Back to the top unless `i >= limit` (`i > limit` for `..=`).
                    self.f
                        .jump_unless(Operand::Local(i), stop_op, Operand::Local(limit), top);
                }
                _ => {
                    // `for v in rx`, `for v in rx.iter()`, `for v in &rx`, and the same
                    // over a vector (`&v` reads as `v`: the vector is not marked moved).
                    let rx = match unref(iter) {
                        Expr::Method {
                            recv, name, args, ..
                        } if (name.name == "iter" || name.name == "into_iter")
                            && args.is_empty() =>
                        {
                            recv.as_ref()
                        }
                        e => e,
                    };
                    // `for x in g.iter()`, `for x in &*g` over a guard's vector: a temporary
                    // guard (`M.lock().unwrap().iter()`) is held for the whole loop, as
                    // Rust keeps the temporaries of a `for`'s head.
                    let guarded = match rx {
                        Expr::Unary {
                            op: UnOp::Deref,
                            expr,
                            ..
                        } => expr.as_ref(),
                        e => e,
                    };
                    if self.guarded_vec(guarded).is_some() {
                        let (h, elem, m, temp) = self.open_guarded(guarded, false)?;
                        self.for_vec(pat, h, elem, body, (top, cont, end), span)?;
                        return match temp {
                            Some(read) => self.op(unlock(m, read)),
                            None => Ok(()),
                        };
                    }
                    if let Expr::Array(..) = rx {
                        // `for x in [1, 2, 3]`: a new array, looped over.
                        let (a, ty) = self.typed_expr(rx)?;
                        let Ty::Vec(elem) = ty else {
                            return Err(());
                        };
                        let l = self.temp();
                        self.op(Op::Set { dst: l, src: a })?;
                        let labels = (top, cont, end);
                        return self.for_vec(pat, Operand::Local(l), elem, body, labels, span);
                    }
                    if let Expr::Path(p) = rx {
                        let v = self.lookup(&p[0].name).filter(|_| p.len() == 1);
                        if let Some((Ty::Vec(elem), false, l)) = v.map(|v| (v.ty, v.gone, v.local))
                        {
                            let labels = (top, cont, end);
                            return self.for_vec(pat, Operand::Local(l), elem, body, labels, span);
                        }
                    }
                    let got = self.received(rx);
                    let chan = self.handle(rx, Ty::Receiver(0)).inspect_err(|_| {
                        self.err(
                            span,
                            "`for` loops over a range (`0..n`) or a channel receiver",
                            "",
                        );
                    })?;
                    self.f.bind(top);
                    let (v, ok) = (self.temp(), self.temp());
                    self.op(Op::Recv {
                        chan,
                        dst: v,
                        ok: Some(ok),
                    })?;
                    self.f.jump_if_zero(Operand::Local(ok), end);
                    self.bind_pat(pat, v, got)?;
                    self.loop_body(body, (end, top), true)?;
                    self.f.bind(cont);
                    self.f.jump(top);
                }
            }
            Ok(())
        })();
        self.pop_scope();
        self.f.bind(end);
        r
    }
}
