//! `Mutex<T>`: lock, try-lock, unlock, and the data it guards; a FIFO of waiters, the lock
//! handed to the first on unlock; poisoned when a holder panics. Its conflict rule for the
//! explorer is `touches`.

use super::access::{Accesses, Object};
use super::*;

#[derive(Clone, Debug)]
pub struct MutexState {
    pub value: Value,
    pub owner: Option<ThreadId>,
    /// FIFO: the lock is handed to the first waiter on unlock. (std's Mutex promises no
    /// order; a FIFO queue keeps runs easy to follow and is one order std may produce.)
    pub waiters: VecDeque<ThreadId>,
    /// An `RwLock`'s readers (sorted) and the readers waiting for a writer to finish
    /// (see `rwlock`); always empty for a `Mutex`.
    pub readers: Vec<ThreadId>,
    pub read_waiters: VecDeque<ThreadId>,
    /// Set when a thread panicked while holding it; later `lock().unwrap()` panics.
    pub poisoned: bool,
    pub(super) clock: VClock,
}

/// The panic of `lock().unwrap()` (or an `RwLock`'s `read`/`write`) on a poisoned lock.
pub(super) fn poisoned(program: &Program, m: MutexId) -> Flow {
    Flow::Panic(
        format!(
            "called `Result::unwrap()` on an `Err` value: PoisonError (`{}` was held by a thread that panicked)",
            program.mutexes[m.index()].name
        ),
        false,
    )
}

/// The panic message for touching a mutex's data without holding its guard.
pub(super) fn unguarded(program: &Program, m: MutexId) -> String {
    format!(
        "used `{}` without holding its lock",
        program.mutexes[m.index()].name
    )
}

impl Machine {
    pub(super) fn acquire(&mut self, t: ThreadId, core: u16, m: MutexId, sink: &mut impl Sink) {
        let mx = &mut self.mutexes[m.index()];
        mx.owner = Some(t);
        self.threads[t.0 as usize].clock.join(&mx.clock);
        self.emit(sink, Some(core), t, EventKind::Acquire(m));
    }

    pub(super) fn lock(
        &mut self,
        t: ThreadId,
        core: u16,
        m: MutexId,
        sink: &mut impl Sink,
    ) -> Flow {
        let mx = &self.mutexes[m.index()];
        if mx.poisoned {
            return poisoned(&self.program, m);
        }
        match mx.owner {
            None if mx.readers.is_empty() => {
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
            _ => {
                self.mutexes[m.index()].waiters.push_back(t);
                self.ctx_mut(t).pc += 1;
                Flow::Block(BlockReason::Mutex(m))
            }
        }
    }

    /// Releases `m`; the first waiter (FIFO) becomes the owner and is woken.
    pub(super) fn unlock(
        &mut self,
        t: ThreadId,
        m: MutexId,
        core: Option<u16>,
        sink: &mut impl Sink,
    ) {
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
                // Poisoned, every waiter's `lock().unwrap()` fails: rewind each so it
                // panics when it runs (and readers' `read().unwrap()` likewise).
                let rest = std::mem::take(&mut self.mutexes[m.index()].waiters);
                for w in waiter.into_iter().chain(rest) {
                    self.ctx_mut(w).pc -= 1;
                    self.make_ready(w, sink);
                }
                self.admit_readers(m, sink);
            }
        }
    }

    /// `try_lock`: the lock if it is free (and not poisoned), else 0 at once.
    pub(super) fn try_lock(
        &mut self,
        t: ThreadId,
        core: u16,
        dst: Local,
        mutex: MutexId,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let m = &self.mutexes[mutex.index()];
        if m.owner.is_none() && m.readers.is_empty() && !m.poisoned {
            self.acquire(t, core, mutex, sink);
            self.set_local(t, dst, 1);
        } else {
            self.set_local(t, dst, 0);
            self.emit(sink, c, t, EventKind::TryLockFailed(mutex));
        }
        Flow::Next
    }
}

/// Conflict rule: lock, try-lock (either way), unlock, waiting for it, and reading or
/// writing through the guard all write the mutex: its owner and its queue change, or what
/// happens depends on who came first.
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::Acquire(m)
        | EventKind::TryLockFailed(m)
        | EventKind::Release(m)
        | EventKind::AcquireRead(m)
        | EventKind::ReleaseRead(m)
        | EventKind::MutexRead { mutex: m, .. }
        | EventKind::MutexWrite { mutex: m, .. }
        | EventKind::Block(BlockReason::Mutex(m)) => acc.add(Object::Mutex(m.0), true),
        _ => {}
    }
}
