//! The dependency relation: which two steps of different threads may not be swapped.
//!
//! Two steps are *independent* when, taken one after the other from the same state in
//! either order, they reach the same state, and neither changes what the other does. The
//! explorer then needs only one of the two orders (see `search`, sleep sets): executions
//! that differ only in the order of adjacent independent steps are one execution.
//!
//! What a step touches (`Accesses`: objects, each read or written) is read off the events
//! it makes as it runs, and off its visible op for what makes no event. The rule for each
//! primitive lives next to its semantics, in its file under `machine/`:
//! `memory::touches` (plain statics), `atomic::touches`, `mutex::touches`,
//! `channel::touches` and `touches_op` (with the handles an exiting thread drops),
//! `thread::touches` and `touches_op` (spawn, join, exit; `main` returning and panics
//! conflict with everything), `task::touches` and `touches_op` (the event loop), `output::touches` (printing). Two steps
//! are independent when neither writes an object the other touches.
//!
//! Sleeping, blocking calls and work touch nothing shared: the explorer lets them end at
//! once (see `step`).

use crate::machine::{
    arc, atomic, barrier, channel, condvar, memory, mutex, once, output, park, rwlock, task,
    thread, Accesses, Machine,
};
use crate::trace::{BlockReason, Event, EventKind, Sink, ThreadId};

/// Gathers what one step touches; a trace sink, told also of the step's visible op.
#[derive(Default)]
pub struct Touched {
    pub accesses: Accesses,
    /// Channels the stepping thread held handles of when the step began.
    held: Vec<u32>,
    /// The same for `Arc`s.
    held_arcs: Vec<u32>,
}

impl Touched {
    /// Before `t`'s step: what its exit would drop.
    pub fn start(m: &Machine, t: ThreadId) -> Touched {
        Touched {
            accesses: Accesses::default(),
            held: channel::held_by(m, t),
            held_arcs: arc::held_by(m, t),
        }
    }

    /// The visible op `t` is about to run: what it touches that no event may say.
    pub fn before_op(&mut self, m: &Machine, t: ThreadId) {
        let ctx = m.ctx(t);
        let Some(op) = m.program.function(ctx.func).body.get(ctx.pc as usize) else {
            return;
        };
        let acc = &mut self.accesses;
        thread::touches_op(m, t, op, acc);
        channel::touches_op(m, t, op, acc);
        arc::touches_op(m, t, op, acc);
        barrier::touches_op(op, acc);
        condvar::touches_op(op, acc);
        rwlock::touches_op(op, acc);
        task::touches_op(op, acc);
    }

    /// After the step: if the thread exited, it dropped the handles it held.
    pub fn finish(mut self, exited: bool) -> Accesses {
        if exited {
            for &c in &self.held {
                channel::touches_handle(c.into(), &mut self.accesses);
            }
            for &a in &self.held_arcs {
                arc::touches_handle(a.into(), &mut self.accesses);
            }
        }
        self.accesses
    }
}

impl Sink for Touched {
    fn event(&mut self, e: Event) {
        use EventKind as K;
        let acc = &mut self.accesses;
        match e.kind {
            K::Load { .. } | K::Store { .. } => memory::touches(&e.kind, acc),
            K::AtomicLoad { .. }
            | K::AtomicStore { .. }
            | K::AtomicRmw { .. }
            | K::AtomicCas { .. } => atomic::touches(&e.kind, acc),
            K::Acquire(_)
            | K::TryLockFailed(_)
            | K::Release(_)
            | K::AcquireRead(_)
            | K::ReleaseRead(_)
            | K::MutexRead { .. }
            | K::MutexWrite { .. }
            | K::Block(BlockReason::Mutex(_)) => mutex::touches(&e.kind, acc),
            K::ChanNew { .. }
            | K::Send { .. }
            | K::Recv { .. }
            | K::SendDisconnected(_)
            | K::RecvDisconnected(_)
            | K::RecvEmpty(_)
            | K::SendersGone(_)
            | K::ReceiverGone(_)
            | K::Block(BlockReason::Recv(_) | BlockReason::Send(_)) => {
                channel::touches(&e.kind, acc)
            }
            K::Spawn(_)
            | K::Exit { .. }
            | K::Block(BlockReason::Join(_))
            | K::ProcessExit { .. }
            | K::AssertFailed { .. }
            | K::Panic => thread::touches(&e.kind, e.thread, acc),
            K::IoStart {
                blocking: false, ..
            }
            | K::IoDone { blocking: false }
            | K::SpawnTask(_)
            | K::Poll(_)
            | K::Suspend(_)
            | K::TaskWake(_)
            | K::TaskDone(_)
            | K::Block(BlockReason::Task(_) | BlockReason::EventLoopIdle) => {
                task::touches(&e.kind, acc)
            }
            K::Print { .. } => output::touches(&e.kind, acc),
            K::Block(BlockReason::Barrier(_)) => barrier::touches(&e.kind, acc),
            K::Block(BlockReason::Condvar(_)) | K::Notify { .. } => condvar::touches(&e.kind, acc),
            K::Block(BlockReason::Park) | K::ParkToken(_) | K::Unpark(_) => {
                park::touches(&e.kind, e.thread, acc)
            }
            K::Block(BlockReason::Once(_))
            | K::OnceStart(_)
            | K::OnceDone(_)
            | K::OnceSeen(_)
            | K::OnceEmpty(_) => once::touches(&e.kind, acc),
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
