//! Properties over generated programs: determinism, exact replay, mutual exclusion, one
//! thread per core per tick, FIFO channels, exact snapshots, and a deadlock verdict that
//! agrees with an independent brute-force model.

mod common;
use common::generate;
use interleave_core::builder::{FnBuilder, ProgramBuilder};
use interleave_core::explore::{explore, replay, EndKind, Options};
use interleave_core::machine::{End, Machine};
use interleave_core::program::*;
use interleave_core::rng::Rng;
use interleave_core::run::{simulate, simulate_into};
use interleave_core::settings::{PolicyKind, Settings};
use interleave_core::trace::{ChanId, EventKind, NullSink, Recorder, ThreadId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use Operand::{Imm, Local as L};

fn random_settings(rng: &mut Rng) -> Settings {
    Settings {
        cores: 1 + rng.below(4) as u32,
        quantum_ticks: 1 + rng.below(4),
        switch_cost_ticks: rng.below(3),
        policy: PolicyKind::Random,
        seed: rng.next_u64(),
        ..Settings::default()
    }
}

const CASES: u64 = 300;

#[test]
fn same_seed_same_trace() {
    let mut rng = Rng::new(1);
    for case in 0..CASES {
        let p = generate(&mut rng);
        let s = random_settings(&mut rng);
        let a = simulate(Arc::clone(&p), &s).unwrap();
        let b = simulate(Arc::clone(&p), &s).unwrap();
        assert_eq!(a.events, b.events, "case {case}");
        assert_eq!(a.outcome, b.outcome, "case {case}");
    }
}

#[test]
fn a_recorded_schedule_replays_to_the_same_trace() {
    let mut rng = Rng::new(2);
    for case in 0..CASES {
        let p = generate(&mut rng);
        let s = random_settings(&mut rng);
        let original = simulate(Arc::clone(&p), &s).unwrap();
        let replay = Settings {
            policy: PolicyKind::Replay(original.schedule().to_vec().into()),
            ..s
        };
        let again = simulate(Arc::clone(&p), &replay).unwrap();
        assert_eq!(original.events, again.events, "case {case}");
        assert_eq!(original.outcome, again.outcome, "case {case}");
    }
}

#[test]
fn the_derived_schedule_is_every_decision_the_run_made() {
    let mut rng = Rng::new(7);
    for case in 0..CASES {
        let p = generate(&mut rng);
        let s = random_settings(&mut rng);
        let run = simulate(Arc::clone(&p), &s).unwrap();
        let mut rec = Recorder::default();
        simulate_into(Arc::clone(&p), &s, &mut rec).unwrap();
        assert_eq!(run.schedule(), rec.decisions, "case {case}");
        assert_eq!(run.events, rec.events, "case {case}");
    }
}

#[test]
fn a_mutex_never_has_two_owners_and_a_core_never_runs_two_threads_at_once() {
    let mut rng = Rng::new(3);
    for case in 0..CASES {
        let p = generate(&mut rng);
        let r = simulate(Arc::clone(&p), &random_settings(&mut rng)).unwrap();
        let mut owner: BTreeMap<MutexId, ThreadId> = BTreeMap::new();
        let mut readers: BTreeMap<MutexId, BTreeSet<ThreadId>> = BTreeMap::new();
        let mut busy: BTreeSet<(u64, u16)> = BTreeSet::new();
        let mut running: BTreeSet<(u64, ThreadId)> = BTreeSet::new();
        for e in &r.events {
            match e.kind {
                EventKind::Acquire(m) => {
                    assert!(
                        owner.insert(m, e.thread).is_none(),
                        "case {case}: {m:?} taken while held"
                    );
                    assert!(
                        readers.get(&m).is_none_or(|r| r.is_empty()),
                        "case {case}: {m:?} write-locked while read-locked"
                    );
                }
                EventKind::AcquireRead(m) => {
                    assert!(
                        !owner.contains_key(&m),
                        "case {case}: {m:?} read-locked while write-locked"
                    );
                    assert!(readers.entry(m).or_default().insert(e.thread));
                }
                EventKind::ReleaseRead(m) => {
                    assert!(
                        readers.entry(m).or_default().remove(&e.thread),
                        "case {case}: read lock released by a thread without one"
                    );
                }
                EventKind::Release(m) => {
                    assert_eq!(
                        owner.remove(&m),
                        Some(e.thread),
                        "case {case}: released by non-owner"
                    );
                }
                EventKind::Step { .. } | EventKind::Switch => {
                    let core = e.core.expect("steps happen on a core");
                    assert!(
                        busy.insert((e.tick, core)),
                        "case {case}: core {core} twice at tick {}",
                        e.tick
                    );
                    assert!(
                        running.insert((e.tick, e.thread)),
                        "case {case}: {:?} on two cores",
                        e.thread
                    );
                }
                _ => {}
            }
        }
    }
}

/// As an operating system does: a thread whose slice ended keeps its core while another
/// core is idle, and a woken thread goes to an idle core rather than preempting one.
#[test]
fn no_thread_is_preempted_while_a_core_is_idle() {
    let mut rng = Rng::new(11);
    for case in 0..CASES {
        let p = generate(&mut rng);
        let mut s = random_settings(&mut rng);
        if case % 2 == 0 {
            s.policy = PolicyKind::RoundRobin;
        }
        let r = simulate(Arc::clone(&p), &s).unwrap();
        let last = r.outcome.ticks.saturating_sub(1);
        let mut busy: BTreeMap<u64, BTreeSet<u16>> = BTreeMap::new();
        let mut preempts = Vec::new();
        for e in &r.events {
            match e.kind {
                // A thread that exits as it is put on a core uses that core's tick.
                EventKind::Step { .. } | EventKind::Switch | EventKind::Exit { .. }
                    if e.core.is_some() =>
                {
                    busy.entry(e.tick).or_default().insert(e.core.unwrap());
                }
                EventKind::Preempt if e.tick < last => preempts.push((e.tick, e.core)),
                _ => {}
            }
        }
        for (tick, core) in preempts {
            let n = busy.get(&tick).map_or(0, BTreeSet::len);
            assert_eq!(
                n,
                s.cores as usize,
                "case {case}: core {core:?} preempted at tick {tick} while a core was idle\n{}",
                interleave_core::timeline::render(&r, 200)
            );
        }
    }
}

/// Runs opened from links made before idle cores went first replay as they were.
#[test]
fn the_old_scheduler_order_is_kept_for_old_links() {
    let mut b = ProgramBuilder::new();
    let worker = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Work { ticks: Imm(6) });
    b.define(worker, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let handles: Vec<_> = (0..3).map(|_| f.local()).collect();
    for &h in &handles {
        f.op(Op::Spawn {
            func: worker,
            args: vec![],
            moves: vec![],
            dst: Some(h),
        });
    }
    for &h in &handles {
        f.op(Op::Join {
            thread: L(h),
            ok: None,
        });
    }
    b.define(main, f);
    b.set_main(main);
    let p = Arc::new(b.finish());
    let s = Settings {
        cores: 4,
        quantum_ticks: 3,
        switch_cost_ticks: 1,
        ..Settings::default()
    };
    let picture = |s: &Settings| {
        let run = simulate(Arc::clone(&p), s).unwrap();
        interleave_core::timeline::render(&run, 200)
    };
    let old = picture(&Settings {
        idle_cores_first: false,
        ..s.clone()
    });
    assert!(old.contains("core 1 |.111111~333.|"), "{old}");
    let new = picture(&s);
    assert!(new.contains("core 3 |...333333.|"), "{new}");
}

#[test]
fn every_message_is_received_at_most_once_and_in_send_order() {
    let mut rng = Rng::new(4);
    for case in 0..CASES {
        let p = generate(&mut rng);
        let r = simulate(Arc::clone(&p), &random_settings(&mut rng)).unwrap();
        let mut sent: BTreeMap<ChanId, Vec<Value>> = BTreeMap::new();
        let mut received: BTreeMap<ChanId, Vec<Value>> = BTreeMap::new();
        for e in &r.events {
            match e.kind {
                EventKind::Send { chan, value } => sent.entry(chan).or_default().push(value),
                EventKind::Recv { chan, value } => received.entry(chan).or_default().push(value),
                _ => {}
            }
        }
        for (chan, got) in received {
            let sent = &sent[&chan];
            assert!(
                got.len() <= sent.len() && got[..] == sent[..got.len()],
                "case {case}: {got:?} vs {sent:?}"
            );
        }
        if r.outcome.end == (End::Finished { stopped: 0 }) {
            assert!(r
                .outcome
                .races
                .iter()
                .all(|race| p.vars[race.var.index()].name != "A"));
        }
    }
}

#[test]
fn the_state_at_any_tick_equals_a_fresh_run_to_that_tick() {
    let mut rng = Rng::new(5);
    for case in 0..60 {
        let p = generate(&mut rng);
        let s = random_settings(&mut rng);
        let r = simulate(Arc::clone(&p), &s).unwrap();
        for _ in 0..5 {
            let tick = rng.below(r.end_tick() + 1);
            let mut fresh = Machine::new(Arc::clone(&p), &s);
            // At the end tick the state is the ended one: a deadlock is found in a tick
            // where nothing can run, which ends the run without moving time on.
            let end = r.end_tick();
            while !fresh.finished() && (fresh.now < tick || (tick == end && fresh.now == end)) {
                fresh.tick(tick, &mut NullSink);
            }
            assert_eq!(
                format!("{:?}", r.state_at(tick)),
                format!("{fresh:?}"),
                "case {case} tick {tick}"
            );
        }
    }
}

// ---- Deadlock verdict against brute force -------------------------------------------

/// A lock program: each thread locks a sequence of distinct mutexes, then unlocks them in
/// reverse. `true` = lock, `false` = unlock.
type LockProgram = Vec<Vec<(bool, usize)>>;

fn generate_locks(rng: &mut Rng) -> (LockProgram, usize) {
    let mutexes = 2 + rng.below(2) as usize;
    let threads = 2 + rng.below(2) as usize;
    let prog = (0..threads)
        .map(|_| {
            let mut order: Vec<usize> = (0..mutexes).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            order.truncate(1 + rng.below(2) as usize);
            let mut ops: Vec<(bool, usize)> = order.iter().map(|&m| (true, m)).collect();
            ops.extend(order.iter().rev().map(|&m| (false, m)));
            ops
        })
        .collect();
    (prog, mutexes)
}

/// Independent model: breadth-first over (pcs, owners); a deadlock is a reachable state
/// where some thread is unfinished and none can step.
fn brute_force_can_deadlock(prog: &LockProgram, mutexes: usize) -> bool {
    let start = (vec![0usize; prog.len()], vec![None::<usize>; mutexes]);
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start]);
    while let Some((pcs, owners)) = queue.pop_front() {
        if !seen.insert((pcs.clone(), owners.clone())) {
            continue;
        }
        let mut moved = false;
        for t in 0..prog.len() {
            let Some(&(lock, m)) = prog[t].get(pcs[t]) else {
                continue;
            };
            if lock && owners[m].is_some() {
                continue;
            }
            let mut owners = owners.clone();
            owners[m] = if lock { Some(t) } else { None };
            let mut pcs = pcs.clone();
            pcs[t] += 1;
            queue.push_back((pcs, owners));
            moved = true;
        }
        let unfinished = (0..prog.len()).any(|t| pcs[t] < prog[t].len());
        if unfinished && !moved {
            return true;
        }
    }
    false
}

fn compile_locks(prog: &LockProgram, mutexes: usize) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let ms: Vec<MutexId> = (0..mutexes).map(|i| b.mutex(&format!("M{i}"), 0)).collect();
    let ids: Vec<FnId> = prog
        .iter()
        .enumerate()
        .map(|(i, ops)| {
            let id = b.declare(&format!("t{i}"), 0, false);
            let mut f = FnBuilder::new(0);
            for &(lock, m) in ops {
                f.op(if lock {
                    Op::Lock { mutex: ms[m] }
                } else {
                    Op::Unlock { mutex: ms[m] }
                });
            }
            b.define(id, f);
            id
        })
        .collect();
    common::spawn_all_then_join(&mut b, &ids, |_| {});
    Arc::new(b.finish())
}

#[test]
fn the_deadlock_verdict_agrees_with_a_brute_force_search_on_small_lock_programs() {
    let mut rng = Rng::new(6);
    let (mut deadlocking, mut safe) = (0, 0);
    for case in 0..120 {
        let (prog, mutexes) = generate_locks(&mut rng);
        let expected = brute_force_can_deadlock(&prog, mutexes);
        let p = compile_locks(&prog, mutexes);
        let x = explore(Arc::clone(&p), &Options::default()).unwrap();
        assert!(
            x.complete(),
            "case {case}: exploration must finish to be compared ({} states)",
            x.states
        );
        assert_eq!(x.can(EndKind::Deadlock), expected, "case {case}: {prog:?}");
        if let Some(o) = x.outcomes.iter().find(|o| o.key.end == EndKind::Deadlock) {
            // The witness replays to that deadlock, with its cycle.
            let m = replay(Arc::clone(&p), &Options::default(), &o.witness).unwrap();
            assert_eq!(m.end, Some(End::Deadlock), "case {case}");
            assert!(
                !interleave_core::explain::deadlock(&m).cycle.is_empty(),
                "case {case}: a lock deadlock is a cycle"
            );
            deadlocking += 1;
        } else {
            safe += 1;
        }
    }
    assert!(
        deadlocking >= 10 && safe >= 10,
        "both kinds generated: {deadlocking} / {safe}"
    );
}

#[test]
fn the_explorer_finds_the_lost_update_and_proves_the_fixes() {
    let o = Options::default();
    let racy = explore(common::lost_update(2), &o).unwrap();
    assert!(racy.complete() && racy.can(EndKind::Panic), "{racy:?}");
    let fixed = explore(common::mutex_counter(2), &o).unwrap();
    assert!(fixed.complete(), "{fixed:?}");
    assert_eq!(
        fixed.outcomes.len(),
        1,
        "no schedule loses an update with the mutex: {fixed:?}"
    );
    assert_eq!(fixed.outcomes[0].key.end, EndKind::Ok);
    let deadlock = explore(common::two_lock_deadlock(1), &o).unwrap();
    assert!(deadlock.complete() && deadlock.can(EndKind::Deadlock));
}
