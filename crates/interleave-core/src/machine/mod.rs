//! The simulated machine: cores advancing in lockstep ticks, threads, the event loop, and
//! the shared state (plain variables, atomics, mutexes, channels). `Machine` is plain data
//! (`Clone`) so a snapshot is the exact state at a tick, and stepping it again from a
//! snapshot gives the very same future.
//!
//! Shaped like loom's `rt/`: this file holds the state and its bookkeeping; `cores` the
//! ticks and the scheduler's choices; `exec` one op (the compact instructions, and the ops
//! that synchronise handed to their primitive); then one file per primitive, each with its
//! semantics and its conflict rule for the explorer (`touches`, over `access`):
//! `memory` (plain statics), `atomic`, `mutex`, `channel`, `thread` (spawn, join, sleep,
//! exit), `task` (async tasks on the event loop).

mod access;
pub(crate) mod arc;
pub(crate) mod atomic;
pub(crate) mod barrier;
pub(crate) mod channel;
pub(crate) mod condvar;
mod cores;
mod exec;
pub(crate) mod memory;
pub(crate) mod mutex;
pub(crate) mod once;
pub(crate) mod output;
pub(crate) mod park;
pub(crate) mod rwlock;
pub(crate) mod task;
pub(crate) mod text;
pub(crate) mod thread;
mod vec;

pub(crate) use access::Accesses;
pub use arc::ArcState;
pub use barrier::BarrierState;
pub use channel::Channel;
pub use condvar::CondvarState;
pub(crate) use exec::{next_op_visible, step_boundary};
pub use mutex::MutexState;
pub use once::{OnceStage, OnceState};
pub use output::Printed;
pub use task::{Task, TaskState};

use crate::code::{Code, Ins, Slot, NO_SLOT};
use crate::program::*;
use crate::race::{Access, RaceDetector, VClock};
use crate::sched::{fifo::Fifo, random::Random, replay::Replay, round_robin::RoundRobin};
use crate::sched::{replay::Mismatch, Policy, RunningSlice};
use crate::settings::{Limits, PolicyKind, Settings, MAX_CORES};
use crate::trace::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::sync::Arc;

/// Which limit ended a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Limit {
    Steps,
    Ticks,
    Threads,
    Tasks,
    Channels,
    ChannelCapacity,
    Buffered,
    WaitTicks,
    Output,
    Heap,
}

impl Limit {
    /// What was hit, with the limit's value, in words: "the step limit (400,000 steps) was
    /// hit: a loop that never ends, or runs longer than that, stops here".
    pub fn words(self, limits: &Limits) -> String {
        match self {
            Limit::Steps => format!(
                "the step limit ({} steps) was hit: a loop that never ends, or runs longer than that, stops here",
                grouped(limits.max_steps)
            ),
            Limit::Ticks => format!(
                "the time limit ({} ticks) was hit: threads that only wait or sleep stop here",
                grouped(limits.max_ticks)
            ),
            Limit::Threads => format!(
                "the thread limit ({} threads, main and the event loop included) was hit by a spawn",
                grouped(limits.max_threads.into())
            ),
            Limit::Tasks => format!(
                "the task limit ({} async tasks) was hit by a spawn_task",
                grouped(limits.max_tasks.into())
            ),
            Limit::Channels => format!(
                "the channel limit ({} channels) was hit",
                grouped(limits.max_channels.into())
            ),
            Limit::ChannelCapacity => format!(
                "a sync_channel asked for more than the largest capacity ({})",
                grouped(limits.max_channel_capacity.into())
            ),
            Limit::Buffered => format!(
                "one channel buffered more than {} messages (a receiver that never keeps up)",
                grouped(limits.max_buffered.into())
            ),
            Limit::WaitTicks => format!(
                "a sleep, I/O or work asked for more than {} ticks at once",
                grouped(limits.max_wait_ticks)
            ),
            Limit::Output => format!(
                "the output limit ({} bytes printed) was hit: a loop that prints forever stops here",
                grouped(limits.max_output_bytes.into())
            ),
            Limit::Heap => format!(
                "the heap limit ({} values in vectors, Arcs and strings) was hit: a loop that pushes forever stops here",
                grouped(limits.max_heap_values.into())
            ),
        }
    }
}

/// `1234567` as "1,234,567".
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum End {
    /// `main` returned; `stopped` threads were still alive and ended with the process.
    Finished {
        stopped: u32,
    },
    /// `main` panicked (a failed assertion, say): the process ends.
    MainPanicked,
    /// No thread can ever run again.
    Deadlock,
    Limit(Limit),
    /// A replayed schedule does not fit this program.
    ScheduleMismatch(String),
}

/// A thread's execution context: which function, where in it, its locals.
#[derive(Clone, Debug, PartialEq)]
pub struct Ctx {
    pub func: FnId,
    pub pc: u32,
    /// The function's locals, then its constants (see the crate-private `code` module).
    pub locals: Vec<Value>,
    /// Ticks of `work(t)` still to burn at `pc`.
    pub work_left: u64,
    /// Where the function's instructions start in the code, and how many there are.
    start: u32,
    len: u32,
}

impl Ctx {
    fn new(code: &Code, func: FnId, args: &[Value]) -> Ctx {
        let f = &code.fns[func.index()];
        let mut locals = vec![0; f.locals as usize + f.consts.len()];
        locals[..args.len()].copy_from_slice(args);
        locals[f.locals as usize..].copy_from_slice(&f.consts);
        Ctx {
            func,
            pc: 0,
            locals,
            work_left: 0,
            start: f.start,
            len: f.len,
        }
    }

    /// A slot's value: a local or a constant.
    #[inline(always)]
    fn slot(&self, s: Slot) -> Value {
        self.locals[s as usize]
    }

    /// An operand's value in this context.
    #[inline]
    fn val(&self, o: Operand) -> Value {
        match o {
            Operand::Imm(v) => v,
            Operand::Local(l) => self.locals[l.index()],
        }
    }
}

/// A duration in ticks (negative is 0), or the end of the run past `max_wait_ticks`.
fn ticks_within(limits: &Limits, v: Value) -> Result<u64, Flow> {
    let v = v.max(0) as u64;
    if v > limits.max_wait_ticks {
        return Err(Flow::End(End::Limit(Limit::WaitTicks)));
    }
    Ok(v)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadState {
    Ready,
    Running { core: u16 },
    Blocked(BlockReason),
    Exited { panicked: bool },
}

#[derive(Clone, Debug)]
pub struct Thread {
    pub id: ThreadId,
    pub state: ThreadState,
    /// The thread's own code; unused by the event-loop thread, which runs tasks.
    pub ctx: Ctx,
    pub is_event_loop: bool,
    /// The task the event loop is polling.
    pub current_task: Option<TaskId>,
    pub parent: Option<ThreadId>,
    pub spawned_at: u64,
    /// What its closure returned (0 until it does; see `Op::ThreadResult`).
    pub result: Value,
    /// The vectors this thread made (see `vec`); a vector moved to another thread stays
    /// here, named by its number.
    pub vecs: Vec<Vec<Value>>,
    /// `unpark` was called and no `park` took it yet (see `park`).
    pub park_token: bool,
    /// Its name (a text's number), given by `thread::Builder::name`.
    pub name: Option<Value>,
    /// The name the next thread it spawns gets.
    pub next_name: Option<Value>,
    /// The timer of its `recv_timeout` fired (see `channel`): the op, run again, reports
    /// a timeout unless a message is there.
    pub timed_out: bool,
    pub(crate) clock: VClock,
}

#[derive(Clone, Debug, Default)]
pub struct Core {
    pub thread: Option<ThreadId>,
    /// Ticks of context switch still to pay before `thread` runs.
    pub switching_left: u64,
    pub last: Option<ThreadId>,
    pub ran_ticks: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    Wake(ThreadId),
    TaskIo(TaskId),
}

/// A failed assertion or other panic, with where.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Panic {
    pub thread: ThreadId,
    pub task: Option<TaskId>,
    pub func: FnId,
    pub pc: u32,
    /// The source line of the op that panicked (0 where unknown), as Rust's panic message
    /// gives it.
    pub line: u32,
    pub tick: u64,
    pub message: String,
    pub assertion: bool,
}

#[derive(Clone, Debug)]
pub struct Machine {
    pub program: Arc<Program>,
    /// The program as it runs (shared by every snapshot of this run).
    code: Arc<Code>,
    pub cores: Vec<Core>,
    pub now: u64,
    pub steps: u64,
    pub threads: Vec<Thread>,
    pub tasks: Vec<Task>,
    pub ready: VecDeque<ThreadId>,
    pub vars: Vec<Value>,
    pub atomics: Vec<Value>,
    pub mutexes: Vec<MutexState>,
    pub channels: Vec<Channel>,
    pub arcs: Vec<ArcState>,
    pub barriers: Vec<BarrierState>,
    pub condvars: Vec<CondvarState>,
    pub onces: Vec<OnceState>,
    /// Values held in vectors, for `Limits::max_heap_values`.
    heap_values: usize,
    /// The event loop's ready queue of tasks.
    pub task_queue: VecDeque<TaskId>,
    pub event_loop: Option<ThreadId>,
    pub panics: Vec<Panic>,
    /// What the threads printed, in order.
    pub output: Vec<Printed>,
    /// The strings each thread made, by thread (see `text`): empty until one is made.
    pub texts: Vec<Vec<String>>,
    /// Bytes printed, each print counting at least one (see `Limits::max_output_bytes`).
    output_bytes: usize,
    pub end: Option<End>,
    pub(crate) races: RaceDetector,
    atomic_clocks: Vec<VClock>,
    /// Clocks of received messages, kept for the next messages' stamps.
    spare_clocks: Spare,
    pub(crate) timers: BinaryHeap<Reverse<(u64, u64, Timer)>>,
    timer_seq: u64,
    pub(crate) policy: Policy,
    switch_cost_ticks: u64,
    /// See [`Settings::idle_cores_first`].
    idle_cores_first: bool,
    /// The steps being followed (see [`Settings::steps`]) and the next one.
    gate: Option<(Arc<[Action]>, usize)>,
    limits: Limits,
}

/// Spare memory for message stamps. It holds no state, so a snapshot starts with none
/// rather than copying them, and two machines in the same state print the same.
#[derive(Default)]
struct Spare(Vec<VClock>);

impl Clone for Spare {
    fn clone(&self) -> Spare {
        Spare::default()
    }
}

impl fmt::Debug for Spare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Spare")
    }
}

/// What one op did to its thread.
enum Flow {
    /// Done; go on with the next op.
    Next,
    /// Nothing more to do: the op moved the pc itself, or stays at it (work still burning,
    /// or the event loop moved on to another task).
    Done,
    /// Off the core; the op completes when woken (pc was already advanced).
    Block(BlockReason),
    /// Function finished.
    Return,
    /// The thread panics with this message.
    Panic(String, bool),
    /// The whole run ends.
    End(End),
}

impl Machine {
    /// A machine at tick 0 with `main` ready. Both inputs must be valid (see `simulate`).
    pub fn new(program: Arc<Program>, settings: &Settings) -> Machine {
        let policy = match &settings.policy {
            PolicyKind::Replay(d) => {
                Policy::Replay(Replay::new(d.clone(), Some(settings.quantum_ticks)))
            }
            PolicyKind::RoundRobin => Policy::RoundRobin(RoundRobin {
                quantum_ticks: settings.quantum_ticks,
            }),
            PolicyKind::Fifo => Policy::Fifo(Fifo),
            PolicyKind::Random => {
                Policy::Random(Random::new(settings.seed, settings.quantum_ticks))
            }
        };
        Machine::with_policy(program, settings, policy)
    }

    /// A machine driven by an explicit policy (the explorer's replay-then-lowest).
    pub fn with_policy(program: Arc<Program>, settings: &Settings, policy: Policy) -> Machine {
        let mutexes = program
            .mutexes
            .iter()
            .map(|d| MutexState {
                value: d.init,
                owner: None,
                waiters: VecDeque::new(),
                readers: Vec::new(),
                read_waiters: VecDeque::new(),
                poisoned: false,
                clock: VClock::default(),
            })
            .collect();
        let code = Arc::new(Code::new(Arc::clone(&program)));
        let main = Ctx::new(&code, program.main, &[]);
        let mut m = Machine {
            code,
            cores: vec![Core::default(); settings.cores as usize],
            now: 0,
            steps: 0,
            threads: Vec::new(),
            tasks: Vec::new(),
            ready: VecDeque::new(),
            vars: program.vars.iter().map(|d| d.init).collect(),
            atomics: program.atomics.iter().map(|d| d.init).collect(),
            mutexes,
            channels: Vec::new(),
            arcs: Vec::new(),
            barriers: program
                .barriers
                .iter()
                .map(|_| BarrierState::default())
                .collect(),
            condvars: program
                .condvars
                .iter()
                .map(|_| CondvarState::default())
                .collect(),
            onces: program.onces.iter().map(|_| OnceState::default()).collect(),
            heap_values: 0,
            task_queue: VecDeque::new(),
            event_loop: None,
            panics: Vec::new(),
            output: Vec::new(),
            texts: Vec::new(),
            output_bytes: 0,
            end: None,
            races: RaceDetector::new(program.vars.len(), settings.limits.max_races as usize),
            atomic_clocks: vec![VClock::default(); program.atomics.len()],
            spare_clocks: Spare::default(),
            timers: BinaryHeap::new(),
            timer_seq: 0,
            policy,
            switch_cost_ticks: settings.switch_cost_ticks,
            idle_cores_first: settings.idle_cores_first,
            gate: settings.steps.clone().map(|s| (s, 0)),
            limits: settings.limits.clone(),
            program,
        };
        m.new_thread(main, None, false);
        m
    }

    pub fn thread(&self, t: ThreadId) -> &Thread {
        &self.threads[t.0 as usize]
    }

    /// The context a thread executes now: its own, or its current task's.
    #[inline]
    pub fn ctx(&self, t: ThreadId) -> &Ctx {
        let th = self.thread(t);
        match th.current_task {
            Some(task) => &self.tasks[task.0 as usize].ctx,
            None => &th.ctx,
        }
    }

    #[inline]
    pub(crate) fn ctx_mut(&mut self, t: ThreadId) -> &mut Ctx {
        let th = &self.threads[t.0 as usize];
        match th.current_task {
            Some(task) => &mut self.tasks[task.0 as usize].ctx,
            None => &mut self.threads[t.0 as usize].ctx,
        }
    }

    pub fn races(&self) -> &RaceDetector {
        &self.races
    }

    fn new_thread(&mut self, ctx: Ctx, parent: Option<ThreadId>, is_event_loop: bool) -> ThreadId {
        let id = ThreadId(self.threads.len() as u32);
        let mut clock = match parent {
            Some(p) => self.thread(p).clock.clone(),
            None => VClock::default(),
        };
        clock.tick(id);
        self.threads.push(Thread {
            id,
            state: ThreadState::Ready,
            ctx,
            is_event_loop,
            current_task: None,
            parent,
            spawned_at: self.now,
            result: 0,
            vecs: Vec::new(),
            timed_out: false,
            park_token: false,
            name: None,
            next_name: None,
            clock,
        });
        self.ready.push_back(id);
        id
    }

    #[inline(always)]
    fn emit(&self, sink: &mut impl Sink, core: Option<u16>, thread: ThreadId, kind: EventKind) {
        sink.event(Event {
            tick: self.now,
            core,
            thread,
            task: self.thread(thread).current_task,
            kind,
        });
    }

    pub(super) fn add_timer(&mut self, at: u64, timer: Timer) {
        self.timer_seq += 1;
        self.timers.push(Reverse((at, self.timer_seq, timer)));
    }

    pub(crate) fn make_ready(&mut self, t: ThreadId, sink: &mut impl Sink) {
        self.threads[t.0 as usize].state = ThreadState::Ready;
        self.ready.push_back(t);
        self.emit(sink, None, t, EventKind::Wake);
    }

    /// Whether the run has ended.
    pub fn finished(&self) -> bool {
        self.end.is_some()
    }
}
