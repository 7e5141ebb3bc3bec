//! Calls: the built-in functions, `drop`, assertions, and user functions (inlined).

use super::*;

impl<'s> FnCx<'_, 's> {
    /// A call's arguments (numbers), checked against the callee's parameters and
    /// evaluated in order.
    pub(super) fn arguments(
        &mut self,
        decl: &FnDecl,
        args: &[Expr],
        span: Span,
    ) -> CResult<Vec<Operand>> {
        self.arity(decl, args, span)?;
        args.iter().map(|a| self.expr(a)).collect()
    }

    /// As many arguments as the callee has parameters.
    fn arity(&mut self, decl: &FnDecl, args: &[Expr], span: Span) -> CResult<()> {
        if args.len() != decl.params.len() {
            let msg = format!(
                "`{}` takes {} arguments, got {}",
                decl.name.name,
                decl.params.len(),
                args.len()
            );
            self.err(span, msg, "");
            return Err(());
        }
        Ok(())
    }

    /// One argument for a parameter declared `ty`: a value (number, handle, `Arc`,
    /// vector), or — for a reference to a `static` atomic or mutex (`&COUNTER`) — that
    /// static itself. A handle passed by value (not `&`) moves into the call.
    fn argument(&mut self, ty: &str, arg: &Expr) -> CResult<(Operand, Ty)> {
        if let Expr::Path(p) = unref(arg) {
            let local = p.len() == 1 && self.lookup(&p[0].name).is_some();
            match self.global(&p[p.len() - 1].name).filter(|_| !local) {
                Some((Global::Atomic(a), _)) => return Ok((Operand::Imm(0), Ty::Atomic(a))),
                Some((Global::Mutex(m), _)) => return Ok((Operand::Imm(0), Ty::Mutex(m))),
                Some((Global::Condvar(c), _)) => return Ok((Operand::Imm(0), Ty::Condvar(c))),
                _ => {}
            }
        }
        let (v, t) = self.typed_expr(arg)?;
        if !ty.starts_with('&') && !ownership::is_copy(t) {
            self.mark_moved(unref(arg), arg.span());
        }
        Ok((v, t))
    }

    /// A call of a user function, compiled in place (so a function that takes a
    /// reference works on what the caller passed); its value, if it returns one.
    pub(super) fn inline_call(
        &mut self,
        decl: &'s FnDecl,
        args: &[Expr],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        if self.frames.iter().any(|f| f.name == decl.name.name) {
            self.err(
                span,
                format!(
                    "`{}` calls itself: recursion is not supported",
                    decl.name.name
                ),
                "use a loop",
            );
            return Err(());
        }
        if self.frames.len() >= MAX_INLINE_DEPTH {
            self.err(
                span,
                format!("calls nest deeper than {MAX_INLINE_DEPTH}"),
                "",
            );
            return Err(());
        }
        self.arity(decl, args, span)?;
        let mut values = Vec::new();
        for ((ty, _), a) in decl.param_types.iter().zip(args) {
            values.push(self.argument(ty, a)?);
        }
        self.scopes.push(Scope::default());
        for (p, ((v, ty), (written, mutable))) in decl
            .params
            .iter()
            .zip(values.into_iter().zip(&decl.param_types))
        {
            let l = self.temp();
            // A borrowed `Arc` lends what it points to (the callee holds no reference of
            // its own, so it drops none).
            let ty = match ty {
                Ty::Arc(Pointee::Mutex(m), _) if written.starts_with('&') => Ty::Mutex(m),
                Ty::Arc(Pointee::Atomic(a), _) if written.starts_with('&') => Ty::Atomic(a),
                t => t,
            };
            // `None` passed for an `Option<i32>` parameter: the parameter's type says
            // what it holds.
            let ty = match (ty, self.written_part(written)) {
                (Ty::Sum(..), Some(sum::Part::Val(want @ Ty::Sum(..), _))) => {
                    self.fit(ty, want).unwrap_or(ty)
                }
                (t, _) => t,
            };
            if !matches!(ty, Ty::Atomic(_) | Ty::Mutex(_)) {
                self.op(Op::Set { dst: l, src: v })?;
            }
            self.bind(p, l, ty, *mutable);
            if let Some(v) = self.lookup_mut(&p.name) {
                v.int = int::int_ty(written);
                v.borrow = written.starts_with('&');
            }
        }
        let ret = self.f.label();
        let value = self.returns(decl);
        self.frames.push(Frame {
            name: decl.name.name.clone(),
            ret,
            depth: self.scopes.len(),
            value: value.map(|(l, _)| l),
            ty: value.map(|(_, t)| t),
        });
        let r = self.outside_scrutinee(|fc| fc.fn_body(&decl.body, value));
        self.frames.pop();
        // The parameters' scope ends: guards and `Arc`s passed by value are dropped.
        let depth = self.scopes.len() - 1;
        let released = self.release_guards(depth, true);
        self.pop_scope();
        self.f.bind(ret);
        // A `return` in the callee ends the callee's path only: the call returns here.
        self.dead = false;
        self.at(span);
        r.and(released)?;
        Ok(value.map_or((Operand::Imm(0), Ty::Int), |(l, t)| (Operand::Local(l), t)))
    }

    pub(super) fn call(
        &mut self,
        callee: &[ast::Ident],
        bang: bool,
        args: &[Expr],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        let name = last(callee);
        let unit = Ok((Operand::Imm(0), Ty::Int));
        if !bang
            && callee.len() == 1
            && matches!(name, "Some" | "Ok" | "Err")
            && self.user_fn(name).is_none()
        {
            return self.sum_new(name, args, span);
        }
        if !bang {
            self.check_imported(callee)?;
        }
        if bang {
            return match name {
                "assert" | "assert_eq" | "assert_ne" => {
                    self.assertion(name, args, span)?;
                    unit
                }
                "println" | "print" | "eprintln" | "eprint" => {
                    self.print_macro(name, args, span)?;
                    unit
                }
                "vec" => self.vec_new(args),
                "from_elem" if callee.len() == 2 => self.vec_repeat(args, span),
                "format" => self.format_macro(args, span),
                "panic" | "unreachable" | "todo" => {
                    self.panic_macro(name, args, span)?;
                    unit
                }
                "dbg" => self.dbg_macro(args, span),
                _ => {
                    self.err(
                        span,
                        format!("unsupported macro `{name}!`"),
                        "supported: println!, print!, eprintln!, eprint!, format!, dbg!, assert!, assert_eq!, assert_ne!, vec!, panic!, unreachable!, todo!",
                    );
                    Err(())
                }
            };
        }
        let ticks = |fc: &mut Self, args: &[Expr]| -> CResult<Operand> {
            let [t] = args else {
                fc.err(span, format!("`{name}` takes one argument (ticks)"), "");
                return Err(());
            };
            fc.duration_ticks(t)
        };
        match name {
            "spawn" => {
                let at = callee[0].span.to(callee[callee.len() - 1].span);
                self.spawn(args, span, at, None)
            }
            "scope" if callee.len() == 1 || callee[callee.len() - 2].name == "thread" => {
                self.thread_scope(args, span)
            }
            "spawn_task" => self.spawn_task(args, span).map(|o| (o, Ty::Task)),
            "block_on" => {
                let [t] = args else {
                    self.err(span, "`block_on` takes one task", "");
                    return Err(());
                };
                let task = self.handle(t, Ty::Task)?;
                self.op(Op::AwaitTask { task })?;
                unit
            }
            "current"
                if args.is_empty()
                    && (callee.len() == 1 || callee[callee.len() - 2].name == "thread") =>
            {
                let dst = self.temp();
                self.op(Op::CurrentThread { dst })?;
                Ok((Operand::Local(dst), Ty::ThreadRef))
            }
            "park"
                if args.is_empty()
                    && (callee.len() == 1 || callee[callee.len() - 2].name == "thread") =>
            {
                self.op(Op::Park)?;
                unit
            }
            "yield_now" if args.is_empty() => {
                self.op(Op::Yield)?;
                unit
            }
            "work" => {
                let t = ticks(self, args)?;
                self.op(Op::Work { ticks: t })?;
                unit
            }
            "sleep" => {
                let t = ticks(self, args)?;
                self.op(Op::Sleep { ticks: t })?;
                unit
            }
            "blocking_io" => {
                let t = ticks(self, args)?;
                self.op(Op::BlockingIo { ticks: t })?;
                unit
            }
            "io" => {
                self.err(
                    span,
                    "`io(t)` is a future: `.await` it inside an `async fn`",
                    "for a blocking call use `blocking_io(t)`",
                );
                Err(())
            }
            "drop" => {
                let [arg] = args else {
                    self.err(span, "`drop` takes one value", "");
                    return Err(());
                };
                let Expr::Path(p) = arg else {
                    // `drop(M.lock().unwrap())`: a temporary, dropped at once, as a
                    // statement's value is.
                    self.typed_expr_use(arg, true)?;
                    return unit;
                };
                let Some(var) = (if p.len() == 1 {
                    self.lookup_mut(&p[0].name)
                } else {
                    None
                }) else {
                    self.err(span, "`drop` takes a variable", "");
                    return Err(());
                };
                if var.gone {
                    let n = p[0].name.clone();
                    self.err(p[0].span, format!("`{n}` was already moved or dropped"), "");
                    return Err(());
                }
                var.gone = true;
                var.moved_at = Some(span);
                let (ty, local, had_flag) = (var.ty, var.local, var.drop_flag);
                // A guard with a drop flag (given up and taken again in a branch before)
                // says it is gone through it too, or its scope's end would unlock it again.
                let flag = match ty {
                    Ty::Guard(..) => self.branch_drop_flag(&p[0].name).or(had_flag),
                    _ => None,
                };
                match ty {
                    Ty::Guard(m, read) => {
                        self.op(unlock(m, read))?;
                        if let Some(flag) = flag {
                            self.op(Op::Set {
                                dst: flag,
                                src: Operand::Imm(1),
                            })?;
                        }
                    }
                    Ty::Sender(_) => self.op(Op::DropHandle {
                        chan: Operand::Local(local),
                        side: Side::Sender,
                    })?,
                    Ty::Receiver(_) => self.op(Op::DropHandle {
                        chan: Operand::Local(local),
                        side: Side::Receiver,
                    })?,
                    Ty::Arc(..) => self.op(Op::DropHandle {
                        chan: Operand::Local(local),
                        side: Side::Arc,
                    })?,
                    _ => {}
                }
                unit
            }
            "channel" | "sync_channel" => {
                self.err(
                    span,
                    "a channel is created with `let (tx, rx) = channel();`",
                    "",
                );
                Err(())
            }
            _ if callee.len() == 1 => match self.user_fn(name) {
                Some((decl, _)) if decl.is_async => {
                    self.err(span, format!("`{name}` is async: `.await` it, or run it with `spawn_task({name}(…))`"), "");
                    Err(())
                }
                Some((decl, _)) => self.inline_call(decl, args, span),
                None => {
                    let hint = self.missing_fn_hint(
                        name,
                        true,
                        "define it with `fn`, or see docs/language.md for the built-ins",
                    );
                    self.err(
                        callee[0].span,
                        format!("cannot find function `{name}`"),
                        &hint,
                    );
                    Err(())
                }
            },
            _ => {
                if let Some(r) = self.heap_call(callee, args, span) {
                    return r;
                }
                let path = callee
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join("::");
                if callee[0].name == "trpl" {
                    // The Book's chapter 17 helper crate.
                    self.err(
                        span,
                        format!("`{path}` is not simulated yet: the Book's `trpl` crate (chapter 17) is not"),
                        "write the work as an `async fn`, start it with `spawn_task(f())` and wait for it with `block_on(t)` (or `t.await` in another `async fn`); see docs/language.md, Async",
                    );
                    return Err(());
                }
                let hint = "see docs/language.md for what is simulated";
                self.err(span, format!("`{path}` is not simulated yet"), hint);
                Err(())
            }
        }
    }

    pub(super) fn assertion(&mut self, which: &str, args: &[Expr], span: Span) -> CResult<()> {
        let text = |e: &Expr, src: &str| {
            src.get(e.span().start..e.span().end)
                .unwrap_or("")
                .to_string()
        };
        match (which, args) {
            ("assert", [cond, rest @ ..]) => {
                let c = self.expr(cond)?;
                if rest.is_empty() {
                    let msg = format!("assertion failed: {}", text(cond, self.cx.src));
                    let msg = self.cx.b.message(&msg);
                    return self.op(Op::Assert { cond: c, msg });
                }
                // A message of its own, with its arguments (evaluated only on failure).
                let fine = self.f.label();
                self.f.jump_unless(c, BinOp::Eq, Operand::Imm(0), fine);
                let (template, values) = self.format_args(which, rest, span)?;
                let msg = self.cx.b.message(&template);
                self.op(Op::Panic { msg, args: values })?;
                self.f.bind(fine);
                Ok(())
            }
            ("assert_eq" | "assert_ne", [a, b, rest @ ..]) => {
                let (op, sym) = if which == "assert_eq" {
                    (BinOp::Eq, "==")
                } else {
                    (BinOp::Ne, "!=")
                };
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                if rest.is_empty() {
                    let msg = self
                        .cx
                        .b
                        .message(&format!("assertion `left {sym} right` failed"));
                    return self.op(Op::AssertCmp { a, op, b, msg });
                }
                // `assertion `left == right` failed: {message}` then both values, as std
                // prints them; the message's arguments are evaluated only on failure.
                let (held, fine) = (self.temp(), self.f.label());
                self.op(Op::Bin {
                    dst: held,
                    op,
                    a,
                    b,
                })?;
                self.f
                    .jump_unless(Operand::Local(held), BinOp::Eq, Operand::Imm(0), fine);
                let (template, mut values) = self.format_args(which, rest, span)?;
                let msg = format!(
                    "assertion `left {sym} right` failed: {template}\n  left: {{}}\n right: {{}}"
                );
                values.extend([a, b]);
                let msg = self.cx.b.message(&msg);
                self.op(Op::Panic { msg, args: values })?;
                self.f.bind(fine);
                Ok(())
            }
            _ => {
                self.err(
                    span,
                    format!(
                        "`{which}!` needs {}",
                        if which == "assert" {
                            "a condition"
                        } else {
                            "two values"
                        }
                    ),
                    "",
                );
                Err(())
            }
        }
    }
}
