//! Lost updates, read off a run's events: the values each thread holds between loading a
//! shared value and writing it back, and the writes that a stale value overwrote.
//!
//! A thread that loads `COUNTER`, and later stores to it, "holds" the loaded value in
//! between. If another thread writes `COUNTER` meanwhile, the held value is stale, and the
//! holder's store overwrites a write it never saw: that write is lost (the lesson's "T1's
//! increment is lost"). A read-modify-write (`fetch_add`, a compare-exchange) is one
//! indivisible step, so it holds nothing and is never stale, but it can be the lost write.
//!
//! Events come in the order the machine ran them (cores in order within a tick), which is
//! the order the accesses happened. The analysis keeps at most [`MAX_HELD`] held values
//! and [`MAX_LOST`] lost updates (it says when it stopped: `truncated`).

use crate::program::{AtomicId, MutexId, Program, Value, VarId};
use crate::trace::{Event, EventKind, ThreadId};

/// Most held values kept for one run (the page shows those at the cursor).
pub const MAX_HELD: usize = 20_000;
/// Most lost updates kept for one run.
pub const MAX_LOST: usize = 5_000;

/// A shared place a thread can load and store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    Var(VarId),
    Atomic(AtomicId),
    /// The value inside a mutex, read and written through a guard.
    Mutex(MutexId),
}

impl Place {
    pub fn name(self, p: &Program) -> &str {
        match self {
            Place::Var(v) => &p.vars[v.index()].name,
            Place::Atomic(a) => &p.atomics[a.index()].name,
            Place::Mutex(m) => &p.mutexes[m.index()].name,
        }
    }
}

/// One access: who, when, which value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub thread: ThreadId,
    pub tick: u64,
    pub core: Option<u16>,
    pub value: Value,
}

/// A value a thread loaded and has not yet written back (or let go of).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    pub place: Place,
    pub load: Access,
    /// The tick from which the thread no longer holds it: its next access to the place,
    /// or its exit (`u64::MAX` while it still holds it at the end of the run).
    pub until: u64,
    /// Another thread wrote the place at this tick while it was held: from then on the
    /// held value is stale.
    pub stale_from: Option<u64>,
}

impl Held {
    /// Whether the thread holds it at `tick` (after that tick's events: the cursor).
    pub fn held_at(&self, tick: u64) -> bool {
        self.load.tick < tick && tick <= self.until
    }

    pub fn stale_at(&self, tick: u64) -> bool {
        self.stale_from.is_some_and(|s| s < tick)
    }
}

/// A store by a thread whose loaded value was stale: it overwrites writes it never saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LostUpdate {
    pub place: Place,
    /// The overwriting thread's load, made before the lost writes.
    pub stale_load: Access,
    /// The store that overwrites them.
    pub by: Access,
    /// The value it overwrites: the last of the lost writes.
    pub overwritten: Access,
    /// The threads whose writes since the stale load are lost, in order, each once (at
    /// most [`MAX_WRITERS`]).
    pub writers: Vec<ThreadId>,
    /// Every write since the stale load added 1 to what its thread had read: this many
    /// increments are lost (the overwritten value minus the loaded one).
    pub increments: Option<Value>,
}

/// Most writers named in one lost update.
pub const MAX_WRITERS: usize = 8;

impl LostUpdate {
    /// "T1's increment of COUNTER is lost: T2 loaded COUNTER = 0 at tick 3, T1 wrote 1 at
    /// tick 5, and T2 now writes 1 over it". `name` gives a thread's short name.
    pub fn words(&self, p: &Program, name: impl Fn(ThreadId) -> String) -> String {
        let place = self.place.name(p);
        let whose = self
            .writers
            .iter()
            .map(|&t| format!("{}'s", name(t)))
            .collect::<Vec<_>>()
            .join(" and ");
        let what = match self.increments {
            Some(1) => format!("{whose} increment of {place} is lost"),
            Some(n) => format!("{n} increments of {place} are lost ({whose})"),
            None if self.writers.len() == 1 => format!("{whose} write to {place} is lost"),
            None => format!("the writes to {place} ({whose}) are lost"),
        };
        let by = name(self.by.thread);
        let between = if self.writers.len() == 1 {
            format!(
                "{} wrote {} at tick {}",
                name(self.overwritten.thread),
                self.overwritten.value,
                self.overwritten.tick
            )
        } else {
            format!("{place} reached {}", self.overwritten.value)
        };
        format!(
            "{what}: {by} loaded {place} = {} at tick {}, then {between}, and {by} now writes {} over it",
            self.stale_load.value, self.stale_load.tick, self.by.value
        )
    }
}

/// What [`analyse`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loads {
    /// In load order.
    pub held: Vec<Held>,
    /// In the order they happened.
    pub lost: Vec<LostUpdate>,
    /// A limit was reached: later held values or lost updates are not listed.
    pub truncated: bool,
    /// Indices into `held` per thread, then per place (see [`Slots`]), in load order (a
    /// thread holds at most one value of a place at a time, so these do not overlap).
    index: Vec<Vec<Vec<usize>>>,
}

/// Dense numbering of a program's places: variables, then atomics, then mutexes.
#[derive(Clone, Copy)]
struct Slots {
    vars: usize,
    atomics: usize,
    mutexes: usize,
}

impl Slots {
    fn of(p: &Program) -> Slots {
        Slots {
            vars: p.vars.len(),
            atomics: p.atomics.len(),
            mutexes: p.mutexes.len(),
        }
    }

    fn len(self) -> usize {
        self.vars + self.atomics + self.mutexes
    }

    /// `None` for a place the program does not declare (never in a run of it).
    fn slot(self, place: Place) -> Option<usize> {
        let (i, base, n) = match place {
            Place::Var(v) => (v.index(), 0, self.vars),
            Place::Atomic(a) => (a.index(), self.vars, self.atomics),
            Place::Mutex(m) => (m.index(), self.vars + self.atomics, self.mutexes),
        };
        (i < n).then_some(base + i)
    }
}

/// `v[i]`, growing `v` with defaults to reach it.
fn at<T: Default>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    &mut v[i]
}

impl Loads {
    /// Values `thread` holds at `tick`, one per place at most, in place order.
    pub fn held_by(&self, thread: ThreadId, tick: u64) -> impl Iterator<Item = &Held> {
        let places = self
            .index
            .get(thread.0 as usize)
            .map_or(&[][..], Vec::as_slice);
        places.iter().filter_map(move |loads| {
            let i = loads.partition_point(|&i| self.held[i].load.tick < tick);
            let h = &self.held[*loads.get(i.checked_sub(1)?)?];
            h.held_at(tick).then_some(h)
        })
    }

    /// Lost updates whose overwriting write happened at `tick`.
    pub fn lost_at(&self, tick: u64) -> impl Iterator<Item = &LostUpdate> {
        self.lost.iter().filter(move |l| l.by.tick == tick)
    }
}

enum Touch {
    Load(Value),
    Store(Value),
    /// An indivisible read-modify-write: it sees the latest value and writes `new`.
    Rmw(Value),
}

fn touch(kind: &EventKind) -> Option<(Place, Touch)> {
    Some(match *kind {
        EventKind::Load { var, value } => (Place::Var(var), Touch::Load(value)),
        EventKind::Store { var, value } => (Place::Var(var), Touch::Store(value)),
        EventKind::AtomicLoad { atomic, value } => (Place::Atomic(atomic), Touch::Load(value)),
        EventKind::AtomicStore { atomic, value } => (Place::Atomic(atomic), Touch::Store(value)),
        EventKind::AtomicRmw { atomic, new, .. } => (Place::Atomic(atomic), Touch::Rmw(new)),
        EventKind::AtomicCas {
            atomic,
            new,
            ok: true,
            ..
        } => (Place::Atomic(atomic), Touch::Rmw(new)),
        EventKind::MutexRead { mutex, value } => (Place::Mutex(mutex), Touch::Load(value)),
        EventKind::MutexWrite { mutex, value } => (Place::Mutex(mutex), Touch::Store(value)),
        _ => return None,
    })
}

/// A place's writes so far.
#[derive(Clone, Default)]
struct History {
    /// How many writes it has had.
    seq: u64,
    last: Option<Access>,
    /// The count at its last write that was not "one more than its thread read".
    last_other: u64,
    /// The writers of its latest writes, newest last (at most [`MAX_WRITERS`] kept, which
    /// is enough to name them: a lost update names at most that many).
    recent: Vec<ThreadId>,
}

impl History {
    fn write(&mut self, a: Access, read: Option<Value>) {
        self.seq += 1;
        if read.and_then(|r| r.checked_add(1)) != Some(a.value) {
            self.last_other = self.seq;
        }
        self.last = Some(a);
        if self.recent.len() == MAX_WRITERS {
            self.recent.remove(0);
        }
        self.recent.push(a.thread);
    }

    /// Distinct writers among the writes after write number `since`, in order.
    fn writers_since(&self, since: u64) -> Vec<ThreadId> {
        let n = (self.seq - since).min(self.recent.len() as u64) as usize;
        let mut out: Vec<ThreadId> = Vec::new();
        for &t in &self.recent[self.recent.len() - n..] {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }
}

/// Reads a run of `program` once, its events in order.
pub fn analyse(program: &Program, events: impl IntoIterator<Item = Event>) -> Loads {
    let slots = Slots::of(program);
    let mut out = Loads::default();
    // Per place, per thread: the index into `out.held` of the value it holds, and the
    // place's write count at that load.
    let mut holding: Vec<Vec<Option<(usize, u64)>>> = vec![Vec::new(); slots.len()];
    let mut history: Vec<History> = vec![History::default(); slots.len()];
    for e in events {
        let t = e.thread.0 as usize;
        if let EventKind::Exit { .. } = e.kind {
            for held in holding.iter_mut() {
                if let Some((i, _)) = held.get_mut(t).and_then(Option::take) {
                    out.held[i].until = e.tick;
                }
            }
            continue;
        }
        let Some((place, touched)) = touch(&e.kind) else {
            continue;
        };
        // A vector behind a lock is read through its guard, not loaded and stored back.
        if let Place::Mutex(m) = place {
            if program.vector_mutexes.iter().any(|(x, _)| *x == m) {
                continue;
            }
        }
        let Some(slot) = slots.slot(place) else {
            continue;
        };
        let access = |value| Access {
            thread: e.thread,
            tick: e.tick,
            core: e.core,
            value,
        };
        let mine = holding[slot].get_mut(t).and_then(Option::take);
        if let Some((i, _)) = mine {
            out.held[i].until = e.tick;
        }
        let h = &mut history[slot];
        let (v, read) = match touched {
            Touch::Load(v) => {
                if out.held.len() < MAX_HELD {
                    *at(&mut holding[slot], t) = Some((out.held.len(), h.seq));
                    at(at(&mut out.index, t), slot).push(out.held.len());
                    out.held.push(Held {
                        place,
                        load: access(v),
                        until: u64::MAX,
                        stale_from: None,
                    });
                } else {
                    out.truncated = true;
                }
                continue;
            }
            Touch::Rmw(v) => (v, rmw_old(&e.kind)),
            Touch::Store(v) => {
                let Some((i, loaded_seq)) = mine else {
                    // A store of a value not loaded here (a plain `X = 5`): nothing stale.
                    h.write(access(v), None);
                    mark_stale(&holding[slot], &mut out.held, e.tick);
                    continue;
                };
                let stale = out.held[i].load;
                let writers: Vec<ThreadId> = h
                    .writers_since(loaded_seq)
                    .into_iter()
                    .filter(|&w| w != e.thread)
                    .collect();
                if let (Some(overwritten), false) = (h.last, writers.is_empty()) {
                    if out.lost.len() < MAX_LOST {
                        let all_increments = h.last_other <= loaded_seq;
                        out.lost.push(LostUpdate {
                            place,
                            stale_load: stale,
                            by: access(v),
                            overwritten,
                            writers,
                            increments: all_increments
                                .then(|| overwritten.value.checked_sub(stale.value))
                                .flatten()
                                .filter(|&n| n > 0),
                        });
                    } else {
                        out.truncated = true;
                    }
                }
                (v, Some(stale.value))
            }
        };
        h.write(access(v), read);
        mark_stale(&holding[slot], &mut out.held, e.tick);
    }
    out
}

/// Every value held of a place is stale from `tick` on (its writer's own store has already
/// taken its value out of `holding`).
fn mark_stale(holding: &[Option<(usize, u64)>], held: &mut [Held], tick: u64) {
    for &(i, _) in holding.iter().flatten() {
        held[i].stale_from.get_or_insert(tick);
    }
}

/// The value a read-modify-write read (what it "loaded" in the same step).
fn rmw_old(kind: &EventKind) -> Option<Value> {
    match *kind {
        EventKind::AtomicRmw { old, .. } | EventKind::AtomicCas { old, .. } => Some(old),
        _ => None,
    }
}
