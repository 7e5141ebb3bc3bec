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
    AtomicId, BarrierId, BinOp, CondvarId, FnId, Local, MutexId, OnceId, Op, Operand, Pointee,
    Program, RmwOp, Side, VarId,
};
use std::sync::Arc;

mod branch;
mod call;
pub(crate) mod closure;
mod combinator;
mod condvar;
mod expr;
mod flow;
mod guarded;
mod heap;
mod int;
mod iter;
mod matches;
mod method;
mod once;
mod output;
mod ownership;
mod place;
mod scope;
mod spawn;
mod sum;
mod temps;
pub mod time;
mod tuple;

/// Most ops one scenario may compile to (inlining can multiply code).
pub const MAX_OPS: usize = 100_000;
/// Deepest chain of inlined calls.
pub const MAX_INLINE_DEPTH: usize = 16;
/// Deepest the compiler goes into expressions (through inlined calls too): its recursion
/// stays within even wasm's 1 MiB stack.
pub const MAX_DEPTH: u32 = 1_200;

pub struct Compiled {
    pub program: Arc<Program>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ty {
    Int,
    /// A string: immutable text, its value the number of one of the program's texts.
    /// `Str(true)` is an owned `String` (moved by `send`); `Str(false)` a `&'static str`
    /// literal (`Copy`).
    Str(bool),
    /// A channel's ends: the number of the channel in `Cx::chans` (what it carries).
    Sender(u16),
    Receiver(u16),
    /// A `JoinHandle<T>`: what its thread returns.
    Thread(Ret),
    /// A tuple: the number of its type in `Cx::tuples` (its parts), and whether it is
    /// `Copy` (every part is). The value is an immutable vector's number (see `tuple`).
    Tuple(u16, bool),
    Task,
    /// A lock guard of a mutex (or an `RwLock`'s write guard); a read guard when the flag
    /// is set.
    Guard(MutexId, bool),
    /// A `Mutex` in a local (`let m = Mutex::new(0);`): one of the program's mutexes,
    /// with no run-time value (see `heap`).
    Mutex(MutexId),
    /// An atomic in a local, likewise.
    Atomic(AtomicId),
    /// A `Barrier` in a local, likewise.
    Barrier(BarrierId),
    /// A `Condvar` in a local, likewise.
    Condvar(CondvarId),
    /// `Arc<…>` (`Rc<…>` when the flag is set): the local holds its number.
    Arc(Pointee, bool),
    /// `Vec<T>`: the local holds its number.
    Vec(heap::Elem),
    /// `std::thread::ThreadId`: its number (main's is 1).
    ThreadId,
    /// `std::thread::Thread` (`thread::current()`, `h.thread()`): its `ThreadId`'s number.
    ThreadRef,
    /// `Option<&str>` (a thread's name): a text's number, -1 for `None`.
    OptStr,
    /// An `Option` or a `Result` value: the number of its type in `Cx::sums`, and whether
    /// it is `Copy`. The value is an immutable vector's number (see `sum`).
    Sum(u16, bool),
}

/// What a thread returns to its joiner (`JoinHandle<T>`'s `T`): a number (or nothing),
/// a `bool`, or a string.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ret {
    /// `()`: the closure ends without a value.
    Unit,
    Int,
    Bool,
    Str,
    Tuple(u16, bool),
}

impl Ret {
    /// The type `h.join().unwrap()` has.
    fn ty(self) -> Ty {
        match self {
            Ret::Unit | Ret::Int | Ret::Bool => Ty::Int,
            Ret::Str => Ty::Str(true),
            Ret::Tuple(k, copy) => Ty::Tuple(k, copy),
        }
    }
}

#[derive(Clone, Copy)]
enum Global {
    /// A `const`: its value.
    Const(i64),
    Var(VarId),
    Atomic(AtomicId),
    Mutex(MutexId),
    Condvar(CondvarId),
    /// A `Once` (false) or an `OnceLock` (true).
    Once(OnceId, bool),
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
    /// A `bool` (its value 0 or 1): printed as `true` / `false`.
    boolean: bool,
    /// Where it was declared (the name in its `let` or pattern), if it was.
    at: Option<Span>,
    /// Its integer type, where written or known and not `i64` (see `int`).
    int: Option<interleave_core::program::IntTy>,
    /// A reference to a handle another variable owns (`let r = &tx;`, a `&Sender`
    /// parameter): its scope's end drops nothing.
    borrow: bool,
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
    /// Scopes whose variables outlive an iteration (a `for` pattern's do not).
    outer: usize,
    /// The same at each `break`: after the loop, gone on any of these paths is gone.
    breaks: Vec<Vec<bool>>,
}

/// A `thread::scope` being compiled.
struct ThreadScope {
    /// The scope parameter's name (`s` in `|s|`).
    name: String,
    /// The local holding the handles of the threads spawned in it (joined at its end).
    handles: Local,
    /// Locals its threads borrow, each with whether it is borrowed mutably, and where.
    borrowed: Vec<(String, bool, Span)>,
}

/// One inlined function call in progress.
struct Frame {
    name: String,
    ret: Label,
    depth: usize,
    /// Where `return v` and the tail expression put the function's value, if it has one.
    value: Option<Local>,
    /// The type it returns, if it returns a value of a type simulated.
    ty: Option<Ty>,
}

/// Whether a type written in the source is one of the integers (or `bool`) the simulator's
/// values are.
fn int_type(t: &str) -> bool {
    matches!(
        t,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "isize"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "bool"
    )
}

struct Cx<'s> {
    src: &'s str,
    b: ProgramBuilder,
    statics: Vec<(String, Global, StaticKind)>,
    fns: Vec<(&'s FnDecl, FnId)>,
    diags: Vec<Diagnostic>,
    ops: usize,
    /// Names given to the mutexes and atomics made in locals (each shown by its own name).
    local_names: Vec<String>,
    /// The type each atomic made in a local was written with, for messages.
    atomic_types: Vec<(AtomicId, String)>,
    /// What each channel made so far carries, once something was sent (by number).
    chans: Vec<heap::Elem>,
    /// What the `use` lines import, as full paths (`std::sync::Arc`, `std::sync::*`).
    imports: Vec<String>,
    /// The mutexes that are `RwLock`s.
    rwlocks: Vec<MutexId>,
    /// The value type of each `static` mutex as written (`i64`); a local's is `i32`.
    mutex_types: Vec<(MutexId, String)>,
    /// Where each channel was made (function, op) and its number in `chans`.
    chan_sites: Vec<(FnId, u32, u16)>,
    /// What each channel carries by where it is made (the `let`'s start), from a first
    /// pass; this pass's, for the next.
    chan_learned: Vec<(usize, heap::Elem)>,
    chan_spans: Vec<(usize, u16)>,
    /// A receive read a channel whose messages' type was not known yet.
    guessed: std::cell::Cell<bool>,
    /// The tuple types met so far, each its parts (see `tuple`).
    tuples: Vec<(Vec<Ty>, Vec<bool>)>,
    /// The `Option` and `Result` types seen, by number (see `sum`).
    sums: Vec<sum::Sum>,
    /// What assignments said a `let`'s `Option` or `Result` holds (see `compile_scenario`).
    learned: Vec<(Span, String)>,
    /// Where the source's lines start (every op made gets its line).
    lines: crate::diag::LineIndex,
    /// The integer type of each top-level `static`, atomic or mutex whose type is not
    /// `i64` (see `int`).
    static_ints: Vec<(String, interleave_core::program::IntTy)>,
    /// How deep the compiler is in expressions now, and whether it went too deep (see
    /// `MAX_DEPTH`).
    depth: u32,
    too_deep: bool,
    /// The mutexes that hold a vector (see `guarded`), with what it holds.
    mutex_vecs: Vec<(MutexId, heap::Elem)>,
    /// How long a tick of a `Duration` is.
    scale: time::Scale,
    /// The statics that hold a `bool` (`static F: bool`, `static F: AtomicBool`).
    bool_statics: Vec<String>,
}

struct FnCx<'c, 's> {
    cx: &'c mut Cx<'s>,
    /// The function being built, and its ops.
    func: FnId,
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
    /// The name of the `let` whose value is being compiled, for what it makes.
    naming: Option<String>,
    /// Open `thread::scope`s, innermost last.
    thread_scopes: Vec<ThreadScope>,
    /// The method call being compiled had `.unwrap()` / `.expect(…)` written after it.
    explicit_unwrap: bool,
    /// A print's arguments are being compiled (a guarded vector may be read whole).
    printing: bool,
    /// Temporary guards held until the print is done (see `guarded`).
    held: Vec<(MutexId, bool)>,
    /// The temporary guards of the scrutinee being compiled (see `temps`).
    scrutinee: Option<temps::Held>,
    /// `const`s declared in a function: name, value, and how many scopes were open.
    consts: Vec<(String, i64, usize)>,
}

type CResult<T> = Result<T, ()>;

/// What channels carry, learned by one pass for the next (see `compile_scenario`).
#[derive(Default)]
struct ChanLearning {
    sites: Vec<(usize, heap::Elem)>,
    guessed: bool,
}

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
    "recv_timeout",
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

pub fn compile_scenario(
    src: &str,
    scenario: &ast::Scenario,
    scale: time::Scale,
) -> Result<Compiled, Vec<Diagnostic>> {
    let mut learned = Vec::new();
    let mut chans = ChanLearning::default();
    let mut r = compile_pass(src, scenario, scale, &mut learned, &mut chans);
    // `let mut best = None;` used before `best = Some(x);` says what it holds: as rustc
    // infers it from the later use, a second pass knows it from the start. So does a
    // channel received from (a thread spawned first) before what it carries is sent.
    let sums =
        matches!(&r, Err(d) if !learned.is_empty() && d.iter().any(|d| d.code == Some("E0282")));
    let channels = chans.guessed && chans.sites.iter().any(|(_, e)| *e != heap::Elem::Unknown);
    if sums || channels {
        r = compile_pass(src, scenario, scale, &mut learned, &mut chans);
    }
    r.map_err(|mut d| {
        crate::diag::cap(&mut d);
        d
    })
}

/// One compilation; `learned` holds what assignments said about the `Option`s and
/// `Result`s of `let`s without a type (by the span of the name bound, the type as
/// written), read at each `let` and added to by this pass.
fn compile_pass(
    src: &str,
    scenario: &ast::Scenario,
    scale: time::Scale,
    learned: &mut Vec<(Span, String)>,
    chans: &mut ChanLearning,
) -> Result<Compiled, Vec<Diagnostic>> {
    let mut cx = Cx {
        chan_learned: std::mem::take(&mut chans.sites),
        chan_spans: Vec::new(),
        guessed: std::cell::Cell::new(false),
        lines: crate::diag::LineIndex::new(src),
        learned: std::mem::take(learned),
        src,
        scale,
        b: ProgramBuilder::new(),
        statics: Vec::new(),
        fns: Vec::new(),
        diags: Vec::new(),
        ops: 0,
        local_names: Vec::new(),
        atomic_types: Vec::new(),
        mutex_types: Vec::new(),
        mutex_vecs: Vec::new(),
        tuples: Vec::new(),
        sums: Vec::new(),
        static_ints: Vec::new(),
        depth: 0,
        too_deep: false,
        chan_sites: Vec::new(),
        bool_statics: Vec::new(),
        rwlocks: Vec::new(),
        imports: scenario
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Use { path, .. } => Some(crate::print::rust::use_paths(path)),
                _ => None,
            })
            .flatten()
            .collect(),
        chans: Vec::new(),
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
                    StaticKind::Const => Global::Const(s.init),
                    StaticKind::Plain => Global::Var(cx.b.var(&s.name.name, s.init)),
                    StaticKind::Atomic => Global::Atomic(cx.b.atomic(&s.name.name, s.init)),
                    StaticKind::Mutex => {
                        let rw = s.ty.starts_with("RwLock<");
                        let m = if rw {
                            let m = cx.b.rwlock(&s.name.name, s.init);
                            cx.rwlocks.push(m);
                            m
                        } else {
                            cx.b.mutex(&s.name.name, s.init)
                        };
                        let inner =
                            s.ty.strip_prefix(if rw { "RwLock<" } else { "Mutex<" })
                                .and_then(|t| t.strip_suffix('>'));
                        cx.mutex_types
                            .push((m, inner.unwrap_or("i32").trim().to_string()));
                        Global::Mutex(m)
                    }
                    StaticKind::Condvar => Global::Condvar(cx.b.condvar(&s.name.name)),
                    StaticKind::Once => {
                        let lock = s.init != 0;
                        let held =
                            s.ty.strip_prefix("OnceLock<")
                                .and_then(|t| t.strip_suffix('>'))
                                .map(str::trim);
                        if let Some(t) = held.filter(|t| !int_type(t)) {
                            // Its value would be read as a number: refuse, never print a
                            // wrong one.
                            cx.diags.push(
                                Diagnostic::error(
                                    s.name.span,
                                    format!("an `OnceLock<{t}>` is not simulated yet"),
                                )
                                .hint("an `OnceLock` holds a number or a `bool` here: keep a string in a `Mutex` or send it on a channel"),
                            );
                        }
                        Global::Once(cx.b.once(&s.name.name, lock), lock)
                    }
                };
                if matches!(s.ty.as_str(), "bool" | "AtomicBool") {
                    cx.bool_statics.push(s.name.name.clone());
                }
                if let Some(t) = int::static_int_ty(&s.ty) {
                    cx.static_ints.push((s.name.name.clone(), t));
                }
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
        *learned = std::mem::take(&mut cx.learned);
        return Err(cx.diags);
    };
    if let Some(ty) = &main.ret {
        let d = Diagnostic::error(
            main.name.span,
            format!("`main` has invalid return type `{ty}`"),
        )
        .code("E0277")
        .hint(
            "`fn main()` returns nothing here (a `main` returning `Result` is not simulated yet)",
        );
        cx.diags.push(d);
    } else if main.is_async || !main.params.is_empty() {
        cx.diags.push(
            Diagnostic::error(main.name.span, "`main` must be `fn main()`")
                .hint("spawn async work with `spawn_task(f())` and wait with `block_on(task)`"),
        );
    }
    cx.b.set_main(main_id);
    let fns = cx.fns.clone();
    for (decl, id) in fns {
        // A function is compiled on its own where it can start a thread or a task (no
        // parameters, or numbers only); one that takes references or handles is only
        // ever inlined where it is called.
        if decl.is_async || decl.param_types.iter().all(|(t, _)| int_type(t)) {
            compile_fn(&mut cx, decl, id);
        }
    }
    // What each channel came to carry, by where it was made, for a second pass.
    chans.guessed = cx.guessed.get();
    chans.sites = cx
        .chan_spans
        .iter()
        .map(|&(at, c)| (at, cx.chans[c as usize]))
        .collect();
    // Inlining compiles a function body once per call: report each problem once.
    let mut seen = Vec::new();
    cx.diags.retain(|d| {
        let key = (d.span, d.message.clone());
        let fresh = !seen.contains(&key);
        seen.push(key);
        fresh
    });
    if cx.diags.iter().any(Diagnostic::is_error) {
        *learned = std::mem::take(&mut cx.learned);
        return Err(cx.diags);
    }
    // The statics, atomics and mutexes that hold `bool`s, for showing them.
    let mut bools = std::mem::take(&mut cx.bool_statics);
    for (m, t) in &cx.mutex_types {
        if t == "bool" {
            bools.push(cx.b.program().mutexes[m.index()].name.clone());
        }
    }
    for (a, t) in &cx.atomic_types {
        if t == "AtomicBool" {
            bools.push(cx.b.program().atomics[a.index()].name.clone());
        }
    }
    bools.sort();
    bools.dedup();
    for name in &bools {
        cx.b.bool_named(name);
    }
    // What each channel came to carry, for showing its messages.
    for (func, pc, c) in std::mem::take(&mut cx.chan_sites) {
        let hole = match cx.chans[c as usize] {
            heap::Elem::Str => "q".to_string(),
            heap::Elem::Bool => "b".to_string(),
            heap::Elem::Tuple(k, _) => tuple::hole(&cx, k),
            _ => continue,
        };
        cx.b.channel_hole(func, pc, hole);
    }
    // The vectors behind locks, with what they came to hold.
    for (m, elem) in std::mem::take(&mut cx.mutex_vecs) {
        let hole = match elem {
            heap::Elem::Str => 'V',
            heap::Elem::Bool => 'w',
            _ => 'v',
        };
        cx.b.vector_mutex(m, hole);
    }
    let program = cx.b.finish();
    if let Err(e) = program.validate() {
        // A compiler bug, not a user error: say so plainly rather than panic.
        cx.diags.push(Diagnostic::error(
            Span::new(0, 0),
            format!("internal compiler error: {e}"),
        ));
        *learned = std::mem::take(&mut cx.learned);
        return Err(cx.diags);
    }
    Ok(Compiled {
        program: Arc::new(program),
        warnings: cx.diags,
    })
}

fn compile_fn(cx: &mut Cx, decl: &FnDecl, id: FnId) {
    let mut fc = FnCx {
        func: id,
        f: FnBuilder::new(decl.params.len() as u32),
        scopes: vec![Scope::default()],
        loops: Vec::new(),
        frames: Vec::new(),
        is_async: decl.is_async,
        owner: decl.name.name.clone(),
        broken: Vec::new(),
        branch: 0,
        dead: false,
        naming: None,
        thread_scopes: Vec::new(),
        consts: Vec::new(),
        explicit_unwrap: false,
        printing: false,
        held: Vec::new(),
        scrutinee: None,
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
            boolean: decl.param_types.get(i).is_some_and(|(t, _)| t == "bool"),
            at: None,
            int: decl.param_types.get(i).and_then(|(t, _)| int::int_ty(t)),
            borrow: false,
        });
    }
    let value = fc.returns(decl);
    fc.frames.push(Frame {
        name: decl.name.name.clone(),
        ret: fc.f.label(),
        depth: 1,
        value: value.map(|(l, _)| l),
        ty: value.map(|(_, t)| t),
    });
    let _ = fc.fn_body(&decl.body, value);
    let ret = fc.frames.pop().expect("frame").ret;
    fc.f.bind(ret);
    if let Some((v, _)) = value {
        // Spawned by name (`thread::spawn(f)`): what it returns is the thread's result.
        let _ = fc.op(Op::ThreadResult {
            src: Operand::Local(v),
        });
    }
    let f = fc.f;
    cx.b.define(id, f);
}

/// `e` without the borrows around it (`&x`, `&mut x` → `x`): where a value is only used,
/// a borrow of it names the same thing.
/// The op that drops a guard of `m`: a read guard's, or a lock guard's.
fn unlock(m: MutexId, read: bool) -> Op {
    if read {
        Op::ReadUnlock { mutex: m }
    } else {
        Op::Unlock { mutex: m }
    }
}

fn unref(mut e: &Expr) -> &Expr {
    while let Expr::Unary {
        op: UnOp::Ref(_),
        expr,
        ..
    } = e
    {
        e = expr;
    }
    e
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
    /// `if let Ok(v) = …`: the ok flag goes to this local, the value is the result.
    Test(Local),
}

/// For a built-in method that returns a `Result`, how to use it in a scenario.
fn result_hint(method: &str) -> Option<&'static str> {
    Some(match method {
        "lock" => "write `let mut g = M.lock().unwrap();` (it panics if the mutex is poisoned)",
        "compare_exchange" | "compare_exchange_weak" => "test it with `.is_ok()` / `.is_err()`, or `.unwrap()` for the old value (panics if it was not the expected one)",
        _ => return None,
    })
}

impl<'c, 's> FnCx<'c, 's> {
    pub(super) fn err(&mut self, span: Span, msg: impl Into<String>, hint: &str) {
        let mut d = Diagnostic::error(span, msg);
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        self.cx.diags.push(d);
    }

    pub(super) fn op(&mut self, op: Op) -> CResult<()> {
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

    pub(super) fn at(&mut self, span: Span) {
        let line = self.cx.lines.line(span.start);
        self.f.line(line as u32);
    }

    pub(super) fn temp(&mut self) -> Local {
        self.f.local()
    }

    /// Closes the innermost scope: its names go out of scope here.
    pub(super) fn pop_scope(&mut self) {
        let open = self.scopes.len().saturating_sub(1);
        self.consts.retain(|c| c.2 <= open);
        if let Some(scope) = self.scopes.pop() {
            for v in scope.vars.iter().filter(|v| v.ty == Ty::Int) {
                self.f.unname(v.local);
            }
        }
    }

    /// What the thread of the handle `e` names returns (a number where `e` is no handle).
    fn thread_ret(&self, e: &Expr) -> Ret {
        match unref(e) {
            Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name).map(|v| v.ty) {
                Some(Ty::Thread(r)) => r,
                _ => Ret::Int,
            },
            _ => Ret::Int,
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Option<&Var> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|s| s.vars.iter().rev())
            .find(|v| v.name == name)
    }

    pub(super) fn lookup_mut(&mut self, name: &str) -> Option<&mut Var> {
        self.scopes
            .iter_mut()
            .rev()
            .flat_map(|s| s.vars.iter_mut().rev())
            .find(|v| v.name == name)
    }

    pub(super) fn global(&self, name: &str) -> Option<(Global, StaticKind)> {
        self.cx
            .statics
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|&(_, g, k)| (g, k))
    }

    /// rustc's E0433 for a path through a std module or type that no `use` line brings in
    /// (`thread::spawn` without `use std::thread;`). The scenario language's own names
    /// (`spawn`, `channel`, the types of `static`s, `Ordering`) need none, as before.
    pub(super) fn check_imported(&mut self, path: &[ast::Ident]) -> CResult<()> {
        const MODULES: &[(&str, &str)] = &[("thread", "std::thread"), ("mpsc", "std::sync::mpsc")];
        const TYPES: &[(&str, &str)] = &[
            ("Arc", "std::sync::Arc"),
            ("Rc", "std::rc::Rc"),
            ("Mutex", "std::sync::Mutex"),
            ("RwLock", "std::sync::RwLock"),
            ("Condvar", "std::sync::Condvar"),
            ("Barrier", "std::sync::Barrier"),
            ("Duration", "std::time::Duration"),
        ];
        let [first, _, ..] = path else {
            return Ok(());
        };
        let first_name = first.name.as_str();
        let (what, full) = if let Some((_, full)) = MODULES.iter().find(|(n, _)| *n == first_name) {
            ("module or crate", *full)
        } else if let Some((_, full)) = TYPES.iter().find(|(n, _)| *n == first_name) {
            ("type", *full)
        } else {
            return Ok(());
        };
        let imported = self
            .cx
            .imports
            .iter()
            .any(|p| p.rsplit("::").next() == Some(first_name) || p.ends_with("::*"));
        if imported {
            return Ok(());
        }
        self.err_code(
            "E0433",
            first.span,
            format!("cannot find {what} `{first_name}` in this scope"),
            &format!("add `use {full};` at the top"),
        );
        Err(())
    }

    /// Whether a local is a named variable (so a `let` must copy it, not alias it).
    pub(super) fn is_named(&self, l: Local) -> bool {
        self.scopes
            .iter()
            .flat_map(|s| &s.vars)
            .any(|v| v.local == l)
    }

    pub(super) fn unknown(&mut self, name: &ast::Ident) {
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

    /// "did you mean `worker`?" for a call of an unknown function, among the scenario's
    /// functions (and the built-ins, when they could be meant), or `otherwise`.
    pub(super) fn missing_fn_hint(&self, name: &str, builtins: bool, otherwise: &str) -> String {
        let user = self.cx.fns.iter().map(|(d, _)| d.name.name.as_str());
        let extra = BUILTIN_FNS.iter().copied().filter(|_| builtins);
        match near(name, user.chain(extra)) {
            Some(c) => format!("did you mean `{c}`?"),
            None => otherwise.to_string(),
        }
    }

    pub(super) fn user_fn(&self, name: &str) -> Option<(&'s FnDecl, FnId)> {
        self.cx
            .fns
            .iter()
            .find(|(f, _)| f.name.name == name)
            .copied()
    }
}

fn strip_unwrap(e: &Expr) -> &Expr {
    match e {
        Expr::Method { recv, name, .. } if name.name == "unwrap" || name.name == "expect" => recv,
        e => e,
    }
}

/// The names a pattern binds.
fn collect_pat_names(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident { name, .. } => out.push(name.name.clone()),
        Pat::Wild(_) => {}
        Pat::Ref(p) => collect_pat_names(p, out),
        Pat::Tuple(parts) => parts.iter().for_each(|p| collect_pat_names(p, out)),
    }
}
