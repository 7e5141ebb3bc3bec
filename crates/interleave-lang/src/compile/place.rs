//! Bindings and places: `let` (channels, guards, values), assignment to locals, statics
//! and `*guard`, and the handles and mutexes an expression names.

use super::*;

impl<'s> FnCx<'_, 's> {
    pub(super) fn let_stmt(&mut self, pat: &Pat, init: &Expr, span: Span) -> CResult<()> {
        if let Some(r) = self.let_chain(pat, init, span) {
            return r;
        }
        if let Pat::Tuple(parts) = pat {
            if let Some(r) = self.let_pair(parts, init) {
                return r;
            }
            let channel = |c: &[ast::Ident]| matches!(last(c), "channel" | "sync_channel");
            let Expr::Call { callee, args, .. } = init else {
                return self.let_tuple(pat, init);
            };
            if !channel(callee) {
                return self.let_tuple(pat, init);
            }
            self.check_imported(callee)?;
            let name = last(callee);
            let cap = match (name, args.as_slice()) {
                ("channel", []) => None,
                ("sync_channel", [Expr::Int(k, _)]) if *k >= 0 && *k <= u32::MAX as i64 => {
                    Some(*k as u32)
                }
                ("sync_channel", _) => {
                    self.err(
                        init.span(),
                        "`sync_channel` takes a constant capacity",
                        "e.g. `sync_channel(2)`; 0 makes a rendezvous channel",
                    );
                    return Err(());
                }
                _ => {
                    self.err(
                        init.span(),
                        "tuple patterns only destructure a new channel",
                        "`let (tx, rx) = channel();`",
                    );
                    return Err(());
                }
            };
            let [Pat::Ident { name: tx, .. }, Pat::Ident { name: rx, .. }] = parts.as_slice()
            else {
                self.err(span, "a channel is a pair: `let (tx, rx) = channel();`", "");
                return Err(());
            };
            let (t, r) = (self.temp(), self.temp());
            self.op(Op::ChanNew { cap, tx: t, rx: r })?;
            let c = self.cx.chans.len() as u16;
            let at = self.f.next_op() - 1;
            self.cx.chan_sites.push((self.func, at, c));
            let known = self.cx.chan_learned.iter().find(|(s, _)| *s == span.start);
            self.cx
                .chans
                .push(known.map_or(heap::Elem::Unknown, |&(_, e)| e));
            self.cx.chan_spans.push((span.start, c));
            self.bind(tx, t, Ty::Sender(c), false);
            self.bind(rx, r, Ty::Receiver(c), false);
            return Ok(());
        }
        if let Pat::Wild(_) = pat {
            // `let _ = …;` drops the value at once, as a statement does: a `Result` is
            // ignored (`let _ = h.join();` does not panic).
            let (_, ty) = self.typed_expr_use(init, true)?;
            if let Ty::Guard(..) = ty {
                // rustc denies it (`let_underscore_lock`): the lock would be released at
                // once, which is rarely what was meant.
                self.err(
                    span,
                    "non-binding let on a synchronization lock: the guard is dropped at once (rustc refuses this)",
                    "to hold the lock, bind it: `let _g = M.lock().unwrap();`; to lock and release at once, `drop(M.lock().unwrap());`",
                );
                return Err(());
            }
            return Ok(());
        }
        self.naming = match pat {
            Pat::Ident { name, .. } => Some(name.name.clone()),
            _ => None,
        };
        let r = self.typed_expr(init);
        self.naming = None;
        let Ok((v, ty)) = r else {
            collect_pat_names(pat, &mut self.broken);
            return Err(());
        };
        if let Ty::Guard(..) | Ty::Mutex(_) | Ty::Atomic(_) | Ty::Barrier(_) | Ty::Condvar(_) = ty {
            // A guard has no value to copy: it only marks the lock as held in this scope;
            // a mutex or an atomic in a local is one of the program's, named by its type.
            let l = self.temp();
            return self.bind_pat(pat, l, ty);
        }
        let local = match v {
            Operand::Local(l) if !self.is_named(l) => l,
            other => {
                let l = self.temp();
                self.op(Op::Set { dst: l, src: other })?;
                l
            }
        };
        let handle = matches!(ty, Ty::Sender(_) | Ty::Receiver(_) | Ty::Arc(..));
        let borrow = matches!(
            init,
            Expr::Unary {
                op: UnOp::Ref(_),
                ..
            }
        );
        if handle && !borrow {
            // `let b = a;` moves the handle: `a` has it no more (and drops nothing).
            self.mark_moved(init, init.span());
        }
        self.bind_pat(pat, local, ty)?;
        if let (true, true, Pat::Ident { name, .. }) = (handle, borrow, pat) {
            if let Some(v) = self.lookup_mut(&name.name) {
                v.borrow = true;
            }
        }
        Ok(())
    }

    /// `let (lock, cvar) = &*pair;` for an `Arc<(Mutex<T>, Condvar)>`: names for its two
    /// halves (borrowed, so nothing moves). `None` when `init` is not such a pair.
    fn let_pair(&mut self, parts: &[Pat], init: &Expr) -> Option<CResult<()>> {
        let inner = match init {
            Expr::Unary {
                op: UnOp::Ref(_),
                expr,
                ..
            } => expr.as_ref(),
            _ => return None,
        };
        let Expr::Unary {
            op: UnOp::Deref,
            expr,
            ..
        } = inner
        else {
            return None;
        };
        let Expr::Path(p) = expr.as_ref() else {
            return None;
        };
        let v = self.lookup(&p[0].name).filter(|_| p.len() == 1)?;
        let Ty::Arc(Pointee::MutexCondvar(m, c), _) = v.ty else {
            return None;
        };
        if v.gone {
            let n = p[0].name.clone();
            self.err(p[0].span, format!("`{n}` was already moved or dropped"), "");
            return Some(Err(()));
        }
        Some(match parts {
            [a, b] => {
                let (la, lb) = (self.temp(), self.temp());
                self.bind_pat(a, la, Ty::Mutex(m))
                    .and_then(|()| self.bind_pat(b, lb, Ty::Condvar(c)))
            }
            _ => {
                self.err(
                    init.span(),
                    "the pair has two parts: `let (lock, cvar) = &*pair;`",
                    "",
                );
                Err(())
            }
        })
    }

    pub(super) fn assign(
        &mut self,
        place: &Expr,
        op: Option<BinOp>,
        value: &Expr,
        span: Span,
    ) -> CResult<()> {
        match place {
            Expr::Path(p) if p.len() == 1 => {
                let name = &p[0];
                if let Some(var) = self.lookup(&name.name) {
                    let (local, mutable, ty, fit) = (var.local, var.mutable, var.ty, var.int);
                    self.check_not_lent(name, true)?;
                    if !mutable {
                        self.err(
                            name.span,
                            format!("cannot assign twice to immutable variable `{}`", name.name),
                            &format!("declare it with `let mut {}`", name.name),
                        );
                        return Err(());
                    }
                    if let (Ty::Guard(m, read), None) = (ty, op) {
                        return self.assign_guard(name, m, read, value);
                    }
                    if let (Ty::Sum(..) | Ty::Str(_) | Ty::Tuple(..), None) = (ty, op) {
                        return self.assign_value(name, local, ty, value);
                    }
                    if let (Ty::Str(owned), Some(BinOp::Add)) = (ty, op) {
                        // `s += "…"` / `s += &t`: the text with the other appended.
                        if !owned {
                            self.err_code(
                                "E0368",
                                span,
                                "binary assignment operation `+=` cannot be applied to type `&str`"
                                    .into(),
                                "make it a `String`: `let mut s = String::from(\"…\");`",
                            );
                            return Err(());
                        }
                        let v = self.text_operand(value)?;
                        return self.concat(local, Operand::Local(local), v);
                    }
                    if ty != Ty::Int {
                        self.err(name.span, format!("`{}` is not a number", name.name), "");
                        return Err(());
                    }
                    let v = self.expr(value)?;
                    return match op {
                        None => self.op(Op::Set { dst: local, src: v }),
                        Some(op) => self.arith(local, op, Operand::Local(local), v, fit),
                    };
                }
                match self.global(&name.name) {
                    Some((Global::Const(_), _)) => {
                        // rustc's E0070: a constant is not a place.
                        self.err_code(
                            "E0070",
                            name.span,
                            format!(
                                "invalid left-hand side of assignment: `{}` is a constant",
                                name.name
                            ),
                            "use a `static` (or an atomic) for a value that changes",
                        );
                        Err(())
                    }
                    Some((Global::Var(var), _)) => {
                        // Plain shared memory: read, compute, write — separate steps.
                        let v = self.expr(value)?;
                        let fit = self.int_of(place);
                        let src = self.combined(op, v, fit, |dst| Op::Load { dst, var })?;
                        self.op(Op::Store { var, src })
                    }
                    Some((Global::Atomic(_), _)) => {
                        self.err(span, format!("`{}` is atomic: write it with a method", name.name), &format!("`{0}.store(v)`, or `{0}.fetch_add(1)` for `+= 1` in one indivisible step", name.name));
                        Err(())
                    }
                    Some((Global::Condvar(_) | Global::Once(..), _)) => {
                        self.err(
                            span,
                            format!(
                                "`{}` is a Condvar or a Once: it cannot be assigned",
                                name.name
                            ),
                            "keep the value in a `Mutex` and wait on the Condvar with its guard",
                        );
                        Err(())
                    }
                    Some((Global::Mutex(_), _)) => {
                        self.err(
                            span,
                            format!("`{}` is a Mutex: lock it to change it", name.name),
                            &format!("`*{}.lock().unwrap() += 1;`", name.name),
                        );
                        Err(())
                    }
                    None => {
                        self.unknown(name);
                        Err(())
                    }
                }
            }
            Expr::Unary {
                op: UnOp::Deref,
                expr,
                ..
            } => {
                if let Expr::Path(p) = expr.as_ref() {
                    let immutable_guard = p.len() == 1
                        && self.lookup(&p[0].name).is_some_and(|v| {
                            matches!(v.ty, Ty::Guard(_, false)) && !v.mutable && !v.gone
                        });
                    if immutable_guard {
                        // rustc's E0596: writing through a guard borrows it mutably.
                        self.err(
                            p[0].span,
                            format!(
                                "cannot borrow `{}` as mutable, as it is not declared as mutable",
                                p[0].name
                            ),
                            &format!(
                                "declare the guard `let mut {} = …` (or `Ok(mut {})`) to write through it",
                                p[0].name, p[0].name
                            ),
                        );
                        return Err(());
                    }
                }
                let (m, temp_guard) = self.deref_target(expr, true)?;
                let v = self.expr(value)?;
                let fit = self.mutex_int(m);
                let src = self.combined(op, v, fit, |dst| Op::MutexLoad { dst, mutex: m })?;
                self.op(Op::MutexStore { mutex: m, src })?;
                if let Some(read) = temp_guard {
                    // The temporary guard of `*M.lock().unwrap() += 1` drops at the `;`.
                    self.op(unlock(m, read))?;
                }
                Ok(())
            }
            Expr::Index { base, index, .. } => {
                let (vec, idx, temp) = self.index_place(base, index)?;
                let v = self.expr(value)?;
                let v = self.combined(op, v, None, |dst| Op::VecGet {
                    vec,
                    index: idx,
                    dst,
                })?;
                self.op(Op::VecSet {
                    vec,
                    index: idx,
                    src: v,
                })?;
                match temp {
                    Some((m, read)) => self.op(unlock(m, read)),
                    None => Ok(()),
                }
            }
            _ => {
                self.err(
                    place.span(),
                    "cannot assign to this",
                    "assign to a `let mut` variable, a plain `static`, or `*guard`",
                );
                Err(())
            }
        }
    }

    /// What `place op= v` stores: `v` for a plain `=`, else the place's value (read into a
    /// temporary by the op `load` makes) combined with `v` — a read, then the write, as
    /// separate steps.
    fn combined(
        &mut self,
        op: Option<BinOp>,
        v: Operand,
        fit: Option<interleave_core::program::IntTy>,
        load: impl FnOnce(Local) -> Op,
    ) -> CResult<Operand> {
        let Some(op) = op else { return Ok(v) };
        let t = self.temp();
        self.op(load(t))?;
        self.arith(t, op, Operand::Local(t), v, fit)?;
        Ok(Operand::Local(t))
    }

    /// `g = cv.wait(g).unwrap();`: a guard variable takes a new guard of its mutex. One
    /// still held is dropped after the new one is taken, as Rust drops the old value.
    /// `x = v` for a local holding a string, a tuple, an `Option` or a `Result`: the
    /// old value is dropped, the new one moves in (and may say what an `Option` holds).
    fn assign_value(
        &mut self,
        name: &ast::Ident,
        local: Local,
        ty: Ty,
        value: &Expr,
    ) -> CResult<()> {
        let (v, have) = self.typed_expr(value)?;
        let old = ty;
        let ty = self.expect_ty(have, ty, value.span())?;
        if !ownership::is_copy(have) {
            self.mark_moved(value, value.span());
        }
        let mut at = None;
        if let Some(var) = self.lookup_mut(&name.name) {
            var.ty = ty;
            var.gone = false;
            at = var.at;
        }
        if let (Some(at), true) = (at, old != ty) {
            self.learn(at, ty);
        }
        self.op(Op::Set { dst: local, src: v })
    }

    fn assign_guard(
        &mut self,
        name: &ast::Ident,
        m: MutexId,
        read: bool,
        value: &Expr,
    ) -> CResult<()> {
        let (_, ty) = self.typed_expr(value)?;
        if ty != Ty::Guard(m, read) {
            self.err(
                value.span(),
                format!(
                    "`{}` holds a guard of its mutex: only another guard of it can be assigned",
                    name.name
                ),
                "`g = cv.wait(g).unwrap();`",
            );
            return Err(());
        }
        let var = self
            .lookup_mut(&name.name)
            .expect("assigned variables exist");
        let (held, flag) = (!var.gone, var.drop_flag);
        var.gone = false;
        var.moved_at = None;
        if held {
            self.op(unlock(m, read))?;
        }
        if let Some(flag) = flag {
            self.op(Op::Set {
                dst: flag,
                src: Operand::Imm(0),
            })?;
        }
        Ok(())
    }

    /// The mutex behind `*g` (a live guard) or `*M.lock().unwrap()` (a temporary, locked
    /// here; `Some(read)`: the caller drops it). Writing through a read guard is E0594.
    pub(super) fn deref_target(
        &mut self,
        e: &Expr,
        write: bool,
    ) -> CResult<(MutexId, Option<bool>)> {
        if let Expr::Path(p) = e {
            if p.len() == 1 {
                if let Some(v) = self.lookup(&p[0].name) {
                    return match (v.ty, v.gone) {
                        (Ty::Guard(m, true), false) if write => {
                            self.read_guard_write(m, e.span());
                            Err(())
                        }
                        (Ty::Guard(m, _), false) => Ok((m, None)),
                        (Ty::Guard(..), true) => {
                            // rustc's E0382: the guard moved into `drop` or `wait`.
                            let name = p[0].name.clone();
                            self.err_code(
                                "E0382",
                                p[0].span,
                                format!("borrow of moved value: `{name}` (the guard was dropped or given to `wait`, so the lock is released)"),
                                "lock the mutex again, or use the guard `wait` gives back: `g = cv.wait(g).unwrap();`",
                            );
                            Err(())
                        }
                        _ => {
                            self.err(
                                p[0].span,
                                format!("`{}` is not a MutexGuard", p[0].name),
                                "only guards from `M.lock()` can be dereferenced",
                            );
                            Err(())
                        }
                    };
                }
            }
        }
        let inner = strip_unwrap(e);
        if let Expr::Method { recv, name, .. } = inner {
            let how = name.name.as_str();
            if matches!(how, "lock" | "read" | "write") {
                if std::ptr::eq(inner, e) {
                    // `*M.lock()`: a `LockResult` has no `*`; rustc refuses it too.
                    self.err(
                        e.span(),
                        format!("`{how}()` returns a `Result`, which cannot be dereferenced"),
                        &format!("write `*M.{how}().unwrap()` (it panics if the lock is poisoned)"),
                    );
                    return Err(());
                }
                let m = self.mutex_of(recv)?;
                let read = how == "read";
                if read && write {
                    self.read_guard_write(m, e.span());
                    return Err(());
                }
                self.lock_op(m, how, name.span)?;
                return Ok((m, Some(read)));
            }
        }
        self.err(
            e.span(),
            "only a MutexGuard can be dereferenced",
            "`*g` where `let mut g = M.lock().unwrap();`",
        );
        Err(())
    }

    /// rustc's E0594 for a write through an `RwLockReadGuard`.
    fn read_guard_write(&mut self, m: MutexId, span: Span) {
        let name = self.cx.b.program().mutexes[m.index()].name.clone();
        self.err_code(
            "E0594",
            span,
            format!("cannot assign to data in dereference of `RwLockReadGuard`: `{name}` is only read-locked"),
            "take the write lock to change it: `*rw.write().unwrap() = v;`",
        );
    }

    /// The op that takes `m` the way `how` says (`lock`, `read`, `write`): `read` and
    /// `write` are an `RwLock`'s, `lock` a `Mutex`'s (rustc: E0599 otherwise).
    pub(super) fn lock_op(&mut self, m: MutexId, how: &str, at: Span) -> CResult<()> {
        let rw = self.cx.rwlocks.contains(&m);
        match (how, rw) {
            ("read", true) => self.op(Op::ReadLock { mutex: m }),
            ("write", true) | ("lock", false) => self.op(Op::Lock { mutex: m }),
            _ => {
                let (ty, want) = if rw {
                    ("RwLock", "`read()` or `write()`")
                } else {
                    ("Mutex", "`lock()`")
                };
                self.err_code(
                    "E0599",
                    at,
                    format!("no method named `{how}` found for `{ty}`"),
                    &format!("a {ty} is locked with {want}"),
                );
                Err(())
            }
        }
    }

    pub(super) fn mutex_of(&mut self, e: &Expr) -> CResult<MutexId> {
        if let Expr::Path(p) = e {
            let local = self.lookup(last(p)).filter(|v| p.len() == 1 && !v.gone);
            if let Some(Ty::Mutex(m) | Ty::Arc(Pointee::Mutex(m), _)) = local.map(|v| v.ty) {
                return Ok(m);
            }
            if let Some((Global::Mutex(m), _)) = self.global(last(p)) {
                return Ok(m);
            }
        }
        self.err(
            e.span(),
            "expected a `static` Mutex",
            "declare it: `static M: Mutex<i64> = Mutex::new(0);`",
        );
        Err(())
    }

    /// A channel handle or thread/task handle variable of type `want`.
    pub(super) fn handle(&mut self, e: &Expr, want: Ty) -> CResult<Operand> {
        if let Expr::Path(p) = unref(e) {
            if p.len() == 1 {
                if let Some(v) = self.lookup(&p[0].name) {
                    if std::mem::discriminant(&v.ty) == std::mem::discriminant(&want) {
                        if v.gone {
                            let name = p[0].name.clone();
                            let hint = match want {
                                Ty::Task => "`block_on(t)` and `t.await` take the task: each task is waited for once",
                                _ => "each handle is owned by one thread; clone a sender with `tx.clone()` before moving it",
                            };
                            self.err(p[0].span, format!("`{name}` was moved or dropped"), hint);
                            return Err(());
                        }
                        let local = v.local;
                        if want == Ty::Task {
                            // `block_on(t)` and `t.await` take the task (it is not `Copy`).
                            self.mark_moved(e, e.span());
                        }
                        return Ok(Operand::Local(local));
                    }
                    let what = match want {
                        Ty::Sender(_) => "a channel Sender",
                        Ty::Receiver(_) => "a channel Receiver",
                        Ty::Thread(_) => "a JoinHandle",
                        Ty::Task => "a task",
                        _ => "a handle",
                    };
                    self.err(p[0].span, format!("`{}` is not {what}", p[0].name), "");
                    return Err(());
                }
            }
        }
        self.err(e.span(), "expected a variable holding a handle", "");
        Err(())
    }
}
