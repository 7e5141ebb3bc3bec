//! `std::sync::Barrier`: `Barrier::new(n)`, and `wait()`, which blocks until `n` threads
//! have called it; the `n`-th wakes them all and is the leader. The barrier then starts
//! over (a new generation), as std's does.
//!
//! Conflict rule: every `wait` writes the barrier (which arrival is the last, and so who
//! waits and who leads, depends on the order).

use super::access::{Accesses, Object};
use super::*;

/// The threads waiting at a barrier, in order of arrival.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BarrierState {
    pub waiting: Vec<ThreadId>,
}

impl Machine {
    /// `b.wait()`.
    pub(super) fn barrier_wait(
        &mut self,
        t: ThreadId,
        b: BarrierId,
        leader: Option<Local>,
        sink: &mut impl Sink,
    ) -> Flow {
        let n = self.program.barriers[b.index()].init.max(1) as usize;
        if self.barriers[b.index()].waiting.len() + 1 < n {
            self.barriers[b.index()].waiting.push(t);
            self.ctx_mut(t).pc += 1;
            return Flow::Block(BlockReason::Barrier(b));
        }
        // The last to arrive: everyone goes on; what each did before happens before what
        // any does after.
        let waiting = std::mem::take(&mut self.barriers[b.index()].waiting);
        for &w in &waiting {
            let clock = self.thread(w).clock.clone();
            self.threads[t.0 as usize].clock.join(&clock);
        }
        for &w in &waiting {
            let clock = self.thread(t).clock.clone();
            self.threads[w.0 as usize].clock.join(&clock);
            if let Some(&Op::BarrierWait {
                leader: Some(l), ..
            }) = self.blocked_op(w)
            {
                self.set_local(w, l, 0);
            }
            self.make_ready(w, sink);
        }
        if let Some(l) = leader {
            self.set_local(t, l, 1);
        }
        Flow::Next
    }
}

/// The conflict rule for an arrival that waits (it makes an event).
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    if let EventKind::Block(BlockReason::Barrier(b)) = *kind {
        acc.add(Object::Barrier(b.0), true);
    }
}

/// The rule for every arrival, read off its op.
pub(crate) fn touches_op(op: &Op, acc: &mut Accesses) {
    if let Op::BarrierWait { barrier, .. } = *op {
        acc.add(Object::Barrier(barrier.0), true);
    }
}
