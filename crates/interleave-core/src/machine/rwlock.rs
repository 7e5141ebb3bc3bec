//! `RwLock<T>`: one of the program's mutexes that also has read locks. `write()` is the
//! mutex's `lock` (it waits while a writer or any reader holds it); `read()` shares it
//! with other readers. A reader waits while a writer holds the lock *or waits for it*
//! (writers first): std leaves the policy to the OS and warns that a waiting writer may
//! or may not block new readers, and this choice keeps both possible — a schedule in
//! which the reader arrives before the writer started waiting lets it in — while a
//! thread that takes a second read lock behind a waiting writer can deadlock, as std
//! says it may. When the lock becomes free, the first waiting writer takes it, else every
//! waiting reader does.
//!
//! Conflict rule: read locks and unlocks write the lock, as the mutex's ops do (who holds
//! it and who waits changes); reading through a read guard is the mutex's `MutexRead`.

use super::access::{Accesses, Object};
use super::*;

impl Machine {
    /// `rw.read()`.
    pub(super) fn read_lock(
        &mut self,
        t: ThreadId,
        core: u16,
        m: MutexId,
        sink: &mut impl Sink,
    ) -> Flow {
        let mx = &self.mutexes[m.index()];
        if mx.poisoned {
            return super::mutex::poisoned(&self.program, m);
        }
        let name = &self.program.mutexes[m.index()].name;
        if mx.owner == Some(t) {
            return Flow::Panic(
                format!("`{name}` read-locked by the thread that holds its write lock: std's RwLock would deadlock or panic here"),
                false,
            );
        }
        if mx.owner.is_none() && mx.waiters.is_empty() {
            self.take_read(t, m);
            self.emit(sink, Some(core), t, EventKind::AcquireRead(m));
            return Flow::Next;
        }
        self.mutexes[m.index()].read_waiters.push_back(t);
        self.ctx_mut(t).pc += 1;
        Flow::Block(BlockReason::Mutex(m))
    }

    fn take_read(&mut self, t: ThreadId, m: MutexId) {
        let mx = &mut self.mutexes[m.index()];
        let at = mx.readers.binary_search(&t).unwrap_or_else(|i| i);
        mx.readers.insert(at, t);
        self.threads[t.0 as usize].clock.join(&mx.clock);
    }

    /// Dropping a read guard: the last reader out hands the lock to the first waiting
    /// writer.
    pub(super) fn read_unlock(
        &mut self,
        t: ThreadId,
        core: Option<u16>,
        m: MutexId,
        sink: &mut impl Sink,
    ) -> Flow {
        let mx = &mut self.mutexes[m.index()];
        let Ok(at) = mx.readers.binary_search(&t) else {
            return Flow::Panic(
                format!(
                    "dropped a read guard of `{}` it does not hold",
                    self.program.mutexes[m.index()].name
                ),
                false,
            );
        };
        mx.readers.remove(at);
        // What the reader did happens before what a later writer does (readers' clocks
        // accumulate: a writer after two readers follows both).
        let th = &mut self.threads[t.0 as usize];
        mx.clock.join(&th.clock);
        th.clock.tick(t);
        self.emit(sink, core, t, EventKind::ReleaseRead(m));
        let mx = &mut self.mutexes[m.index()];
        if mx.readers.is_empty() {
            if let Some(w) = mx.waiters.pop_front() {
                mx.owner = Some(w);
                self.threads[w.0 as usize].clock.join(&mx.clock);
                self.emit(sink, None, w, EventKind::Acquire(m));
                self.make_ready(w, sink);
            }
        }
        Flow::Next
    }

    /// The lock became free with no writer waiting: every waiting reader takes it (or,
    /// poisoned, wakes to find its `read().unwrap()` fail).
    pub(super) fn admit_readers(&mut self, m: MutexId, sink: &mut impl Sink) {
        let waiting = std::mem::take(&mut self.mutexes[m.index()].read_waiters);
        let poisoned = self.mutexes[m.index()].poisoned;
        for r in waiting {
            if poisoned {
                self.ctx_mut(r).pc -= 1;
            } else {
                self.take_read(r, m);
                self.emit(sink, None, r, EventKind::AcquireRead(m));
            }
            self.make_ready(r, sink);
        }
    }
}

/// The rule for read locks and unlocks, read off the op (their events are the mutex's).
pub(crate) fn touches_op(op: &Op, acc: &mut Accesses) {
    if let Op::ReadLock { mutex } | Op::ReadUnlock { mutex } = *op {
        acc.add(Object::Mutex(mutex.0), true);
    }
}
