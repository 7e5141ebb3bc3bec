//! `std::sync::Condvar`: `wait(guard)` unlocks the guard's mutex and sleeps until a
//! `notify_one` / `notify_all`, then locks the mutex again before it returns (the `Lock`
//! op the compiler puts after `CondvarWait`); `wait_while` is that in a loop. A
//! notification with no waiter is lost, as std's is — the classic lost wake-up.
//!
//! Not simulated: spurious wake-ups (std allows `wait` to return without a notification;
//! a program that re-checks its condition in a loop, or uses `wait_while`, behaves the
//! same either way). A notification gives no happens-before of its own (std promises none):
//! what the waiter sees is ordered by the mutex it locks again.
//!
//! Conflict rule: every wait and every notify writes the condvar (whether a notification
//! finds its waiter depends on which came first); the wait's unlock is the mutex's rule.

use super::access::{Accesses, Object};
use super::*;

/// The threads waiting on a condvar, first to wait first; and the mutex it is used with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CondvarState {
    pub waiting: VecDeque<ThreadId>,
    /// std panics when one condvar is used with two mutexes; the first one used.
    pub mutex: Option<MutexId>,
}

impl Machine {
    /// `cv.wait(guard)`: releases `m` and blocks until notified.
    pub(super) fn condvar_wait(
        &mut self,
        t: ThreadId,
        core: u16,
        c: CondvarId,
        m: MutexId,
        sink: &mut impl Sink,
    ) -> Flow {
        let name = |p: &Program| p.condvars[c.index()].name.clone();
        if self.mutexes[m.index()].owner != Some(t) {
            return Flow::Panic(
                format!(
                    "`{}.wait` was given a guard of `{}`, which this thread does not hold",
                    name(&self.program),
                    self.program.mutexes[m.index()].name
                ),
                false,
            );
        }
        let cv = &mut self.condvars[c.index()];
        match cv.mutex {
            Some(first) if first != m => {
                return Flow::Panic(
                    format!(
                        "attempted to use a condition variable with two mutexes: `{}` waits with `{}` after `{}` (std's Condvar panics here)",
                        name(&self.program),
                        self.program.mutexes[m.index()].name,
                        self.program.mutexes[first.index()].name
                    ),
                    false,
                )
            }
            _ => cv.mutex = Some(m),
        }
        cv.waiting.push_back(t);
        self.unlock(t, m, Some(core), sink);
        self.ctx_mut(t).pc += 1;
        Flow::Block(BlockReason::Condvar(c))
    }

    /// `notify_one` / `notify_all`: wakes the first waiter, or all of them.
    pub(super) fn condvar_notify(
        &mut self,
        t: ThreadId,
        core: u16,
        c: CondvarId,
        all: bool,
        sink: &mut impl Sink,
    ) {
        let waiting = &mut self.condvars[c.index()].waiting;
        let woken: Vec<ThreadId> = if all {
            waiting.drain(..).collect()
        } else {
            waiting.pop_front().into_iter().collect()
        };
        self.emit(
            sink,
            Some(core),
            t,
            EventKind::Notify {
                condvar: c,
                woken: woken.len() as u32,
            },
        );
        for w in woken {
            self.make_ready(w, sink);
        }
    }
}

/// The conflict rule for a wait that blocks (it makes an event).
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::Block(BlockReason::Condvar(c)) | EventKind::Notify { condvar: c, .. } => {
            acc.add(Object::Condvar(c.0), true)
        }
        _ => {}
    }
}

/// The rule for every wait and notify, read off its op.
pub(crate) fn touches_op(op: &Op, acc: &mut Accesses) {
    if let Op::CondvarWait { condvar: c, .. } | Op::CondvarNotify { condvar: c, .. } = *op {
        acc.add(Object::Condvar(c.0), true);
    }
}
