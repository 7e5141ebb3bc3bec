//! [`Trace`]: a run's events, packed.

use super::*;

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
    pub const PRINT: u8 = 47;
    pub const BLOCK_BARRIER: u8 = 48;
    pub const BLOCK_CONDVAR: u8 = 49;
    pub const NOTIFY: u8 = 50;
    pub const ACQUIRE_READ: u8 = 51;
    pub const RELEASE_READ: u8 = 52;
    pub const RECV_EMPTY: u8 = 53;
    pub const ONCE_START: u8 = 54;
    pub const ONCE_DONE: u8 = 55;
    pub const ONCE_SEEN: u8 = 56;
    pub const BLOCK_ONCE: u8 = 57;
    pub const BLOCK_PARK: u8 = 58;
    pub const PARK_TOKEN: u8 = 59;
    pub const UNPARK: u8 = 60;
    pub const ONCE_EMPTY: u8 = 61;
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
        | tag::BLOCK_PARK
        | tag::EXIT
        | tag::EXIT_PANICKED
        | tag::IO_DONE_BLOCKING
        | tag::IO_DONE_ASYNC
        | tag::PANIC => (false, false, false),
        tag::SPILL => (false, true, false),
        tag::NOTIFY => (true, true, false),
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
                BlockReason::Barrier(b) => (tag::BLOCK_BARRIER, b.0, 0, 0),
                BlockReason::Condvar(c) => (tag::BLOCK_CONDVAR, c.0, 0, 0),
                BlockReason::Once(o) => (tag::BLOCK_ONCE, o.0, 0, 0),
                BlockReason::Park => (tag::BLOCK_PARK, 0, 0, 0),
                BlockReason::Sleep { .. } | BlockReason::BlockingIo { .. } => return None,
            },
            K::Acquire(m) => (tag::ACQUIRE, m.0, 0, 0),
            K::AcquireRead(m) => (tag::ACQUIRE_READ, m.0, 0, 0),
            K::RecvEmpty(c) => (tag::RECV_EMPTY, c.0, 0, 0),
            K::OnceStart(o) => (tag::ONCE_START, o.0, 0, 0),
            K::ParkToken(u) => (tag::PARK_TOKEN, u.0, 0, 0),
            K::Unpark(u) => (tag::UNPARK, u.0, 0, 0),
            K::OnceDone(o) => (tag::ONCE_DONE, o.0, 0, 0),
            K::OnceSeen(o) => (tag::ONCE_SEEN, o.0, 0, 0),
            K::OnceEmpty(o) => (tag::ONCE_EMPTY, o.0, 0, 0),
            K::ReleaseRead(m) => (tag::RELEASE_READ, m.0, 0, 0),
            K::Notify { condvar, woken } => (tag::NOTIFY, condvar.0, woken.into(), 0),
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
            K::Print { index } => (tag::PRINT, index, 0, 0),
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
            tag::BLOCK_BARRIER => K::Block(BlockReason::Barrier(BarrierId(a))),
            tag::BLOCK_CONDVAR => K::Block(BlockReason::Condvar(CondvarId(a))),
            tag::NOTIFY => K::Notify {
                condvar: CondvarId(a),
                woken: b as u32,
            },
            tag::ACQUIRE => K::Acquire(MutexId(a)),
            tag::ACQUIRE_READ => K::AcquireRead(MutexId(a)),
            tag::RECV_EMPTY => K::RecvEmpty(ChanId(a)),
            tag::ONCE_START => K::OnceStart(OnceId(a)),
            tag::BLOCK_PARK => K::Block(BlockReason::Park),
            tag::PARK_TOKEN => K::ParkToken(ThreadId(a)),
            tag::UNPARK => K::Unpark(ThreadId(a)),
            tag::ONCE_DONE => K::OnceDone(OnceId(a)),
            tag::ONCE_SEEN => K::OnceSeen(OnceId(a)),
            tag::ONCE_EMPTY => K::OnceEmpty(OnceId(a)),
            tag::BLOCK_ONCE => K::Block(BlockReason::Once(OnceId(a))),
            tag::RELEASE_READ => K::ReleaseRead(MutexId(a)),
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
            tag::PRINT => K::Print { index: a },
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

#[cfg(test)]
mod tests;
