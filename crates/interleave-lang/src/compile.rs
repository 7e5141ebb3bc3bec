//! Compiles a parsed scenario to the simulator's `Program`.
//!
//! Semantics that matter for the lessons: a plain `static` is read and written with one
//! op each, so `X += 1` is load, add, store; a `MutexGuard` is released where its scope
//! ends (or at `drop(g)`, `break`, `continue`, `return`); spawned closures capture by value
//! and take over the channel handles they use; user functions are inlined into their
//! caller (so recursion is refused).

use crate::ast::{self, Block, Expr, FnDecl, Item, Pat, StaticKind, Stmt, UnOp};
use crate::diag::{line_col, Diagnostic, Span};
use interleave_core::builder::{FnBuilder, Label, ProgramBuilder};
use interleave_core::program::{
    AtomicId, BinOp, FnId, Local, MutexId, Op, Operand, Program, RmwOp, Side, VarId,
};
use std::sync::Arc;

pub(crate) mod closure;
mod output;
pub mod time;

/// Most ops one scenario may compile to (inlining can multiply code).
pub const MAX_OPS: usize = 100_000;
/// Deepest chain of inlined calls.
pub const MAX_INLINE_DEPTH: usize = 16;

pub struct Compiled {
    pub program: Arc<Program>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    Int,
    Sender,
    Receiver,
    Thread,
    Task,
    Guard(MutexId),
}

#[derive(Clone, Copy)]
enum Global {
    Var(VarId),
    Atomic(AtomicId),
    Mutex(MutexId),
}

struct Var {
    name: String,
    local: Local,
    ty: Ty,
    mutable: bool,
    /// A guard already dropped, or a handle moved into a closure or dropped. After an
    /// `if` or a loop, gone on some paths counts as gone (as in Rust: maybe moved).
    gone: bool,
    /// How many branches (if arms, loop bodies) were open where it was declared.
    branch: u32,
    /// A guard dropped on only some paths: set to 1 where it was dropped, so its scope's
    /// end unlocks it only where it was not (Rust's drop flag).
    drop_flag: Option<Local>,
    /// Where it was last moved or dropped.
    moved_at: Option<Span>,
}

#[derive(Default)]
struct Scope {
    vars: Vec<Var>,
}

struct LoopCx {
    brk: Label,
    cont: Label,
    /// Scopes open when the loop began: `break` unlocks guards of the scopes above.
    depth: usize,
    /// Every variable's `gone` when the loop began (see [`FnCx::gone_flags`]).
    start: Vec<bool>,
    /// The same at each `break`: after the loop, gone on any of these paths is gone.
    breaks: Vec<Vec<bool>>,
}

/// One inlined function call in progress.
struct Frame {
    name: String,
    ret: Label,
    depth: usize,
}

struct Cx<'s> {
    src: &'s str,
    b: ProgramBuilder,
    statics: Vec<(String, Global, StaticKind)>,
    fns: Vec<(&'s FnDecl, FnId)>,
    diags: Vec<Diagnostic>,
    ops: usize,
}

struct FnCx<'c, 's> {
    cx: &'c mut Cx<'s>,
    f: FnBuilder,
    scopes: Vec<Scope>,
    loops: Vec<LoopCx>,
    frames: Vec<Frame>,
    is_async: bool,
    /// Name of the function (or closure) being compiled, for naming closures.
    owner: String,
    /// Names whose `let` failed to compile: already reported, so a later use of one is
    /// not reported again as unknown.
    broken: Vec<String>,
    /// Branches open here: `if` arms and loop bodies, which may not run.
    branch: u32,
    /// Code here is never reached: a `break`, `continue` or `return` came first on this
    /// path, so what it moves does not count where the paths meet.
    dead: bool,
}

type CResult<T> = Result<T, ()>;

/// The built-in functions a scenario calls by name (for "did you mean").
const BUILTIN_FNS: &[&str] = &[
    "spawn",
    "spawn_task",
    "block_on",
    "work",
    "sleep",
    "blocking_io",
    "io",
    "drop",
    "channel",
    "sync_channel",
    "assert",
    "assert_eq",
    "assert_ne",
];
/// The methods scenarios use on handles, guards and atomics (for "did you mean").
const KNOWN_METHODS: &[&str] = &[
    "join",
    "unwrap",
    "expect",
    "lock",
    "try_lock",
    "send",
    "recv",
    "try_recv",
    "iter",
    "load",
    "store",
    "fetch_add",
    "fetch_sub",
    "swap",
    "compare_exchange",
    "compare_exchange_weak",
    "is_ok",
    "is_err",
    "clone",
];

/// The closest of `candidates` to a misspelt `name`, if one is close (at most two edits,
/// and fewer than its length).
fn near<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter(|&c| c != name)
        .map(|c| (strsim::levenshtein(c, name), c))
        .filter(|&(d, c)| d <= 2 && d < c.len())
        .min()
        .map(|(_, c)| c)
}

pub fn compile_scenario(src: &str, scenario: &ast::Scenario) -> Result<Compiled, Vec<Diagnostic>> {
    let mut cx = Cx {
        src,
        b: ProgramBuilder::new(),
        statics: Vec::new(),
        fns: Vec::new(),
        diags: Vec::new(),
        ops: 0,
    };
    for item in &scenario.items {
        match item {
            Item::Static(s) => {
                if cx.statics.iter().any(|(n, _, _)| *n == s.name.name) {
                    cx.diags.push(Diagnostic::error(
                        s.name.span,
                        format!("`{}` is declared twice", s.name.name),
                    ));
                    continue;
                }
                let g = match s.kind {
                    StaticKind::Plain => Global::Var(cx.b.var(&s.name.name, s.init)),
                    StaticKind::Atomic => Global::Atomic(cx.b.atomic(&s.name.name, s.init)),
                    StaticKind::Mutex => Global::Mutex(cx.b.mutex(&s.name.name, s.init)),
                };
                cx.statics.push((s.name.name.clone(), g, s.kind));
            }
            Item::Use { .. } => {}
            Item::Fn(f) => {
                if cx.fns.iter().any(|(g, _)| g.name.name == f.name.name) {
                    cx.diags.push(Diagnostic::error(
                        f.name.span,
                        format!("`{}` is defined twice", f.name.name),
                    ));
                    continue;
                }
                let id =
                    cx.b.declare(&f.name.name, f.params.len() as u32, f.is_async);
                cx.fns.push((f, id));
            }
        }
    }
    let Some(&(main, main_id)) = cx.fns.iter().find(|(f, _)| f.name.name == "main") else {
        cx.diags.push(
            Diagnostic::error(Span::new(0, 0), "there is no `fn main()`")
                .hint("add `fn main() { … }`: the simulation starts there"),
        );
        return Err(cx.diags);
    };
    if main.is_async || !main.params.is_empty() {
        cx.diags.push(
            Diagnostic::error(main.name.span, "`main` must be `fn main()`")
                .hint("spawn async work with `spawn_task(f())` and wait with `block_on(task)`"),
        );
    }
    cx.b.set_main(main_id);
    let fns = cx.fns.clone();
    for (decl, id) in fns {
        compile_fn(&mut cx, decl, id);
    }
    // Inlining compiles a function body once per call: report each problem once.
    let mut seen = Vec::new();
    cx.diags.retain(|d| {
        let key = (d.span, d.message.clone());
        let fresh = !seen.contains(&key);
        seen.push(key);
        fresh
    });
    if cx.diags.iter().any(Diagnostic::is_error) {
        return Err(cx.diags);
    }
    let program = cx.b.finish();
    if let Err(e) = program.validate() {
        // A compiler bug, not a user error: say so plainly rather than panic.
        cx.diags.push(Diagnostic::error(
            Span::new(0, 0),
            format!("internal compiler error: {e}"),
        ));
        return Err(cx.diags);
    }
    Ok(Compiled {
        program: Arc::new(program),
        warnings: cx.diags,
    })
}

fn compile_fn(cx: &mut Cx, decl: &FnDecl, id: FnId) {
    let mut fc = FnCx {
        f: FnBuilder::new(decl.params.len() as u32),
        scopes: vec![Scope::default()],
        loops: Vec::new(),
        frames: Vec::new(),
        is_async: decl.is_async,
        owner: decl.name.name.clone(),
        broken: Vec::new(),
        branch: 0,
        dead: false,
        cx,
    };
    for (i, p) in decl.params.iter().enumerate() {
        fc.scopes[0].vars.push(Var {
            name: p.name.clone(),
            local: Local(i as u32),
            ty: Ty::Int,
            mutable: false,
            gone: false,
            branch: 0,
            drop_flag: None,
            moved_at: None,
        });
    }
    fc.frames.push(Frame {
        name: decl.name.name.clone(),
        ret: fc.f.label(),
        depth: 1,
    });
    let _ = fc.block(&decl.body);
    let ret = fc.frames.pop().expect("frame").ret;
    fc.f.bind(ret);
    let f = fc.f;
    cx.b.define(id, f);
}

/// The last name of a path (`thread::spawn` → `spawn`).
fn last(path: &[ast::Ident]) -> &str {
    path.last().map_or("", |i| i.name.as_str())
}

/// How a `Result` is consumed after a call: `.unwrap()`, `.is_ok()`, or dropped.
#[derive(Clone, Copy, PartialEq)]
enum Use {
    Unwrap,
    IsOk,
    IsErr,
    Ignore,
}

/// For a built-in method that returns a `Result`, how to use it in a scenario.
fn result_hint(method: &str) -> Option<&'static str> {
    Some(match method {
        "join" => "write `h.join().unwrap()` to wait and panic if the thread panicked, `h.join().is_ok()` to test it, or `let _ = h.join();` to wait and ignore it",
        "recv" => "write `rx.recv().unwrap()` (panics once every sender is gone), `if let Ok(v) = rx.recv() { … }`, or test it with `.is_ok()`",
        "send" => "write `tx.send(v).unwrap()` (panics if the receiver is gone), test it with `.is_ok()`, or `let _ = tx.send(v);` to ignore it",
        "lock" => "write `let mut g = M.lock().unwrap();` (it panics if the mutex is poisoned)",
        "compare_exchange" | "compare_exchange_weak" => "test it with `.is_ok()` / `.is_err()`, or `.unwrap()` for the old value (panics if it was not the expected one)",
        _ => return None,
    })
}

impl<'c, 's> FnCx<'c, 's> {
    fn err(&mut self, span: Span, msg: impl Into<String>, hint: &str) {
        let mut d = Diagnostic::error(span, msg);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.cx.diags.push(d);
    }

    fn op(&mut self, op: Op) -> CResult<()> {
        self.cx.ops += 1;
        if self.cx.ops > MAX_OPS {
            if self.cx.ops == MAX_OPS + 1 {
                self.cx.diags.push(
                    Diagnostic::error(
                        Span::new(0, 0),
                        format!("the scenario compiles to more than {MAX_OPS} steps of code"),
                    )
                    .hint("use loops instead of repeated code, and fewer nested calls"),
                );
            }
            return Err(());
        }
        self.f.op(op);
        Ok(())
    }

    fn at(&mut self, span: Span) {
        let (line, _) = line_col(self.cx.src, span.start);
        self.f.line(line as u32);
    }

    fn temp(&mut self) -> Local {
        self.f.local()
    }

    /// Closes the innermost scope: its names go out of scope here.
    fn pop_scope(&mut self) {
        if let Some(scope) = self.scopes.pop() {
            for v in scope.vars.iter().filter(|v| v.ty == Ty::Int) {
                self.f.unname(v.local);
            }
        }
    }

    fn lookup(&self, name: &str) -> Option<&Var> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.vars.iter().rev())
            .find(|v| v.name == name)
    }

    fn lookup_mut(&mut self, name: &str) -> Option<&mut Var> {
        self.scopes
            .iter_mut()
            .rev()
            .flat_map(|s| s.vars.iter_mut().rev())
            .find(|v| v.name == name)
    }

    fn global(&self, name: &str) -> Option<(Global, StaticKind)> {
        self.cx
            .statics
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|&(_, g, k)| (g, k))
    }

    fn bind(&mut self, name: &ast::Ident, local: Local, ty: Ty, mutable: bool) {
        if ty == Ty::Int {
            // Shown beside its thread in the page while in scope.
            self.f.name(local, &name.name);
        }
        let branch = self.branch;
        let scope = self.scopes.last_mut().expect("a scope is open");
        scope.vars.push(Var {
            name: name.name.clone(),
            local,
            ty,
            mutable,
            gone: false,
            branch,
            drop_flag: None,
            moved_at: None,
        });
    }

    /// `e`, when it names a variable, is moved (into a call that takes it) at `at`.
    fn mark_moved(&mut self, e: &Expr, at: Span) {
        if let Expr::Path(p) = e {
            if let Some(v) = self.lookup_mut(&p[0].name).filter(|_| p.len() == 1) {
                v.gone = true;
                v.moved_at = Some(at);
            }
        }
    }

    /// Every variable's `gone`, outermost first: what a branch starts from.
    fn gone_flags(&self) -> Vec<bool> {
        self.scopes
            .iter()
            .flat_map(|s| &s.vars)
            .map(|v| v.gone)
            .collect()
    }

    fn set_gone_flags(&mut self, flags: &[bool]) {
        let vars = self.scopes.iter_mut().flat_map(|s| &mut s.vars);
        for (v, &g) in vars.zip(flags) {
            v.gone = g;
        }
    }

    /// Compiles one arm of an `if` (or a loop body) as a branch: a guard from outside
    /// that it drops gets a drop flag.
    fn branch_arm(&mut self, arm: impl FnOnce(&mut Self) -> CResult<()>) -> CResult<()> {
        self.branch += 1;
        let r = arm(self);
        self.branch -= 1;
        r
    }

    /// Releases the live guards of scopes `from..` (innermost first, last declared first).
    fn release_guards(&mut self, from: usize, forget: bool) -> CResult<()> {
        // (mutex, drop flag): a guard dropped on some paths unlocks only where its flag is 0.
        let mut unlocks = Vec::new();
        for scope in self.scopes[from..].iter_mut().rev() {
            for v in scope.vars.iter_mut().rev() {
                match (v.ty, v.gone, v.drop_flag) {
                    (Ty::Guard(m), false, _) => {
                        unlocks.push((m, None));
                        if forget {
                            v.gone = true;
                        }
                    }
                    (Ty::Guard(m), true, Some(flag)) => unlocks.push((m, Some(flag))),
                    _ => {}
                }
            }
        }
        for (m, flag) in unlocks {
            match flag {
                None => self.op(Op::Unlock { mutex: m })?,
                Some(flag) => {
                    let (held, skip) = (self.temp(), self.f.label());
                    self.op(Op::Bin {
                        dst: held,
                        op: BinOp::Eq,
                        a: Operand::Local(flag),
                        b: Operand::Imm(0),
                    })?;
                    self.f.jump_if_zero(Operand::Local(held), skip);
                    self.op(Op::Unlock { mutex: m })?;
                    self.f.bind(skip);
                    // Cleared for the next time round a loop that declares the guard.
                    self.op(Op::Set {
                        dst: flag,
                        src: Operand::Imm(0),
                    })?;
                }
            }
        }
        Ok(())
    }

    fn block(&mut self, b: &Block) -> CResult<()> {
        self.block_with(b, &b.stmts, |_| Ok(()))
    }

    /// `stmts` (a block's, or all but its last) in the block's scope, then `last`, then the
    /// scope's guards are dropped at `b`'s closing brace.
    fn block_with(
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

    fn stmt(&mut self, s: &Stmt) -> CResult<()> {
        self.at(s.span());
        match s {
            Stmt::Let { pat, init, span } => self.let_stmt(pat, init, *span),
            Stmt::Assign {
                place,
                op,
                value,
                span,
            } => self.assign(place, *op, value, *span),
            Stmt::Expr { expr, .. } => self.expr_stmt(expr),
            Stmt::Block(b) => self.block(b),
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
                pat,
                value,
                then,
                els,
                span,
            } => {
                let else_l = self.f.label();
                let end = self.f.label();
                let before = self.gone_flags();
                self.branch_arm(|cx| {
                    cx.scopes.push(Scope::default());
                    cx.if_let_ok(pat, value, *span, else_l)?;
                    let r = cx.block(then);
                    let depth = cx.scopes.len() - 1;
                    cx.release_guards(depth, true)?;
                    cx.pop_scope();
                    r
                })?;
                self.f.jump(end);
                self.f.bind(else_l);
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
                self.loop_body(body, end, top)?;
                self.f.jump(top);
                self.f.bind(end);
                Ok(())
            }
            Stmt::WhileLetOk {
                pat,
                value,
                body,
                span,
            } => {
                let top = self.f.label();
                let end = self.f.label();
                self.f.bind(top);
                self.scopes.push(Scope::default());
                self.if_let_ok(pat, value, *span, end)?;
                let r = self.loop_body(body, end, top);
                self.pop_scope();
                r?;
                self.f.jump(top);
                self.f.bind(end);
                Ok(())
            }
            Stmt::Loop { body, .. } => {
                let top = self.f.label();
                let end = self.f.label();
                self.f.bind(top);
                self.loop_body(body, end, top)?;
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
            Stmt::Return(_) => {
                let frame = self.frames.last().expect("inside a function");
                let (ret, depth) = (frame.ret, frame.depth);
                self.release_guards(depth, false)?;
                self.f.jump(ret);
                self.dead = true;
                Ok(())
            }
        }
    }

    fn loop_body(&mut self, body: &Block, brk: Label, cont: Label) -> CResult<()> {
        let start = self.gone_flags();
        self.loops.push(LoopCx {
            brk,
            cont,
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
    fn loops_back(&mut self) -> CResult<()> {
        let start = &self.loops.last().expect("inside a loop").start;
        let moved: Vec<(String, Ty, Option<Span>)> = self
            .scopes
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
                Ty::Sender => format!("give each iteration its own sender: `let {name} = {name}.clone();` inside the loop, before the move"),
                _ => "`break` (or `return`) right after it, or make it inside the loop".to_string(),
            };
            self.err(
                at.unwrap_or(Span::new(0, 0)),
                format!("`{name}` is moved here in one iteration of the loop, and the next iteration would use it again (rustc: value moved here, in previous iteration of loop)"),
                &hint,
            );
        }
        Err(())
    }

    /// The `else` arm (if any) of an `if` whose `then` arm is compiled: it starts from the
    /// state `before` the `then` arm, and afterwards whatever either arm moved is gone.
    fn else_arm(&mut self, before: Vec<bool>, els: Option<&Stmt>) -> CResult<()> {
        let (after_then, then_dead) = (self.gone_flags(), self.dead);
        self.set_gone_flags(&before);
        self.dead = false;
        if let Some(e) = els {
            self.branch_arm(|cx| cx.stmt(e))?;
        }
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

    /// `Ok(p) = value`: binds `p` on success, jumps to `fail` otherwise.
    fn if_let_ok(&mut self, pat: &Pat, value: &Expr, span: Span, fail: Label) -> CResult<()> {
        let ok = self.temp();
        match value {
            Expr::Method {
                recv, name, args, ..
            } if name.name == "try_lock" && args.is_empty() => {
                let m = self.mutex_of(recv)?;
                self.op(Op::TryLock { dst: ok, mutex: m })?;
                self.f.jump_if_zero(Operand::Local(ok), fail);
                self.bind_pat(pat, ok, Ty::Guard(m))
            }
            Expr::Method {
                recv, name, args, ..
            } if name.name == "recv" && args.is_empty() => {
                let chan = self.handle(recv, Ty::Receiver)?;
                let dst = self.temp();
                self.op(Op::Recv {
                    chan,
                    dst,
                    ok: Some(ok),
                })?;
                self.f.jump_if_zero(Operand::Local(ok), fail);
                self.bind_pat(pat, dst, Ty::Int)
            }
            _ => {
                self.err(
                    span,
                    "unsupported `let Ok(…) = …`",
                    "use `if let Ok(mut g) = M.try_lock()` or `while let Ok(v) = rx.recv()`",
                );
                Err(())
            }
        }
    }

    fn bind_pat(&mut self, pat: &Pat, local: Local, ty: Ty) -> CResult<()> {
        match pat {
            Pat::Ident { name, mutable } => {
                self.bind(name, local, ty, *mutable);
                Ok(())
            }
            Pat::Wild(_) => {
                if let Ty::Guard(m) = ty {
                    // `let _ = M.lock()` drops the guard at once, as in Rust.
                    self.op(Op::Unlock { mutex: m })?;
                }
                Ok(())
            }
            Pat::Tuple(_) => Err(()),
        }
    }

    fn for_loop(&mut self, pat: &Pat, iter: &Expr, body: &Block, span: Span) -> CResult<()> {
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
                    self.bind_pat(pat, i, Ty::Int)?;
                    self.loop_body(body, end, cont)?;
                    self.f.bind(cont);
                    // The counter steps past the last value: the loop variable never
                    // holds it (as a Rust range iterator's item never does).
                    self.f.unname(i);
                    self.at(span);
                    self.op(Op::Bin {
                        dst: i,
                        op: BinOp::Add,
                        a: Operand::Local(i),
                        b: Operand::Imm(1),
                    })?;
                    // Back to the top unless `i >= limit` (`i > limit` for `..=`).
                    self.f
                        .jump_unless(Operand::Local(i), stop_op, Operand::Local(limit), top);
                }
                _ => {
                    // `for v in rx`, `for v in rx.iter()`, `for v in &rx`.
                    let rx = match iter {
                        Expr::Method {
                            recv, name, args, ..
                        } if name.name == "iter" && args.is_empty() => recv.as_ref(),
                        e => e,
                    };
                    let chan = self.handle(rx, Ty::Receiver).inspect_err(|_| {
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
                    self.bind_pat(pat, v, Ty::Int)?;
                    self.loop_body(body, end, top)?;
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

    fn let_stmt(&mut self, pat: &Pat, init: &Expr, span: Span) -> CResult<()> {
        if let Pat::Tuple(parts) = pat {
            let Expr::Call { callee, args, .. } = init else {
                self.err(
                    span,
                    "tuple patterns only destructure a new channel",
                    "`let (tx, rx) = channel();`",
                );
                return Err(());
            };
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
            self.bind(tx, t, Ty::Sender, false);
            self.bind(rx, r, Ty::Receiver, false);
            return Ok(());
        }
        if let Pat::Wild(_) = pat {
            // `let _ = …;` drops the value at once, as a statement does: a `Result` is
            // ignored (`let _ = h.join();` does not panic).
            let (_, ty) = self.typed_expr_use(init, true)?;
            if let Ty::Guard(_) = ty {
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
        let Ok((v, ty)) = self.typed_expr(init) else {
            collect_pat_names(pat, &mut self.broken);
            return Err(());
        };
        if let Ty::Guard(_) = ty {
            // A guard has no value to copy: it only marks the lock as held in this scope.
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
        self.bind_pat(pat, local, ty)
    }

    /// Whether a local is a named variable (so a `let` must copy it, not alias it).
    fn is_named(&self, l: Local) -> bool {
        self.scopes
            .iter()
            .flat_map(|s| &s.vars)
            .any(|v| v.local == l)
    }

    fn assign(&mut self, place: &Expr, op: Option<BinOp>, value: &Expr, span: Span) -> CResult<()> {
        match place {
            Expr::Path(p) if p.len() == 1 => {
                let name = &p[0];
                if let Some(var) = self.lookup(&name.name) {
                    let (local, mutable, ty) = (var.local, var.mutable, var.ty);
                    if !mutable {
                        self.err(
                            name.span,
                            format!("cannot assign twice to immutable variable `{}`", name.name),
                            &format!("declare it with `let mut {}`", name.name),
                        );
                        return Err(());
                    }
                    if ty != Ty::Int {
                        self.err(name.span, format!("`{}` is not a number", name.name), "");
                        return Err(());
                    }
                    let v = self.expr(value)?;
                    return match op {
                        None => self.op(Op::Set { dst: local, src: v }),
                        Some(op) => self.op(Op::Bin {
                            dst: local,
                            op,
                            a: Operand::Local(local),
                            b: v,
                        }),
                    };
                }
                match self.global(&name.name) {
                    Some((Global::Var(var), _)) => {
                        // Plain shared memory: read, compute, write — separate steps.
                        let v = self.expr(value)?;
                        match op {
                            None => self.op(Op::Store { var, src: v }),
                            Some(op) => {
                                let t = self.temp();
                                self.op(Op::Load { dst: t, var })?;
                                self.op(Op::Bin {
                                    dst: t,
                                    op,
                                    a: Operand::Local(t),
                                    b: v,
                                })?;
                                self.op(Op::Store {
                                    var,
                                    src: Operand::Local(t),
                                })
                            }
                        }
                    }
                    Some((Global::Atomic(_), _)) => {
                        self.err(span, format!("`{}` is atomic: write it with a method", name.name), &format!("`{0}.store(v)`, or `{0}.fetch_add(1)` for `+= 1` in one indivisible step", name.name));
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
                        && self
                            .lookup(&p[0].name)
                            .is_some_and(|v| matches!(v.ty, Ty::Guard(_)) && !v.mutable && !v.gone);
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
                let (m, temp_guard) = self.deref_target(expr)?;
                let v = self.expr(value)?;
                match op {
                    None => self.op(Op::MutexStore { mutex: m, src: v })?,
                    Some(op) => {
                        let t = self.temp();
                        self.op(Op::MutexLoad { dst: t, mutex: m })?;
                        self.op(Op::Bin {
                            dst: t,
                            op,
                            a: Operand::Local(t),
                            b: v,
                        })?;
                        self.op(Op::MutexStore {
                            mutex: m,
                            src: Operand::Local(t),
                        })?;
                    }
                }
                if temp_guard {
                    // The temporary guard of `*M.lock().unwrap() += 1` drops at the `;`.
                    self.op(Op::Unlock { mutex: m })?;
                }
                Ok(())
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

    /// The mutex behind `*g` (a live guard) or `*M.lock().unwrap()` (a temporary, locked
    /// here; the caller unlocks it).
    fn deref_target(&mut self, e: &Expr) -> CResult<(MutexId, bool)> {
        if let Expr::Path(p) = e {
            if p.len() == 1 {
                if let Some(v) = self.lookup(&p[0].name) {
                    return match (v.ty, v.gone) {
                        (Ty::Guard(m), false) => Ok((m, false)),
                        (Ty::Guard(_), true) => {
                            self.err(
                                p[0].span,
                                format!(
                                    "`{}` was already dropped: the lock is released",
                                    p[0].name
                                ),
                                "lock the mutex again",
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
            if name.name == "lock" {
                if std::ptr::eq(inner, e) {
                    // `*M.lock()`: a `LockResult` has no `*`; rustc refuses it too.
                    self.err(
                        e.span(),
                        "`lock()` returns a `Result`, which cannot be dereferenced",
                        "write `*M.lock().unwrap()` (it panics if the mutex is poisoned)",
                    );
                    return Err(());
                }
                let m = self.mutex_of(recv)?;
                self.op(Op::Lock { mutex: m })?;
                return Ok((m, true));
            }
        }
        self.err(
            e.span(),
            "only a MutexGuard can be dereferenced",
            "`*g` where `let mut g = M.lock().unwrap();`",
        );
        Err(())
    }

    fn mutex_of(&mut self, e: &Expr) -> CResult<MutexId> {
        if let Expr::Path(p) = e {
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
    fn handle(&mut self, e: &Expr, want: Ty) -> CResult<Operand> {
        if let Expr::Path(p) = e {
            if p.len() == 1 {
                if let Some(v) = self.lookup(&p[0].name) {
                    if v.ty == want {
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
                        Ty::Sender => "a channel Sender",
                        Ty::Receiver => "a channel Receiver",
                        Ty::Thread => "a JoinHandle",
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

    fn unknown(&mut self, name: &ast::Ident) {
        if self.broken.contains(&name.name) {
            return; // its `let` already has an error
        }
        // A near miss among the names in scope: "did you mean `COUNTER`?"
        let candidates = self
            .scopes
            .iter()
            .flat_map(|s| s.vars.iter().map(|v| v.name.as_str()))
            .chain(self.cx.statics.iter().map(|(n, _, _)| n.as_str()));
        if let Some(c) = near(&name.name, candidates) {
            let c = c.to_string();
            self.err(
                name.span,
                format!("cannot find `{}` in this scope", name.name),
                &format!("did you mean `{c}`?"),
            );
            return;
        }
        let hint = if name.name.chars().next().is_some_and(char::is_uppercase) {
            format!("declare it: `static {}: usize = 0;`", name.name)
        } else {
            format!("declare it first: `let {} = 0;`", name.name)
        };
        self.err(
            name.span,
            format!("cannot find `{}` in this scope", name.name),
            &hint,
        );
    }

    fn expr_stmt(&mut self, e: &Expr) -> CResult<()> {
        self.typed_expr_use(e, true).map(|_| ())
    }

    fn expr(&mut self, e: &Expr) -> CResult<Operand> {
        let (v, ty) = self.typed_expr(e)?;
        if ty != Ty::Int {
            self.err(e.span(), "expected a number here", "");
            return Err(());
        }
        Ok(v)
    }

    fn typed_expr(&mut self, e: &Expr) -> CResult<(Operand, Ty)> {
        self.typed_expr_use(e, false)
    }

    /// Compiles an expression; `stmt` when its value is discarded.
    fn typed_expr_use(&mut self, e: &Expr, stmt: bool) -> CResult<(Operand, Ty)> {
        let int = |o| Ok((o, Ty::Int));
        match e {
            Expr::Int(v, _) => int(Operand::Imm(*v)),
            Expr::Bool(b, _) => int(Operand::Imm(*b as i64)),
            Expr::Str(_, span) => {
                self.err(*span, "strings are only allowed as assertion messages", "");
                Err(())
            }
            Expr::Tuple(_, span) => {
                self.err(*span, "tuples are not supported here", "");
                Err(())
            }
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
                UnOp::Deref => {
                    let (m, temp) = self.deref_target(expr)?;
                    let t = self.temp();
                    self.op(Op::MutexLoad { dst: t, mutex: m })?;
                    if temp {
                        self.op(Op::Unlock { mutex: m })?;
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
                    let t = self.temp();
                    self.op(Op::Bin {
                        dst: t,
                        op: BinOp::Sub,
                        a: Operand::Imm(0),
                        b: v,
                    })?;
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
                    _ => {
                        let a = self.expr(lhs)?;
                        let b = self.expr(rhs)?;
                        self.op(Op::Bin {
                            dst: t,
                            op: *op,
                            a,
                            b,
                        })?;
                    }
                }
                int(Operand::Local(t))
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
            Expr::Call {
                callee,
                bang,
                args,
                span,
            } => self.call(callee, *bang, args, *span),
            Expr::Method { .. } => self.method_chain(e, stmt),
        }
    }

    fn path_value(&mut self, p: &[ast::Ident]) -> CResult<(Operand, Ty)> {
        let name = &p[p.len() - 1];
        if p.len() == 1 {
            if let Some(v) = self.lookup(&name.name) {
                if v.gone && v.ty != Ty::Int {
                    let hint = if v.ty == Ty::Thread {
                        "`join()` takes the handle (rustc: use of moved value): a thread is joined once"
                    } else {
                        ""
                    };
                    self.err(
                        name.span,
                        format!("`{}` was moved or dropped", name.name),
                        hint,
                    );
                    return Err(());
                }
                return Ok((Operand::Local(v.local), v.ty));
            }
        }
        match self.global(&name.name) {
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

    fn await_expr(&mut self, inner: &Expr, span: Span) -> CResult<(Operand, Ty)> {
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

    /// "did you mean `worker`?" for a call of an unknown function, among the scenario's
    /// functions (and the built-ins, when they could be meant), or `otherwise`.
    fn missing_fn_hint(&self, name: &str, builtins: bool, otherwise: &str) -> String {
        let user = self.cx.fns.iter().map(|(d, _)| d.name.name.as_str());
        let extra = BUILTIN_FNS.iter().copied().filter(|_| builtins);
        match near(name, user.chain(extra)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => otherwise.to_string(),
        }
    }

    fn user_fn(&self, name: &str) -> Option<(&'s FnDecl, FnId)> {
        self.cx
            .fns
            .iter()
            .find(|(f, _)| f.name.name == name)
            .copied()
    }

    /// A call's arguments, checked against the callee's parameters and evaluated in order.
    fn arguments(&mut self, decl: &FnDecl, args: &[Expr], span: Span) -> CResult<Vec<Operand>> {
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
        args.iter().map(|a| self.expr(a)).collect()
    }

    fn inline_call(&mut self, decl: &'s FnDecl, args: &[Expr], span: Span) -> CResult<()> {
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
        let values = self.arguments(decl, args, span)?;
        self.scopes.push(Scope::default());
        for (p, v) in decl.params.iter().zip(values) {
            let l = self.temp();
            self.op(Op::Set { dst: l, src: v })?;
            self.bind(p, l, Ty::Int, false);
        }
        let ret = self.f.label();
        self.frames.push(Frame {
            name: decl.name.name.clone(),
            ret,
            depth: self.scopes.len(),
        });
        let r = self.block(&decl.body);
        self.frames.pop();
        self.pop_scope();
        self.f.bind(ret);
        // A `return` in the callee ends the callee's path only: the call returns here.
        self.dead = false;
        self.at(span);
        r
    }

    /// `recv.method(args)` with an optional `.unwrap()` / `.expect(..)` / `.is_ok()` /
    /// `.is_err()` after it.
    fn method_chain(&mut self, e: &Expr, stmt: bool) -> CResult<(Operand, Ty)> {
        let Expr::Method {
            recv,
            name,
            args,
            span,
        } = e
        else {
            unreachable!("method_chain takes a method call")
        };
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
                } => self.method(recv, name, args, *span, u, stmt),
                Expr::Call {
                    callee,
                    bang,
                    args,
                    span,
                } => self.call(callee, *bang, args, *span),
                other => {
                    if u == Use::Unwrap {
                        self.typed_expr(other)
                    } else {
                        self.err(*span, "nothing here returns a `Result`", "");
                        Err(())
                    }
                }
            };
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

    /// The ok flag `ok` (1 = Ok) turned into the value the `Use` asks for.
    fn result(&mut self, ok: Local, u: Use, err_msg: &str) -> CResult<Operand> {
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
            Use::IsOk | Use::Ignore => Ok(Operand::Local(ok)),
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

    fn method(
        &mut self,
        recv: &Expr,
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
        u: Use,
        stmt: bool,
    ) -> CResult<(Operand, Ty)> {
        let m = name.name.as_str();
        // Statics: atomics and mutexes.
        if let Expr::Path(p) = recv {
            if p.len() == 1 && self.lookup(&p[0].name).is_none() {
                match self.global(&p[0].name) {
                    Some((Global::Atomic(a), _)) => {
                        return self.atomic_method(a, name, args, span, u)
                    }
                    Some((Global::Mutex(mx), _)) => {
                        return match m {
                            "lock" if args.is_empty() => {
                                self.op(Op::Lock { mutex: mx })?;
                                if stmt {
                                    // `M.lock();` alone: the guard is dropped at once.
                                    self.op(Op::Unlock { mutex: mx })?;
                                }
                                Ok((Operand::Imm(0), Ty::Guard(mx)))
                            }
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
                    Some((Global::Var(_), _)) => {
                        self.err(
                            recv.span(),
                            format!("`{}` is a plain static: it has no methods", p[0].name),
                            "to make it atomic, declare it `AtomicUsize`",
                        );
                        return Err(());
                    }
                    None => {}
                }
            }
        }
        let (h, ty) = self.typed_expr(recv)?;
        match (ty, m) {
            (Ty::Sender, "send") => {
                let [v] = args else {
                    self.err(span, "`send` takes one value", "");
                    return Err(());
                };
                let value = self.expr(v)?;
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
            (Ty::Sender, "clone") => {
                self.op(Op::CloneSender { chan: h })?;
                let l = self.temp();
                self.op(Op::Set { dst: l, src: h })?;
                Ok((Operand::Local(l), Ty::Sender))
            }
            (Ty::Receiver, "recv") => {
                let (dst, ok) = (self.temp(), self.temp());
                self.op(Op::Recv {
                    chan: h,
                    dst,
                    ok: Some(ok),
                })?;
                match u {
                    Use::Unwrap => {
                        self.result(ok, u, "RecvError (every sender was dropped)")?;
                        Ok((Operand::Local(dst), Ty::Int))
                    }
                    _ => Ok((self.result(ok, u, "")?, Ty::Int)),
                }
            }
            (Ty::Thread, "join") => {
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
                        Ok((Operand::Local(value), Ty::Int))
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
            (Ty::Guard(_), _) => {
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

    fn atomic_method(
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
                let ok = self.temp();
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
                };
            }
            _ => {
                self.err(span, format!("unsupported atomic call `{m}` with {} arguments", args.len()), "atomics support load(), store(v), fetch_add(v), fetch_sub(v), swap(v), compare_exchange(current, new)");
                return Err(());
            }
        }
        Ok((Operand::Local(t), Ty::Int))
    }

    fn call(
        &mut self,
        callee: &[ast::Ident],
        bang: bool,
        args: &[Expr],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        let name = last(callee);
        let unit = Ok((Operand::Imm(0), Ty::Int));
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
                _ => {
                    self.err(
                        span,
                        format!("unsupported macro `{name}!`"),
                        "supported: assert!, assert_eq!, assert_ne!, println!",
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
            "spawn" => self.spawn(args, span).map(|o| (o, Ty::Thread)),
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
                let (ty, local, outside, flag) = (var.ty, var.local, var.branch, var.drop_flag);
                // Dropped inside a branch its guard was declared outside of: on the other
                // paths it is still held, and its scope's end must unlock it there only.
                let flag = match ty {
                    Ty::Guard(_) if outside < self.branch => {
                        let flag = flag.unwrap_or_else(|| self.f.local());
                        if let Some(v) = self.lookup_mut(&p[0].name) {
                            v.drop_flag = Some(flag);
                        }
                        Some(flag)
                    }
                    _ => None,
                };
                match ty {
                    Ty::Guard(m) => {
                        self.op(Op::Unlock { mutex: m })?;
                        if let Some(flag) = flag {
                            self.op(Op::Set {
                                dst: flag,
                                src: Operand::Imm(1),
                            })?;
                        }
                    }
                    Ty::Sender => self.op(Op::DropHandle {
                        chan: Operand::Local(local),
                        side: Side::Sender,
                    })?,
                    Ty::Receiver => self.op(Op::DropHandle {
                        chan: Operand::Local(local),
                        side: Side::Receiver,
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
                Some((decl, _)) => {
                    self.inline_call(decl, args, span)?;
                    unit
                }
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
                let path = callee
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join("::");
                let hint = match path.as_str() {
                    // What the Rust book writes first, and what a scenario writes instead.
                    "Arc::new" | "Arc::clone" | "Rc::new" | "Mutex::new" | "AtomicUsize::new"
                    | "AtomicI64::new" | "AtomicBool::new" => {
                        "shared state is a `static` here: `static M: Mutex<i64> = Mutex::new(0);` or `static N: AtomicUsize = AtomicUsize::new(0);` at the top, used from every thread with no `Arc` (the Rust view shows it as real Rust)"
                    }
                    _ => "see docs/language.md for the built-ins",
                };
                self.err(span, format!("unsupported call `{path}`"), hint);
                Err(())
            }
        }
    }

    fn assertion(&mut self, which: &str, args: &[Expr], span: Span) -> CResult<()> {
        let text = |e: &Expr, src: &str| {
            src.get(e.span().start..e.span().end)
                .unwrap_or("")
                .to_string()
        };
        let custom = |args: &[Expr]| match args {
            [Expr::Str(s, _), ..] => Some(s.clone()),
            _ => None,
        };
        match (which, args) {
            ("assert", [cond, rest @ ..]) => {
                let msg = custom(rest)
                    .unwrap_or_else(|| format!("assertion failed: {}", text(cond, self.cx.src)));
                let c = self.expr(cond)?;
                let msg = self.cx.b.message(&msg);
                self.op(Op::Assert { cond: c, msg })
            }
            ("assert_eq" | "assert_ne", [a, b, rest @ ..]) => {
                let (op, sym) = if which == "assert_eq" {
                    (BinOp::Eq, "==")
                } else {
                    (BinOp::Ne, "!=")
                };
                let msg =
                    custom(rest).unwrap_or_else(|| format!("assertion `left {sym} right` failed"));
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                let msg = self.cx.b.message(&msg);
                self.op(Op::AssertCmp { a, op, b, msg })
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

    /// `spawn(move || body)` or `spawn(f)`.
    fn spawn(&mut self, args: &[Expr], span: Span) -> CResult<Operand> {
        let dst = self.temp();
        match args {
            [Expr::Closure {
                body, span: cspan, ..
            }] => {
                let (line, _) = line_col(self.cx.src, cspan.start);
                let name = format!("{{closure@{}:{line}}}", self.owner);
                let captures = self.captures(body);
                let func = self.cx.b.declare(&name, captures.len() as u32, false);
                let mut call_args = Vec::new();
                let mut moves = Vec::new();
                for (cap_name, ty, local) in &captures {
                    call_args.push(Operand::Local(*local));
                    match ty {
                        Ty::Sender | Ty::Receiver => {
                            let side = if *ty == Ty::Sender {
                                Side::Sender
                            } else {
                                Side::Receiver
                            };
                            moves.push((Operand::Local(*local), side));
                            if let Some(v) = self.lookup_mut(cap_name) {
                                v.gone = true;
                                v.moved_at = Some(*cspan);
                            }
                        }
                        Ty::Guard(_) => {
                            self.err(*cspan, format!("`{cap_name}` is a MutexGuard, which cannot be sent to another thread"), "a guard is `!Send`: lock the mutex inside the spawned closure instead");
                            return Err(());
                        }
                        _ => {}
                    }
                }
                let mut inner = FnCx {
                    f: FnBuilder::new(captures.len() as u32),
                    scopes: vec![Scope::default()],
                    loops: Vec::new(),
                    frames: Vec::new(),
                    is_async: false,
                    owner: name.clone(),
                    broken: Vec::new(),
                    branch: 0,
                    dead: false,
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
                    });
                }
                let ret = inner.f.label();
                inner.frames.push(Frame {
                    name,
                    ret,
                    depth: 1,
                });
                let r = inner.closure_body(body);
                inner.f.bind(ret);
                let f = inner.f;
                self.cx.b.define(func, f);
                r?;
                self.at(span);
                self.op(Op::Spawn {
                    func,
                    args: call_args,
                    moves,
                    dst: Some(dst),
                })?;
            }
            [Expr::Path(p)] if p.len() == 1 => match self.user_fn(&p[0].name) {
                Some((decl, func)) if decl.params.is_empty() && !decl.is_async => {
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
        Ok(Operand::Local(dst))
    }

    /// `spawn_task(f(args))` for an `async fn f`.
    fn spawn_task(&mut self, args: &[Expr], span: Span) -> CResult<Operand> {
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
    fn captures(&self, body: &Block) -> Vec<(String, Ty, Local)> {
        let mut names = Vec::new();
        collect_names_block(body, &mut names);
        let mut out: Vec<(String, Ty, Local)> = Vec::new();
        for n in names {
            if out.iter().any(|(o, _, _)| *o == n) {
                continue;
            }
            if let Some(v) = self.lookup(&n) {
                if !v.gone {
                    out.push((n, v.ty, v.local));
                }
            }
        }
        out
    }
}

fn strip_unwrap(e: &Expr) -> &Expr {
    match e {
        Expr::Method { recv, name, .. } if name.name == "unwrap" || name.name == "expect" => recv,
        e => e,
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
        Stmt::Break(_) | Stmt::Continue(_) | Stmt::Return(_) => {}
    }
}

fn collect_names(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Path(p) if p.len() == 1 => out.push(p[0].name.clone()),
        Expr::Path(_) | Expr::Int(..) | Expr::Bool(..) | Expr::Str(..) => {}
        Expr::Unary { expr, .. } | Expr::Await { expr, .. } => collect_names(expr, out),
        Expr::Binary { lhs, rhs, .. } => {
            collect_names(lhs, out);
            collect_names(rhs, out);
        }
        Expr::Range { start, end, .. } => {
            collect_names(start, out);
            collect_names(end, out);
        }
        Expr::Call { args, .. } | Expr::Tuple(args, _) => {
            args.iter().for_each(|a| collect_names(a, out))
        }
        Expr::Method { recv, args, .. } => {
            collect_names(recv, out);
            args.iter().for_each(|a| collect_names(a, out));
        }
        Expr::Closure { body, .. } => collect_names_block(body, out),
    }
}

/// The names a pattern binds.
fn collect_pat_names(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident { name, .. } => out.push(name.name.clone()),
        Pat::Wild(_) => {}
        Pat::Tuple(parts) => parts.iter().for_each(|p| collect_pat_names(p, out)),
    }
}
