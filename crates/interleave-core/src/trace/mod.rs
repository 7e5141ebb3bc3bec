//! Everything that happens in a run, as events with their tick and core, pushed into a
//! [`Sink`] so a caller that only needs the outcome (an explorer, a benchmark) can skip
//! recording.

mod packed;
mod schedule;

pub use packed::{Iter, Trace};
pub use schedule::Schedule;

use crate::program::{AtomicId, BarrierId, CondvarId, MutexId, OnceId, RmwOp, Value, VarId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ThreadId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TaskId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChanId(pub u32);

/// Why a thread is off the cores and not ready.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum BlockReason {
    Mutex(MutexId),
    Join(ThreadId),
    /// Waiting to receive: the channel is empty and a sender is alive.
    Recv(ChanId),
    /// Waiting to send: the buffer is full, or a rendezvous has no receiver yet.
    Send(ChanId),
    Sleep {
        until: u64,
    },
    BlockingIo {
        until: u64,
    },
    /// Waiting for an async task to finish (`block_on` from a thread).
    Task(TaskId),
    /// Waiting at a barrier for the others to arrive.
    Barrier(BarrierId),
    /// Waiting on a condition variable for a notification.
    Condvar(CondvarId),
    /// `thread::park()` with no token: waiting for an `unpark`.
    Park,
    /// Waiting for another thread's initialiser of a `Once` / `OnceLock` to finish.
    Once(OnceId),
    /// The event loop has no ready task and waits for an I/O completion.
    EventLoopIdle,
    /// A followed witness (`Settings::steps`) has another thread's step next: this thread
    /// pauses before its next visible op until its turn, as a busy system can make it.
    Turn,
}

/// One thing that happened. `Step` is one executed op; the others say what it did or what
/// the scheduler did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum EventKind {
    /// The op at `pc` ran on the core (one tick of CPU).
    Step {
        pc: u32,
    },
    /// The scheduler put the thread on the core.
    Dispatch,
    /// The thread's time slice ended while others were ready: back to the ready queue.
    Preempt,
    /// The core spent this tick switching to this thread (context-switch cost).
    Switch,
    Block(BlockReason),
    /// A blocked thread became ready.
    Wake,
    Acquire(MutexId),
    /// `try_lock` found the mutex held.
    TryLockFailed(MutexId),
    Release(MutexId),
    /// `park` took the (set) token of this thread and went on.
    ParkToken(ThreadId),
    /// `unpark` of that thread: it wakes, or its token is set.
    Unpark(ThreadId),
    /// This thread runs a `Once`'s initialiser.
    OnceStart(OnceId),
    /// The initialiser finished.
    OnceDone(OnceId),
    /// The once was found done: nothing to run.
    OnceSeen(OnceId),
    /// An `OnceLock`'s `get()` found it not initialised (yet).
    OnceEmpty(OnceId),
    /// A read lock of an `RwLock` was taken (shared with other readers).
    AcquireRead(MutexId),
    ReleaseRead(MutexId),
    /// `notify_one`/`notify_all`: how many waiters it woke (0: the notification is lost).
    Notify {
        condvar: CondvarId,
        woken: u32,
    },
    Load {
        var: VarId,
        value: Value,
    },
    Store {
        var: VarId,
        value: Value,
    },
    AtomicLoad {
        atomic: AtomicId,
        value: Value,
    },
    AtomicStore {
        atomic: AtomicId,
        value: Value,
    },
    AtomicRmw {
        atomic: AtomicId,
        op: RmwOp,
        old: Value,
        new: Value,
    },
    AtomicCas {
        atomic: AtomicId,
        old: Value,
        new: Value,
        ok: bool,
    },
    MutexRead {
        mutex: MutexId,
        value: Value,
    },
    MutexWrite {
        mutex: MutexId,
        value: Value,
    },
    ChanNew {
        chan: ChanId,
        cap: Option<u32>,
    },
    /// A message entered the channel (buffer or hand-over).
    Send {
        chan: ChanId,
        value: Value,
    },
    /// A message left the channel.
    Recv {
        chan: ChanId,
        value: Value,
    },
    /// `send` failed: the receiver is gone.
    SendDisconnected(ChanId),
    /// `recv` failed: empty and every sender is gone.
    RecvDisconnected(ChanId),
    /// `try_recv` found the channel empty (with a sender left).
    RecvEmpty(ChanId),
    /// The last sender of the channel was dropped.
    SendersGone(ChanId),
    ReceiverGone(ChanId),
    Spawn(ThreadId),
    Exit {
        panicked: bool,
    },
    /// `main` returned: the process ends and these many threads are stopped.
    ProcessExit {
        stopped: u32,
    },
    IoStart {
        until: u64,
        blocking: bool,
    },
    IoDone {
        blocking: bool,
    },
    SpawnTask(TaskId),
    /// The event loop started polling this task.
    Poll(TaskId),
    /// The task awaits I/O and yields the event-loop thread.
    Suspend(TaskId),
    /// The task's waker ran: it is queued on the event loop again.
    TaskWake(TaskId),
    TaskDone(TaskId),
    AssertFailed {
        msg: u32,
    },
    /// The thread panicked for a reason other than an assertion (message index into
    /// `Outcome::panics`).
    Panic,
    /// The thread printed `Machine::output[index]`.
    Print {
        index: u32,
    },
}

/// Where and when: `core` is `None` for events off the cores (a wake-up by a timer, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Event {
    pub tick: u64,
    pub core: Option<u16>,
    pub thread: ThreadId,
    /// The task the event-loop thread was running, if any.
    pub task: Option<TaskId>,
    pub kind: EventKind,
}

/// One step of an execution as the explorer takes it (and a witness lists them): a thread
/// runs through its next visible op, or an awaited I/O completes. A timed run can follow a
/// list of them (`Settings::steps`): each thread's visible ops wait for their turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// The thread runs through its next visible op.
    Run(ThreadId),
    /// The awaited I/O of this task completes (its waker queues it on the event loop).
    CompleteIo(TaskId),
}

/// A scheduler decision; recording them all lets any run be replayed exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Decision {
    /// Index into the ready queue (only recorded when more than one thread was ready).
    Pick(u32),
    /// Whether a running thread was preempted (only asked when others were ready).
    Preempt(bool),
}

/// Receives what a run produces.
pub trait Sink {
    /// Whether the machine inlines a step into its loop over the cores for this sink.
    /// Inlined, a step runs without a call (about 33 instructions a step of saved
    /// registers and a result through memory): unrecorded runs are about 10% faster
    /// natively and a third faster in wasm, and a run recording a [`Trace`] about 10%
    /// faster natively. A sink with a large `event` may be better off out of the loop.
    const INLINE_STEP: bool = false;
    fn event(&mut self, event: Event);
    /// The machine starts tick `tick`: every event until the next call is at it.
    #[inline(always)]
    fn start_tick(&mut self, _tick: u64) {}
    /// A decision among `options` alternatives (2 for a preemption).
    fn decision(&mut self, decision: Decision, options: u32);
}

/// Keeps nothing: for re-simulation from a checkpoint and for benchmarks of the engine.
pub struct NullSink;

impl Sink for NullSink {
    const INLINE_STEP: bool = true;
    #[inline]
    fn event(&mut self, _: Event) {}
    #[inline]
    fn decision(&mut self, _: Decision, _: u32) {}
}

/// Keeps every event and decision, compactly (see [`Trace`] and [`Schedule`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recorder {
    pub events: Trace,
    pub decisions: Schedule,
}

impl Sink for Recorder {
    #[inline(always)]
    fn event(&mut self, event: Event) {
        self.events.push(event);
    }
    #[inline]
    fn decision(&mut self, decision: Decision, _options: u32) {
        self.decisions.push(decision);
    }
}
