//! Method calls on handles, guards and atomics, and the `Result` each returns
//! (`.unwrap()`, `.is_ok()`, …).

use super::*;

impl<'s> FnCx<'_, 's> {
    /// `recv.method(args)` with an optional `.unwrap()` / `.expect(..)` / `.is_ok()` /
    /// `.is_err()` after it.
    pub(super) fn method_chain(&mut self, e: &Expr, stmt: bool) -> CResult<(Operand, Ty)> {
        let Expr::Method {
            recv,
            name,
            args,
            span,
        } = e
        else {
            unreachable!("method_chain takes a method call")
        };
        if let Some(r) = self.sum_method(recv, name, args, *span) {
            return r;
        }
        let use_ = match name.name.as_str() {
            "unwrap" | "expect" => Some(Use::Unwrap),
            "is_ok" => Some(Use::IsOk),
            "is_err" => Some(Use::IsErr),
            _ => None,
        };
        if let Some(u) = use_ {
            return match recv.as_ref() {
                Expr::Method {
                    recv,
                    name,
                    args,
                    span,
                } => {
                    self.explicit_unwrap = true;
                    self.method(recv, name, args, *span, u, stmt)
                }
                Expr::Call {
                    callee,
                    bang,
                    args,
                    span,
                } => self.call(callee, *bang, args, *span),
                other => {
                    if u == Use::Unwrap {
                        self.typed_expr(other)
                    } else if matches!(other, Expr::Path(p) if self.broken.contains(&p[0].name)) {
                        // Its `let` failed, and said why.
                        Err(())
                    } else {
                        self.err(*span, "nothing here returns a `Result`", "");
                        Err(())
                    }
                }
            };
        }
        if !stmt && matches!(name.name.as_str(), "join" | "recv" | "send") {
            return self.kept_result(e);
        }
        if !stmt {
            if let Some(hint) = result_hint(&name.name) {
                // Rust would keep a `Result` here; a scenario's values are numbers, and
                // quietly unwrapping would panic where the Rust program does not.
                self.err(
                    *span,
                    format!(
                        "`{}()` returns a `Result`, which a scenario cannot keep as a value",
                        name.name
                    ),
                    hint,
                );
                return Err(());
            }
        }
        self.method(
            recv,
            name,
            args,
            *span,
            if stmt { Use::Ignore } else { Use::Unwrap },
            stmt,
        )
    }

    /// The value `send(v)` puts on the channel of `end`: a number, or a string (which
    /// moves into the channel, as in Rust; E0382 if used after).
    pub(super) fn sent(&mut self, end: Ty, v: &Expr) -> CResult<Operand> {
        let boolean = self.is_bool(v);
        let (value, ty) = self.typed_expr(v)?;
        self.chan_carries(end, ty, v.span())?;
        if let (true, Ty::Sender(c)) = (boolean, end) {
            // A channel of `bool`s: what it gives prints `true` / `false`.
            if self.cx.chans[c as usize] == heap::Elem::Int {
                self.cx.chans[c as usize] = heap::Elem::Bool;
            }
        }
        if !ownership::is_copy(ty) {
            self.mark_moved(v, v.span());
        }
        Ok(value)
    }

    /// The type of what `rx` (a receiver expression) receives.
    pub(super) fn received(&self, rx: &Expr) -> Ty {
        let ty = match unref(rx) {
            Expr::Path(p) if p.len() == 1 => self.lookup(&p[0].name).map(|v| v.ty),
            _ => None,
        };
        ty.map_or(Ty::Int, |t| self.chan_elem(t).ty())
    }

    /// Whether `rx` (a receiver expression) receives `bool`s.
    pub(super) fn receives_bools(&self, rx: &Expr) -> bool {
        match unref(rx) {
            Expr::Path(p) if p.len() == 1 => self
                .lookup(&p[0].name)
                .is_some_and(|v| self.chan_elem(v.ty) == heap::Elem::Bool),
            _ => false,
        }
    }

    /// `b.wait()` on a barrier (in a local or behind an `Arc`), and `.is_leader()` on what
    /// it returns; `None` when `recv` is not one.
    fn barrier_method(
        &mut self,
        recv: &Expr,
        name: &ast::Ident,
        args: &[Expr],
    ) -> Option<CResult<(Operand, Ty)>> {
        if let (Expr::Method { name: w, .. }, "is_leader") = (recv, name.name.as_str()) {
            if w.name == "wait" {
                return Some(self.typed_expr(recv));
            }
        }
        let Expr::Path(p) = unref(recv) else {
            return None;
        };
        let v = self
            .lookup(&p[0].name)
            .filter(|v| p.len() == 1 && !v.gone)?;
        let (Ty::Barrier(b) | Ty::Arc(Pointee::Barrier(b), _)) = v.ty else {
            return None;
        };
        Some(if name.name == "wait" && args.is_empty() {
            let leader = self.temp();
            self.op(Op::BarrierWait {
                barrier: b,
                leader: Some(leader),
            })
            .map(|()| (Operand::Local(leader), Ty::Int))
        } else {
            self.err(
                name.span,
                format!("a Barrier has no method `{}` here", name.name),
                "`b.wait()`",
            );
            Err(())
        })
    }

    /// Whether `e` is a `ThreadId` (`thread::current().id()`, `h.thread().id()`, or a
    /// variable holding one), without compiling it.
    pub(super) fn is_thread_id(&self, e: &Expr) -> bool {
        match e {
            Expr::Method { name, args, .. } => name.name == "id" && args.is_empty(),
            Expr::Path(p) if p.len() == 1 => self
                .lookup(&p[0].name)
                .is_some_and(|v| v.ty == Ty::ThreadId),
            _ => false,
        }
    }

    /// `thread::Builder::new().name(s).spawn(f)`: the thread is spawned as `thread::spawn`
    /// does, named `s` (shown in the page and the explorer's words; `stack_size` is
    /// accepted and has no effect here). `None` when `recv` is not a builder.
    fn builder_spawn(
        &mut self,
        recv: &Expr,
        args: &[Expr],
        span: Span,
        at: Span,
    ) -> Option<CResult<(Operand, Ty)>> {
        let mut e = recv;
        let mut name = None;
        let base = loop {
            match e {
                Expr::Method {
                    recv,
                    name: n,
                    args,
                    ..
                } => {
                    match (n.name.as_str(), args.as_slice()) {
                        ("name", [s]) => name = name.or(Some(s)),
                        ("stack_size", [_]) => {}
                        _ => return None,
                    }
                    e = recv;
                }
                Expr::Call { callee, args, .. }
                    if args.is_empty()
                        && callee.len() >= 2
                        && callee[callee.len() - 2].name == "Builder"
                        && callee[callee.len() - 1].name == "new" =>
                {
                    break callee;
                }
                _ => return None,
            }
        };
        Some((|| {
            self.check_imported(base)?;
            if let Some(s) = name {
                let (v, ty) = self.typed_expr(s)?;
                if !matches!(ty, Ty::Str(_)) {
                    self.err(
                        s.span(),
                        "a thread's name is a string",
                        "`.name(\"worker\".to_string())`",
                    );
                    return Err(());
                }
                self.op(Op::NameNextSpawn { name: v })?;
            }
            self.spawn(args, span, at, None)
        })())
    }

    /// `m.into_inner()` (used with `.unwrap()`): the value of a mutex the caller owns (a
    /// local, or what `Arc::try_unwrap` gave back), which moves in. Nobody else can hold
    /// it, so taking it never waits; a poisoned one panics, as `.unwrap()` of its `Err`.
    /// A `static` cannot be moved out of (rustc's E0507).
    fn mutex_into_inner(&mut self, recv: &Expr, m: MutexId) -> CResult<(Operand, Ty)> {
        if let Expr::Path(p) = unref(recv) {
            if p.len() == 1 && self.lookup(&p[0].name).is_none() {
                self.err_code(
                    "E0507",
                    recv.span(),
                    format!("cannot move out of static item `{}`", p[0].name),
                    "a `static` lives for the whole program: lock it instead, `*M.lock().unwrap()`",
                );
                return Err(());
            }
        }
        self.mark_moved(unref(recv), recv.span());
        let dst = self.temp();
        self.op(Op::Lock { mutex: m })?;
        self.op(Op::MutexLoad { dst, mutex: m })?;
        self.op(Op::Unlock { mutex: m })?;
        // A vector behind it comes out whole (and is the caller's now).
        let ty = self.vec_mutex(m).map_or(Ty::Int, Ty::Vec);
        Ok((Operand::Local(dst), ty))
    }

    /// The mutex or atomic `recv` names: a `static`, a local, or one behind an `Arc`.
    pub(super) fn shared_target(&self, recv: &Expr) -> Option<(Global, StaticKind)> {
        let Expr::Path(p) = unref(recv) else {
            return None;
        };
        let local = if p.len() == 1 {
            self.lookup(&p[0].name).map(|v| (v.ty, v.gone))
        } else {
            None
        };
        match local {
            Some((Ty::Mutex(x) | Ty::Arc(Pointee::Mutex(x), _), false)) => {
                Some((Global::Mutex(x), StaticKind::Mutex))
            }
            Some((Ty::Atomic(x) | Ty::Arc(Pointee::Atomic(x), _), false)) => {
                Some((Global::Atomic(x), StaticKind::Atomic))
            }
            Some(_) => None,
            None if p.len() == 1 => self.global(&p[0].name),
            None => None,
        }
    }

    /// The ok flag `ok` (1 = Ok) turned into the value the `Use` asks for.
    pub(super) fn result(&mut self, ok: Local, u: Use, err_msg: &str) -> CResult<Operand> {
        match u {
            Use::Unwrap => {
                let msg = self.cx.b.message(&format!(
                    "called `Result::unwrap()` on an `Err` value: {err_msg}"
                ));
                self.op(Op::Assert {
                    cond: Operand::Local(ok),
                    msg,
                })?;
                Ok(Operand::Imm(0))
            }
            Use::IsOk | Use::Ignore | Use::Test(_) => Ok(Operand::Local(ok)),
            Use::IsErr => {
                let t = self.temp();
                self.op(Op::Bin {
                    dst: t,
                    op: BinOp::Eq,
                    a: Operand::Local(ok),
                    b: Operand::Imm(0),
                })?;
                Ok(Operand::Local(t))
            }
        }
    }

    pub(super) fn method(
        &mut self,
        recv: &Expr,
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
        u: Use,
        stmt: bool,
    ) -> CResult<(Operand, Ty)> {
        let m = name.name.as_str();
        // Whether `.unwrap()` was written after this call (an `Option` is unwrapped only
        // then; a `Result` also where a value is wanted).
        let explicit = std::mem::take(&mut self.explicit_unwrap);
        if super::iter::CHAIN_METHODS.contains(&m) {
            self.chain_elsewhere(span);
            return Err(());
        }
        if let Some(r) = self.barrier_method(recv, name, args) {
            return r;
        }
        let current = matches!(recv, Expr::Call { callee, .. } if callee.last().is_some_and(|c| c.name == "current"));
        if current && !matches!(m, "id" | "unpark" | "name") {
            self.err(
                name.span,
                format!("`thread::current().{m}()` is not simulated yet"),
                "`thread::current().id()` is",
            );
            return Err(());
        }
        if m == "spawn" {
            if let Some(r) = self.builder_spawn(recv, args, span, name.span) {
                return r;
            }
        }
        if let Some(o) = self.once_of(recv) {
            return self.once_method(o, name, args);
        }
        if let Some(c) = self.condvar_of(recv) {
            return self.condvar_method(c, name, args, stmt);
        }
        if let Expr::Path(p) = recv {
            if let Some(handles) = self.thread_scope_of(&p[0].name).filter(|_| p.len() == 1) {
                if m != "spawn" {
                    self.err(
                        name.span,
                        format!("a thread scope has no method `{m}` here"),
                        "`s.spawn(|| …)`",
                    );
                    return Err(());
                }
                let at = p[0].span.to(name.span);
                return self.spawn(args, span, at, Some(handles));
            }
        }
        // Mutexes and atomics: statics, locals, and behind an `Arc`.
        if let Expr::Path(p) = recv {
            let shared = self.shared_target(recv).filter(|_| m != "clone");
            if shared.is_some() {
                match shared {
                    Some((Global::Atomic(a), _)) => {
                        return self.atomic_method(a, name, args, span, u)
                    }
                    Some((Global::Mutex(mx), _)) => {
                        return match m {
                            "lock" | "read" | "write" if args.is_empty() => {
                                self.lock_op(mx, m, name.span)?;
                                let read = m == "read";
                                if stmt {
                                    // `M.lock();` alone: the guard is dropped at once.
                                    self.op(unlock(mx, read))?;
                                }
                                Ok((Operand::Imm(0), Ty::Guard(mx, read)))
                            }
                            "into_inner" if args.is_empty() => self.mutex_into_inner(recv, mx),
                            _ => {
                                self.err(
                                    name.span,
                                    format!("a Mutex has no method `{m}` here"),
                                    "use `lock()` or `if let Ok(mut g) = M.try_lock() { … }`",
                                );
                                Err(())
                            }
                        };
                    }
                    Some((Global::Var(_) | Global::Const(_), _)) => {
                        self.err(
                            recv.span(),
                            format!("`{}` is a plain number: it has no methods", p[0].name),
                            "to make it atomic, declare it `AtomicUsize`",
                        );
                        return Err(());
                    }
                    Some((Global::Condvar(_) | Global::Once(..), _)) | None => {}
                }
            }
        }
        if self.guarded_vec(recv).is_some() {
            return self.guarded_method(recv, name, args);
        }
        let (h, ty) = self.typed_expr(recv)?;
        match (ty, m) {
            (Ty::Arc(..), "clone") if args.is_empty() => {
                let dst = self.temp();
                self.op(Op::ArcClone { arc: h, dst })?;
                Ok((Operand::Local(dst), ty))
            }
            (Ty::Vec(elem), _) => self.vec_method(recv, h, elem, name, args),
            (Ty::Mutex(mx), "into_inner") if args.is_empty() => self.mutex_into_inner(recv, mx),
            (Ty::Thread(_), "thread") if args.is_empty() => {
                // A handle is its thread's index; std's numbers start at main's 1.
                let dst = self.temp();
                self.op(Op::Bin {
                    dst,
                    op: BinOp::Add,
                    a: h,
                    b: Operand::Imm(1),
                })?;
                Ok((Operand::Local(dst), Ty::ThreadRef))
            }
            (Ty::ThreadRef, "id") if args.is_empty() => Ok((h, Ty::ThreadId)),
            (Ty::ThreadRef, "name") if args.is_empty() => {
                let (dst, main) = (self.temp(), self.cx.b.message("main"));
                self.op(Op::ThreadName {
                    thread: h,
                    dst,
                    main,
                })?;
                if u != Use::Unwrap || !explicit {
                    return Ok((Operand::Local(dst), Ty::OptStr));
                }
                // `.name().unwrap()`: a thread made without a name has none.
                let msg = self.cx.b.message(
                    "called `Option::unwrap()` on a `None` value (the thread has no name)",
                );
                self.op(Op::AssertCmp {
                    a: Operand::Local(dst),
                    op: BinOp::Ne,
                    b: Operand::Imm(-1),
                    msg,
                })?;
                Ok((Operand::Local(dst), Ty::Str(false)))
            }
            (Ty::OptStr, "unwrap_or") => {
                let [default] = args else {
                    self.err(span, "`unwrap_or` takes one value", "");
                    return Err(());
                };
                let (d, dty) = self.typed_expr(default)?;
                if dty != Ty::Str(false) {
                    self.err(
                        default.span(),
                        "expected a string literal here",
                        "`.unwrap_or(\"unnamed\")`",
                    );
                    return Err(());
                }
                let (dst, keep) = (self.temp(), self.f.label());
                self.op(Op::Set { dst, src: h })?;
                self.f
                    .jump_unless(Operand::Local(dst), BinOp::Eq, Operand::Imm(-1), keep);
                self.op(Op::Set { dst, src: d })?;
                self.f.bind(keep);
                Ok((Operand::Local(dst), Ty::Str(false)))
            }
            (Ty::ThreadRef, "unpark") if args.is_empty() => {
                self.op(Op::Unpark { thread: h })?;
                Ok((Operand::Imm(0), Ty::Int))
            }
            (Ty::Sender(_), "send") => {
                let [v] = args else {
                    self.err(span, "`send` takes one value", "");
                    return Err(());
                };
                let value = self.sent(ty, v)?;
                let ok = self.temp();
                self.op(Op::Send {
                    chan: h,
                    value,
                    ok: Some(ok),
                })?;
                Ok((
                    self.result(ok, u, "SendError { .. } (the receiver was dropped)")?,
                    Ty::Int,
                ))
            }
            (Ty::Sender(_), "clone") => {
                self.op(Op::CloneSender { chan: h })?;
                let l = self.temp();
                self.op(Op::Set { dst: l, src: h })?;
                Ok((Operand::Local(l), ty))
            }
            (Ty::Str(_), "to_string" | "to_owned" | "clone" | "into") if args.is_empty() => {
                Ok((h, Ty::Str(true)))
            }
            (Ty::Int, "to_string") if args.is_empty() => {
                let boolean = self.is_bool(recv);
                self.number_to_string(h, boolean)
            }
            (Ty::Receiver(_), "try_recv" | "recv_timeout")
                if args.len() == usize::from(m == "recv_timeout") =>
            {
                let got = self.chan_elem(ty).ty();
                let (dst, status) = (self.temp(), self.temp());
                let empty = match args {
                    [d] => {
                        let ticks = self.duration_ticks(d)?;
                        self.op(Op::RecvTimeout {
                            chan: h,
                            ticks,
                            dst,
                            ok: status,
                        })?;
                        "Timeout"
                    }
                    _ => {
                        self.op(Op::TryRecv {
                            chan: h,
                            dst,
                            ok: status,
                        })?;
                        "Empty"
                    }
                };
                let is = |fc: &mut Self, op: BinOp, code: i64| {
                    let t = fc.temp();
                    fc.op(Op::Bin {
                        dst: t,
                        op,
                        a: Operand::Local(status),
                        b: Operand::Imm(code),
                    })
                    .map(|()| t)
                };
                match u {
                    Use::Unwrap => {
                        for (code, kind) in [(0, empty), (-1, "Disconnected")] {
                            let not = is(self, BinOp::Ne, code)?;
                            let msg = self.cx.b.message(&format!(
                                "called `Result::unwrap()` on an `Err` value: {kind}"
                            ));
                            self.op(Op::Assert {
                                cond: Operand::Local(not),
                                msg,
                            })?;
                        }
                        Ok((Operand::Local(dst), got))
                    }
                    Use::IsOk => Ok((Operand::Local(is(self, BinOp::Eq, 1)?), Ty::Int)),
                    Use::IsErr => Ok((Operand::Local(is(self, BinOp::Ne, 1)?), Ty::Int)),
                    Use::Ignore => Ok((Operand::Imm(0), Ty::Int)),
                    Use::Test(l) => {
                        self.op(Op::Bin {
                            dst: l,
                            op: BinOp::Eq,
                            a: Operand::Local(status),
                            b: Operand::Imm(1),
                        })?;
                        Ok((Operand::Local(dst), got))
                    }
                }
            }
            (Ty::Receiver(_), "recv") => {
                let got = self.chan_elem(ty).ty();
                let (dst, ok) = (self.temp(), self.temp());
                self.op(Op::Recv {
                    chan: h,
                    dst,
                    ok: Some(ok),
                })?;
                match u {
                    Use::Unwrap => {
                        self.result(ok, u, "RecvError (every sender was dropped)")?;
                        Ok((Operand::Local(dst), got))
                    }
                    _ => Ok((self.result(ok, u, "")?, Ty::Int)),
                }
            }
            (Ty::Thread(ret), "join") => {
                // `JoinHandle::join(self)` consumes the handle: a second join does not compile.
                self.mark_moved(recv, span);
                let ok = self.temp();
                match u {
                    // `.join().unwrap()`: a panic in the thread panics the joiner; else it
                    // is what the thread's closure returned.
                    Use::Unwrap => {
                        self.op(Op::Join {
                            thread: h,
                            ok: None,
                        })?;
                        if stmt {
                            // `h.join().unwrap();`: the value is dropped, nothing to read.
                            return Ok((Operand::Imm(0), Ty::Int));
                        }
                        let value = self.temp();
                        self.op(Op::JoinResult {
                            thread: h,
                            dst: value,
                        })?;
                        Ok((Operand::Local(value), ret.ty()))
                    }
                    _ => {
                        self.op(Op::Join {
                            thread: h,
                            ok: Some(ok),
                        })?;
                        Ok((self.result(ok, u, "")?, Ty::Int))
                    }
                }
            }
            (Ty::Guard(..), _) => {
                self.err(name.span, "read or write the value with `*g`", "");
                Err(())
            }
            _ => {
                let hint = match near(m, KNOWN_METHODS.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => "see docs/language.md for what each value supports".into(),
                };
                self.err(name.span, format!("no method `{m}` here"), &hint);
                Err(())
            }
        }
    }

    pub(super) fn atomic_method(
        &mut self,
        a: AtomicId,
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
        u: Use,
    ) -> CResult<(Operand, Ty)> {
        let m = name.name.as_str();
        // Memory orderings are accepted; every atomic is simulated as SeqCst.
        let mut args: Vec<&Expr> = args.iter().collect();
        while let Some(Expr::Path(p)) = args.last() {
            let o = last(p);
            if ["SeqCst", "Relaxed", "Acquire", "Release", "AcqRel"].contains(&o) {
                if o != "SeqCst" {
                    self.cx.diags.push(
                        Diagnostic::warning(
                            p[0].span.to(p[p.len() - 1].span),
                            format!("`{o}` is simulated as `SeqCst`"),
                        )
                        .hint("the simulator models sequentially consistent atomics only"),
                    );
                }
                args.pop();
            } else {
                break;
            }
        }
        let t = self.temp();
        match (m, args.as_slice()) {
            ("load", []) => self.op(Op::AtomicLoad { dst: t, atomic: a })?,
            ("store", [v]) => {
                let v = self.expr(v)?;
                self.op(Op::AtomicStore { atomic: a, src: v })?;
            }
            ("fetch_add" | "fetch_sub" | "swap", [v]) => {
                let v = self.expr(v)?;
                let op = match m {
                    "fetch_add" => RmwOp::FetchAdd,
                    "fetch_sub" => RmwOp::FetchSub,
                    _ => RmwOp::Swap,
                };
                self.op(Op::AtomicRmw {
                    dst: Some(t),
                    atomic: a,
                    op,
                    src: v,
                })?;
            }
            ("compare_exchange" | "compare_exchange_weak", [cur, new]) => {
                let (cur, new) = (self.expr(cur)?, self.expr(new)?);
                let ok = match u {
                    Use::Test(ok) => ok,
                    _ => self.temp(),
                };
                self.op(Op::AtomicCas {
                    ok: Some(ok),
                    old: Some(t),
                    atomic: a,
                    expected: cur,
                    new,
                })?;
                return match u {
                    Use::IsOk | Use::IsErr => Ok((self.result(ok, u, "")?, Ty::Int)),
                    Use::Unwrap => {
                        self.result(ok, u, "the value was not the expected one")?;
                        Ok((Operand::Local(t), Ty::Int))
                    }
                    Use::Ignore => Ok((Operand::Local(ok), Ty::Int)),
                    Use::Test(_) => Ok((Operand::Local(t), Ty::Int)),
                };
            }
            _ => {
                self.err(span, format!("unsupported atomic call `{m}` with {} arguments", args.len()), "atomics support load(), store(v), fetch_add(v), fetch_sub(v), swap(v), compare_exchange(current, new)");
                return Err(());
            }
        }
        Ok((Operand::Local(t), Ty::Int))
    }
}
