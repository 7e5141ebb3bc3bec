//! Atomics (sequentially consistent): load, store and read-modify-write run as compact
//! instructions (see `exec`); compare-exchange is here. Its conflict rule for the explorer
//! is `touches`.

use super::access::{Accesses, Object};
use super::*;

impl Machine {
    /// `compare_exchange`: a success is a read-modify-write, a failure only loads.
    pub(super) fn compare_exchange(
        &mut self,
        t: ThreadId,
        core: u16,
        op: &Op,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let Op::AtomicCas {
            ok,
            old,
            atomic,
            expected,
            new,
        } = *op
        else {
            unreachable!("called for a compare-exchange")
        };
        let (expected, new) = (self.operand(t, expected), self.operand(t, new));
        let i = atomic.index();
        let seen = self.atomics[i];
        let success = seen == expected;
        // A success is a read-modify-write; a failure only loads.
        let clock = &mut self.threads[t.0 as usize].clock;
        if success {
            self.atomics[i] = new;
            clock.acquire_release(t, &mut self.atomic_clocks[i]);
        } else {
            clock.join(&self.atomic_clocks[i]);
        }
        if let Some(l) = ok {
            self.set_local(t, l, success as Value);
        }
        if let Some(l) = old {
            self.set_local(t, l, seen);
        }
        let kind = EventKind::AtomicCas {
            atomic,
            old: seen,
            new: self.atomics[i],
            ok: success,
        };
        self.emit(sink, c, t, kind);
        Flow::Next
    }
}

/// Conflict rule: a load reads the atomic; a store and a read-modify-write write it; a
/// compare-exchange writes it when it succeeds and only reads it when it fails.
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::AtomicLoad { atomic, .. } => acc.add(Object::Atomic(atomic.0), false),
        EventKind::AtomicStore { atomic, .. } | EventKind::AtomicRmw { atomic, .. } => {
            acc.add(Object::Atomic(atomic.0), true)
        }
        EventKind::AtomicCas { atomic, ok, .. } => acc.add(Object::Atomic(atomic.0), ok),
        _ => {}
    }
}
