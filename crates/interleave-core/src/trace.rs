//! Everything that happens in a run, as events with their tick and core, pushed into a
//! [`Sink`] so a caller that only needs the outcome (an explorer, a benchmark) can skip
//! recording.

use crate::program::{AtomicId, MutexId, RmwOp, Value, VarId};

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

/// A recorded run's events as a compact byte stream: a step takes 6 bytes, a scheduler
/// event 4, a memory operation 10, where an [`Event`] takes 48.
/// Memory is what recording costs (each new page is a fault natively; wasm memory is
/// small), so a run of millions of steps records quickly and fits in memory, in wasm too.
/// The bytes are kept in chunks of at most 1 MiB, so a growing trace is never copied. The
/// tick is not stored per event but once per tick, in an index that also makes seeking by
/// tick a binary search. The rare events that do not fit (an event-loop task, a timer
/// deadline, a core numbered 127 or more, a thread numbered 65,536 or more) are kept whole, so nothing is lost: reading gives
/// back exactly the events pushed, in order. The machine pushes events in tick order, which
/// `first_at` relies on.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// Full chunks, then `bytes[..pos]`, the one being written. A record never spans two
    /// chunks. Chunks start small and double up to `CHUNK`, so a short trace stays small.
    sealed: Vec<Vec<u8>>,
    bytes: Box<[u8]>,
    pos: usize,
    /// Where each tick's events start, for every tick that has any, in order.
    ticks: Vec<TickStart>,
    len: usize,
    spilled: Vec<Event>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TickStart {
    tick: u64,
    /// Offset of the tick's first event (chunk number << `CHUNK_BITS` | byte in the chunk).
    offset: usize,
    /// Index of the tick's first event.
    first: usize,
}

/// A record: a 4-byte header, then the tag's fields `a`, `b`, `c` (see [`fields`]). The
/// header, as a little-endian `u32`: the tag in bits 0-5; flags `WIDE_B` and `WIDE_C` in
/// bits 6 and 7; the core in bits 8-14 (`NO_CORE`: off the cores); flag `WIDE_A` in bit 15;
/// the thread in bits 16-31. `a` takes 2 bytes (4 with `WIDE_A`), `b` and `c` 4, an `i32`
/// (8 with their flag). Every record is complete in itself, so reading can start at any
/// record, and every length follows from the header by arithmetic, so writing one is a few
/// stores and no branch on the data.
const NO_CORE: u8 = 0x7F;
const WIDE_B: u32 = 1 << 6;
const WIDE_C: u32 = 1 << 7;
const WIDE_A: u32 = 1 << 15;
const TAG_BITS: u32 = 0x3F;
/// The longest record: header, `a`, `b`, `c`, all wide. Writing a record may touch this
/// much room (each field is stored whole, and cut by the next).
const MAX_RECORD: usize = 4 + 4 + 8 + 8;
const CHUNK_BITS: u32 = 20;
const CHUNK: usize = 1 << CHUNK_BITS;
const FIRST_CHUNK: usize = 4096;

impl PartialEq for Trace {
    /// Same events: the bytes in use, not the room kept for growth.
    fn eq(&self, other: &Trace) -> bool {
        self.len == other.len
            && self.ticks == other.ticks
            && self.spilled == other.spilled
            && self.sealed.len() == other.sealed.len()
            && (0..=self.sealed.len()).all(|i| self.chunk(i) == other.chunk(i))
    }
}

impl Eq for Trace {}

/// Record kinds. `SPILL`: `b` indexes `Trace::spilled`.
mod tag {
    pub const SPILL: u8 = 0;
    pub const STEP: u8 = 1;
    pub const DISPATCH: u8 = 2;
    pub const PREEMPT: u8 = 3;
    pub const SWITCH: u8 = 4;
    pub const WAKE: u8 = 5;
    pub const BLOCK_MUTEX: u8 = 6;
    pub const BLOCK_JOIN: u8 = 7;
    pub const BLOCK_RECV: u8 = 8;
    pub const BLOCK_SEND: u8 = 9;
    pub const BLOCK_TASK: u8 = 10;
    pub const BLOCK_IDLE: u8 = 11;
    pub const ACQUIRE: u8 = 12;
    pub const TRY_LOCK_FAILED: u8 = 13;
    pub const RELEASE: u8 = 14;
    pub const LOAD: u8 = 15;
    pub const STORE: u8 = 16;
    pub const ATOMIC_LOAD: u8 = 17;
    pub const ATOMIC_STORE: u8 = 18;
    pub const FETCH_ADD: u8 = 19;
    pub const FETCH_SUB: u8 = 20;
    pub const SWAP: u8 = 21;
    pub const CAS_OK: u8 = 22;
    pub const CAS_FAILED: u8 = 23;
    pub const MUTEX_READ: u8 = 24;
    pub const MUTEX_WRITE: u8 = 25;
    pub const CHAN_NEW: u8 = 26;
    pub const SEND: u8 = 27;
    pub const RECV: u8 = 28;
    pub const SEND_DISCONNECTED: u8 = 29;
    pub const RECV_DISCONNECTED: u8 = 30;
    pub const SENDERS_GONE: u8 = 31;
    pub const RECEIVER_GONE: u8 = 32;
    pub const SPAWN: u8 = 33;
    pub const EXIT: u8 = 34;
    pub const EXIT_PANICKED: u8 = 35;
    pub const PROCESS_EXIT: u8 = 36;
    pub const IO_DONE_BLOCKING: u8 = 37;
    pub const IO_DONE_ASYNC: u8 = 38;
    pub const SPAWN_TASK: u8 = 39;
    pub const POLL: u8 = 40;
    pub const SUSPEND: u8 = 41;
    pub const TASK_WAKE: u8 = 42;
    pub const TASK_DONE: u8 = 43;
    pub const ASSERT_FAILED: u8 = 44;
    pub const PANIC: u8 = 45;
    pub const BLOCK_TURN: u8 = 46;
}

/// Which of `a`, `b` and `c` a tag's record carries.
#[inline(always)]
const fn fields(t: u8) -> (bool, bool, bool) {
    match t {
        tag::DISPATCH
        | tag::PREEMPT
        | tag::SWITCH
        | tag::WAKE
        | tag::BLOCK_IDLE
        | tag::BLOCK_TURN
        | tag::EXIT
        | tag::EXIT_PANICKED
        | tag::IO_DONE_BLOCKING
        | tag::IO_DONE_ASYNC
        | tag::PANIC => (false, false, false),
        tag::SPILL => (false, true, false),
        tag::FETCH_ADD..=tag::CAS_FAILED => (true, true, true),
        tag::LOAD..=tag::RECV => (true, true, false),
        _ => (true, false, false),
    }
}

/// An event as a record's fields.
struct Packed {
    tag: u8,
    core: u8,
    thread: u32,
    a: u32,
    b: Value,
    c: Value,
}

/// Whether a value needs the wide (8-byte) form.
#[inline(always)]
fn beyond_i32(v: Value) -> bool {
    v != v as i32 as Value
}

impl Trace {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the next record goes.
    fn offset(&self) -> usize {
        self.sealed.len() << CHUNK_BITS | self.pos
    }

    // Always inlined: at each call site the event's kind is known, so packing folds to a
    // few stores. It costs the page about 4.5 KB gzipped and makes recording in wasm
    // about 15% faster.
    #[inline(always)]
    pub fn push(&mut self, e: Event) {
        if self.ticks.last().is_none_or(|t| t.tick != e.tick) {
            self.ticks.push(TickStart {
                tick: e.tick,
                offset: self.offset(),
                first: self.len,
            });
        }
        self.push_in_tick(e);
    }

    /// Opens the index entry of `tick` for [`Trace::push_in_tick`], once per tick rather
    /// than a check per event. An entry left without events is reused by the next tick,
    /// and a last one is dropped by [`Trace::shrink_to_fit`].
    pub(crate) fn start_tick(&mut self, tick: u64) {
        let (offset, first) = (self.offset(), self.len);
        match self.ticks.last_mut() {
            Some(last) if last.first == first => {
                *last = TickStart {
                    tick,
                    offset,
                    first,
                }
            }
            Some(last) if last.tick == tick => {}
            _ => self.ticks.push(TickStart {
                tick,
                offset,
                first,
            }),
        }
    }

    /// [`Trace::push`] for an event at the tick last opened by [`Trace::start_tick`].
    #[inline(always)]
    pub(crate) fn push_in_tick(&mut self, e: Event) {
        debug_assert!(
            self.ticks.last().is_some_and(|t| t.tick == e.tick),
            "an event at the open tick"
        );
        self.len += 1;
        match Self::pack(&e) {
            Some(r) => self.write(r),
            None => self.spill(e),
        }
    }

    /// Keeps an event whole, with a record that points at it.
    #[cold]
    #[inline(never)]
    fn spill(&mut self, e: Event) {
        self.spilled.push(e);
        self.write(Packed {
            tag: tag::SPILL,
            core: NO_CORE,
            thread: 0,
            a: 0,
            b: self.spilled.len() as Value - 1,
            c: 0,
        });
    }

    /// Writes a record. At each call site the tag is known, so this is a few shifts and
    /// one store per field: each field is stored whole (`a` as 4 bytes, `b` and `c` as 8)
    /// and the next one starts where its narrow or wide form ends.
    #[inline(always)]
    fn write(&mut self, r: Packed) {
        let (has_a, has_b, has_c) = fields(r.tag);
        let mut head = r.tag as u32 | (r.core as u32) << 8 | r.thread << 16;
        let room = self.room::<MAX_RECORD>();
        let mut n = 4;
        if has_a {
            let wide = r.a > u16::MAX as u32;
            room[4..8].copy_from_slice(&r.a.to_le_bytes());
            head |= if wide { WIDE_A } else { 0 };
            n += 2 + 2 * wide as usize;
        }
        if has_b {
            let wide = beyond_i32(r.b);
            room[n..n + 8].copy_from_slice(&r.b.to_le_bytes());
            head |= if wide { WIDE_B } else { 0 };
            n += 4 + 4 * wide as usize;
        }
        if has_c {
            let wide = beyond_i32(r.c);
            room[n..n + 8].copy_from_slice(&r.c.to_le_bytes());
            head |= if wide { WIDE_C } else { 0 };
            n += 4 + 4 * wide as usize;
        }
        room[..4].copy_from_slice(&head.to_le_bytes());
        self.pos += n;
    }

    /// The next `N` bytes of the current chunk, in a new chunk if they do not fit there.
    #[inline(always)]
    fn room<const N: usize>(&mut self) -> &mut [u8; N] {
        const { assert!(N <= FIRST_CHUNK, "a new chunk has room for any record") };
        if self.pos + N > self.bytes.len() {
            self.seal();
        }
        let at = self.pos;
        debug_assert!(at + N <= self.bytes.len());
        // SAFETY: `at + N` is within `bytes`: checked just above, or, after `seal`, `at`
        // is 0 in a chunk of at least `FIRST_CHUNK` bytes, which is at least `N`. (The
        // checked slice costs a second comparison, about 2% of a recorded run.)
        unsafe { &mut *(self.bytes.as_mut_ptr().add(at) as *mut [u8; N]) }
    }

    /// Starts a new chunk, twice the size of the last, up to `CHUNK`.
    #[cold]
    fn seal(&mut self) {
        let size = (self.bytes.len() * 2).clamp(FIRST_CHUNK, CHUNK);
        let full = std::mem::replace(&mut self.bytes, vec![0; size].into_boxed_slice());
        if self.pos > 0 {
            let mut full = full.into_vec();
            full.truncate(self.pos);
            self.sealed.push(full);
        }
        self.pos = 0;
    }

    /// The record's fields, or `None` when the event must be kept whole.
    #[inline(always)]
    fn pack(e: &Event) -> Option<Packed> {
        use EventKind as K;
        let core = match e.core {
            None => NO_CORE,
            Some(c) if c < NO_CORE as u16 => c as u8,
            Some(_) => return None,
        };
        if e.task.is_some() || e.thread.0 > u16::MAX as u32 {
            return None;
        }
        let (tag, a, b, c) = match e.kind {
            K::Step { pc } => (tag::STEP, pc, 0, 0),
            K::Dispatch => (tag::DISPATCH, 0, 0, 0),
            K::Preempt => (tag::PREEMPT, 0, 0, 0),
            K::Switch => (tag::SWITCH, 0, 0, 0),
            K::Wake => (tag::WAKE, 0, 0, 0),
            K::Block(reason) => match reason {
                BlockReason::Mutex(m) => (tag::BLOCK_MUTEX, m.0, 0, 0),
                BlockReason::Join(t) => (tag::BLOCK_JOIN, t.0, 0, 0),
                BlockReason::Recv(c) => (tag::BLOCK_RECV, c.0, 0, 0),
                BlockReason::Send(c) => (tag::BLOCK_SEND, c.0, 0, 0),
                BlockReason::Task(t) => (tag::BLOCK_TASK, t.0, 0, 0),
                BlockReason::EventLoopIdle => (tag::BLOCK_IDLE, 0, 0, 0),
                BlockReason::Turn => (tag::BLOCK_TURN, 0, 0, 0),
                BlockReason::Sleep { .. } | BlockReason::BlockingIo { .. } => return None,
            },
            K::Acquire(m) => (tag::ACQUIRE, m.0, 0, 0),
            K::TryLockFailed(m) => (tag::TRY_LOCK_FAILED, m.0, 0, 0),
            K::Release(m) => (tag::RELEASE, m.0, 0, 0),
            K::Load { var, value } => (tag::LOAD, var.0, value, 0),
            K::Store { var, value } => (tag::STORE, var.0, value, 0),
            K::AtomicLoad { atomic, value } => (tag::ATOMIC_LOAD, atomic.0, value, 0),
            K::AtomicStore { atomic, value } => (tag::ATOMIC_STORE, atomic.0, value, 0),
            K::AtomicRmw {
                atomic,
                op,
                old,
                new,
            } => {
                let t = match op {
                    RmwOp::FetchAdd => tag::FETCH_ADD,
                    RmwOp::FetchSub => tag::FETCH_SUB,
                    RmwOp::Swap => tag::SWAP,
                };
                (t, atomic.0, old, new)
            }
            K::AtomicCas {
                atomic,
                old,
                new,
                ok,
            } => {
                let t = if ok { tag::CAS_OK } else { tag::CAS_FAILED };
                (t, atomic.0, old, new)
            }
            K::MutexRead { mutex, value } => (tag::MUTEX_READ, mutex.0, value, 0),
            K::MutexWrite { mutex, value } => (tag::MUTEX_WRITE, mutex.0, value, 0),
            // `b`: the capacity plus one, 0 for unbounded.
            K::ChanNew { chan, cap } => {
                (tag::CHAN_NEW, chan.0, cap.map_or(0, |k| k as Value + 1), 0)
            }
            K::Send { chan, value } => (tag::SEND, chan.0, value, 0),
            K::Recv { chan, value } => (tag::RECV, chan.0, value, 0),
            K::SendDisconnected(c) => (tag::SEND_DISCONNECTED, c.0, 0, 0),
            K::RecvDisconnected(c) => (tag::RECV_DISCONNECTED, c.0, 0, 0),
            K::SendersGone(c) => (tag::SENDERS_GONE, c.0, 0, 0),
            K::ReceiverGone(c) => (tag::RECEIVER_GONE, c.0, 0, 0),
            K::Spawn(t) => (tag::SPAWN, t.0, 0, 0),
            K::Exit { panicked: false } => (tag::EXIT, 0, 0, 0),
            K::Exit { panicked: true } => (tag::EXIT_PANICKED, 0, 0, 0),
            K::ProcessExit { stopped } => (tag::PROCESS_EXIT, stopped, 0, 0),
            K::IoStart { .. } => return None,
            K::IoDone { blocking: true } => (tag::IO_DONE_BLOCKING, 0, 0, 0),
            K::IoDone { blocking: false } => (tag::IO_DONE_ASYNC, 0, 0, 0),
            K::SpawnTask(t) => (tag::SPAWN_TASK, t.0, 0, 0),
            K::Poll(t) => (tag::POLL, t.0, 0, 0),
            K::Suspend(t) => (tag::SUSPEND, t.0, 0, 0),
            K::TaskWake(t) => (tag::TASK_WAKE, t.0, 0, 0),
            K::TaskDone(t) => (tag::TASK_DONE, t.0, 0, 0),
            K::AssertFailed { msg } => (tag::ASSERT_FAILED, msg, 0, 0),
            K::Panic => (tag::PANIC, 0, 0, 0),
        };
        Some(Packed {
            tag,
            core,
            thread: e.thread.0,
            a,
            b,
            c,
        })
    }

    fn chunk(&self, i: usize) -> &[u8] {
        self.sealed
            .get(i)
            .map_or(&self.bytes[..self.pos], Vec::as_slice)
    }

    /// The event at `offset` (past the end of a chunk: the next chunk's start), and where
    /// the next record starts.
    fn decode(&self, offset: usize, tick: u64) -> (Event, usize) {
        let (mut c, mut at) = (offset >> CHUNK_BITS, offset & (CHUNK - 1));
        if at >= self.chunk(c).len() {
            (c, at) = (c + 1, 0);
        }
        let bytes = self.chunk(c);
        let mut p = at;
        let mut take = |n: usize| {
            let mut v = [0u8; 8];
            v[..n].copy_from_slice(&bytes[p..p + n]);
            p += n;
            u64::from_le_bytes(v)
        };
        let header = take(4) as u32;
        let tag = (header & TAG_BITS) as u8;
        let core = (header >> 8) as u8 & NO_CORE;
        let thread = header >> 16;
        let (has_a, has_b, has_c) = fields(tag);
        // A field the tag has: `narrow` bytes, twice that when its flag is set.
        let mut field = |has: bool, narrow: usize, flag: u32| match (has, header & flag != 0) {
            (false, _) => 0,
            (true, false) => take(narrow),
            (true, true) => take(2 * narrow),
        };
        let a = field(has_a, 2, WIDE_A) as u32;
        // `b` and `c` are `i64`s, or `i32`s to sign-extend.
        let mut value = |has: bool, flag: u32| {
            let v = field(has, 4, flag);
            if header & flag != 0 {
                v as Value
            } else {
                v as u32 as i32 as Value
            }
        };
        let b = value(has_b, WIDE_B);
        let cv = value(has_c, WIDE_C);
        let event = self.unpack(tag, tick, core, thread, a, b, cv);
        (event, c << CHUNK_BITS | p)
    }

    #[allow(clippy::too_many_arguments)]
    fn unpack(
        &self,
        tag: u8,
        tick: u64,
        core: u8,
        thread: u32,
        a: u32,
        b: Value,
        c: Value,
    ) -> Event {
        use EventKind as K;
        let value = b;
        let kind = match tag {
            tag::SPILL => return self.spilled[b as usize],
            tag::STEP => K::Step { pc: a },
            tag::DISPATCH => K::Dispatch,
            tag::PREEMPT => K::Preempt,
            tag::SWITCH => K::Switch,
            tag::WAKE => K::Wake,
            tag::BLOCK_MUTEX => K::Block(BlockReason::Mutex(MutexId(a))),
            tag::BLOCK_JOIN => K::Block(BlockReason::Join(ThreadId(a))),
            tag::BLOCK_RECV => K::Block(BlockReason::Recv(ChanId(a))),
            tag::BLOCK_SEND => K::Block(BlockReason::Send(ChanId(a))),
            tag::BLOCK_TASK => K::Block(BlockReason::Task(TaskId(a))),
            tag::BLOCK_IDLE => K::Block(BlockReason::EventLoopIdle),
            tag::BLOCK_TURN => K::Block(BlockReason::Turn),
            tag::ACQUIRE => K::Acquire(MutexId(a)),
            tag::TRY_LOCK_FAILED => K::TryLockFailed(MutexId(a)),
            tag::RELEASE => K::Release(MutexId(a)),
            tag::LOAD => K::Load {
                var: VarId(a),
                value,
            },
            tag::STORE => K::Store {
                var: VarId(a),
                value,
            },
            tag::ATOMIC_LOAD => K::AtomicLoad {
                atomic: AtomicId(a),
                value,
            },
            tag::ATOMIC_STORE => K::AtomicStore {
                atomic: AtomicId(a),
                value,
            },
            tag::FETCH_ADD | tag::FETCH_SUB | tag::SWAP => K::AtomicRmw {
                atomic: AtomicId(a),
                op: match tag {
                    tag::FETCH_ADD => RmwOp::FetchAdd,
                    tag::FETCH_SUB => RmwOp::FetchSub,
                    _ => RmwOp::Swap,
                },
                old: b,
                new: c,
            },
            tag::CAS_OK | tag::CAS_FAILED => K::AtomicCas {
                atomic: AtomicId(a),
                old: b,
                new: c,
                ok: tag == tag::CAS_OK,
            },
            tag::MUTEX_READ => K::MutexRead {
                mutex: MutexId(a),
                value,
            },
            tag::MUTEX_WRITE => K::MutexWrite {
                mutex: MutexId(a),
                value,
            },
            tag::CHAN_NEW => K::ChanNew {
                chan: ChanId(a),
                cap: (b > 0).then(|| (b - 1) as u32),
            },
            tag::SEND => K::Send {
                chan: ChanId(a),
                value,
            },
            tag::RECV => K::Recv {
                chan: ChanId(a),
                value,
            },
            tag::SEND_DISCONNECTED => K::SendDisconnected(ChanId(a)),
            tag::RECV_DISCONNECTED => K::RecvDisconnected(ChanId(a)),
            tag::SENDERS_GONE => K::SendersGone(ChanId(a)),
            tag::RECEIVER_GONE => K::ReceiverGone(ChanId(a)),
            tag::SPAWN => K::Spawn(ThreadId(a)),
            tag::EXIT => K::Exit { panicked: false },
            tag::EXIT_PANICKED => K::Exit { panicked: true },
            tag::PROCESS_EXIT => K::ProcessExit { stopped: a },
            tag::IO_DONE_BLOCKING => K::IoDone { blocking: true },
            tag::IO_DONE_ASYNC => K::IoDone { blocking: false },
            tag::SPAWN_TASK => K::SpawnTask(TaskId(a)),
            tag::POLL => K::Poll(TaskId(a)),
            tag::SUSPEND => K::Suspend(TaskId(a)),
            tag::TASK_WAKE => K::TaskWake(TaskId(a)),
            tag::TASK_DONE => K::TaskDone(TaskId(a)),
            tag::ASSERT_FAILED => K::AssertFailed { msg: a },
            _ => K::Panic,
        };
        Event {
            tick,
            core: (core != NO_CORE).then_some(core as u16),
            thread: ThreadId(thread),
            task: None,
            kind,
        }
    }

    /// The `i`-th event, if there is one.
    pub fn get(&self, i: usize) -> Option<Event> {
        self.range(i..i.saturating_add(1)).next()
    }

    pub fn iter(&self) -> Iter<'_> {
        self.range(0..self.len)
    }

    /// The events with index in `range` (clamped to the trace).
    pub fn range(&self, range: std::ops::Range<usize>) -> Iter<'_> {
        let end = range.end.min(self.len);
        let start = range.start.min(end);
        // The tick holding `start`, then decode forward to it (a tick holds few events).
        let block = self
            .ticks
            .partition_point(|t| t.first <= start)
            .saturating_sub(1);
        let mut iter = Iter {
            trace: self,
            block,
            offset: self.ticks.get(block).map_or(0, |t| t.offset),
            index: self.ticks.get(block).map_or(0, |t| t.first),
            end,
        };
        while iter.index < start {
            iter.next();
        }
        iter
    }

    /// The index of the first event at or after `tick` (`len()` if none).
    pub fn first_at(&self, tick: u64) -> usize {
        let b = self.ticks.partition_point(|t| t.tick < tick);
        self.ticks.get(b).map_or(self.len, |t| t.first)
    }

    /// All events, unpacked (for tests and small runs).
    pub fn to_vec(&self) -> Vec<Event> {
        self.iter().collect()
    }

    /// Bytes of memory the events take (after [`Trace::shrink_to_fit`], all it holds).
    pub fn heap_bytes(&self) -> usize {
        self.sealed.iter().map(Vec::len).sum::<usize>()
            + self.pos
            + self.ticks.len() * std::mem::size_of::<TickStart>()
            + self.spilled.len() * std::mem::size_of::<Event>()
    }

    /// Gives back the room kept for growth, once recording is over.
    pub fn shrink_to_fit(&mut self) {
        if self.ticks.last().is_some_and(|t| t.first == self.len) {
            self.ticks.pop(); // opened by `start_tick`, and no event came
        }
        self.bytes = self.bytes[..self.pos].into();
        self.ticks.shrink_to_fit();
        self.spilled.shrink_to_fit();
    }
}

/// Events of a [`Trace`], unpacked on the fly.
#[derive(Clone)]
pub struct Iter<'a> {
    trace: &'a Trace,
    /// The tick (index into `Trace::ticks`) of the next event.
    block: usize,
    offset: usize,
    index: usize,
    end: usize,
}

impl Iterator for Iter<'_> {
    type Item = Event;
    #[inline]
    fn next(&mut self) -> Option<Event> {
        if self.index >= self.end {
            return None;
        }
        let ticks = &self.trace.ticks;
        while ticks
            .get(self.block + 1)
            .is_some_and(|t| t.first <= self.index)
        {
            self.block += 1;
        }
        let (e, next) = self.trace.decode(self.offset, ticks[self.block].tick);
        self.offset = next;
        self.index += 1;
        Some(e)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end - self.index;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Trace {
    type Item = Event;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<Event> for Trace {
    fn from_iter<I: IntoIterator<Item = Event>>(events: I) -> Trace {
        let mut t = Trace::default();
        for e in events {
            t.push(e);
        }
        t
    }
}

/// A run's scheduler decisions, run-length encoded: almost all are "do not preempt", asked
/// of every running core on every tick, so a million of them take a few words. Reading
/// gives back exactly the decisions pushed, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    /// `PICK | i`: `Pick(i)`. Otherwise `[PREEMPTED] | n`: `n` equal `Preempt` decisions.
    words: Vec<u32>,
    len: usize,
}

const PICK: u32 = 1 << 31;
const PREEMPTED: u32 = 1 << 30;
const COUNT: u32 = PREEMPTED - 1;

impl Schedule {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn push(&mut self, d: Decision) {
        self.len += 1;
        match d {
            Decision::Pick(i) => {
                // A pick indexes the ready queue, far shorter than 2^31 threads; larger
                // indexes take more words (each adds up).
                let mut i = i;
                while i >= PICK - 1 {
                    self.words.push(PICK | (PICK - 1));
                    i -= PICK - 1;
                }
                self.words.push(PICK | i);
            }
            Decision::Preempt(p) => {
                let flag = if p { PREEMPTED } else { 0 };
                if let Some(last) = self.words.last_mut() {
                    if *last & (PICK | PREEMPTED) == flag && *last & COUNT < COUNT {
                        *last += 1;
                        return;
                    }
                }
                self.words.push(flag | 1);
            }
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Decision> + '_ {
        let mut carry = 0;
        self.words.iter().flat_map(move |&w| {
            let (d, n) = if w & PICK != 0 {
                let part = w & !PICK;
                if part == PICK - 1 {
                    carry += part;
                    (None, 0)
                } else {
                    let i = carry + part;
                    carry = 0;
                    (Some(Decision::Pick(i)), 1)
                }
            } else {
                (Some(Decision::Preempt(w & PREEMPTED != 0)), w & COUNT)
            };
            d.into_iter()
                .flat_map(move |d| std::iter::repeat_n(d, n as usize))
        })
    }

    pub fn to_vec(&self) -> Vec<Decision> {
        self.iter().collect()
    }

    /// Gives back the room kept for growth, once recording is over.
    pub fn shrink_to_fit(&mut self) {
        self.words.shrink_to_fit();
    }
}

impl FromIterator<Decision> for Schedule {
    fn from_iter<I: IntoIterator<Item = Decision>>(ds: I) -> Schedule {
        let mut s = Schedule::default();
        for d in ds {
            s.push(d);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One event of every kind, with payloads at and beyond every packing boundary.
    fn every_kind() -> Vec<EventKind> {
        use EventKind as K;
        let values = [
            0,
            1,
            -1,
            i32::MAX as Value,
            i32::MIN as Value,
            1 << 31,
            Value::MIN,
        ];
        let mut kinds = vec![
            K::Step { pc: 0 },
            K::Step { pc: u32::MAX },
            K::Dispatch,
            K::Preempt,
            K::Switch,
            K::Wake,
            K::Acquire(MutexId(3)),
            K::TryLockFailed(MutexId(u32::MAX)),
            K::Release(MutexId(0)),
            K::ChanNew {
                chan: ChanId(2),
                cap: None,
            },
            K::ChanNew {
                chan: ChanId(2),
                cap: Some(0),
            },
            K::ChanNew {
                chan: ChanId(2),
                cap: Some(u32::MAX),
            },
            K::SendDisconnected(ChanId(1)),
            K::RecvDisconnected(ChanId(1)),
            K::SendersGone(ChanId(1)),
            K::ReceiverGone(ChanId(1)),
            K::Spawn(ThreadId(7)),
            K::Exit { panicked: false },
            K::Exit { panicked: true },
            K::ProcessExit { stopped: 9 },
            K::IoStart {
                until: u64::MAX,
                blocking: true,
            },
            K::IoStart {
                until: 5,
                blocking: false,
            },
            K::IoDone { blocking: true },
            K::IoDone { blocking: false },
            K::SpawnTask(TaskId(1)),
            K::Poll(TaskId(1)),
            K::Suspend(TaskId(1)),
            K::TaskWake(TaskId(1)),
            K::TaskDone(TaskId(1)),
            K::AssertFailed { msg: 4 },
            K::Panic,
        ];
        for reason in [
            BlockReason::Mutex(MutexId(1)),
            BlockReason::Join(ThreadId(2)),
            BlockReason::Recv(ChanId(3)),
            BlockReason::Send(ChanId(4)),
            BlockReason::Sleep { until: 10 },
            BlockReason::BlockingIo { until: 11 },
            BlockReason::Task(TaskId(5)),
            BlockReason::EventLoopIdle,
            BlockReason::Turn,
        ] {
            kinds.push(K::Block(reason));
        }
        for value in values {
            kinds.extend([
                K::Load {
                    var: VarId(1),
                    value,
                },
                K::Store {
                    var: VarId(1),
                    value,
                },
                K::AtomicLoad {
                    atomic: AtomicId(0),
                    value,
                },
                K::AtomicStore {
                    atomic: AtomicId(0),
                    value,
                },
                K::MutexRead {
                    mutex: MutexId(0),
                    value,
                },
                K::MutexWrite {
                    mutex: MutexId(0),
                    value,
                },
                K::Send {
                    chan: ChanId(0),
                    value,
                },
                K::Recv {
                    chan: ChanId(0),
                    value,
                },
                K::AtomicCas {
                    atomic: AtomicId(1),
                    old: value,
                    new: value.wrapping_neg(),
                    ok: value == 0,
                },
            ]);
            for op in [RmwOp::FetchAdd, RmwOp::FetchSub, RmwOp::Swap] {
                kinds.push(K::AtomicRmw {
                    atomic: AtomicId(2),
                    op,
                    old: value,
                    new: value.wrapping_add(1),
                });
            }
        }
        kinds
    }

    #[test]
    fn a_trace_gives_back_exactly_the_events_pushed() {
        let mut events = Vec::new();
        let ticks = [0, 1, 1, 7, u32::MAX as u64 - 1, u32::MAX as u64, u64::MAX];
        for (i, &tick) in ticks.iter().enumerate() {
            for (j, kind) in every_kind().into_iter().enumerate() {
                let core = [
                    None,
                    Some(0),
                    Some(63),
                    Some(254),
                    Some(255),
                    Some(u16::MAX),
                ];
                let thread = [0, 1, u16::MAX as u32 - 1, u16::MAX as u32, u32::MAX];
                let task = [None, None, Some(TaskId(0))];
                events.push(Event {
                    tick,
                    core: core[(i + j) % core.len()],
                    thread: ThreadId(thread[j % thread.len()]),
                    task: task[j % task.len()],
                    kind,
                });
            }
        }
        let trace: Trace = events.iter().copied().collect();
        assert_eq!(trace.len(), events.len());
        assert_eq!(trace.to_vec(), events);
        for (i, e) in events.iter().enumerate() {
            assert_eq!(trace.get(i), Some(*e), "event {i}");
        }
        assert_eq!(trace.get(events.len()), None);
        let mid = events.len() / 3..events.len() / 2;
        assert_eq!(trace.range(mid.clone()).collect::<Vec<_>>(), events[mid]);
        assert_eq!(trace.range(5..usize::MAX).len(), events.len() - 5);
        // Ordinary events are packed: only timer deadlines (2 I/O starts, 2 timed blocks)
        // are kept whole.
        let ordinary: Trace = every_kind()
            .into_iter()
            .map(|kind| Event {
                tick: 5,
                core: Some(1),
                thread: ThreadId(2),
                task: None,
                kind,
            })
            .collect();
        assert_eq!(ordinary.spilled.len(), 4);
        for tick in [
            0,
            1,
            2,
            8,
            u32::MAX as u64 - 1,
            u32::MAX as u64,
            u64::MAX - 1,
            u64::MAX,
        ] {
            let want = events.partition_point(|e| e.tick < tick);
            assert_eq!(trace.first_at(tick), want, "first_at({tick})");
        }
        let r = trace.first_at(1)..trace.first_at(2);
        assert!(trace.range(r).all(|e| e.tick == 1));
    }

    #[test]
    fn a_long_trace_spans_chunks() {
        // Runs of events by one core and thread (as a step and its effect are), with
        // fields narrow and wide, over enough ticks to fill several chunks.
        let mut events = Vec::new();
        let mut x: u64 = 1;
        while events.len() < 1_200_000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let tick = events.len() as u64 / 7;
            let thread = ThreadId((x >> 40) as u32 % 3 * 30_000);
            let core = [Some(0), Some(1), None][(x >> 20) as usize % 3];
            let value = (x >> 8) as Value >> (x % 64);
            for kind in [
                EventKind::Step {
                    pc: (x >> 33) as u32 % 70_000,
                },
                EventKind::Store {
                    var: VarId(1),
                    value,
                },
                EventKind::AtomicRmw {
                    atomic: AtomicId(0),
                    op: RmwOp::FetchAdd,
                    old: value,
                    new: value.wrapping_add(1),
                },
            ] {
                events.push(Event {
                    tick,
                    core,
                    thread,
                    task: None,
                    kind,
                });
            }
        }
        let trace: Trace = events.iter().copied().collect();
        assert!(trace.sealed.len() >= 2, "{} chunks", trace.sealed.len());
        assert!(trace.spilled.is_empty());
        assert_eq!(trace.to_vec(), events);
        for i in (0..events.len()).step_by(9_973).chain([events.len() - 1]) {
            assert_eq!(trace.get(i), Some(events[i]), "event {i}");
            let r = i.saturating_sub(20)..i + 20;
            let want = &events[r.start..r.end.min(events.len())];
            assert_eq!(trace.range(r).collect::<Vec<_>>(), want);
        }
        // Around each chunk boundary: the tick that starts there reads back whole.
        for c in 1..=trace.sealed.len() {
            let tick = trace
                .ticks
                .iter()
                .find(|t| t.offset >> CHUNK_BITS >= c)
                .expect("a tick after the boundary")
                .tick;
            let r = trace.first_at(tick - 1)..trace.first_at(tick + 1);
            assert_eq!(trace.range(r.clone()).collect::<Vec<_>>(), events[r]);
        }
    }

    #[test]
    fn pushing_a_tick_at_a_time_makes_the_same_trace_as_pushing_events() {
        // Ticks with events and without (the machine opens every tick it runs), a last
        // tick without any, and enough events to fill several chunks.
        let mut by_event = Trace::default();
        let mut by_tick = Trace::default();
        let mut events = 0;
        for tick in 0..400_000u64 {
            by_tick.start_tick(tick);
            for i in 0..(tick % 5 + tick % 3) % 4 {
                let e = Event {
                    tick,
                    core: [Some(0), None, Some(126), Some(127)][(tick % 4) as usize],
                    thread: ThreadId(i as u32 * 40_000),
                    task: (tick % 11 == 0).then_some(TaskId(1)),
                    kind: EventKind::Load {
                        var: VarId(tick as u32),
                        value: -(tick as Value) << (i * 20),
                    },
                };
                by_event.push(e);
                by_tick.push_in_tick(e);
                events += 1;
            }
        }
        by_tick.start_tick(400_000);
        by_tick.start_tick(400_001);
        by_tick.shrink_to_fit();
        by_event.shrink_to_fit();
        assert!(by_tick.sealed.len() >= 2, "{} chunks", by_tick.sealed.len());
        assert_eq!(by_tick.len(), events);
        assert_eq!(by_tick, by_event);
        assert_eq!(by_tick.to_vec(), by_event.to_vec());
        assert_eq!(by_tick.first_at(399_999), by_event.first_at(399_999));
        assert_eq!(by_tick.first_at(400_001), events);
    }

    #[test]
    fn a_schedule_gives_back_exactly_the_decisions_pushed_in_few_words() {
        let mut ds = vec![Decision::Preempt(false); 100_000];
        ds.extend([
            Decision::Pick(0),
            Decision::Pick(3),
            Decision::Preempt(true),
            Decision::Preempt(true),
            Decision::Pick(u32::MAX),
            Decision::Pick(PICK - 1),
            Decision::Pick(PICK - 2),
            Decision::Preempt(false),
        ]);
        let s: Schedule = ds.iter().copied().collect();
        assert_eq!(s.len(), ds.len());
        assert_eq!(s.to_vec(), ds);
        assert!(s.words.len() < 20, "{} words", s.words.len());
    }
}
