//! `spawn(closure)`, `thread::scope(|s| …)` with `s.spawn(closure)`, and
//! `spawn_task(f(…))`: what a closure captures, and which handles it takes over.
//!
//! A scoped thread may borrow the spawning thread's locals (Rust 1.63's scoped threads):
//! a closure without `move` passed to `s.spawn` takes nothing over — it reads the values
//! as they are when it starts (the borrow checker lets nobody change them meanwhile) — and
//! the scope joins every thread it spawned before it returns.

use super::*;

impl<'s> FnCx<'_, 's> {
    /// `spawn(move || body)` or `spawn(f)`; `scope` is the handles of the `thread::scope`
    /// it is spawned in (`s.spawn(…)`), which joins them.
    pub(super) fn spawn(
        &mut self,
        args: &[Expr],
        span: Span,
        at: Span,
        scope: Option<Local>,
    ) -> CResult<(Operand, Ty)> {
        let dst = self.temp();
        let ret: Ret;
        match args {
            [Expr::Closure {
                body,
                span: cspan,
                is_move,
                params,
            }] => {
                if let Some(p) = params.first() {
                    self.err(
                        p.span,
                        "a spawned closure takes no parameters",
                        "`spawn(move || { … })`",
                    );
                    return Err(());
                }
                let (line, _) = line_col(self.cx.src, cspan.start);
                let name = format!("{{closure@{}:{line}}}", self.owner);
                let captures = self.captures(body);
                let borrows = scope.is_some() && !*is_move;
                self.check_spawn_captures(*is_move, body, &captures, at, borrows)?;
                if borrows {
                    self.check_scoped_borrows(body, &captures, at)?;
                }
                let func = self.cx.b.declare(&name, captures.len() as u32, false);
                let mut call_args = Vec::new();
                let mut moves = Vec::new();
                for (cap_name, ty, local) in &captures {
                    call_args.push(Operand::Local(*local));
                    let side = match ty {
                        Ty::Sender(_) => Some(Side::Sender),
                        Ty::Receiver(_) => Some(Side::Receiver),
                        Ty::Arc(..) => Some(Side::Arc),
                        _ => None,
                    };
                    if borrows {
                        continue;
                    }
                    if let Some(side) = side {
                        moves.push((Operand::Local(*local), side));
                    }
                    // The closure owns what it captured (checked: it is `move`, or it
                    // uses the value by value): the spawning thread has it no more.
                    if !ownership::is_copy(*ty) {
                        if let Some(v) = self.lookup_mut(cap_name) {
                            v.gone = true;
                            v.moved_at = Some(*cspan);
                        }
                    }
                }
                let bools: Vec<bool> = captures
                    .iter()
                    .map(|(n, _, _)| self.lookup(n).is_some_and(|v| v.boolean))
                    .collect();
                let ints: Vec<_> = captures
                    .iter()
                    .map(|(n, _, _)| self.lookup(n).and_then(|v| v.int))
                    .collect();
                let mut inner = FnCx {
                    func,
                    f: FnBuilder::new(captures.len() as u32),
                    scopes: vec![Scope::default()],
                    loops: Vec::new(),
                    frames: Vec::new(),
                    is_async: false,
                    owner: name.clone(),
                    broken: Vec::new(),
                    branch: 0,
                    dead: false,
                    naming: None,
                    thread_scopes: Vec::new(),
                    consts: self
                        .consts
                        .iter()
                        .map(|(n, v, _)| (n.clone(), *v, 0))
                        .collect(),
                    explicit_unwrap: false,
                    printing: false,
                    held: Vec::new(),
                    scrutinee: None,
                    cx: self.cx,
                };
                for (i, (n, ty, _)) in captures.iter().enumerate() {
                    inner.scopes[0].vars.push(Var {
                        name: n.clone(),
                        local: Local(i as u32),
                        ty: *ty,
                        mutable: true,
                        gone: false,
                        branch: 0,
                        drop_flag: None,
                        moved_at: None,
                        boolean: bools[i],
                        at: None,
                        int: ints[i],
                        borrow: false,
                    });
                }
                let ret_label = inner.f.label();
                inner.frames.push(Frame {
                    name,
                    ret: ret_label,
                    depth: 1,
                    value: None,
                    ty: None,
                });
                let r = inner.closure_body(body);
                inner.f.bind(ret_label);
                let f = inner.f;
                self.cx.b.define(func, f);
                ret = r?;
                self.at(span);
                self.op(Op::Spawn {
                    func,
                    args: call_args,
                    moves,
                    dst: Some(dst),
                })?;
                if let Some(handles) = scope {
                    self.op(Op::VecPush {
                        vec: Operand::Local(handles),
                        src: Operand::Local(dst),
                    })?;
                }
            }
            [Expr::Path(p)] if p.len() == 1 => match self.user_fn(&p[0].name) {
                Some((decl, func)) if decl.params.is_empty() && !decl.is_async => {
                    ret = match decl.ret.as_deref() {
                        Some("bool") => Ret::Bool,
                        Some(_) => Ret::Int,
                        None => Ret::Unit,
                    };
                    if let Some(written) = decl.ret.as_deref().filter(|t| !int_type(t)) {
                        self.err(
                            p[0].span,
                            format!("a thread that returns a `{written}` is not simulated yet"),
                            "a function run as a thread by name may return a number or a `bool`; a closure may return a `String` or a tuple too",
                        );
                        return Err(());
                    }
                    self.op(Op::Spawn {
                        func,
                        args: vec![],
                        moves: vec![],
                        dst: Some(dst),
                    })?;
                }
                Some((decl, _)) if decl.is_async => {
                    self.err(
                        p[0].span,
                        format!("`{}` is an `async fn`: it runs as a task", p[0].name),
                        &format!("`spawn_task({}(…))`", p[0].name),
                    );
                    return Err(());
                }
                Some((decl, _)) => {
                    let n = decl.params.len();
                    self.err(
                        p[0].span,
                        format!(
                            "`{}` takes {n} parameter{}: `spawn` needs a function without any",
                            p[0].name,
                            if n == 1 { "" } else { "s" }
                        ),
                        &format!(
                            "spawn a closure that calls it: `spawn(move || {}({}))`",
                            p[0].name,
                            vec!["…"; n].join(", ")
                        ),
                    );
                    return Err(());
                }
                None => {
                    let hint = self.missing_fn_hint(
                        &p[0].name,
                        false,
                        "define it with `fn`, or spawn a closure: `spawn(move || { … })`",
                    );
                    self.err(
                        p[0].span,
                        format!("cannot find function `{}`", p[0].name),
                        &hint,
                    );
                    return Err(());
                }
            },
            _ => {
                self.err(span, "`spawn` takes a closure", "`spawn(move || { … })`");
                return Err(());
            }
        }
        Ok((Operand::Local(dst), Ty::Thread(ret)))
    }

    /// `thread::scope(|s| body)`: the body runs here; every thread it spawns with
    /// `s.spawn` is joined at its end (a panic in one panics the scope, as in Rust).
    pub(super) fn thread_scope(&mut self, args: &[Expr], span: Span) -> CResult<(Operand, Ty)> {
        let [Expr::Closure { params, body, .. }] = args else {
            self.err(
                span,
                "`thread::scope` takes a closure",
                "`thread::scope(|s| { s.spawn(|| …); })`",
            );
            return Err(());
        };
        let [s] = params.as_slice() else {
            self.err(
                span,
                "the scope's closure takes one parameter, the scope",
                "`thread::scope(|s| { … })`",
            );
            return Err(());
        };
        let handles = self.temp();
        self.op(Op::VecNew { dst: handles })?;
        self.thread_scopes.push(ThreadScope {
            name: s.name.clone(),
            handles,
            borrowed: Vec::new(),
        });
        let r = self.block(body);
        let scope = self.thread_scopes.pop().expect("pushed above");
        r?;
        self.lone_mutable_borrows(&scope)?;
        // The scope's end: join each thread it spawned, in order.
        let (i, len, h, ok) = (self.temp(), self.temp(), self.temp(), self.temp());
        let (top, end) = (self.f.label(), self.f.label());
        self.op(Op::Set {
            dst: i,
            src: Operand::Imm(0),
        })?;
        self.op(Op::VecLen {
            vec: Operand::Local(handles),
            dst: len,
        })?;
        self.at(Span::new(span.end.saturating_sub(1), span.end));
        self.f.bind(top);
        self.f
            .jump_unless(Operand::Local(i), BinOp::Lt, Operand::Local(len), end);
        self.op(Op::VecGet {
            vec: Operand::Local(handles),
            index: Operand::Local(i),
            dst: h,
        })?;
        self.op(Op::Join {
            thread: Operand::Local(h),
            ok: Some(ok),
        })?;
        let msg = self.cx.b.message("a scoped thread panicked");
        self.op(Op::Assert {
            cond: Operand::Local(ok),
            msg,
        })?;
        self.increment(i)?;
        self.f.jump(top);
        self.f.bind(end);
        Ok((Operand::Imm(0), Ty::Int))
    }

    /// The handles of the `thread::scope` whose parameter is `name`, if one is open.
    pub(super) fn thread_scope_of(&self, name: &str) -> Option<Local> {
        self.thread_scopes
            .iter()
            .rev()
            .find(|s| s.name == name)
            .map(|s| s.handles)
    }

    /// `spawn_task(f(args))` for an `async fn f`.
    pub(super) fn spawn_task(&mut self, args: &[Expr], span: Span) -> CResult<Operand> {
        let [Expr::Call {
            callee,
            args: call_args,
            span: cspan,
            bang: false,
        }] = args
        else {
            self.err(
                span,
                "`spawn_task` takes a call of an async fn",
                "`spawn_task(fetch(10))`",
            );
            return Err(());
        };
        let Some((decl, func)) = (if callee.len() == 1 {
            self.user_fn(&callee[0].name)
        } else {
            None
        }) else {
            self.err(
                *cspan,
                "`spawn_task` takes a call of an async fn defined in the scenario",
                "",
            );
            return Err(());
        };
        if !decl.is_async {
            self.err(
                *cspan,
                format!("`{}` is not async", decl.name.name),
                "declare it `async fn`",
            );
            return Err(());
        }
        let values = self.arguments(decl, call_args, *cspan)?;
        let dst = self.temp();
        self.op(Op::SpawnTask {
            func,
            args: values,
            dst: Some(dst),
        })?;
        Ok(Operand::Local(dst))
    }

    /// Variables of enclosing scopes that a closure body uses, in order of first use.
    pub(super) fn captures(&self, body: &Block) -> Vec<(String, Ty, Local)> {
        let mut names = Vec::new();
        collect_names_block(body, &mut names);
        let mut out: Vec<(String, Ty, Local)> = Vec::new();
        for n in names {
            if out.iter().any(|(o, _, _)| *o == n) {
                continue;
            }
            if let Some(v) = self.lookup(&n) {
                out.push((n, v.ty, v.local));
            }
        }
        out
    }
}

fn collect_names_block(b: &Block, out: &mut Vec<String>) {
    for s in &b.stmts {
        collect_names_stmt(s, out);
    }
}

fn collect_names_stmt(s: &Stmt, out: &mut Vec<String>) {
    match s {
        Stmt::Let { init, .. } => collect_names(init, out),
        Stmt::Assign { place, value, .. } => {
            collect_names(place, out);
            collect_names(value, out);
        }
        Stmt::Expr { expr, .. } => collect_names(expr, out),
        Stmt::If {
            cond, then, els, ..
        } => {
            collect_names(cond, out);
            collect_names_block(then, out);
            if let Some(e) = els {
                collect_names_stmt(e, out);
            }
        }
        Stmt::IfLetOk {
            value, then, els, ..
        } => {
            collect_names(value, out);
            collect_names_block(then, out);
            if let Some(e) = els {
                collect_names_stmt(e, out);
            }
        }
        Stmt::While { cond, body, .. } => {
            collect_names(cond, out);
            collect_names_block(body, out);
        }
        Stmt::WhileLetOk { value, body, .. } => {
            collect_names(value, out);
            collect_names_block(body, out);
        }
        Stmt::Loop { body, .. } => collect_names_block(body, out),
        Stmt::For { iter, body, .. } => {
            collect_names(iter, out);
            collect_names_block(body, out);
        }
        Stmt::Block(b) => collect_names_block(b, out),
        Stmt::Return(_, Some(e)) => collect_names(e, out),
        Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_, None) | Stmt::Const(_) => {}
    }
}

fn collect_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Path(p) if p.len() == 1 => out.push(p[0].name.clone()),
        Expr::Path(_) | Expr::Int(..) | Expr::Bool(..) | Expr::Str(..) => {}
        Expr::Unary { expr, .. }
        | Expr::Await { expr, .. }
        | Expr::Try { expr, .. }
        | Expr::Cast { expr, .. }
        | Expr::Field { base: expr, .. } => collect_names(expr, out),
        Expr::Binary { lhs, rhs, .. }
        | Expr::Index {
            base: lhs,
            index: rhs,
            ..
        } => {
            collect_names(lhs, out);
            collect_names(rhs, out);
        }
        Expr::Range { start, end, .. } => {
            collect_names(start, out);
            collect_names(end, out);
        }
        Expr::Call {
            args, bang: true, ..
        } => {
            // `println!("{x}")` uses `x` too (a name captured by the format string).
            if let Some(Expr::Str(s, _)) = args.first() {
                if let Ok(f) = crate::format::parse(s) {
                    for h in f.holes {
                        if let crate::format::Hole::Name(n) = h {
                            out.push(n);
                        }
                    }
                }
            }
            args.iter().for_each(|a| collect_names(a, out))
        }
        Expr::Call { args, .. } | Expr::Tuple(args, _) | Expr::Array(args, _) => {
            args.iter().for_each(|a| collect_names(a, out))
        }
        Expr::Method { recv, args, .. } => {
            collect_names(recv, out);
            args.iter().for_each(|a| collect_names(a, out));
        }
        Expr::Closure { body, params, .. } => {
            // A closure's own parameters are not names it captures (`.map(|x| x * 10)`).
            let mut inner = Vec::new();
            collect_names_block(body, &mut inner);
            inner.retain(|n| !params.iter().any(|p| p.name == *n));
            out.extend(inner);
        }
        Expr::Async { body, .. } => collect_names_block(body, out),
        Expr::Match {
            scrutinee, arms, ..
        } => {
            collect_names(scrutinee, out);
            for a in arms {
                if let Some(g) = &a.guard {
                    collect_names(g, out);
                }
                collect_names_block(&a.body, out);
            }
        }
        Expr::If(s) => collect_names_stmt(s, out),
    }
}
