//! `Arc<T>`: a pointer shared by threads, with a count of strong references. What it points
//! to is one of the program's mutexes or atomics (the compiler gives each `Mutex::new`
//! inside an `Arc::new` a number of its own); the `Arc` itself is the count, and who holds
//! each reference: `Arc::clone` adds one for the cloning thread, moving a clone into
//! `thread::spawn` hands it to the child, and a reference is dropped at the end of its
//! scope, at `drop(a)`, or when the thread holding it exits.
//!
//! Conflict rule (`touches_op`): creating an `Arc` writes the table of `Arc`s (its number
//! depends on the order); cloning, dropping or moving a reference *updates* that `Arc`'s
//! count — updates commute, as `+1` and `-1` do, and the holders are kept sorted so the
//! state is the same in either order — and `Arc::strong_count` reads it, which orders it
//! against every update. What it points to is touched by the ops on it (`mutex`,
//! `atomic`).

use super::access::{Accesses, Object};
use super::{Flow, Limit, Machine};
use crate::program::{Local, Op, Operand, Pointee, Side, Value};
use crate::trace::ThreadId;

/// One `Arc`: what it points to, and one entry per strong reference, naming its holder.
#[derive(Clone, Debug, PartialEq)]
pub struct ArcState {
    pub pointee: Pointee,
    /// Holders of the strong references, by thread number (one entry per reference);
    /// empty once the last is dropped (the value is dropped with it).
    pub holders: Vec<ThreadId>,
    /// The most strong references it had at once.
    pub peak: u32,
}

impl Machine {
    /// The `Arc` a value names.
    fn arc_id(&self, v: Value) -> Result<usize, String> {
        usize::try_from(v)
            .ok()
            .filter(|&i| i < self.arcs.len())
            .ok_or_else(|| format!("{v} is not an Arc"))
    }

    /// `Arc::new(x)`.
    pub(super) fn arc_new(&mut self, t: ThreadId, dst: Local, pointee: Pointee) -> Flow {
        if self.arcs.len() >= self.limits.max_heap_values as usize {
            return Flow::End(super::End::Limit(Limit::Heap));
        }
        self.arcs.push(ArcState {
            pointee,
            holders: vec![t],
            peak: 1,
        });
        self.set_local(t, dst, (self.arcs.len() - 1) as Value);
        Flow::Next
    }

    /// `Arc::clone(&a)`: `t` must hold a reference to clone it.
    pub(super) fn arc_clone(&mut self, t: ThreadId, arc: Operand, dst: Local) -> Flow {
        let v = self.operand(t, arc);
        let a = match self.arc_id(v) {
            Ok(a) => a,
            Err(e) => return Flow::Panic(e, false),
        };
        let arc = &mut self.arcs[a];
        if !arc.holders.contains(&t) {
            return Flow::Panic("cloned an Arc this thread does not hold".into(), false);
        }
        arc.holders.push(t);
        arc.holders.sort_unstable();
        arc.peak = arc.peak.max(arc.holders.len() as u32);
        self.set_local(t, dst, v);
        Flow::Next
    }

    /// `Arc::strong_count(&a)`.
    pub(super) fn arc_count(&mut self, t: ThreadId, arc: Operand, dst: Local) -> Flow {
        match self.arc_id(self.operand(t, arc)) {
            Ok(a) => {
                let n = self.arcs[a].holders.len() as Value;
                self.set_local(t, dst, n);
                Flow::Next
            }
            Err(e) => Flow::Panic(e, false),
        }
    }

    /// One of `t`'s references to `a` is dropped.
    pub(super) fn arc_drop(&mut self, t: ThreadId, v: Value) -> Flow {
        let a = match self.arc_id(v) {
            Ok(a) => a,
            Err(e) => return Flow::Panic(e, false),
        };
        let holders = &mut self.arcs[a].holders;
        match holders.iter().position(|&h| h == t) {
            Some(i) => {
                holders.remove(i);
                Flow::Next
            }
            None => Flow::Panic("dropped an Arc this thread does not hold".into(), false),
        }
    }

    /// Moves one of `t`'s references to `a` to `child` (a `move` closure took it).
    pub(super) fn arc_move(&mut self, t: ThreadId, a: usize, child: ThreadId) {
        let holders = &mut self.arcs[a].holders;
        if let Some(i) = holders.iter().position(|&h| h == t) {
            holders[i] = child;
            holders.sort_unstable();
        }
    }

    /// `t` exits: the references it still holds are dropped.
    pub(super) fn arcs_exit(&mut self, t: ThreadId) {
        for arc in &mut self.arcs {
            arc.holders.retain(|&h| h != t);
        }
    }

    /// Checks that a handle moved into a spawned thread names an `Arc` `t` holds.
    pub(super) fn arc_held(&self, t: ThreadId, v: Value) -> Result<usize, String> {
        let a = self.arc_id(v)?;
        if self.arcs[a].holders.contains(&t) {
            Ok(a)
        } else {
            Err("moved an Arc this thread does not hold".into())
        }
    }
}

/// The conflict rule (see the module's doc).
pub(crate) fn touches_op(m: &Machine, t: ThreadId, op: &Op, acc: &mut Accesses) {
    match *op {
        Op::ArcNew { .. } => {
            acc.add(Object::ArcTable, true);
            acc.add(Object::Arc(m.arcs.len() as u32), true);
        }
        Op::ArcClone { arc, .. }
        | Op::DropHandle {
            chan: arc,
            side: Side::Arc,
        } => touches_handle(m.operand(t, arc), acc),
        Op::ArcCount { arc, .. } => {
            if let Ok(a) = u32::try_from(m.operand(t, arc)) {
                acc.add(Object::Arc(a), false);
            }
        }
        _ => {}
    }
}

/// A reference to `Arc` number `handle` is cloned, dropped or moved: that updates its count.
pub(crate) fn touches_handle(handle: Value, acc: &mut Accesses) {
    if let Ok(a) = u32::try_from(handle) {
        acc.update(Object::Arc(a));
    }
}

/// The `Arc`s `t` holds a reference to: its exit drops them.
pub(crate) fn held_by(m: &Machine, t: ThreadId) -> Vec<u32> {
    (0..m.arcs.len() as u32)
        .filter(|&a| m.arcs[a as usize].holders.contains(&t))
        .collect()
}
