//! The simulated machine: cores advancing in lockstep ticks, threads, the event loop, and
//! the shared state (plain variables, atomics, mutexes, channels). `Machine` is plain data
//! (`Clone`) so a snapshot is the exact state at a tick, and stepping it again from a
//! snapshot gives the very same future.

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
}

impl Limit {
    /// What was hit, with the limit's value, in words: "the step limit (400,000 steps) was
    /// hit: a loop that never ends stops here".
    pub fn words(self, limits: &Limits) -> String {
        match self {
            Limit::Steps => format!(
                "the step limit ({} steps) was hit: a loop that never ends stops here",
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

/// Whether the thread's next op touches shared state or synchronises: a preemption before
/// a local op changes no outcome, so the explorer does not branch there.
pub(crate) fn next_op_visible(
    threads: &[Thread],
    tasks: &[Task],
    program: &Program,
    t: ThreadId,
) -> bool {
    let th = &threads[t.0 as usize];
    let ctx = match th.current_task {
        Some(task) => &tasks[task.0 as usize].ctx,
        None if th.is_event_loop => return true,
        None => &th.ctx,
    };
    match program.function(ctx.func).body.get(ctx.pc as usize) {
        None => true,
        Some(op) => !matches!(
            op,
            Op::Set { .. }
                | Op::Bin { .. }
                | Op::Jump { .. }
                | Op::JumpIfZero { .. }
                | Op::JumpUnless { .. }
                | Op::Work { .. }
                | Op::Assert { .. }
                | Op::AssertCmp { .. }
                | Op::MutexLoad { .. }
                | Op::MutexStore { .. }
        ),
    }
}

/// Whether the thread's next op ends an explorer's step: a visible op, or a local op after
/// which the function may return (its last op, or a jump to its end), since returning is
/// visible (joiners wake, the process may end). The explorer and a timed run following a
/// witness cut steps at exactly these ops, so their steps are the same.
pub(crate) fn step_boundary(
    threads: &[Thread],
    tasks: &[Task],
    program: &Program,
    t: ThreadId,
) -> bool {
    if next_op_visible(threads, tasks, program, t) {
        return true;
    }
    let th = &threads[t.0 as usize];
    let ctx = match th.current_task {
        Some(task) => &tasks[task.0 as usize].ctx,
        None => &th.ctx,
    };
    let body = &program.function(ctx.func).body;
    let end = body.len() as u32;
    match body.get(ctx.pc as usize) {
        Some(Op::Jump { target })
        | Some(Op::JumpIfZero { target, .. })
        | Some(Op::JumpUnless { target, .. }) => *target >= end,
        Some(_) => ctx.pc + 1 == end,
        None => true,
    }
}

/// The panic message for touching a mutex's data without holding its guard.
fn unguarded(program: &Program, m: MutexId) -> String {
    format!(
        "used `{}` without holding its lock",
        program.mutexes[m.index()].name
    )
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
    pub(crate) clock: VClock,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// In the event loop's queue.
    Queued,
    Polling,
    /// Suspended at an `.await` on I/O until `until`.
    AwaitingIo {
        until: u64,
    },
    AwaitingTask(TaskId),
    Done,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub id: TaskId,
    pub state: TaskState,
    pub ctx: Ctx,
}

#[derive(Clone, Debug, Default)]
pub struct Core {
    pub thread: Option<ThreadId>,
    /// Ticks of context switch still to pay before `thread` runs.
    pub switching_left: u64,
    pub last: Option<ThreadId>,
    pub ran_ticks: u64,
}

#[derive(Clone, Debug)]
pub struct MutexState {
    pub value: Value,
    pub owner: Option<ThreadId>,
    /// FIFO: the lock is handed to the first waiter on unlock. (std's Mutex promises no
    /// order; a FIFO queue keeps runs easy to follow and is one order std may produce.)
    pub waiters: VecDeque<ThreadId>,
    /// Set when a thread panicked while holding it; later `lock().unwrap()` panics.
    pub poisoned: bool,
    clock: VClock,
}

#[derive(Clone, Debug)]
pub struct Channel {
    pub id: ChanId,
    /// `None`: unbounded; `Some(0)`: rendezvous.
    pub cap: Option<u32>,
    pub buffer: VecDeque<Value>,
    /// One entry per sender handle, naming the thread that holds it.
    pub senders: Vec<ThreadId>,
    pub receiver: Option<ThreadId>,
    pub recv_waiters: VecDeque<ThreadId>,
    /// Blocked senders with the message each is trying to send.
    pub send_waiters: VecDeque<(ThreadId, Value)>,
    /// For each buffered message, its sender's past at the send: a recv acquires that
    /// message's send only, not later ones.
    stamps: VecDeque<VClock>,
    /// The op that made it (function, op index): its source line names it for people.
    pub made_at: (FnId, u32),
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
    /// The event loop's ready queue of tasks.
    pub task_queue: VecDeque<TaskId>,
    pub event_loop: Option<ThreadId>,
    pub panics: Vec<Panic>,
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
            task_queue: VecDeque::new(),
            event_loop: None,
            panics: Vec::new(),
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

    /// The next step of a followed witness, if one is being followed and has steps left.
    pub fn gate_next(&self) -> Option<Action> {
        let (steps, i) = self.gate.as_ref()?;
        steps.get(*i).copied()
    }

    /// A followed witness's step is done: on to the next, completing awaited I/O whose turn
    /// it is, and letting the thread whose turn it is go on.
    fn gate_advance(&mut self, sink: &mut impl Sink) {
        if let Some((_, i)) = &mut self.gate {
            *i += 1;
        }
        self.gate_open(sink);
    }

    /// Completes the I/O whose turn it is, and readies the thread whose turn it is.
    fn gate_open(&mut self, sink: &mut impl Sink) {
        loop {
            match self.gate_next() {
                Some(Action::CompleteIo(task)) => {
                    let pending = matches!(
                        self.tasks.get(task.0 as usize).map(|t| t.state),
                        Some(TaskState::AwaitingIo { .. })
                    );
                    if !pending {
                        return; // not yet suspended: it completes once it is
                    }
                    self.timers
                        .retain(|Reverse((_, _, t))| *t != Timer::TaskIo(task));
                    let lp = self
                        .event_loop
                        .expect("a task exists only with an event loop");
                    self.emit(sink, None, lp, EventKind::IoDone { blocking: false });
                    self.wake_task(task, sink);
                    if let Some((_, i)) = &mut self.gate {
                        *i += 1;
                    }
                }
                Some(Action::Run(t)) => {
                    if self.thread(t).state == ThreadState::Blocked(BlockReason::Turn) {
                        self.make_ready(t, sink);
                    }
                    return;
                }
                None => {
                    // The witness is over: everyone paused goes on.
                    self.gate = None;
                    for i in 0..self.threads.len() {
                        if self.threads[i].state == ThreadState::Blocked(BlockReason::Turn) {
                            self.make_ready(ThreadId(i as u32), sink);
                        }
                    }
                    return;
                }
            }
        }
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

    fn add_timer(&mut self, at: u64, timer: Timer) {
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

    /// Advances one tick (or, when every core is idle, jumps to the next timer but not past
    /// `until`). Does nothing once the run has ended.
    pub fn tick(&mut self, until: u64, sink: &mut impl Sink) {
        // A handle on the code while the cores run, so no op is cloned. (Loops over many
        // ticks take one handle for all of them: see `tick_with`.)
        let code = self.code();
        self.tick_with(&code, until, sink);
    }

    /// A handle on the code this machine runs, for [`Machine::tick_with`].
    pub(crate) fn code(&self) -> Arc<Code> {
        Arc::clone(&self.code)
    }

    /// [`Machine::tick`], with `code` this machine's own code.
    pub(crate) fn tick_with(&mut self, code: &Code, until: u64, sink: &mut impl Sink) {
        debug_assert!(std::ptr::eq(code, &*self.code), "the machine's own code");
        if self.end.is_some() {
            return;
        }
        sink.start_tick(self.now);
        self.fire_timers(sink);
        if let Err(e) = self.schedule(sink) {
            self.end = Some(End::ScheduleMismatch(e.to_string()));
            return;
        }
        let busy = self.cores.iter().any(|c| c.thread.is_some());
        if busy {
            for core in 0..self.cores.len() {
                self.run_core(code, core, sink);
                if self.end.is_some() {
                    break; // the process ended this tick: later cores do not run
                }
            }
            self.now += 1;
            if self.end.is_some() {
                return;
            }
        } else if let Some(at) = self.next_timer() {
            // Nothing runs until the next timer: skip the idle ticks.
            self.now = at.min(until).max(self.now + 1);
        } else if let Some(next) = self.gate_next() {
            // Everyone waits for a turn that cannot come: the witness is not of this run.
            self.end = Some(End::ScheduleMismatch(format!(
                "step {} ({next:?}) can never be taken: the steps are not an execution of this scenario",
                self.gate.as_ref().map_or(0, |g| g.1 + 1)
            )));
            return;
        } else {
            self.end = Some(End::Deadlock);
            return;
        }
        if self.steps >= self.limits.max_steps {
            self.end = Some(End::Limit(Limit::Steps));
        } else if self.now >= self.limits.max_ticks {
            self.end = Some(End::Limit(Limit::Ticks));
        }
    }

    /// When the next timer fires (awaited I/O held by a followed witness does not count).
    fn next_timer(&self) -> Option<u64> {
        if self.gate.is_none() {
            return self.timers.peek().map(|Reverse((at, _, _))| *at);
        }
        self.timers
            .iter()
            .filter(|Reverse((_, _, t))| matches!(t, Timer::Wake(_)))
            .map(|Reverse((at, _, _))| *at)
            .min()
    }

    fn fire_timers(&mut self, sink: &mut impl Sink) {
        // Following a witness, awaited I/O completes when its step comes, not on time.
        let mut held = Vec::new();
        while let Some(Reverse((at, seq, timer))) = self.timers.peek().copied() {
            if at > self.now {
                break;
            }
            self.timers.pop();
            if self.gate.is_some() && matches!(timer, Timer::TaskIo(_)) {
                held.push(Reverse((at, seq, timer)));
                continue;
            }
            match timer {
                Timer::Wake(t) => {
                    let blocking = matches!(
                        self.thread(t).state,
                        ThreadState::Blocked(BlockReason::BlockingIo { .. })
                    );
                    if blocking {
                        self.emit(sink, None, t, EventKind::IoDone { blocking: true });
                    }
                    self.make_ready(t, sink);
                }
                Timer::TaskIo(task) => {
                    let lp = self
                        .event_loop
                        .expect("a task exists only with an event loop");
                    sink.event(Event {
                        tick: self.now,
                        core: None,
                        thread: lp,
                        task: Some(task),
                        kind: EventKind::IoDone { blocking: false },
                    });
                    self.wake_task(task, sink);
                }
            }
        }
        self.timers.extend(held);
    }

    /// The task's waker: queue it on the event loop, and wake the loop if it was idle.
    pub(crate) fn wake_task(&mut self, task: TaskId, sink: &mut impl Sink) {
        let lp = self
            .event_loop
            .expect("a task exists only with an event loop");
        self.tasks[task.0 as usize].state = TaskState::Queued;
        self.task_queue.push_back(task);
        sink.event(Event {
            tick: self.now,
            core: None,
            thread: lp,
            task: Some(task),
            kind: EventKind::TaskWake(task),
        });
        if self.thread(lp).state == ThreadState::Blocked(BlockReason::EventLoopIdle) {
            self.make_ready(lp, sink);
        }
    }

    fn schedule(&mut self, sink: &mut impl Sink) -> Result<(), Mismatch> {
        // Round robin's answer is a comparison: asked of every running core on every
        // tick, it is worth making without a call through the policy.
        let quantum = match &self.policy {
            Policy::RoundRobin(p) => Some(p.quantum_ticks),
            _ => None,
        };
        if self.idle_cores_first {
            // Idle cores take waiting threads first, each thread the idle core it last ran
            // on if there is one (no migration, no switch), else the lowest-numbered one.
            // Only threads left waiting then can take a core whose slice ended: no thread
            // is preempted while a core is idle.
            // Cores given a thread just now are not asked about preemption this tick.
            let mut placed = [false; MAX_CORES as usize];
            while !self.ready.is_empty() {
                let idle = |c: &Core| c.thread.is_none();
                if !self.cores.iter().any(idle) {
                    break;
                }
                let t = self.pick_ready(sink)?;
                let c = self
                    .cores
                    .iter()
                    .position(|c| idle(c) && c.last == Some(t))
                    .or_else(|| self.cores.iter().position(idle))
                    .expect("an idle core exists");
                self.place(t, c, sink);
                placed[c] = true;
            }
            for (c, &just_placed) in placed.iter().enumerate().take(self.cores.len()) {
                if self.ready.is_empty() {
                    break;
                }
                if !just_placed && self.slice_ends(c, quantum, sink)? {
                    let t = self.pick_ready(sink)?;
                    self.place(t, c, sink);
                }
            }
        } else {
            for c in 0..self.cores.len() {
                // With no thread waiting, no core is offered one and none is preempted;
                // only a pick empties the queue, so no later core is either.
                if self.ready.is_empty() {
                    break;
                }
                self.slice_ends(c, quantum, sink)?;
                if self.cores[c].thread.is_none() {
                    let t = self.pick_ready(sink)?;
                    self.place(t, c, sink);
                }
            }
        }
        Ok(())
    }

    /// Asks the policy whether the thread on core `c` (if it runs, not switching) is
    /// preempted now that others wait; if so it goes back to the ready queue. True when
    /// the core was freed.
    fn slice_ends(
        &mut self,
        c: usize,
        quantum: Option<u64>,
        sink: &mut impl Sink,
    ) -> Result<bool, Mismatch> {
        let core = &self.cores[c];
        let Some(t) = core.thread else {
            return Ok(false);
        };
        if core.switching_left > 0 {
            return Ok(false);
        }
        let slice = RunningSlice {
            ran_ticks: core.ran_ticks,
        };
        let (preempt, options) = match quantum {
            Some(q) => (RoundRobin { quantum_ticks: q }.preempt(slice), 2),
            None => {
                let Machine {
                    policy,
                    threads,
                    tasks,
                    program,
                    ..
                } = self;
                let visible = || next_op_visible(threads, tasks, program, t);
                policy.preempt_decision(slice, visible)?
            }
        };
        sink.decision(Decision::Preempt(preempt), options);
        if preempt {
            self.emit(sink, Some(c as u16), t, EventKind::Preempt);
            self.cores[c].thread = None;
            self.threads[t.0 as usize].state = ThreadState::Ready;
            self.ready.push_back(t);
        }
        Ok(preempt)
    }

    /// Takes the thread the policy picks from the (non-empty) ready queue.
    fn pick_ready(&mut self, sink: &mut impl Sink) -> Result<ThreadId, Mismatch> {
        let n = self.ready.len();
        let i = self.policy.pick(n)?;
        if n > 1 {
            sink.decision(Decision::Pick(i as u32), n as u32);
        }
        let t = if i == 0 {
            self.ready.pop_front()
        } else {
            self.ready.remove(i)
        };
        Ok(t.expect("pick is within the ready queue"))
    }

    /// Puts thread `t` on idle core `c`; the core pays a switch unless it last ran `t`.
    fn place(&mut self, t: ThreadId, c: usize, sink: &mut impl Sink) {
        let core = &mut self.cores[c];
        core.switching_left = match core.last {
            Some(last) if last != t => self.switch_cost_ticks,
            _ => 0,
        };
        core.thread = Some(t);
        core.last = Some(t);
        core.ran_ticks = 0;
        self.threads[t.0 as usize].state = ThreadState::Running { core: c as u16 };
        self.emit(sink, Some(c as u16), t, EventKind::Dispatch);
    }

    pub(crate) fn run_core<S: Sink>(&mut self, code: &Code, c: usize, sink: &mut S) {
        let Some(t) = self.cores[c].thread else {
            return;
        };
        if self.cores[c].switching_left > 0 {
            self.cores[c].switching_left -= 1;
            self.emit(sink, Some(c as u16), t, EventKind::Switch);
            return;
        }
        // Following a witness: an op that ends a step waits for its thread's turn. (A
        // `work(n)` there takes its ticks; its step is taken when it is done.)
        let gated =
            self.gate.is_some() && step_boundary(&self.threads, &self.tasks, &self.program, t);
        let before = gated.then(|| (self.ctx(t).func, self.ctx(t).pc));
        if gated && self.gate_next() != Some(Action::Run(t)) {
            self.block(t, c, BlockReason::Turn, sink);
            return;
        }
        self.cores[c].ran_ticks += 1;
        if self.event_loop == Some(t) && self.thread(t).current_task.is_none() {
            // The loop polls its next task; a task exists here, or the loop would not run.
            match self.task_queue.pop_front() {
                Some(task) => {
                    self.threads[t.0 as usize].current_task = Some(task);
                    self.tasks[task.0 as usize].state = TaskState::Polling;
                    self.emit(sink, Some(c as u16), t, EventKind::Poll(task));
                }
                None => {
                    self.event_loop_idle(t, c, sink);
                    if gated && self.end.is_none() {
                        self.gate_advance(sink);
                    }
                    return;
                }
            }
        }
        let flow = if S::INLINE_STEP {
            self.exec(code, t, c as u16, sink)
        } else {
            self.exec_outlined(code, t, c as u16, sink)
        };
        match flow {
            Flow::Done => {}
            flow => self.apply(t, c, flow, sink),
        }
        // The step is taken once its op is done: a `work(n)` still burning keeps it open.
        let moved =
            self.cores[c].thread != Some(t) || before != Some((self.ctx(t).func, self.ctx(t).pc));
        if gated && moved && self.end.is_none() {
            self.gate_advance(sink);
        }
    }

    /// After the loop's current task yields or finishes: poll on, sleep, or exit.
    fn event_loop_idle(&mut self, lp: ThreadId, c: usize, sink: &mut impl Sink) {
        if !self.task_queue.is_empty() {
            return; // stays on the core and polls the next task next tick
        }
        let pending = self.tasks.iter().any(|t| t.state != TaskState::Done);
        if pending {
            self.block(lp, c, BlockReason::EventLoopIdle, sink);
        } else {
            self.exit(lp, Some(c), false, sink);
        }
    }

    fn block(&mut self, t: ThreadId, c: usize, reason: BlockReason, sink: &mut impl Sink) {
        self.threads[t.0 as usize].state = ThreadState::Blocked(reason);
        self.cores[c].thread = None;
        self.emit(sink, Some(c as u16), t, EventKind::Block(reason));
    }

    fn apply(&mut self, t: ThreadId, c: usize, flow: Flow, sink: &mut impl Sink) {
        match flow {
            Flow::Next => {
                // Falling off the end returns at once: no extra tick.
                if let Flow::Return = self.advance(t) {
                    self.apply(t, c, Flow::Return, sink);
                }
            }
            Flow::Done => {}
            Flow::Block(reason) => self.block(t, c, reason, sink),
            Flow::Return => match self.thread(t).current_task {
                Some(task) => self.finish_task(t, task, c, sink),
                None => self.exit(t, Some(c), false, sink),
            },
            Flow::Panic(message, assertion) => {
                let ctx = self.ctx(t);
                self.panics.push(Panic {
                    thread: t,
                    task: self.thread(t).current_task,
                    func: ctx.func,
                    pc: ctx.pc,
                    line: self.program.line(ctx.func, ctx.pc),
                    tick: self.now,
                    message,
                    assertion,
                });
                if !assertion {
                    self.emit(sink, Some(c as u16), t, EventKind::Panic);
                }
                self.exit(t, Some(c), true, sink);
            }
            Flow::End(end) => self.end = Some(end),
        }
    }

    fn finish_task(&mut self, lp: ThreadId, task: TaskId, c: usize, sink: &mut impl Sink) {
        self.tasks[task.0 as usize].state = TaskState::Done;
        self.emit(sink, Some(c as u16), lp, EventKind::TaskDone(task));
        self.threads[lp.0 as usize].current_task = None;
        // Wake tasks awaiting it, and threads blocked on it.
        for i in 0..self.tasks.len() {
            if self.tasks[i].state == TaskState::AwaitingTask(task) {
                self.wake_task(TaskId(i as u32), sink);
            }
        }
        for i in 0..self.threads.len() {
            if self.threads[i].state == ThreadState::Blocked(BlockReason::Task(task)) {
                self.make_ready(ThreadId(i as u32), sink);
            }
        }
        self.event_loop_idle(lp, c, sink);
    }

    /// A thread ends: it returned, panicked, or was the event loop with nothing left.
    fn exit(&mut self, t: ThreadId, core: Option<usize>, panicked: bool, sink: &mut impl Sink) {
        if let Some(c) = core {
            self.cores[c].thread = None;
        }
        self.threads[t.0 as usize].state = ThreadState::Exited { panicked };
        self.emit(
            sink,
            core.map(|c| c as u16),
            t,
            EventKind::Exit { panicked },
        );
        if t == ThreadId(0) {
            // Returning from main ends the process, whatever other threads are doing.
            let stopped = self
                .threads
                .iter()
                .filter(|th| !matches!(th.state, ThreadState::Exited { .. }))
                .count() as u32;
            self.emit(sink, None, t, EventKind::ProcessExit { stopped });
            self.end = Some(if panicked {
                End::MainPanicked
            } else {
                End::Finished { stopped }
            });
            return;
        }
        if self.event_loop == Some(t) {
            self.event_loop = None;
        }
        if panicked {
            // Unwinding drops every guard: release and poison.
            for m in 0..self.mutexes.len() {
                if self.mutexes[m].owner == Some(t) {
                    self.mutexes[m].poisoned = true;
                    self.unlock(t, MutexId(m as u32), None, sink);
                }
            }
        }
        // A finished closure drops what it captured: its channel handles.
        for ch in 0..self.channels.len() {
            while let Some(i) = self.channels[ch].senders.iter().position(|&s| s == t) {
                self.drop_sender(t, ChanId(ch as u32), i, sink);
            }
            if self.channels[ch].receiver == Some(t) {
                self.drop_receiver(t, ChanId(ch as u32), sink);
            }
        }
        // Wake joiners.
        for i in 0..self.threads.len() {
            if self.threads[i].state == ThreadState::Blocked(BlockReason::Join(t)) {
                let j = ThreadId(i as u32);
                let exited = self.thread(t).clock.clone();
                self.threads[i].clock.join(&exited);
                self.finish_join(j, panicked, sink);
            }
        }
    }

    /// Completes a join for a woken joiner (its pc is already past the Join op).
    fn finish_join(&mut self, j: ThreadId, panicked: bool, sink: &mut impl Sink) {
        let ctx = self.ctx(j);
        let op = &self.program.function(ctx.func).body[ctx.pc as usize - 1];
        if let Op::Join { ok, .. } = op {
            match ok {
                Some(l) => {
                    let l = *l;
                    self.ctx_mut(j).locals[l.index()] = (!panicked) as Value;
                }
                None if panicked => {
                    // `.join().unwrap()` on a panicked thread panics the joiner. It runs
                    // that panic when it next gets a core: mark by rewinding to the Join.
                    self.ctx_mut(j).pc -= 1;
                }
                None => {}
            }
        }
        self.make_ready(j, sink);
    }

    #[inline]
    fn operand(&self, t: ThreadId, o: Operand) -> Value {
        self.ctx(t).val(o)
    }

    #[inline]
    fn set_local(&mut self, t: ThreadId, l: Local, v: Value) {
        self.ctx_mut(t).locals[l.index()] = v;
    }

    /// Sets a local given as a slot, unless it is `NO_SLOT` (a result not kept).
    #[inline]
    fn set_slot(&mut self, t: ThreadId, s: Slot, v: Value) {
        if s != NO_SLOT {
            self.ctx_mut(t).locals[s as usize] = v;
        }
    }

    fn chan(&self, t: ThreadId, o: Operand) -> Result<ChanId, String> {
        self.chan_id(self.operand(t, o))
    }

    /// The channel a handle's value names.
    fn chan_id(&self, v: Value) -> Result<ChanId, String> {
        if v >= 0 && (v as usize) < self.channels.len() {
            Ok(ChanId(v as u32))
        } else {
            Err(format!("{v} is not a channel"))
        }
    }

    fn wait_ticks(&self, t: ThreadId, o: Operand) -> Result<u64, Flow> {
        ticks_within(&self.limits, self.operand(t, o))
    }

    /// Executes the instruction at the thread's pc for one tick.
    ///
    /// The common ops (local arithmetic, jumps, plain memory, atomics, guarded data, work)
    /// are compact instructions that run on one borrow of the thread's context and clock
    /// and advance the pc themselves ([`Flow::Done`]); the ops that synchronise or block run
    /// from their `Op` through the machine's methods ([`Machine::exec_op`]).
    ///
    /// Inlined into the loop over the cores or not, as the sink asks (see
    /// [`Sink::INLINE_STEP`]).
    #[inline(always)]
    fn exec(&mut self, code: &Code, t: ThreadId, core: u16, sink: &mut impl Sink) -> Flow {
        let now = self.now;
        let th = &mut self.threads[t.0 as usize];
        let task = th.current_task;
        let clock = &mut th.clock;
        let ctx = match task {
            Some(k) => &mut self.tasks[k.0 as usize].ctx,
            None => &mut th.ctx,
        };
        let pc = ctx.pc;
        if pc >= ctx.len {
            // Woken after its last op: returning takes no step of its own.
            return Flow::Return;
        }
        let ins = code.ins[(ctx.start + pc) as usize];
        self.steps += 1;
        let c = Some(core);
        let event = |kind| Event {
            tick: now,
            core: c,
            thread: t,
            task,
            kind,
        };
        sink.event(event(EventKind::Step { pc }));
        // Moves to `target`; falling off the end returns at once, with no tick of its own.
        let len = ctx.len;
        let goto = |ctx: &mut Ctx, target: u32| {
            ctx.pc = target;
            if target >= len {
                Flow::Return
            } else {
                Flow::Done
            }
        };
        let next = pc + 1;
        let access = |ctx: &Ctx, write| Access {
            thread: t,
            func: ctx.func,
            pc,
            tick: now,
            write,
        };
        match ins {
            Ins::Op => {
                let program = &*code.program;
                let op = &program.function(ctx.func).body[pc as usize];
                self.exec_op(program, t, core, op, sink)
            }
            Ins::Set { dst, src } => {
                ctx.locals[dst as usize] = ctx.slot(src);
                goto(ctx, next)
            }
            Ins::Add { dst, a, b } => match ctx.slot(a).checked_add(ctx.slot(b)) {
                Some(v) => {
                    ctx.locals[dst as usize] = v;
                    goto(ctx, next)
                }
                None => Flow::Panic(ADD_OVERFLOW.into(), false),
            },
            Ins::Bin { dst, op, a, b } => match op.apply(ctx.slot(a), ctx.slot(b)) {
                Ok(v) => {
                    ctx.locals[dst as usize] = v;
                    goto(ctx, next)
                }
                Err(msg) => Flow::Panic(msg.into(), false),
            },
            Ins::Load { dst, var } => {
                let value = self.vars[var.index()];
                self.races.read(var, clock, access(ctx, false));
                ctx.locals[dst as usize] = value;
                sink.event(event(EventKind::Load { var, value }));
                goto(ctx, next)
            }
            Ins::Store { var, src } => {
                let value = ctx.slot(src);
                self.races.write(var, clock, access(ctx, true));
                self.vars[var.index()] = value;
                sink.event(event(EventKind::Store { var, value }));
                goto(ctx, next)
            }
            Ins::AtomicLoad { dst, atomic } => {
                clock.join(&self.atomic_clocks[atomic.index()]);
                let value = self.atomics[atomic.index()];
                ctx.locals[dst as usize] = value;
                sink.event(event(EventKind::AtomicLoad { atomic, value }));
                goto(ctx, next)
            }
            Ins::AtomicStore { atomic, src } => {
                // A store starts a new release sequence: a later load synchronises with
                // this store (and the read-modify-writes after it), not with earlier stores.
                clock.release_into(t, &mut self.atomic_clocks[atomic.index()]);
                let value = ctx.slot(src);
                self.atomics[atomic.index()] = value;
                sink.event(event(EventKind::AtomicStore { atomic, value }));
                goto(ctx, next)
            }
            Ins::AtomicRmw {
                dst,
                atomic,
                op,
                src,
            } => {
                clock.acquire_release(t, &mut self.atomic_clocks[atomic.index()]);
                let arg = ctx.slot(src);
                let old = self.atomics[atomic.index()];
                let new = match op {
                    RmwOp::FetchAdd => old.wrapping_add(arg),
                    RmwOp::FetchSub => old.wrapping_sub(arg),
                    RmwOp::Swap => arg,
                };
                self.atomics[atomic.index()] = new;
                if dst != NO_SLOT {
                    ctx.locals[dst as usize] = old;
                }
                sink.event(event(EventKind::AtomicRmw {
                    atomic,
                    op,
                    old,
                    new,
                }));
                goto(ctx, next)
            }
            Ins::MutexLoad { dst, mutex } => {
                let m = &self.mutexes[mutex.index()];
                if m.owner != Some(t) {
                    return Flow::Panic(unguarded(&code.program, mutex), false);
                }
                ctx.locals[dst as usize] = m.value;
                sink.event(event(EventKind::MutexRead {
                    mutex,
                    value: m.value,
                }));
                goto(ctx, next)
            }
            Ins::MutexStore { mutex, src } => {
                let m = &mut self.mutexes[mutex.index()];
                if m.owner != Some(t) {
                    return Flow::Panic(unguarded(&code.program, mutex), false);
                }
                m.value = ctx.slot(src);
                sink.event(event(EventKind::MutexWrite {
                    mutex,
                    value: m.value,
                }));
                goto(ctx, next)
            }
            Ins::Work { ticks } => {
                if ctx.work_left == 0 {
                    let d = match ticks_within(&self.limits, ctx.slot(ticks)) {
                        Ok(d) => d,
                        Err(f) => return f,
                    };
                    if d <= 1 {
                        return goto(ctx, next);
                    }
                    ctx.work_left = d - 1;
                    Flow::Done
                } else {
                    ctx.work_left -= 1;
                    if ctx.work_left == 0 {
                        goto(ctx, next)
                    } else {
                        Flow::Done
                    }
                }
            }
            Ins::Lock { mutex } => self.lock(t, core, mutex, sink),
            Ins::Unlock { mutex } => {
                if self.mutexes[mutex.index()].owner != Some(t) {
                    return Flow::Panic(
                        format!(
                            "dropped a guard of `{}` it does not hold",
                            code.program.mutexes[mutex.index()].name
                        ),
                        false,
                    );
                }
                self.unlock(t, mutex, c, sink);
                self.advance(t)
            }
            Ins::Send { chan, value, ok } => {
                let (ch, v) = (ctx.slot(chan), ctx.slot(value));
                match self.chan_id(ch) {
                    Ok(ch) => match self.send(t, core, ch, v, ok, sink) {
                        Flow::Next => self.advance(t),
                        flow => flow,
                    },
                    Err(e) => Flow::Panic(e, false),
                }
            }
            Ins::Recv { chan, dst, ok } => {
                let ch = ctx.slot(chan);
                match self.chan_id(ch) {
                    Ok(ch) => match self.recv(t, core, ch, dst, ok, sink) {
                        Flow::Next => self.advance(t),
                        flow => flow,
                    },
                    Err(e) => Flow::Panic(e, false),
                }
            }
            Ins::Jump { target } => goto(ctx, target),
            Ins::JumpIfZero { cond, target } => {
                let target = if ctx.slot(cond) == 0 { target } else { next };
                goto(ctx, target)
            }
            Ins::JumpUnless { a, op, b, target } => match op.apply(ctx.slot(a), ctx.slot(b)) {
                Ok(0) => goto(ctx, target),
                Ok(_) => goto(ctx, next),
                Err(msg) => Flow::Panic(msg.into(), false),
            },
        }
    }

    /// [`Flow::Next`] done on the spot: the thread moves past its op (returning, if that
    /// was its last), so the loop over the cores has nothing left to apply.
    #[inline(always)]
    fn advance(&mut self, t: ThreadId) -> Flow {
        let ctx = self.ctx_mut(t);
        ctx.pc += 1;
        if ctx.pc >= ctx.len {
            Flow::Return
        } else {
            Flow::Done
        }
    }

    /// [`Machine::exec`], kept out of the loop over the cores.
    #[inline(never)]
    fn exec_outlined(&mut self, code: &Code, t: ThreadId, core: u16, sink: &mut impl Sink) -> Flow {
        self.exec(code, t, core, sink)
    }

    /// Executes an op that is not a compact instruction (its step is already counted and
    /// recorded): these synchronise, block, spawn, or check.
    fn exec_op(
        &mut self,
        program: &Program,
        t: ThreadId,
        core: u16,
        op: &Op,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        match *op {
            Op::Set { .. }
            | Op::Bin { .. }
            | Op::Load { .. }
            | Op::Store { .. }
            | Op::AtomicLoad { .. }
            | Op::AtomicStore { .. }
            | Op::AtomicRmw { .. }
            | Op::MutexLoad { .. }
            | Op::MutexStore { .. }
            | Op::Work { .. }
            | Op::Lock { .. }
            | Op::Unlock { .. }
            | Op::Send { .. }
            | Op::Recv { .. }
            | Op::Jump { .. }
            | Op::JumpIfZero { .. }
            | Op::JumpUnless { .. } => unreachable!("a compact instruction (see `code`)"),
            Op::Assert { cond, msg } => {
                if self.operand(t, cond) != 0 {
                    return Flow::Next;
                }
                self.emit(sink, c, t, EventKind::AssertFailed { msg });
                Flow::Panic(program.messages[msg as usize].clone(), true)
            }
            Op::AssertCmp { a, op, b, msg } => {
                let (a, b) = (self.operand(t, a), self.operand(t, b));
                if op.apply(a, b).unwrap_or(0) != 0 {
                    return Flow::Next;
                }
                self.emit(sink, c, t, EventKind::AssertFailed { msg });
                let text = &program.messages[msg as usize];
                Flow::Panic(format!("{text}\n  left: {a}\n right: {b}"), true)
            }
            Op::AtomicCas {
                ok,
                old,
                atomic,
                expected,
                new,
            } => {
                let (expected, new) = (self.operand(t, expected), self.operand(t, new));
                let i = atomic.index();
                let seen = self.atomics[i];
                let success = seen == expected;
                // A success is a read-modify-write; a failure only loads.
                let clock = &mut self.threads[t.0 as usize].clock;
                if success {
                    self.atomics[i] = new;
                    clock.acquire_release(t, &mut self.atomic_clocks[i]);
                } else {
                    clock.join(&self.atomic_clocks[i]);
                }
                if let Some(l) = ok {
                    self.set_local(t, l, success as Value);
                }
                if let Some(l) = old {
                    self.set_local(t, l, seen);
                }
                let kind = EventKind::AtomicCas {
                    atomic,
                    old: seen,
                    new: self.atomics[i],
                    ok: success,
                };
                self.emit(sink, c, t, kind);
                Flow::Next
            }
            Op::TryLock { dst, mutex } => {
                let m = &self.mutexes[mutex.index()];
                if m.owner.is_none() && !m.poisoned {
                    self.acquire(t, core, mutex, sink);
                    self.set_local(t, dst, 1);
                } else {
                    self.set_local(t, dst, 0);
                    self.emit(sink, c, t, EventKind::TryLockFailed(mutex));
                }
                Flow::Next
            }
            Op::ChanNew { cap, tx, rx } => {
                if self.channels.len() >= self.limits.max_channels as usize {
                    return Flow::End(End::Limit(Limit::Channels));
                }
                if cap.is_some_and(|k| k > self.limits.max_channel_capacity) {
                    return Flow::End(End::Limit(Limit::ChannelCapacity));
                }
                let id = ChanId(self.channels.len() as u32);
                let made_at = {
                    let ctx = self.ctx(t);
                    (ctx.func, ctx.pc)
                };
                self.channels.push(Channel {
                    made_at,
                    id,
                    cap,
                    buffer: VecDeque::new(),
                    senders: vec![t],
                    receiver: Some(t),
                    recv_waiters: VecDeque::new(),
                    send_waiters: VecDeque::new(),
                    stamps: VecDeque::new(),
                });
                self.set_local(t, tx, id.0 as Value);
                self.set_local(t, rx, id.0 as Value);
                self.emit(sink, c, t, EventKind::ChanNew { chan: id, cap });
                Flow::Next
            }
            Op::CloneSender { chan } => match self.chan(t, chan) {
                Ok(ch) if self.channels[ch.0 as usize].senders.contains(&t) => {
                    self.channels[ch.0 as usize].senders.push(t);
                    Flow::Next
                }
                Ok(_) => Flow::Panic("cloned a sender this thread does not hold".into(), false),
                Err(e) => Flow::Panic(e, false),
            },
            Op::DropHandle { chan, side } => {
                let ch = match self.chan(t, chan) {
                    Ok(ch) => ch,
                    Err(e) => return Flow::Panic(e, false),
                };
                match side {
                    Side::Sender => match self.channels[ch.0 as usize]
                        .senders
                        .iter()
                        .position(|&s| s == t)
                    {
                        Some(i) => self.drop_sender(t, ch, i, sink),
                        None => {
                            return Flow::Panic(
                                "dropped a sender this thread does not hold".into(),
                                false,
                            )
                        }
                    },
                    Side::Receiver => {
                        if self.channels[ch.0 as usize].receiver != Some(t) {
                            return Flow::Panic(
                                "dropped a receiver this thread does not hold".into(),
                                false,
                            );
                        }
                        self.drop_receiver(t, ch, sink);
                    }
                }
                Flow::Next
            }
            Op::Spawn {
                func,
                ref args,
                ref moves,
                dst,
            } => {
                if self.threads.len() >= self.limits.max_threads as usize {
                    return Flow::End(End::Limit(Limit::Threads));
                }
                let args: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
                let mut handles = Vec::with_capacity(moves.len());
                for &(o, side) in moves {
                    match self.chan(t, o) {
                        Ok(ch) => handles.push((ch, side)),
                        Err(e) => return Flow::Panic(e, false),
                    }
                }
                let ctx = Ctx::new(&self.code, func, &args);
                let child = self.new_thread(ctx, Some(t), false);
                self.threads[t.0 as usize].clock.tick(t);
                for (ch, side) in handles {
                    let chan = &mut self.channels[ch.0 as usize];
                    match side {
                        Side::Sender => {
                            if let Some(i) = chan.senders.iter().position(|&s| s == t) {
                                chan.senders[i] = child;
                            }
                        }
                        Side::Receiver => {
                            if chan.receiver == Some(t) {
                                chan.receiver = Some(child);
                            }
                        }
                    }
                }
                if let Some(d) = dst {
                    self.set_local(t, d, child.0 as Value);
                }
                self.emit(sink, c, t, EventKind::Spawn(child));
                Flow::Next
            }
            Op::Join { thread, ok } => {
                let target = self.operand(t, thread);
                if target <= 0 || target as usize >= self.threads.len() || target as u32 == t.0 {
                    return Flow::Panic(
                        format!("{target} is not a thread this thread can join"),
                        false,
                    );
                }
                let target = ThreadId(target as u32);
                match self.thread(target).state {
                    ThreadState::Exited { panicked } => {
                        let exited = self.thread(target).clock.clone();
                        self.threads[t.0 as usize].clock.join(&exited);
                        match ok {
                            Some(l) => self.set_local(t, l, (!panicked) as Value),
                            None if panicked => {
                                return Flow::Panic(
                                    "called `Result::unwrap()` on an `Err` value: the joined thread panicked".into(),
                                    false,
                                )
                            }
                            None => {}
                        }
                        Flow::Next
                    }
                    _ => {
                        self.ctx_mut(t).pc += 1;
                        Flow::Block(BlockReason::Join(target))
                    }
                }
            }
            Op::Sleep { ticks } | Op::BlockingIo { ticks } => {
                let d = match self.wait_ticks(t, ticks) {
                    Ok(d) => d,
                    Err(f) => return f,
                };
                let blocking = matches!(op, Op::BlockingIo { .. });
                self.ctx_mut(t).pc += 1;
                let until = self.now + 1 + d;
                self.add_timer(until, Timer::Wake(t));
                if blocking {
                    self.emit(
                        sink,
                        c,
                        t,
                        EventKind::IoStart {
                            until,
                            blocking: true,
                        },
                    );
                    Flow::Block(BlockReason::BlockingIo { until })
                } else {
                    Flow::Block(BlockReason::Sleep { until })
                }
            }
            Op::SpawnTask {
                func,
                ref args,
                dst,
            } => {
                if self.tasks.len() >= self.limits.max_tasks as usize {
                    return Flow::End(End::Limit(Limit::Tasks));
                }
                let args: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
                let id = TaskId(self.tasks.len() as u32);
                self.tasks.push(Task {
                    id,
                    state: TaskState::Queued,
                    ctx: Ctx::new(&self.code, func, &args),
                });
                self.task_queue.push_back(id);
                if let Some(d) = dst {
                    self.set_local(t, d, id.0 as Value);
                }
                self.emit(sink, c, t, EventKind::SpawnTask(id));
                match self.event_loop {
                    None => {
                        if self.threads.len() >= self.limits.max_threads as usize {
                            return Flow::End(End::Limit(Limit::Threads));
                        }
                        let ctx = Ctx::new(&self.code, func, &[]);
                        let lp = self.new_thread(ctx, Some(t), true);
                        self.threads[t.0 as usize].clock.tick(t);
                        self.event_loop = Some(lp);
                        self.emit(sink, c, t, EventKind::Spawn(lp));
                    }
                    Some(lp) => {
                        if self.thread(lp).state == ThreadState::Blocked(BlockReason::EventLoopIdle)
                        {
                            self.make_ready(lp, sink);
                        }
                    }
                }
                Flow::Next
            }
            Op::AwaitIo { ticks } => {
                let d = match self.wait_ticks(t, ticks) {
                    Ok(d) => d,
                    Err(f) => return f,
                };
                let task = self
                    .thread(t)
                    .current_task
                    .expect("validated: await only in async fns");
                let until = self.now + 1 + d;
                self.ctx_mut(t).pc += 1;
                self.tasks[task.0 as usize].state = TaskState::AwaitingIo { until };
                self.add_timer(until, Timer::TaskIo(task));
                self.emit(
                    sink,
                    c,
                    t,
                    EventKind::IoStart {
                        until,
                        blocking: false,
                    },
                );
                self.emit(sink, c, t, EventKind::Suspend(task));
                self.threads[t.0 as usize].current_task = None;
                self.event_loop_idle(t, core as usize, sink);
                Flow::Done
            }
            Op::AwaitTask { task } => {
                let v = self.operand(t, task);
                if v < 0 || v as usize >= self.tasks.len() {
                    return Flow::Panic(format!("{v} is not a task"), false);
                }
                let target = TaskId(v as u32);
                if self.tasks[target.0 as usize].state == TaskState::Done {
                    return Flow::Next;
                }
                self.ctx_mut(t).pc += 1;
                match self.thread(t).current_task {
                    Some(me) if me == target => Flow::Panic("a task awaited itself".into(), false),
                    Some(me) => {
                        self.tasks[me.0 as usize].state = TaskState::AwaitingTask(target);
                        self.emit(sink, c, t, EventKind::Suspend(me));
                        self.threads[t.0 as usize].current_task = None;
                        self.event_loop_idle(t, core as usize, sink);
                        Flow::Done
                    }
                    None => Flow::Block(BlockReason::Task(target)),
                }
            }
            Op::Return => Flow::Return,
        }
    }

    fn acquire(&mut self, t: ThreadId, core: u16, m: MutexId, sink: &mut impl Sink) {
        let mx = &mut self.mutexes[m.index()];
        mx.owner = Some(t);
        self.threads[t.0 as usize].clock.join(&mx.clock);
        self.emit(sink, Some(core), t, EventKind::Acquire(m));
    }

    fn lock(&mut self, t: ThreadId, core: u16, m: MutexId, sink: &mut impl Sink) -> Flow {
        let mx = &self.mutexes[m.index()];
        if mx.poisoned {
            return Flow::Panic(
                format!(
                    "called `Result::unwrap()` on an `Err` value: PoisonError (`{}` was held by a thread that panicked)",
                    self.program.mutexes[m.index()].name
                ),
                false,
            );
        }
        match mx.owner {
            None => {
                self.acquire(t, core, m, sink);
                Flow::Next
            }
            Some(owner) if owner == t => Flow::Panic(
                format!(
                    "`{}` locked twice by the same thread: std's Mutex would deadlock or panic here",
                    self.program.mutexes[m.index()].name
                ),
                false,
            ),
            Some(_) => {
                self.mutexes[m.index()].waiters.push_back(t);
                self.ctx_mut(t).pc += 1;
                Flow::Block(BlockReason::Mutex(m))
            }
        }
    }

    /// Releases `m`; the first waiter (FIFO) becomes the owner and is woken.
    fn unlock(&mut self, t: ThreadId, m: MutexId, core: Option<u16>, sink: &mut impl Sink) {
        let mx = &mut self.mutexes[m.index()];
        mx.owner = None;
        self.emit(sink, core, t, EventKind::Release(m));
        let mx = &mut self.mutexes[m.index()];
        match mx.waiters.pop_front() {
            Some(w) if !mx.poisoned => {
                // Handed straight to the first waiter: it acquires `t`'s past directly. The
                // mutex's own clock is read only while it is free, and every unlock that
                // frees it writes it, so it need not be written here.
                mx.owner = Some(w);
                self.hand_over_clock(t, w);
                self.emit(sink, None, w, EventKind::Acquire(m));
                self.make_ready(w, sink);
            }
            waiter => {
                self.threads[t.0 as usize]
                    .clock
                    .release_into(t, &mut mx.clock);
                if let Some(w) = waiter {
                    // The waiter's `lock().unwrap()` fails: rewind it so it panics when
                    // it runs.
                    self.ctx_mut(w).pc -= 1;
                    self.make_ready(w, sink);
                }
            }
        }
    }

    fn send(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: ChanId,
        v: Value,
        ok: Slot,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let i = ch.0 as usize;
        if self.channels[i].receiver.is_none() {
            self.set_slot(t, ok, 0);
            self.emit(sink, c, t, EventKind::SendDisconnected(ch));
            return Flow::Next;
        }
        self.set_slot(t, ok, 1);
        if let Some(r) = self.channels[i].recv_waiters.pop_front() {
            // Hand the message straight to a waiting receiver.
            self.emit(sink, c, t, EventKind::Send { chan: ch, value: v });
            self.deliver(t, r, ch, v, sink);
            return Flow::Next;
        }
        let chan = &self.channels[i];
        let room = match chan.cap {
            None => true,
            Some(k) => chan.buffer.len() < k as usize,
        };
        if room {
            if chan.buffer.len() >= self.limits.max_buffered as usize {
                return Flow::End(End::Limit(Limit::Buffered));
            }
            self.buffer_message(t, ch, v);
            self.emit(sink, c, t, EventKind::Send { chan: ch, value: v });
            Flow::Next
        } else {
            self.channels[i].send_waiters.push_back((t, v));
            self.ctx_mut(t).pc += 1;
            Flow::Block(BlockReason::Send(ch))
        }
    }

    /// Sets the `ok` result of the blocking op a woken thread was in (its pc is past it).
    fn complete_ok(&mut self, t: ThreadId, ok: bool) {
        let ctx = self.ctx(t);
        let at = ctx.pc - 1;
        let slot = match self.code.ins[(ctx.start + at) as usize] {
            Ins::Recv { ok, .. } | Ins::Send { ok, .. } => ok,
            Ins::Op => match self.program.function(ctx.func).body[at as usize] {
                Op::Join { ok: Some(l), .. } => l.0,
                _ => NO_SLOT,
            },
            _ => NO_SLOT,
        };
        self.set_slot(t, slot, ok as Value);
    }

    /// Puts `sender`'s message in the buffer, stamped with the sender's past (a release).
    fn buffer_message(&mut self, sender: ThreadId, ch: ChanId, v: Value) {
        let mut stamp = self.spare_clocks.0.pop().unwrap_or_default();
        self.threads[sender.0 as usize]
            .clock
            .release_into(sender, &mut stamp);
        let chan = &mut self.channels[ch.0 as usize];
        chan.buffer.push_back(v);
        chan.stamps.push_back(stamp);
    }

    /// A hand-over (a message, or a mutex passed to its first waiter): `to` acquires
    /// `from`'s past, which `from` releases.
    fn hand_over_clock(&mut self, from: ThreadId, to: ThreadId) {
        debug_assert_ne!(from, to, "a blocked thread never trades with itself");
        let (f, t) = (from.0 as usize, to.0 as usize);
        let (sender, receiver) = if f < t {
            let (a, b) = self.threads.split_at_mut(t);
            (&mut a[f], &mut b[0])
        } else {
            let (a, b) = self.threads.split_at_mut(f);
            (&mut b[0], &mut a[t])
        };
        receiver.clock.join(&sender.clock);
        sender.clock.tick(from);
    }

    /// Completes a blocked receiver's `recv` with `v` from `sender` (its pc is already past
    /// the Recv op).
    fn deliver(
        &mut self,
        sender: ThreadId,
        r: ThreadId,
        ch: ChanId,
        v: Value,
        sink: &mut impl Sink,
    ) {
        let ctx = self.ctx(r);
        if let Ins::Recv { dst, .. } = self.code.ins[(ctx.start + ctx.pc - 1) as usize] {
            self.set_slot(r, dst, v);
        }
        self.complete_ok(r, true);
        self.hand_over_clock(sender, r);
        self.emit(sink, None, r, EventKind::Recv { chan: ch, value: v });
        self.make_ready(r, sink);
    }

    fn recv(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: ChanId,
        dst: Slot,
        ok: Slot,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let i = ch.0 as usize;
        if self.channels[i].receiver != Some(t) {
            return Flow::Panic(
                "received on a channel whose receiver this thread does not hold".into(),
                false,
            );
        }
        let taken = if let Some(v) = self.channels[i].buffer.pop_front() {
            let stamp = self.channels[i]
                .stamps
                .pop_front()
                .expect("every buffered message has a stamp");
            self.threads[t.0 as usize].clock.join(&stamp);
            self.spare_clocks.0.push(stamp);
            // A slot opened: the first blocked sender's message moves into the buffer.
            if let Some((s, sv)) = self.channels[i].send_waiters.pop_front() {
                self.buffer_message(s, ch, sv);
                self.emit(
                    sink,
                    None,
                    s,
                    EventKind::Send {
                        chan: ch,
                        value: sv,
                    },
                );
                self.make_ready(s, sink);
            }
            Some(v)
        } else if let Some((s, sv)) = self.channels[i].send_waiters.pop_front() {
            // Rendezvous: take the message straight from the blocked sender.
            self.hand_over_clock(s, t);
            self.emit(
                sink,
                None,
                s,
                EventKind::Send {
                    chan: ch,
                    value: sv,
                },
            );
            self.make_ready(s, sink);
            Some(sv)
        } else {
            None
        };
        match taken {
            Some(v) => {
                self.set_slot(t, dst, v);
                self.set_slot(t, ok, 1);
                self.emit(sink, c, t, EventKind::Recv { chan: ch, value: v });
                Flow::Next
            }
            None if self.channels[i].senders.is_empty() => {
                self.set_slot(t, ok, 0);
                self.emit(sink, c, t, EventKind::RecvDisconnected(ch));
                Flow::Next
            }
            None => {
                self.channels[i].recv_waiters.push_back(t);
                self.ctx_mut(t).pc += 1;
                Flow::Block(BlockReason::Recv(ch))
            }
        }
    }

    fn drop_sender(&mut self, t: ThreadId, ch: ChanId, index: usize, sink: &mut impl Sink) {
        let chan = &mut self.channels[ch.0 as usize];
        chan.senders.swap_remove(index);
        if !chan.senders.is_empty() {
            return;
        }
        self.emit(sink, None, t, EventKind::SendersGone(ch));
        // Receivers waiting on an empty channel now get Err(RecvError).
        while let Some(r) = self.channels[ch.0 as usize].recv_waiters.pop_front() {
            self.complete_ok(r, false);
            self.emit(sink, None, r, EventKind::RecvDisconnected(ch));
            self.make_ready(r, sink);
        }
    }

    fn drop_receiver(&mut self, t: ThreadId, ch: ChanId, sink: &mut impl Sink) {
        let chan = &mut self.channels[ch.0 as usize];
        chan.receiver = None;
        chan.buffer.clear();
        self.spare_clocks.0.extend(chan.stamps.drain(..));
        self.emit(sink, None, t, EventKind::ReceiverGone(ch));
        // Blocked senders now get Err(SendError).
        while let Some((s, _)) = self.channels[ch.0 as usize].send_waiters.pop_front() {
            self.complete_ok(s, false);
            self.emit(sink, None, s, EventKind::SendDisconnected(ch));
            self.make_ready(s, sink);
        }
    }
}
