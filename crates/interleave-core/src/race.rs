//! Data-race detection on plain shared variables by happens-before, with vector clocks
//! (the FastTrack epoch optimisation: O(1) for the common same-thread or ordered access).
//!
//! Synchronisation that orders accesses: spawn (parent → child), exit → join, mutex release
//! → next acquire, a message's send → its recv, and atomics as Rust's `SeqCst` ones: a
//! store releases, a load acquires (it sees the last store and the read-modify-writes after
//! it), a read-modify-write does both. Two loads order nothing. Two accesses to one plain
//! variable, at least one a write, not ordered by these, are a data race — whether or not
//! the values came out wrong.

use crate::program::{FnId, VarId};
use crate::trace::ThreadId;

/// A vector clock: entry `t` is the last event of thread `t` that happened before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VClock(Vec<u32>);

impl VClock {
    pub fn get(&self, t: ThreadId) -> u32 {
        self.0.get(t.0 as usize).copied().unwrap_or(0)
    }

    pub fn set(&mut self, t: ThreadId, v: u32) {
        let i = t.0 as usize;
        if self.0.len() <= i {
            self.0.resize(i + 1, 0);
        }
        self.0[i] = v;
    }

    pub fn tick(&mut self, t: ThreadId) {
        match self.0.get_mut(t.0 as usize) {
            Some(v) => *v += 1,
            None => self.set(t, 1),
        }
    }

    /// `self = max(self, other)` entry by entry.
    pub fn join(&mut self, other: &VClock) {
        let n = other.0.len();
        if self.0.len() < n {
            self.0.resize(n, 0);
        }
        max::into(&mut self.0[..n], &other.0);
    }

    /// An atomic read-modify-write by thread `t`: it acquires the atomic's clock (the last
    /// store and the read-modify-writes since) and releases into it, so afterwards both hold
    /// the maximum; then `t` ticks. One pass.
    pub fn acquire_release(&mut self, t: ThreadId, atomic: &mut VClock) {
        if self.0.len() != atomic.0.len() {
            let n = self.0.len().max(atomic.0.len());
            self.0.resize(n, 0);
            atomic.0.resize(n, 0);
        }
        max::both(&mut self.0, &mut atomic.0);
        self.tick(t);
    }

    /// A release by thread `t` into `target` (a store, an unlock, a message): `target` now
    /// holds `t`'s past, and `t` ticks so that what it does next is not part of it.
    pub fn release_into(&mut self, t: ThreadId, target: &mut VClock) {
        target.assign(self);
        self.tick(t);
    }

    /// `self = other`, reusing `self`'s allocation.
    pub fn assign(&mut self, other: &VClock) {
        self.0.clone_from(&other.0);
    }
}

/// Entry-wise maxima of clocks, the bulk of a busy run's synchronisation work (a clock has
/// an entry per thread, and every lock, unlock, message and atomic read-modify-write joins
/// one). The loop is written once and compiled twice on x86-64: for the baseline and for
/// AVX2, which has an unsigned 32-bit maximum (the baseline emulates it), chosen on each
/// call by the CPU's features (std caches the check). Both compute the same values, so
/// runs do not depend on the machine.
mod max {
    #[inline(always)]
    fn into_any(a: &mut [u32], b: &[u32]) {
        for (x, y) in a.iter_mut().zip(b) {
            *x = (*x).max(*y);
        }
    }

    #[inline(always)]
    fn both_any(a: &mut [u32], b: &mut [u32]) {
        for (x, y) in a.iter_mut().zip(b.iter_mut()) {
            let m = (*x).max(*y);
            *x = m;
            *y = m;
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn into_avx2(a: &mut [u32], b: &[u32]) {
        into_any(a, b)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn both_avx2(a: &mut [u32], b: &mut [u32]) {
        both_any(a, b)
    }

    /// `a[i] = max(a[i], b[i])` over the shorter of the two.
    #[inline]
    pub(super) fn into(a: &mut [u32], b: &[u32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: this CPU has AVX2, checked just above.
            return unsafe { into_avx2(a, b) };
        }
        into_any(a, b)
    }

    /// `a[i] = b[i] = max(a[i], b[i])` over the shorter of the two.
    #[inline]
    pub(super) fn both(a: &mut [u32], b: &mut [u32]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: this CPU has AVX2, checked just above.
            return unsafe { both_avx2(a, b) };
        }
        both_any(a, b)
    }
}

/// Where and when one access happened: enough to point at the statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Access {
    pub thread: ThreadId,
    pub func: FnId,
    pub pc: u32,
    pub tick: u64,
    pub write: bool,
}

/// Two unordered accesses to one variable, at least one a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Race {
    pub var: VarId,
    pub earlier: Access,
    pub later: Access,
}

#[derive(Clone, Copy, Debug)]
struct Epoch {
    clock: u32,
    access: Access,
}

impl Epoch {
    fn before(&self, c: &VClock) -> bool {
        self.clock <= c.get(self.access.thread)
    }
}

#[derive(Clone, Debug, Default)]
struct VarState {
    write: Option<Epoch>,
    /// Reads since the last write: one epoch per reading thread (usually one).
    reads: Vec<Epoch>,
}

#[derive(Clone, Debug)]
pub struct RaceDetector {
    vars: Vec<VarState>,
    pub races: Vec<Race>,
    /// Races found after `max_races` was reached (reported as a count).
    pub dropped: u64,
    max_races: usize,
}

impl RaceDetector {
    pub fn new(vars: usize, max_races: usize) -> Self {
        RaceDetector {
            vars: vec![VarState::default(); vars],
            races: Vec::new(),
            dropped: 0,
            max_races,
        }
    }

    fn report(&mut self, var: VarId, earlier: Access, later: Access) {
        // One report per pair of statements: a loop racing 1000 times is one lesson.
        let same = |r: &Race| {
            r.var == var
                && (r.earlier.func, r.earlier.pc, r.earlier.write)
                    == (earlier.func, earlier.pc, earlier.write)
                && (r.later.func, r.later.pc, r.later.write) == (later.func, later.pc, later.write)
        };
        if self.races.iter().any(same) {
            return;
        }
        if self.races.len() < self.max_races {
            self.races.push(Race {
                var,
                earlier,
                later,
            });
        } else {
            self.dropped += 1;
        }
    }

    pub fn read(&mut self, var: VarId, clock: &VClock, access: Access) {
        let state = &mut self.vars[var.index()];
        let mine = clock.get(access.thread);
        let write = state.write;
        state.reads.retain(|r| r.access.thread != access.thread);
        state.reads.push(Epoch {
            clock: mine,
            access,
        });
        if let Some(w) = write {
            if w.access.thread != access.thread && !w.before(clock) {
                self.report(var, w.access, access);
            }
        }
    }

    pub fn write(&mut self, var: VarId, clock: &VClock, access: Access) {
        let state = &mut self.vars[var.index()];
        let mine = clock.get(access.thread);
        let prev_write = state.write.replace(Epoch {
            clock: mine,
            access,
        });
        if let Some(w) = prev_write {
            if w.access.thread != access.thread && !w.before(clock) {
                self.report(var, w.access, access);
            }
        }
        // The reads since the last write, checked then forgotten (the buffer is kept).
        for i in 0..self.vars[var.index()].reads.len() {
            let r = self.vars[var.index()].reads[i];
            if r.access.thread != access.thread && !r.before(clock) {
                self.report(var, r.access, access);
            }
        }
        self.vars[var.index()].reads.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(t: u32, pc: u32, write: bool) -> Access {
        Access {
            thread: ThreadId(t),
            func: FnId(0),
            pc,
            tick: 0,
            write,
        }
    }

    fn clock(entries: &[(u32, u32)]) -> VClock {
        let mut c = VClock::default();
        for &(t, v) in entries {
            c.set(ThreadId(t), v);
        }
        c
    }

    #[test]
    fn unordered_writes_race_and_ordered_writes_do_not() {
        let mut d = RaceDetector::new(1, 10);
        d.write(VarId(0), &clock(&[(0, 1)]), access(0, 1, true));
        // Thread 1 has seen thread 0 up to 1: ordered.
        d.write(VarId(0), &clock(&[(0, 1), (1, 1)]), access(1, 2, true));
        assert!(d.races.is_empty());
        // Thread 2 has not seen thread 1's write: race, naming both accesses.
        d.write(VarId(0), &clock(&[(0, 1), (2, 1)]), access(2, 3, true));
        assert_eq!(d.races.len(), 1);
        assert_eq!(d.races[0].earlier.thread, ThreadId(1));
        assert_eq!(d.races[0].later.thread, ThreadId(2));
    }

    #[test]
    fn concurrent_reads_do_not_race_but_a_write_after_them_does() {
        let mut d = RaceDetector::new(1, 10);
        d.read(VarId(0), &clock(&[(0, 1)]), access(0, 1, false));
        d.read(VarId(0), &clock(&[(1, 1)]), access(1, 1, false));
        assert!(d.races.is_empty());
        d.write(VarId(0), &clock(&[(0, 2)]), access(0, 2, true));
        assert_eq!(
            d.races.len(),
            1,
            "thread 1's read is unordered with the write"
        );
        assert!(!d.races[0].earlier.write && d.races[0].later.write);
    }

    #[test]
    fn the_same_statement_pair_is_reported_once_and_the_cap_is_counted() {
        let mut d = RaceDetector::new(1, 1);
        for _ in 0..5 {
            d.write(VarId(0), &clock(&[(0, 1)]), access(0, 1, true));
            d.write(VarId(0), &clock(&[(1, 1)]), access(1, 2, true));
        }
        // Pairs (1 → 2) and (2 → 1): the first is kept, the second is over the cap, and
        // repeats of either are not new races.
        assert_eq!(d.races.len(), 1);
        assert_eq!(
            d.dropped, 4,
            "(2 → 1) in rounds 2..5 is counted each time it recurs"
        );
    }

    #[test]
    fn a_release_copies_the_past_and_ticks_and_a_read_modify_write_goes_both_ways() {
        let mut t = clock(&[(0, 3), (1, 1)]);
        let mut target = clock(&[(2, 9)]);
        t.release_into(ThreadId(0), &mut target);
        assert_eq!(target, clock(&[(0, 3), (1, 1)]), "a store replaces");
        assert_eq!(t, clock(&[(0, 4), (1, 1)]));
        let mut atomic = clock(&[(1, 5), (2, 2)]);
        t.acquire_release(ThreadId(0), &mut atomic);
        assert_eq!(atomic, clock(&[(0, 4), (1, 5), (2, 2)]));
        assert_eq!(t, clock(&[(0, 5), (1, 5), (2, 2)]));
    }

    #[test]
    fn the_maximum_kernels_agree_with_a_plain_maximum_at_every_length() {
        // Lengths around the vector widths, and values with the top bit set (an unsigned
        // maximum: a signed one would get these wrong).
        let mut rng = crate::rng::Rng::new(3);
        for n in 0..70 {
            let mut value = || match rng.below(4) {
                0 => u32::MAX - rng.below(3) as u32,
                1 => 1 << 31,
                _ => rng.below(1 << 32) as u32,
            };
            let a: Vec<u32> = (0..n).map(|_| value()).collect();
            let b: Vec<u32> = (0..n).map(|_| value()).collect();
            let want: Vec<u32> = a.iter().zip(&b).map(|(x, y)| *x.max(y)).collect();
            let mut got = a.clone();
            max::into(&mut got, &b);
            assert_eq!(got, want, "into, length {n}");
            let (mut x, mut y) = (a.clone(), b.clone());
            max::both(&mut x, &mut y);
            assert_eq!((&x, &y), (&want, &want), "both, length {n}");
        }
    }

    #[test]
    fn join_takes_the_maximum() {
        let mut a = clock(&[(0, 3), (1, 1)]);
        a.join(&clock(&[(0, 1), (1, 4), (2, 2)]));
        assert_eq!(a, clock(&[(0, 3), (1, 4), (2, 2)]));
    }
}
