//! `thread::park()` and `Thread::unpark()`: each thread has one token. `unpark` sets it
//! (or wakes the thread if it is parked); `park` takes it if set, else blocks until an
//! `unpark`. An `unpark` before the `park` is not lost — unlike a condvar's notification.
//!
//! Not simulated: spurious returns from `park` (std allows them; a program that parks in
//! a loop re-checking its condition, as it must, behaves the same either way).
//!
//! Conflict rule: park and unpark of a thread write that thread's token.

use super::access::{Accesses, Object};
use super::*;

impl Machine {
    /// `thread::park()`.
    pub(super) fn park(&mut self, t: ThreadId, core: u16, sink: &mut impl Sink) -> Flow {
        let th = &mut self.threads[t.0 as usize];
        if th.park_token {
            th.park_token = false;
            self.emit(sink, Some(core), t, EventKind::ParkToken(t));
            return Flow::Next;
        }
        self.ctx_mut(t).pc += 1;
        Flow::Block(BlockReason::Park)
    }

    /// `handle.unpark()` for thread number `target` (a `ThreadId`'s: main is 1).
    pub(super) fn unpark(
        &mut self,
        t: ThreadId,
        core: u16,
        target: Value,
        sink: &mut impl Sink,
    ) -> Flow {
        let Some(u) = target
            .checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .filter(|&i| i < self.threads.len())
        else {
            return Flow::Panic(
                format!("unpark of thread {target}, which does not exist"),
                false,
            );
        };
        let u = ThreadId(u as u32);
        self.emit(sink, Some(core), t, EventKind::Unpark(u));
        if self.threads[u.0 as usize].state == ThreadState::Blocked(BlockReason::Park) {
            let clock = self.threads[t.0 as usize].clock.clone();
            self.threads[u.0 as usize].clock.join(&clock);
            self.make_ready(u, sink);
        } else {
            self.threads[u.0 as usize].park_token = true;
        }
        Flow::Next
    }
}

/// The conflict rule: a park (blocking, or taking the token) and an unpark write the
/// parked thread's token.
pub(crate) fn touches(kind: &EventKind, thread: ThreadId, acc: &mut Accesses) {
    match *kind {
        EventKind::Block(BlockReason::Park) => acc.add(Object::Park(thread.0), true),
        EventKind::ParkToken(u) | EventKind::Unpark(u) => acc.add(Object::Park(u.0), true),
        _ => {}
    }
}
