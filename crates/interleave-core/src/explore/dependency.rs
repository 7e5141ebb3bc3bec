//! The dependency relation: which two steps of different threads may not be swapped.
//!
//! Two steps are *independent* when, taken one after the other from the same state in
//! either order, they reach the same state, and neither changes what the other does. The
//! explorer then needs only one of the two orders (see `search`, sleep sets): executions
//! that differ only in the order of adjacent independent steps are one execution.
//!
//! A step's accesses are read off the events it makes as it runs (`Accesses` is a trace
//! sink), one rule per primitive:
//!
//! - **plain memory** (`static`): a load reads the variable, a store writes it.
//! - **atomics**: a load reads; a store, a read-modify-write and a successful
//!   compare-exchange write; a failed compare-exchange reads.
//! - **mutex**: lock, try-lock (either way), unlock, waiting for it, and reading or writing
//!   through the guard all write the mutex (its owner and its queue change, or depend on
//!   who came first).
//! - **channel**: sending, receiving, waiting on either side, and the last sender or the
//!   receiver going away all write the channel. Creating a channel writes the table of
//!   channels (its number depends on the order). Cloning or dropping a sender that is not
//!   the last touches only who holds handles, a set: no conflict.
//! - **threads**: spawning writes the table of threads (the child's number depends on the
//!   order) and the child; exiting writes the thread; waiting to join it reads it.
//! - **async tasks and I/O**: everything on the event loop (spawning, polling, suspending,
//!   waking, finishing a task, an awaited I/O starting or completing, waiting for a task)
//!   writes the event loop: its queue's order depends on the order of these.
//! - **the process**: `main` returning, or any panic, conflicts with every step (the
//!   process ends, or a panic's effects reach further than this list follows).
//!
//! Sleeping, blocking calls and work touch nothing shared: the explorer lets them end at
//! once (see `step`).

use crate::machine::Machine;
use crate::program::{Op, Operand};
use crate::trace::{BlockReason, Event, EventKind, Sink, ThreadId};

/// What a step touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Object {
    Var(u32),
    Atomic(u32),
    Mutex(u32),
    Channel(u32),
    ChannelTable,
    Thread(u32),
    ThreadTable,
    EventLoop,
    Everything,
}

/// The accesses of one step: objects, each read or written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accesses(Vec<(Object, bool)>);

impl Accesses {
    fn add(&mut self, object: Object, write: bool) {
        match self.0.iter_mut().find(|(o, _)| *o == object) {
            Some((_, w)) => *w |= write,
            None => self.0.push((object, write)),
        }
    }

    /// What the visible op `t` is about to run touches that its events may not say: a join
    /// reads the joined thread even when it has already exited (no event); cloning,
    /// dropping or moving (into a spawned thread) a channel handle writes the channel (which
    /// drop is the last depends on the order).
    pub fn before_op(&mut self, m: &Machine, t: ThreadId) {
        let ctx = m.ctx(t);
        let value = |o: Operand| match o {
            Operand::Imm(v) => v,
            Operand::Local(l) => ctx.locals.get(l.index()).copied().unwrap_or(-1),
        };
        let id = |o: Operand| u32::try_from(value(o)).ok();
        match m.program.function(ctx.func).body.get(ctx.pc as usize) {
            Some(Op::Join { thread, .. }) => {
                if let Some(j) = id(*thread) {
                    self.add(Object::Thread(j), false);
                }
            }
            Some(Op::CloneSender { chan } | Op::DropHandle { chan, .. }) => {
                if let Some(c) = id(*chan) {
                    self.add(Object::Channel(c), true);
                }
            }
            Some(Op::Spawn { moves, .. }) => {
                for &(chan, _) in moves {
                    if let Some(c) = id(chan) {
                        self.add(Object::Channel(c), true);
                    }
                }
            }
            _ => {}
        }
    }

    /// The channels `t` holds a handle of (its exit drops them).
    pub fn handles(m: &Machine, t: ThreadId) -> Vec<u32> {
        m.channels
            .iter()
            .filter(|c| c.receiver == Some(t) || c.senders.contains(&t))
            .map(|c| c.id.0)
            .collect()
    }

    /// The thread exited and dropped its handles of `channels`.
    pub fn dropped(&mut self, channels: &[u32]) {
        for &c in channels {
            self.add(Object::Channel(c), true);
        }
    }

    /// The two steps may be swapped: nothing one writes, the other touches.
    pub fn independent(&self, other: &Accesses) -> bool {
        !self.0.iter().any(|&(a, wa)| {
            other.0.iter().any(|&(b, wb)| {
                a == Object::Everything || b == Object::Everything || (a == b && (wa || wb))
            })
        })
    }
}

impl Sink for Accesses {
    fn event(&mut self, e: Event) {
        use EventKind as K;
        let w = true;
        match e.kind {
            K::Load { var, .. } => self.add(Object::Var(var.0), false),
            K::Store { var, .. } => self.add(Object::Var(var.0), w),
            K::AtomicLoad { atomic, .. } => self.add(Object::Atomic(atomic.0), false),
            K::AtomicStore { atomic, .. } | K::AtomicRmw { atomic, .. } => {
                self.add(Object::Atomic(atomic.0), w)
            }
            K::AtomicCas { atomic, ok, .. } => self.add(Object::Atomic(atomic.0), ok),
            K::Acquire(m)
            | K::TryLockFailed(m)
            | K::Release(m)
            | K::MutexRead { mutex: m, .. }
            | K::MutexWrite { mutex: m, .. }
            | K::Block(BlockReason::Mutex(m)) => self.add(Object::Mutex(m.0), w),
            K::ChanNew { chan, .. } => {
                self.add(Object::ChannelTable, w);
                self.add(Object::Channel(chan.0), w);
            }
            K::Send { chan, .. }
            | K::Recv { chan, .. }
            | K::SendDisconnected(chan)
            | K::RecvDisconnected(chan)
            | K::SendersGone(chan)
            | K::ReceiverGone(chan)
            | K::Block(BlockReason::Recv(chan))
            | K::Block(BlockReason::Send(chan)) => self.add(Object::Channel(chan.0), w),
            K::Spawn(t) => {
                self.add(Object::ThreadTable, w);
                self.add(Object::Thread(t.0), w);
            }
            K::Exit { .. } => self.add(Object::Thread(e.thread.0), w),
            K::Block(BlockReason::Join(t)) => self.add(Object::Thread(t.0), false),
            K::IoStart {
                blocking: false, ..
            }
            | K::IoDone { blocking: false }
            | K::SpawnTask(_)
            | K::Poll(_)
            | K::Suspend(_)
            | K::TaskWake(_)
            | K::TaskDone(_)
            | K::Block(BlockReason::Task(_))
            | K::Block(BlockReason::EventLoopIdle) => self.add(Object::EventLoop, w),
            K::ProcessExit { .. } | K::AssertFailed { .. } | K::Panic => {
                self.add(Object::Everything, w)
            }
            // The thread's own business, or the scheduler's; time does not exist here.
            K::Step { .. }
            | K::Dispatch
            | K::Preempt
            | K::Switch
            | K::Wake
            | K::IoStart { blocking: true, .. }
            | K::IoDone { blocking: true }
            | K::Block(
                BlockReason::Sleep { .. } | BlockReason::BlockingIo { .. } | BlockReason::Turn,
            ) => {}
        }
    }

    fn decision(&mut self, _: crate::trace::Decision, _: u32) {}
}
