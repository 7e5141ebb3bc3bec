//! Lost updates read off the trace agree with arithmetic: however the threads interleave,
//! the increments the analysis calls lost are exactly the ones missing from the final value.

mod common;
use common::*;
use interleave_core::builder::{FnBuilder, ProgramBuilder};
use interleave_core::lost::{analyse, Place};
use interleave_core::program::*;
use interleave_core::rng::Rng;
use interleave_core::trace::ThreadId;
use std::sync::Arc;

/// `threads` workers each do `X += 1` `n` times on plain memory (no join check).
fn increments(
    threads: usize,
    n: Value,
    how: fn(&mut FnBuilder, VarId, AtomicId, MutexId),
) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let x = b.var("X", 0);
    let a = b.atomic("A", 0);
    let m = b.mutex("M", 0);
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.repeat(n, |f| how(f, x, a, m));
    b.define(w, f);
    spawn_all_then_join(&mut b, &vec![w; threads], |_| {});
    Arc::new(b.finish())
}

fn plain(f: &mut FnBuilder, x: VarId, _: AtomicId, _: MutexId) {
    f.plain_add(x, 1);
}

#[test]
fn the_lost_increments_are_exactly_those_missing_from_the_total() {
    let mut rng = Rng::new(5);
    let mut seen_lost = 0;
    for case in 0..300 {
        let threads = 2 + rng.below(3) as usize;
        let n = 1 + rng.below(4) as Value;
        let p = increments(threads, n, plain);
        let s = random(1 + rng.below(3) as u32, rng.next_u64());
        let r = run(&p, &s);
        let loads = analyse(&r.program, &r.events);
        assert!(!loads.truncated);
        let final_x = r.outcome.vars[0].1;
        // Each stale store drops what the value gained since its load (negative when it
        // overwrites an older stale store with a newer value: it brings increments back).
        let lost: Value = loads
            .lost
            .iter()
            .map(|l| l.overwritten.value - l.stale_load.value)
            .sum();
        for l in &loads.lost {
            let gained = l.overwritten.value - l.stale_load.value;
            assert_eq!(l.increments, (gained > 0).then_some(gained), "case {case}");
        }
        assert_eq!(
            lost,
            threads as Value * n - final_x,
            "case {case}: {:#?}",
            loads.lost
        );
        seen_lost += loads.lost.len();
        for l in &loads.lost {
            assert!(l.stale_load.tick <= l.overwritten.tick && l.overwritten.tick <= l.by.tick);
            assert!(!l.writers.contains(&l.by.thread));
        }
    }
    assert!(seen_lost > 100, "the generator loses updates: {seen_lost}");
}

#[test]
fn atomic_adds_and_locked_adds_lose_nothing() {
    fn atomic(f: &mut FnBuilder, _: VarId, a: AtomicId, _: MutexId) {
        f.op(Op::AtomicRmw {
            dst: None,
            atomic: a,
            op: RmwOp::FetchAdd,
            src: Operand::Imm(1),
        });
    }
    fn locked(f: &mut FnBuilder, _: VarId, _: AtomicId, m: MutexId) {
        f.locked_add(m, 1);
    }
    for (how, place) in [
        (atomic as fn(&mut _, _, _, _), Place::Atomic(AtomicId(0))),
        (locked, Place::Mutex(MutexId(0))),
    ] {
        for seed in 0..50 {
            let r = run(&increments(3, 3, how), &random(2, seed));
            let loads = analyse(&r.program, &r.events);
            assert_eq!(loads.lost, vec![], "{place:?} seed {seed}");
            // A read-modify-write holds nothing; a guard's read is held only under the lock.
            assert!(
                loads.held.iter().all(|h| h.stale_from.is_none()),
                "{place:?}"
            );
        }
    }
}

#[test]
fn the_lesson_sentence_names_whose_increment_is_lost_and_why() {
    // One core, quantum 4: T1 is preempted between its load and its store.
    let p = lost_update(3);
    let r = run(&p, &settings(1, 4, 0));
    let loads = analyse(&r.program, &r.events);
    let first = &loads.lost[0];
    let name = |t: ThreadId| {
        if t.0 == 0 {
            "main".into()
        } else {
            format!("T{}", t.0)
        }
    };
    let words = first.words(&p, name);
    assert_eq!(
        words,
        format!(
            "T{}'s increment of COUNTER is lost: T{} loaded COUNTER = {} at tick {}, then T{} wrote {} at tick {}, and T{} now writes {} over it",
            first.overwritten.thread.0,
            first.by.thread.0,
            first.stale_load.value,
            first.stale_load.tick,
            first.overwritten.thread.0,
            first.overwritten.value,
            first.overwritten.tick,
            first.by.thread.0,
            first.by.value,
        )
    );
    assert_eq!(first.increments, Some(1));
    assert_eq!(first.by.value, first.stale_load.value + 1);
    // While the loser's value was held it became stale at the other thread's write.
    let held = loads
        .held
        .iter()
        .find(|h| h.load == first.stale_load)
        .unwrap();
    assert_eq!(held.stale_from, Some(first.overwritten.tick));
    assert_eq!(held.until, first.by.tick);
    assert!(held.held_at(first.by.tick) && !held.held_at(first.by.tick + 1));
    assert!(held.stale_at(first.overwritten.tick + 1) && !held.stale_at(first.overwritten.tick));
    let at: Vec<_> = loads.held_by(first.by.thread, first.by.tick).collect();
    assert_eq!(at, vec![held]);
}
