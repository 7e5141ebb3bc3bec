//! The program a simulation runs: shared declarations plus functions whose bodies are
//! micro-operations. One op takes one tick on one core, so `counter += 1` on plain memory is
//! three ops (load, add, store) and a preemption can fall between them.
//!
//! The scenario language (a later crate layer) compiles to this; tests build it directly.

use std::fmt;

pub type Value = i64;

macro_rules! id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
id!(
    /// A plain (non-atomic, unsynchronised) shared variable: racy by design.
    VarId
);
id!(
    /// An atomic integer (sequentially consistent).
    AtomicId
);
id!(
    /// A `Mutex<i64>`.
    MutexId
);
id!(
    /// A `Barrier`: threads wait at it until `n` of them have arrived.
    BarrierId
);
id!(
    /// A `Condvar`: threads wait on it, with a mutex, until notified.
    CondvarId
);
id!(
    /// A `Once` or `OnceLock`: an initialiser that runs once.
    OnceId
);
id!(
    /// A function: a thread body, a task body, or `main`.
    FnId
);
id!(
    /// A slot in the running function's locals.
    Local
);

/// An input to an op: a local slot or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Operand {
    Local(Local),
    Imm(Value),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

/// rustc's panic message for `-x` of the smallest value (debug build).
pub const NEG_OVERFLOW: &str = "attempt to negate with overflow";

/// rustc's panic message for an `i64` addition that overflows (debug build).
pub const ADD_OVERFLOW: &str = "attempt to add with overflow";

/// An integer type other than `i64` (`u8`, `u32`, `usize`, …): the range an arithmetic
/// result must stay in (see `Op::BinFit`). Values are 64-bit, so `u64` and `usize` hold
/// what an `i64` holds that is not negative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct IntTy {
    pub bits: u8,
    pub signed: bool,
}

impl IntTy {
    /// Whether `v` is a value of this type.
    pub fn fits(self, v: Value) -> bool {
        let bits = u32::from(self.bits.clamp(1, 64));
        if self.signed {
            let half = 1i128 << (bits - 1);
            (-half..half).contains(&i128::from(v))
        } else {
            (0..1i128 << bits).contains(&i128::from(v))
        }
    }
}

impl BinOp {
    /// rustc's message when the result of `self` does not fit its type.
    pub fn overflow(self) -> &'static str {
        match self {
            BinOp::Add => ADD_OVERFLOW,
            BinOp::Sub => "attempt to subtract with overflow",
            BinOp::Mul => "attempt to multiply with overflow",
            BinOp::Div => "attempt to divide with overflow",
            _ => "attempt to calculate the remainder with overflow",
        }
    }
}

impl BinOp {
    /// Integer semantics: 64-bit, as Rust's `i64` in a debug build (what `cargo run` makes):
    /// an overflow or a division by zero is an error (a panic in the simulated thread) with
    /// rustc's message.
    #[inline(always)]
    pub fn apply(self, a: Value, b: Value) -> Result<Value, &'static str> {
        Ok(match self {
            BinOp::Add => a.checked_add(b).ok_or(ADD_OVERFLOW)?,
            BinOp::Sub => a.checked_sub(b).ok_or(if a == 0 {
                // `-x` compiles to `0 - x`, which overflows only for `x == i64::MIN`
                // (so does a written `0 - i64::MIN`, which rustc calls a subtraction).
                NEG_OVERFLOW
            } else {
                "attempt to subtract with overflow"
            })?,
            BinOp::Mul => a
                .checked_mul(b)
                .ok_or("attempt to multiply with overflow")?,
            BinOp::Div if b == 0 => return Err("attempt to divide by zero"),
            BinOp::Div => a.checked_div(b).ok_or("attempt to divide with overflow")?,
            BinOp::Rem if b == 0 => {
                return Err("attempt to calculate the remainder with a divisor of zero")
            }
            BinOp::Rem => a
                .checked_rem(b)
                .ok_or("attempt to calculate the remainder with overflow")?,
            BinOp::Eq => (a == b) as Value,
            BinOp::Ne => (a != b) as Value,
            BinOp::Lt => (a < b) as Value,
            BinOp::Le => (a <= b) as Value,
            BinOp::Gt => (a > b) as Value,
            BinOp::Ge => (a >= b) as Value,
            BinOp::And => (a != 0 && b != 0) as Value,
            BinOp::Or => (a != 0 || b != 0) as Value,
        })
    }
}

/// Read-modify-write atomic operations. All atomics are sequentially consistent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RmwOp {
    FetchAdd,
    FetchSub,
    Swap,
}

/// A handle a thread holds and may move into a thread or drop: an end of a channel, or one
/// strong reference to an `Arc`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Side {
    Sender,
    Receiver,
    Arc,
}

/// What an `Arc` points to: one of the program's shared declarations (a `Mutex::new` or
/// an atomic's `new` the compiler gave a number of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Pointee {
    Mutex(MutexId),
    Atomic(AtomicId),
    Barrier(BarrierId),
    Condvar(CondvarId),
    /// `(Mutex<T>, Condvar)`, the pair std's `Condvar` examples share in one `Arc`.
    MutexCondvar(MutexId, CondvarId),
}

/// One micro-operation. Each executes in one tick; a blocking op that cannot proceed blocks
/// its thread (off the core) and completes when it is woken.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Op {
    /// `dst = src` (thread-local).
    Set {
        dst: Local,
        src: Operand,
    },
    /// `dst = a op b` (thread-local).
    Bin {
        dst: Local,
        op: BinOp,
        a: Operand,
        b: Operand,
    },
    /// `dst = a op b` for an integer type other than `i64`: a result outside `fit`'s
    /// range panics, as a debug build of Rust does (thread-local).
    BinFit {
        dst: Local,
        op: BinOp,
        a: Operand,
        b: Operand,
        fit: IntTy,
    },
    /// Read a plain shared variable.
    Load {
        dst: Local,
        var: VarId,
    },
    /// Write a plain shared variable.
    Store {
        var: VarId,
        src: Operand,
    },
    AtomicLoad {
        dst: Local,
        atomic: AtomicId,
    },
    AtomicStore {
        atomic: AtomicId,
        src: Operand,
    },
    /// `dst = atomic.fetch_add(src)` and friends: `dst` gets the previous value.
    AtomicRmw {
        dst: Option<Local>,
        atomic: AtomicId,
        op: RmwOp,
        src: Operand,
    },
    /// `compare_exchange(expected, new)`: `ok` = 1 on success; `old` = the value seen.
    AtomicCas {
        ok: Option<Local>,
        old: Option<Local>,
        atomic: AtomicId,
        expected: Operand,
        new: Operand,
    },
    /// `let g = m.lock()`: blocks while another thread holds it (FIFO hand-over).
    Lock {
        mutex: MutexId,
    },
    /// `m.try_lock()`: `dst` = 1 if acquired, 0 if held elsewhere (never blocks).
    TryLock {
        dst: Local,
        mutex: MutexId,
    },
    /// The guard is dropped (end of its scope, or `drop(g)`).
    Unlock {
        mutex: MutexId,
    },
    /// `*g` read through the guard (the thread must hold the mutex).
    MutexLoad {
        dst: Local,
        mutex: MutexId,
    },
    /// `*g = v` through the guard.
    MutexStore {
        mutex: MutexId,
        src: Operand,
    },
    /// `channel()` (cap `None`), `sync_channel(k)` (`Some(k)`; 0 is a rendezvous). Both
    /// locals get the channel's id; this thread holds the one sender and the receiver.
    ChanNew {
        cap: Option<u32>,
        tx: Local,
        rx: Local,
    },
    /// `tx.send(v)`: `ok` = 1, or 0 when the receiver is gone (Rust's `Err(SendError(v))`).
    Send {
        chan: Operand,
        value: Operand,
        ok: Option<Local>,
    },
    /// `rx.recv()`: `ok` = 1 with `dst` = value, or 0 when empty and every sender is gone.
    Recv {
        chan: Operand,
        dst: Local,
        ok: Option<Local>,
    },
    /// `tx.clone()`: this thread holds one more sender.
    CloneSender {
        chan: Operand,
    },
    /// `drop(tx)` / `drop(rx)` / an `Arc` going out of scope: this thread gives up one
    /// handle of that side (`chan` is the channel's or the `Arc`'s number).
    DropHandle {
        chan: Operand,
        side: Side,
    },
    /// `Arc::new(x)`: a pointer to `pointee` with one strong reference, held by this
    /// thread; `dst` = its number.
    ArcNew {
        dst: Local,
        pointee: Pointee,
    },
    /// `Arc::clone(&a)`: this thread holds one more strong reference; `dst` = the same number.
    ArcClone {
        arc: Operand,
        dst: Local,
    },
    /// `Arc::strong_count(&a)`.
    ArcCount {
        arc: Operand,
        dst: Local,
    },
    /// `Vec::new()` / `vec![]`: a new empty vector; `dst` = its number. A vector belongs
    /// to one thread at a time (it moves with the number), so its ops are thread-local.
    VecNew {
        dst: Local,
    },
    /// `v.push(x)`.
    VecPush {
        vec: Operand,
        src: Operand,
    },
    /// `v.len()`.
    VecLen {
        vec: Operand,
        dst: Local,
    },
    /// `v.pop()`: the last element into `dst` and 1 into `ok`, or 0 into both when the
    /// vector is empty.
    VecPop {
        vec: Operand,
        dst: Local,
        ok: Local,
    },
    /// `v[i]` (panics past the end, as Rust does).
    VecGet {
        vec: Operand,
        index: Operand,
        dst: Local,
    },
    /// `v[i] = x` (panics past the end).
    VecSet {
        vec: Operand,
        index: Operand,
        src: Operand,
    },
    /// `thread::spawn(f)`: the child gets `args` in its first locals and takes over the
    /// handles in `moves` (channel ends and `Arc`s of a `move` closure). `dst` = the
    /// child's id, for `join`.
    Spawn {
        func: FnId,
        args: Vec<Operand>,
        moves: Vec<(Operand, Side)>,
        dst: Option<Local>,
    },
    /// `handle.join()`: blocks until the thread exits; `ok` = 0 if it panicked.
    Join {
        thread: Operand,
        ok: Option<Local>,
    },
    /// The value a thread's closure returns (its tail expression): kept with the thread for
    /// whoever joins it. Thread-local until the thread exits.
    ThreadResult {
        src: Operand,
    },
    /// `let v = h.join().unwrap()`: the joined (so exited) thread's value.
    JoinResult {
        thread: Operand,
        dst: Local,
    },
    /// `b.wait()`: blocks until the barrier's `n`-th thread arrives, which wakes them all;
    /// `leader` = 1 for that last one (`BarrierWaitResult::is_leader`), 0 for the others.
    BarrierWait {
        barrier: BarrierId,
        leader: Option<Local>,
    },
    /// `ONCE.call_once(…)` / `CELL.get_or_init(…)` begins: `run` = 1 when this thread runs
    /// the initialiser (then `OnceEnd`), 0 when it is done; blocks while another runs it.
    OnceBegin {
        once: OnceId,
        run: Local,
    },
    /// The initialiser returned `value` (an `OnceLock`'s; 0 for a `Once`).
    OnceEnd {
        once: OnceId,
        value: Operand,
    },
    /// `OnceLock::get`: `done` = 1 when it is initialised, else 0; never waits.
    OncePeek {
        once: OnceId,
        done: Local,
    },
    /// The value of a done `OnceLock`. Thread-local: the once is done, so it never changes.
    OnceGet {
        once: OnceId,
        dst: Local,
    },
    /// `thread::Builder::new().name(s)`: the next thread this thread spawns is named `s`
    /// (a text's number). Thread-local.
    NameNextSpawn {
        name: Operand,
    },
    /// `t.name()` for the thread numbered `thread` (main is 1): its name's text number,
    /// -1 for none; main's is `main` (a text's number too).
    ThreadName {
        thread: Operand,
        dst: Local,
        main: u32,
    },
    /// `thread::park()`: takes the thread's token, or blocks until `Unpark`.
    Park,
    /// `t.unpark()` for the thread whose `ThreadId` number is `thread` (main is 1).
    Unpark {
        thread: Operand,
    },
    /// `thread::yield_now()`: the thread gives up the rest of its time slice (another
    /// ready thread may take the core). Touches nothing shared.
    Yield,
    /// `thread::current().id()`: the running thread's `ThreadId` number (main is 1, then
    /// each spawned thread in spawn order, as std numbers them).
    CurrentThread {
        dst: Local,
    },
    /// `rx.try_recv()`: never blocks. `ok` = 1 (a message, in `dst`), 0 (empty) or -1
    /// (empty, and every sender is gone).
    TryRecv {
        chan: Operand,
        dst: Local,
        ok: Local,
    },
    /// `rx.recv_timeout(d)`: as `TryRecv`, but while the channel is empty (and a sender
    /// lives) it blocks for up to `ticks`; `ok` = 0 is the timeout. Woken by a message, a
    /// disconnection or the timer, the thread runs the op again: a message that came
    /// after the timer fired, before the thread ran, is still received (as std's loop
    /// tries to receive once more before it reports a timeout).
    RecvTimeout {
        chan: Operand,
        ticks: Operand,
        dst: Local,
        ok: Local,
    },
    /// `rw.read()`: a shared (read) lock of an `RwLock` (one of the program's mutexes):
    /// taken at once while no writer holds or waits for it, else blocks (see `rwlock`).
    /// `rw.write()` is `Lock`, and dropping a write guard `Unlock`.
    ReadLock {
        mutex: MutexId,
    },
    /// Dropping a read guard.
    ReadUnlock {
        mutex: MutexId,
    },
    /// `cv.wait(guard)`: unlocks `mutex` (which the thread must hold) and blocks until a
    /// `notify` wakes it. Re-locking is the next op (`Lock`), as std's `wait` re-locks
    /// before it returns. Spurious wake-ups are not simulated.
    CondvarWait {
        condvar: CondvarId,
        mutex: MutexId,
    },
    /// `cv.notify_one()` (`all` false) or `cv.notify_all()`: wakes the first waiter, or
    /// every waiter; with no waiter it does nothing (the notification is not kept).
    CondvarNotify {
        condvar: CondvarId,
        all: bool,
    },
    /// `thread::sleep(t)`: off the core for `t` ticks.
    Sleep {
        ticks: Operand,
    },
    /// A blocking call (file, socket, API call): off the core for `t` ticks, thread held.
    BlockingIo {
        ticks: Operand,
    },
    /// CPU-bound work: stays on the core for `t` ticks.
    Work {
        ticks: Operand,
    },
    /// Spawn an async task on the event loop; `dst` = the task's id.
    SpawnTask {
        func: FnId,
        args: Vec<Operand>,
        dst: Option<Local>,
    },
    /// `io(t).await` inside an async fn: the task suspends, the event-loop thread is free.
    AwaitIo {
        ticks: Operand,
    },
    /// `task.await` (in a task) or `block_on(task)` (in a thread): wait for a task to finish.
    AwaitTask {
        task: Operand,
    },
    Jump {
        target: u32,
    },
    JumpIfZero {
        cond: Operand,
        target: u32,
    },
    /// Compare and branch in one step: jump to `target` unless `a op b` holds (loops and
    /// `if` on a comparison).
    JumpUnless {
        a: Operand,
        op: BinOp,
        b: Operand,
        target: u32,
    },
    /// `assert!(cond, msg)`: on failure the thread panics with `program.messages[msg]`.
    Assert {
        cond: Operand,
        msg: u32,
    },
    /// `assert_eq!(a, b)` and friends: on failure the thread panics with the message and
    /// both values, as Rust prints them.
    AssertCmp {
        a: Operand,
        op: BinOp,
        b: Operand,
        msg: u32,
    },
    /// `println!` and friends: `program.messages[msg]` with each `{}` replaced by the next
    /// of `args` (`{{` and `}}` are braces), written to standard output, or to standard
    /// error (`err`).
    Print {
        msg: u32,
        args: Vec<Operand>,
        err: bool,
    },
    /// `format!(…)`: a new `String`, `program.messages[msg]` with its holes filled as
    /// `Print` fills them; `dst` = its number (see `machine::text`).
    Format {
        msg: u32,
        args: Vec<Operand>,
        dst: Local,
    },
    /// `a == b` of two strings: 1 in `dst` when their texts are equal. Texts never change
    /// once made, so this reads nothing the explorer watches.
    TextEq {
        dst: Local,
        a: Operand,
        b: Operand,
    },
    /// `panic!(…)` (and `unwrap()` of an `Err` or `None`): the thread panics with
    /// `program.messages[msg]`, its holes filled as `Print` fills them.
    Panic {
        msg: u32,
        args: Vec<Operand>,
    },
    /// Leave the function (also implicit after the last op).
    Return,
}

/// A named shared declaration with its initial value.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Decl {
    pub name: String,
    pub init: Value,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Function {
    pub name: String,
    /// Number of local slots; parameters are the first `params` of them.
    pub locals: u32,
    pub params: u32,
    /// An `async fn`: runs as a task on the event loop and may `.await`.
    pub is_async: bool,
    pub body: Vec<Op>,
    /// Source line of each op (same length as `body`), 0 where unknown.
    pub lines: Vec<u32>,
    /// The source's names for locals, for the picture (the machine never reads them).
    #[cfg_attr(feature = "serde", serde(default))]
    pub names: Vec<LocalName>,
}

/// A named local of the source (`let v = …`, a parameter, a loop variable), in scope
/// while its thread's next op is in `from..to`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LocalName {
    pub local: Local,
    pub name: String,
    pub from: u32,
    pub to: u32,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Program {
    pub vars: Vec<Decl>,
    pub atomics: Vec<Decl>,
    pub mutexes: Vec<Decl>,
    /// Barriers, each with how many threads it waits for (`init`).
    pub barriers: Vec<Decl>,
    /// `Once`s (`init` 0) and `OnceLock`s (`init` 1).
    #[cfg_attr(feature = "serde", serde(default))]
    pub onces: Vec<Decl>,
    /// Which of `mutexes` are `RwLock`s (for names and messages; their semantics are in
    /// the ops used on them).
    #[cfg_attr(feature = "serde", serde(default))]
    pub rwlocks: Vec<MutexId>,
    /// Which of `mutexes` hold a vector (`Mutex<Vec<T>>`): the value is its number, shown
    /// as the vector's elements, each as the format hole says (`v` numbers, `w` `bool`s,
    /// `V` strings; see `machine::output::format`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub vector_mutexes: Vec<(MutexId, char)>,
    /// What the channels made by the `ChanNew` at (function, op) carry, as the format
    /// hole that prints a message (`q` a string, `b` a `bool`, `(dq)` a tuple…); a
    /// channel made elsewhere carries numbers.
    #[cfg_attr(feature = "serde", serde(default))]
    pub channel_holes: Vec<(FnId, u32, String)>,
    /// The statics, atomics and mutexes that hold a `bool` (0 or 1), by name: shown as
    /// `true` / `false`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bools: Vec<String>,
    /// Condition variables (`init` unused).
    #[cfg_attr(feature = "serde", serde(default))]
    pub condvars: Vec<Decl>,
    pub functions: Vec<Function>,
    pub main: FnId,
    /// Assertion messages, indexed by `Op::Assert::msg`.
    pub messages: Vec<String>,
}

/// The most locals a function may have, and the most ops: a run keeps a function's
/// locals and constants in slots numbered by a `u32`.
pub const MAX_LOCALS: u32 = 1 << 20;
pub const MAX_OPS: usize = 1 << 24;

/// Why a program cannot run, with where: function name and op index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidProgram {
    pub function: String,
    pub op: usize,
    pub reason: String,
}

impl fmt::Display for InvalidProgram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "in `{}`, op {}: {}", self.function, self.op, self.reason)
    }
}

impl std::error::Error for InvalidProgram {}

impl Program {
    /// Checks every index and the async rules, so running never indexes out of bounds.
    pub fn validate(&self) -> Result<(), InvalidProgram> {
        let main = self
            .functions
            .get(self.main.index())
            .ok_or_else(|| InvalidProgram {
                function: "<program>".into(),
                op: 0,
                reason: format!("main function {} does not exist", self.main.0),
            })?;
        if main.is_async || main.params != 0 {
            return Err(InvalidProgram {
                function: main.name.clone(),
                op: 0,
                reason: "main must be a plain function with no parameters".into(),
            });
        }
        for f in &self.functions {
            let bad = |op: usize, reason: String| InvalidProgram {
                function: f.name.clone(),
                op,
                reason,
            };
            if f.params > f.locals {
                return Err(bad(
                    0,
                    format!("{} params but {} locals", f.params, f.locals),
                ));
            }
            if f.locals > MAX_LOCALS {
                return Err(bad(
                    0,
                    format!("{} locals; a function has at most {MAX_LOCALS}", f.locals),
                ));
            }
            if f.body.len() > MAX_OPS {
                return Err(bad(
                    0,
                    format!("{} ops; a function has at most {MAX_OPS}", f.body.len()),
                ));
            }
            if f.lines.len() != f.body.len() {
                return Err(bad(0, "lines and body differ in length".into()));
            }
            for (i, op) in f.body.iter().enumerate() {
                self.validate_op(f, op).map_err(|r| bad(i, r))?;
            }
        }
        Ok(())
    }

    fn validate_op(&self, f: &Function, op: &Op) -> Result<(), String> {
        let local = |l: &Local| {
            if l.0 < f.locals {
                Ok(())
            } else {
                Err(format!("local {} out of range ({} locals)", l.0, f.locals))
            }
        };
        let operand = |o: &Operand| match o {
            Operand::Local(l) => local(l),
            Operand::Imm(_) => Ok(()),
        };
        let opt = |l: &Option<Local>| l.as_ref().map_or(Ok(()), local);
        let within = |what: &str, i: u32, n: usize| {
            if (i as usize) < n {
                Ok(())
            } else {
                Err(format!("{what} {i} does not exist"))
            }
        };
        let target = |t: u32| {
            if t as usize <= f.body.len() {
                Ok(())
            } else {
                Err(format!("jump target {t} is past the end"))
            }
        };
        let callee = |func: FnId, args: usize, want_async: bool| -> Result<(), String> {
            within("function", func.0, self.functions.len())?;
            let g = &self.functions[func.index()];
            if g.is_async != want_async {
                return Err(if want_async {
                    format!("`{}` is not async; only async fns run as tasks", g.name)
                } else {
                    format!("`{}` is async; spawn it as a task", g.name)
                });
            }
            if args != g.params as usize {
                return Err(format!(
                    "`{}` takes {} arguments, got {args}",
                    g.name, g.params
                ));
            }
            Ok(())
        };
        match op {
            Op::Set { dst, src } => local(dst).and(operand(src)),
            Op::Bin { dst, a, b, .. } | Op::BinFit { dst, a, b, .. } => {
                local(dst).and(operand(a)).and(operand(b))
            }
            Op::Load { dst, var } => local(dst).and(within("variable", var.0, self.vars.len())),
            Op::Store { var, src } => within("variable", var.0, self.vars.len()).and(operand(src)),
            Op::AtomicLoad { dst, atomic } => {
                local(dst).and(within("atomic", atomic.0, self.atomics.len()))
            }
            Op::AtomicStore { atomic, src } => {
                within("atomic", atomic.0, self.atomics.len()).and(operand(src))
            }
            Op::AtomicRmw {
                dst, atomic, src, ..
            } => opt(dst)
                .and(within("atomic", atomic.0, self.atomics.len()))
                .and(operand(src)),
            Op::AtomicCas {
                ok,
                old,
                atomic,
                expected,
                new,
            } => opt(ok)
                .and(opt(old))
                .and(within("atomic", atomic.0, self.atomics.len()))
                .and(operand(expected))
                .and(operand(new)),
            Op::Lock { mutex } | Op::Unlock { mutex } => {
                within("mutex", mutex.0, self.mutexes.len())
            }
            Op::TryLock { dst, mutex } | Op::MutexLoad { dst, mutex } => {
                local(dst).and(within("mutex", mutex.0, self.mutexes.len()))
            }
            Op::MutexStore { mutex, src } => {
                within("mutex", mutex.0, self.mutexes.len()).and(operand(src))
            }
            Op::ChanNew { tx, rx, .. } => local(tx).and(local(rx)),
            Op::Send { chan, value, ok } => operand(chan).and(operand(value)).and(opt(ok)),
            Op::Recv { chan, dst, ok } => operand(chan).and(local(dst)).and(opt(ok)),
            Op::CloneSender { chan } | Op::DropHandle { chan, .. } => operand(chan),
            Op::ArcNew { dst, pointee } => local(dst).and(match *pointee {
                Pointee::Mutex(m) => within("mutex", m.0, self.mutexes.len()),
                Pointee::Atomic(a) => within("atomic", a.0, self.atomics.len()),
                Pointee::Barrier(b) => within("barrier", b.0, self.barriers.len()),
                Pointee::Condvar(c) => within("condvar", c.0, self.condvars.len()),
                Pointee::MutexCondvar(m, c) => within("mutex", m.0, self.mutexes.len())
                    .and(within("condvar", c.0, self.condvars.len())),
            }),
            Op::CondvarWait { condvar, mutex } => within("condvar", condvar.0, self.condvars.len())
                .and(within("mutex", mutex.0, self.mutexes.len())),
            Op::Yield | Op::Park => Ok(()),
            Op::NameNextSpawn { name } => operand(name),
            Op::ThreadName { thread, dst, main } => {
                operand(thread)
                    .and(local(dst))
                    .and(within("message", *main, self.messages.len()))
            }
            Op::Unpark { thread } => operand(thread),
            Op::OnceBegin { once, run } => within("once", once.0, self.onces.len()).and(local(run)),
            Op::OnceEnd { once, value } => {
                within("once", once.0, self.onces.len()).and(operand(value))
            }
            Op::OnceGet { once, dst } => within("once", once.0, self.onces.len()).and(local(dst)),
            Op::OncePeek { once, done } => {
                within("once", once.0, self.onces.len()).and(local(done))
            }
            Op::CurrentThread { dst } => local(dst),
            Op::TryRecv { chan, dst, ok } => operand(chan).and(local(dst)).and(local(ok)),
            Op::RecvTimeout {
                chan,
                ticks,
                dst,
                ok,
            } => operand(chan)
                .and(operand(ticks))
                .and(local(dst))
                .and(local(ok)),
            Op::ReadLock { mutex } | Op::ReadUnlock { mutex } => {
                within("mutex", mutex.0, self.mutexes.len())
            }
            Op::CondvarNotify { condvar, .. } => within("condvar", condvar.0, self.condvars.len()),
            Op::BarrierWait { barrier, leader } => {
                within("barrier", barrier.0, self.barriers.len()).and(opt(leader))
            }
            Op::ArcClone { arc, dst } | Op::ArcCount { arc, dst } => operand(arc).and(local(dst)),
            Op::VecNew { dst } => local(dst),
            Op::VecPush { vec, src } => operand(vec).and(operand(src)),
            Op::VecLen { vec, dst } => operand(vec).and(local(dst)),
            Op::VecPop { vec, dst, ok } => operand(vec).and(local(dst)).and(local(ok)),
            Op::VecGet { vec, index, dst } => operand(vec).and(operand(index)).and(local(dst)),
            Op::VecSet { vec, index, src } => operand(vec).and(operand(index)).and(operand(src)),
            Op::Spawn {
                func,
                args,
                moves,
                dst,
            } => {
                callee(*func, args.len(), false)?;
                args.iter().try_for_each(operand)?;
                moves.iter().try_for_each(|(c, _)| operand(c))?;
                opt(dst)
            }
            Op::SpawnTask { func, args, dst } => {
                callee(*func, args.len(), true)?;
                args.iter().try_for_each(operand)?;
                opt(dst)
            }
            Op::Join { thread, ok } => operand(thread).and(opt(ok)),
            Op::ThreadResult { src } => operand(src),
            Op::JoinResult { thread, dst } => operand(thread).and(local(dst)),
            Op::Sleep { ticks } | Op::BlockingIo { ticks } | Op::Work { ticks } => operand(ticks),
            Op::AwaitIo { ticks } => {
                if !f.is_async {
                    return Err("`.await` is only allowed inside an async fn".into());
                }
                operand(ticks)
            }
            Op::AwaitTask { task } => operand(task),
            Op::Jump { target: t } => target(*t),
            Op::JumpIfZero { cond, target: t } => operand(cond).and(target(*t)),
            Op::JumpUnless {
                a, b, target: t, ..
            } => operand(a).and(operand(b)).and(target(*t)),
            Op::Assert { cond, msg } => {
                operand(cond).and(within("message", *msg, self.messages.len()))
            }
            Op::AssertCmp { a, b, msg, .. } => {
                operand(a)
                    .and(operand(b))
                    .and(within("message", *msg, self.messages.len()))
            }
            Op::Print { msg, args, .. } => {
                within("message", *msg, self.messages.len())?;
                args.iter().try_for_each(operand)
            }
            Op::Panic { msg, args } => {
                within("message", *msg, self.messages.len())?;
                args.iter().try_for_each(operand)
            }
            Op::Format { msg, args, dst } => {
                within("message", *msg, self.messages.len())?;
                args.iter().try_for_each(operand)?;
                local(dst)
            }
            Op::TextEq { dst, a, b } => operand(a).and(operand(b)).and(local(dst)),
            Op::Return => Ok(()),
        }
    }

    pub fn function(&self, id: FnId) -> &Function {
        &self.functions[id.index()]
    }

    /// The source line of the op at `pc` in `func` (0 where unknown, as in a program built
    /// by hand).
    pub fn line(&self, func: FnId, pc: u32) -> u32 {
        self.function(func)
            .lines
            .get(pc as usize)
            .copied()
            .unwrap_or(0)
    }
}
