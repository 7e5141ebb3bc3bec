//! Expressions: constants, names, operators (short-circuit `&&`/`||`), `.await`.

use super::*;

impl<'s> FnCx<'_, 's> {
    pub(super) fn expr_stmt(&mut self, e: &Expr) -> CResult<()> {
        self.typed_expr_use(e, true).map(|_| ())
    }

    pub(super) fn expr(&mut self, e: &Expr) -> CResult<Operand> {
        let (v, ty) = self.typed_expr(e)?;
        match ty {
            Ty::Int => Ok(v),
            Ty::Str(_) => {
                self.err(e.span(), "a string here is not simulated yet", "strings can be printed, compared with `==` / `!=`, sent on a channel and kept in a `Vec`; joined with `+` / `+=`; their other methods are not simulated yet");
                Err(())
            }
            ty => {
                let name = heap::type_name(ty, self.cx);
                self.err(
                    e.span(),
                    format!("expected a number here, found `{name}`"),
                    "comparing or computing with `Option`s, `Result`s and tuples is not simulated yet: take the number out first (`match`, `unwrap()`, `.0`)",
                );
                Err(())
            }
        }
    }

    /// A string operand (`"…"`, `&t`, `t`), E0308 for anything else.
    pub(super) fn text_operand(&mut self, e: &Expr) -> CResult<Operand> {
        let (v, ty) = self.typed_expr(unref(e))?;
        if !matches!(ty, Ty::Str(_)) {
            let h = heap::type_name(ty, self.cx);
            self.err_code(
                "E0308",
                e.span(),
                format!("mismatched types: expected `&str`, found `{h}`"),
                "a string adds only another string: `s + &n.to_string()` or `format!`",
            );
            return Err(());
        }
        Ok(v)
    }

    /// `dst` = the text of `a` followed by the text of `b` (a new `String`).
    pub(super) fn concat(&mut self, dst: Local, a: Operand, b: Operand) -> CResult<()> {
        let msg = self.cx.b.message("{s}{s}");
        self.op(Op::Format {
            msg,
            args: vec![a, b],
            dst,
        })
    }

    /// Whether `e` is a string, seen without compiling it: a literal, a string variable,
    /// `format!(…)`, `String::from(…)`, `.to_string()`.
    pub(super) fn is_text(&self, e: &Expr) -> bool {
        match unref(e) {
            Expr::Str(..) => true,
            Expr::Path(p) if p.len() == 1 => {
                matches!(self.lookup(&p[0].name).map(|v| v.ty), Some(Ty::Str(_)))
            }
            Expr::Call { callee, bang, .. } => {
                (*bang && last(callee) == "format")
                    || matches!(callee.as_slice(), [s, f] if s.name == "String" && f.name == "from")
            }
            Expr::Method { name, .. } => matches!(name.name.as_str(), "to_string" | "to_owned"),
            _ => false,
        }
    }

    pub(super) fn typed_expr(&mut self, e: &Expr) -> CResult<(Operand, Ty)> {
        self.typed_expr_use(e, false)
    }

    /// Compiles an expression; `stmt` when its value is discarded. Counts how deep the
    /// compiler is in expressions (inlined calls go deeper still): past `MAX_DEPTH` it
    /// stops with an error rather than overflow the stack.
    pub(super) fn typed_expr_use(&mut self, e: &Expr, stmt: bool) -> CResult<(Operand, Ty)> {
        if self.cx.depth >= MAX_DEPTH {
            if !self.cx.too_deep {
                self.cx.too_deep = true;
                self.err(
                    e.span(),
                    format!("this program nests more than {MAX_DEPTH} expressions deep, counting the bodies of the functions it calls"),
                    "split long expressions into `let`s, or call fewer functions inside one another",
                );
            }
            return Err(());
        }
        self.cx.depth += 1;
        let r = self.typed_expr_inner(e, stmt);
        self.cx.depth -= 1;
        r
    }

    fn typed_expr_inner(&mut self, e: &Expr, stmt: bool) -> CResult<(Operand, Ty)> {
        let int = |o| Ok((o, Ty::Int));
        match e {
            Expr::Int(v, _) => int(Operand::Imm(*v)),
            Expr::Bool(b, _) => int(Operand::Imm(*b as i64)),
            Expr::Str(s, _) => {
                let id = self.cx.b.message(s);
                Ok((Operand::Imm(i64::from(id)), Ty::Str(false)))
            }
            // `None => ()`: an arm that does nothing.
            Expr::Tuple(items, _) if items.is_empty() && stmt => int(Operand::Imm(0)),
            Expr::Tuple(items, span) => self.tuple(items, *span),
            Expr::Array(items, span) => {
                self.at(*span);
                self.vec_new(items)
            }
            Expr::Field { base, index, span } => self.field(base, *index, *span),
            Expr::Range { span, .. } => {
                self.err(
                    *span,
                    "a range can only be looped over",
                    "`for i in 0..3 { … }`",
                );
                Err(())
            }
            Expr::Path(p) => self.path_value(p),
            Expr::Unary { op, expr, .. } => match op {
                UnOp::Ref(_) => self.typed_expr_use(expr, stmt),
                UnOp::Deref if self.guarded_vec(expr).is_some() => {
                    self.guarded_deref(expr, e.span())
                }
                // `*x` of a reference to a value (`for x in v` over `&[i32]`): the value.
                UnOp::Deref if self.is_value_local(expr) => self.typed_expr_use(expr, stmt),
                UnOp::Deref => {
                    let (m, temp) = self.deref_target(expr, false)?;
                    let t = self.temp();
                    self.op(Op::MutexLoad { dst: t, mutex: m })?;
                    if let Some(read) = temp {
                        self.op(unlock(m, read))?;
                    }
                    int(Operand::Local(t))
                }
                UnOp::Neg => {
                    let v = self.expr(expr)?;
                    // `-5` is a constant in Rust, not an op at run time.
                    if let Operand::Imm(c) = v {
                        if let Some(n) = c.checked_neg() {
                            return int(Operand::Imm(n));
                        }
                    }
                    // `0 - x`, in `x`'s type: `-x` of an `i8` at -128 overflows.
                    let t = self.temp();
                    let fit = self.int_of(expr);
                    self.arith(t, BinOp::Sub, Operand::Imm(0), v, fit)?;
                    int(Operand::Local(t))
                }
                UnOp::Not => {
                    let v = self.expr(expr)?;
                    let t = self.temp();
                    self.op(Op::Bin {
                        dst: t,
                        op: BinOp::Eq,
                        a: v,
                        b: Operand::Imm(0),
                    })?;
                    int(Operand::Local(t))
                }
            },
            Expr::Binary { op, lhs, rhs, .. } => {
                let t = self.temp();
                match op {
                    BinOp::And | BinOp::Or => {
                        // Short-circuit, as in Rust: the right side may not run.
                        let end = self.f.label();
                        let a = self.expr(lhs)?;
                        self.op(Op::Bin {
                            dst: t,
                            op: BinOp::Ne,
                            a,
                            b: Operand::Imm(0),
                        })?;
                        if *op == BinOp::And {
                            self.f.jump_if_zero(Operand::Local(t), end);
                        } else {
                            let skip = self.f.label();
                            self.f.jump_if_zero(Operand::Local(t), skip);
                            self.f.jump(end);
                            self.f.bind(skip);
                        }
                        let b = self.expr(rhs)?;
                        self.op(Op::Bin {
                            dst: t,
                            op: BinOp::Ne,
                            a: b,
                            b: Operand::Imm(0),
                        })?;
                        self.f.bind(end);
                    }
                    BinOp::Add if self.is_text(lhs) => {
                        // `s + "…"`, `s + &t`: a `String` (moved) with the other appended.
                        let (a, ta) = self.typed_expr(lhs)?;
                        if ta == Ty::Str(false) {
                            self.err_code(
                                "E0369",
                                lhs.span().to(rhs.span()),
                                "cannot add `&str` to `&str`".into(),
                                "make the left one a `String`: `a.to_string() + b`, or write `format!(\"{a}{b}\")`",
                            );
                            return Err(());
                        }
                        self.mark_moved(lhs, lhs.span());
                        let b = self.text_operand(rhs)?;
                        self.concat(t, a, b)?;
                        return Ok((Operand::Local(t), Ty::Str(true)));
                    }
                    BinOp::Eq | BinOp::Ne if self.is_text(lhs) || self.is_text(rhs) => {
                        // Strings compare by their text (`msg == "quit"`).
                        let (a, ta) = self.typed_expr(unref(lhs))?;
                        let (b, tb) = self.typed_expr(unref(rhs))?;
                        if !matches!((ta, tb), (Ty::Str(_), Ty::Str(_))) {
                            let (w, h) =
                                (heap::type_name(ta, self.cx), heap::type_name(tb, self.cx));
                            self.err_code(
                                "E0308",
                                rhs.span(),
                                format!("mismatched types: expected `{w}`, found `{h}`"),
                                "a string compares only with another string",
                            );
                            return Err(());
                        }
                        self.op(Op::TextEq { dst: t, a, b })?;
                        if *op == BinOp::Ne {
                            self.op(Op::Bin {
                                dst: t,
                                op: BinOp::Eq,
                                a: Operand::Local(t),
                                b: Operand::Imm(0),
                            })?;
                        }
                    }
                    BinOp::Eq | BinOp::Ne if self.is_thread_id(lhs) => {
                        // Thread ids compare, and do nothing else.
                        let (a, ta) = self.typed_expr(lhs)?;
                        let (b, tb) = self.typed_expr(rhs)?;
                        if (ta, tb) != (Ty::ThreadId, Ty::ThreadId) {
                            self.err(rhs.span(), "a `ThreadId` compares only with another", "");
                            return Err(());
                        }
                        self.op(Op::Bin {
                            dst: t,
                            op: *op,
                            a,
                            b,
                        })?;
                    }
                    _ => {
                        let fit = self.int_of(e);
                        let a = self.expr(lhs)?;
                        let b = self.expr(rhs)?;
                        self.arith(t, *op, a, b, fit)?;
                    }
                }
                int(Operand::Local(t))
            }
            Expr::Async { span, .. } => {
                self.err(
                    *span,
                    "`async` blocks are not simulated yet (the Book's chapter 17 writes them: `trpl::run(async { … })`)",
                    "write the work as an `async fn`, start it with `spawn_task(f())` and wait for it with `block_on(t)` (or `t.await` in another `async fn`); see docs/language.md, Async",
                );
                Err(())
            }
            Expr::Closure { span, .. } => {
                self.err(
                    *span,
                    "a closure can only be passed to `spawn`",
                    "`let h = spawn(move || { … });`",
                );
                Err(())
            }
            Expr::Await { expr, span } => self.await_expr(expr, *span),
            Expr::Try { expr, span } => self.try_expr(expr, *span),
            Expr::Cast { expr, ty, span } => self.cast(expr, ty, *span),
            Expr::Index { base, index, span } => self.index(base, index, *span),
            Expr::Match {
                scrutinee,
                arms,
                span,
            } => self.match_expr(scrutinee, arms, *span),
            Expr::If(s) => self.if_expr(s, stmt),
            Expr::Call {
                callee,
                bang,
                args,
                span,
            } => self.call(callee, *bang, args, *span),
            Expr::Method { .. } => self.method_chain(e, stmt),
        }
    }

    /// `e as T` between integers (and from `bool`): the value is kept. Values here are
    /// 64-bit, so a value that does not fit `T` (which Rust would wrap or cut) panics
    /// with a sentence saying so instead of being silently kept.
    fn cast(&mut self, e: &Expr, ty: &str, span: Span) -> CResult<(Operand, Ty)> {
        let Some((min, max)) = int_range(ty) else {
            self.err(
                span,
                format!("`as {ty}` is not simulated"),
                "casts between integer types are",
            );
            return Err(());
        };
        let v = self.expr(e)?;
        let fits = |c: i64| i128::from(c) >= min && i128::from(c) <= max;
        match v {
            Operand::Imm(c) if fits(c) => return Ok((v, Ty::Int)),
            Operand::Imm(c) => {
                self.err(
                    span,
                    format!(
                        "`{c} as {ty}` changes the value (Rust wraps it), which is not simulated"
                    ),
                    "values here are 64-bit: keep them within the type",
                );
                return Err(());
            }
            Operand::Local(_) => {}
        }
        let msg = self.cx.b.message(&format!("`as {ty}`: the value does not fit, and Rust would wrap it (not simulated: values here are 64-bit)"));
        if min > i128::from(i64::MIN) {
            let b = Operand::Imm(min as i64);
            self.op(Op::AssertCmp {
                a: v,
                op: BinOp::Ge,
                b,
                msg,
            })?;
        }
        if max < i128::from(i64::MAX) {
            let b = Operand::Imm(max as i64);
            self.op(Op::AssertCmp {
                a: v,
                op: BinOp::Le,
                b,
                msg,
            })?;
        }
        Ok((v, Ty::Int))
    }

    /// `u32::MAX`, `i64::MIN` and the like, where they fit in 64 bits.
    fn int_constant(&mut self, p: &[ast::Ident]) -> Option<CResult<(Operand, Ty)>> {
        let [t, c] = p else {
            return None;
        };
        let (min, max) = int_range(&t.name).filter(|_| t.name != "bool")?;
        let v = match c.name.as_str() {
            "MAX" => max,
            "MIN" => min,
            _ => return None,
        };
        Some(match i64::try_from(v) {
            Ok(v) => Ok((Operand::Imm(v), Ty::Int)),
            Err(_) => {
                self.err(
                    t.span.to(c.span),
                    format!(
                        "`{}::{}` does not fit the simulator's 64-bit values",
                        t.name, c.name
                    ),
                    "use a smaller bound, e.g. `i64::MAX`",
                );
                Err(())
            }
        })
    }

    pub(super) fn path_value(&mut self, p: &[ast::Ident]) -> CResult<(Operand, Ty)> {
        if let Some(r) = self.int_constant(p) {
            return r;
        }
        if p.len() == 1 && p[0].name == "None" && self.lookup("None").is_none() {
            return self.none(p[0].span);
        }
        let name = &p[p.len() - 1];
        if p.len() == 1 {
            if let Some(v) = self.lookup(&name.name) {
                if v.gone && v.ty != Ty::Int {
                    let hint = match (v.ty, v.moved_at) {
                        (Ty::Thread(_), _) => "`join()` takes the handle: a thread is joined once".to_string(),
                        (_, Some(at)) => format!(
                            "it moved at line {} (sent, moved into a thread, added to with `+`, or dropped), and a value has one owner: use it before, or send a clone",
                            line_col(self.cx.src, at.start).0
                        ),
                        _ => String::new(),
                    };
                    // `join` takes the handle itself; the other uses here borrow the value.
                    let how = if matches!(v.ty, Ty::Thread(_)) {
                        "use"
                    } else {
                        "borrow"
                    };
                    let msg = format!("{how} of moved value: `{}`", name.name);
                    self.err_code("E0382", name.span, msg, &hint);
                    return Err(());
                }
                return Ok((Operand::Local(v.local), v.ty));
            }
        }
        if p.len() == 1 {
            if let Some(&(_, v, _)) = self.consts.iter().rev().find(|c| c.0 == name.name) {
                return Ok((Operand::Imm(v), Ty::Int));
            }
        }
        match self.global(&name.name) {
            Some((Global::Const(v), _)) => Ok((Operand::Imm(v), Ty::Int)),
            Some((Global::Var(var), _)) => {
                let t = self.temp();
                self.op(Op::Load { dst: t, var })?;
                Ok((Operand::Local(t), Ty::Int))
            }
            Some((Global::Atomic(_), _)) => {
                self.err(
                    name.span,
                    format!("`{}` is atomic: read it with `.load()`", name.name),
                    &format!("`{}.load(Ordering::SeqCst)`", name.name),
                );
                Err(())
            }
            Some((Global::Condvar(c), _)) => Ok((Operand::Imm(0), Ty::Condvar(c))),
            Some((Global::Once(..), _)) => {
                self.err(
                    name.span,
                    format!("`{}` is a once: use it through its methods", name.name),
                    "`INIT.call_once(|| { … })`, `CELL.get_or_init(|| value)`",
                );
                Err(())
            }
            Some((Global::Mutex(_), _)) => {
                self.err(
                    name.span,
                    format!("`{}` is a Mutex: lock it to read it", name.name),
                    &format!("`*{}.lock().unwrap()`", name.name),
                );
                Err(())
            }
            None => {
                self.unknown(name);
                Err(())
            }
        }
    }

    pub(super) fn await_expr(&mut self, inner: &Expr, span: Span) -> CResult<(Operand, Ty)> {
        if !self.is_async {
            self.err(
                span,
                "`.await` is only allowed inside an `async fn`",
                "from `main`, wait for a task with `block_on(task)`",
            );
            return Err(());
        }
        match inner {
            Expr::Call { callee, args, .. }
                if last(callee) == "io" || last(callee) == "sleep_async" =>
            {
                let [t] = args.as_slice() else {
                    self.err(inner.span(), "`io(ticks)` takes one argument", "");
                    return Err(());
                };
                let ticks = self.expr(t)?;
                self.op(Op::AwaitIo { ticks })?;
                Ok((Operand::Imm(0), Ty::Int))
            }
            Expr::Call {
                callee, args, span, ..
            } if callee.len() == 1 && self.user_fn(&callee[0].name).is_some() => {
                let (decl, _) = self.user_fn(&callee[0].name).expect("checked");
                if !decl.is_async {
                    self.err(
                        *span,
                        format!(
                            "`{}` is not async: call it without `.await`",
                            callee[0].name
                        ),
                        "",
                    );
                    return Err(());
                }
                self.inline_call(decl, args, *span)?;
                Ok((Operand::Imm(0), Ty::Int))
            }
            e => {
                let task = self.handle(e, Ty::Task)?;
                self.op(Op::AwaitTask { task })?;
                Ok((Operand::Imm(0), Ty::Int))
            }
        }
    }
}

/// The values an integer type (or `bool`) holds.
fn int_range(ty: &str) -> Option<(i128, i128)> {
    let bits = |s: &str| s.parse::<u32>().ok();
    Some(match ty {
        "bool" => (0, 1),
        "isize" => (i128::from(i64::MIN), i128::from(i64::MAX)),
        "usize" => (0, i128::from(u64::MAX)),
        "i128" => (i128::MIN, i128::MAX),
        t if t.starts_with('i') => {
            let b = bits(&t[1..]).filter(|b| [8, 16, 32, 64].contains(b))?;
            (-(1i128 << (b - 1)), (1i128 << (b - 1)) - 1)
        }
        t if t.starts_with('u') => {
            let b = bits(&t[1..]).filter(|b| [8, 16, 32, 64, 128].contains(b))?;
            (
                0,
                if b == 128 {
                    i128::MAX
                } else {
                    (1i128 << b) - 1
                },
            )
        }
        _ => return None,
    })
}
