//! The explorer: every schedule, on any number of cores; outcomes with counts and minimal
//! witnesses; loops that never end.

mod common;
use common::*;
use interleave_core::explore::{explore, replay, EndKind, Options};

fn values(r: &interleave_core::explore::Report, name: &str) -> Vec<i64> {
    let mut v: Vec<i64> = r
        .outcomes
        .iter()
        .filter_map(|o| {
            o.key
                .values
                .iter()
                .find(|(n, _)| n == name)
                .map(|&(_, v)| v)
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Each outcome with its count, sorted: two reports agree when these are equal.
fn keys(r: &interleave_core::explore::Report) -> Vec<(interleave_core::explore::OutcomeKey, u64)> {
    let mut k: Vec<_> = r
        .outcomes
        .iter()
        .map(|o| (o.key.clone(), o.count))
        .collect();
    k.sort();
    k
}

#[test]
fn the_lost_update_can_end_with_every_total_from_2_to_4() {
    let r = explore(lost_update(2), &Options::default()).unwrap();
    assert!(r.complete(), "{r:?}");
    assert_eq!(values(&r, "COUNTER"), vec![2, 3, 4]);
    assert!(r.can(EndKind::Panic) && r.can(EndKind::Ok));
    for o in &r.outcomes {
        let m = replay(lost_update(2), &Options::default(), &o.witness).unwrap();
        assert_eq!(
            interleave_core::explore::outcome_of(&m).as_ref(),
            Some(&o.key)
        );
    }
    let ok = r
        .outcomes
        .iter()
        .find(|o| o.key.end == EndKind::Ok)
        .unwrap();
    assert_eq!(
        ok.preemptions, 0,
        "running each thread to its end needs no preemption"
    );
    let by_total = |n| r.outcomes.iter().find(|o| o.key.values[0].1 == n).unwrap();
    // Two lost: one preemption between T1's load and store, T2 runs to its end.
    assert_eq!(by_total(2).preemptions, 1);
    // One lost: T2 must also be preempted after one increment, so that T1's stale store
    // lands between T2's two.
    assert_eq!(by_total(3).preemptions, 2);
    assert!(r.outcomes.iter().all(|o| o.minimal));
}

#[test]
fn a_witness_is_told_in_words_with_its_preemptions() {
    let r = explore(lost_update(2), &Options::default()).unwrap();
    let two = r.outcomes.iter().find(|o| o.key.values[0].1 == 2).unwrap();
    let words =
        interleave_core::explore::narrate(lost_update(2), &Options::default(), &two.witness)
            .unwrap();
    let text = words.join("\n");
    assert!(text.contains("is preempted"), "{text}");
    assert!(text.contains("reads COUNTER = 0"), "{text}");
    assert!(text.contains("writes COUNTER = 1"), "{text}");
    eprintln!("{text}");
}

/// Soundness against an independent reference: whatever the timed simulator does, on any
/// number of cores under any seed, is one of the outcomes the explorer lists.
#[test]
fn every_outcome_the_timed_simulator_reaches_is_in_the_explorers_histogram() {
    use interleave_core::machine::End;
    use interleave_core::rng::Rng;
    use std::collections::BTreeSet;
    let mut rng = Rng::new(21);
    let (mut runs, mut outcomes, mut complete) = (0, 0, 0);
    let options = Options {
        max_states: 30_000,
        ..Options::default()
    };
    for case in 0..60 {
        let p = generate(&mut rng);
        let r = explore(std::sync::Arc::clone(&p), &options).unwrap();
        // Only a complete histogram can be held against: a partial one lacks outcomes.
        if !r.complete() {
            continue;
        }
        complete += 1;
        let listed: BTreeSet<(EndKind, Vec<(String, i64)>)> = r
            .outcomes
            .iter()
            .map(|o| (o.key.end, o.key.values.clone()))
            .collect();
        outcomes += listed.len();
        for cores in [1, 2, 4] {
            for seed in 0..8 {
                let run =
                    interleave_core::run::simulate(std::sync::Arc::clone(&p), &random(cores, seed))
                        .unwrap();
                let o = &run.outcome;
                let end = match o.end {
                    End::Finished { .. } => EndKind::Ok,
                    End::MainPanicked => EndKind::Panic,
                    End::Deadlock => EndKind::Deadlock,
                    _ => continue,
                };
                let values: Vec<(String, i64)> = o
                    .vars
                    .iter()
                    .chain(&o.atomics)
                    .chain(&o.mutexes)
                    .cloned()
                    .collect();
                assert!(
                    listed.contains(&(end, values.clone())),
                    "case {case}, {cores} cores, seed {seed}: {end:?} {values:?} is not among {listed:?}"
                );
                runs += 1;
            }
        }
    }
    assert!(
        complete >= 25 && runs > 500 && outcomes > 30,
        "{complete} programs, {runs} runs, {outcomes} outcomes"
    );
}

#[test]
fn timing_orders_nothing_sleeps_io_and_work_are_explored_in_every_order() {
    use interleave_core::builder::{FnBuilder, ProgramBuilder};
    use interleave_core::program::*;
    // Two threads: one sleeps a long time, then writes 1; the other writes 2 at once.
    // Timed, the sleeper always writes last; under any schedule, either may.
    let mut b = ProgramBuilder::new();
    let x = b.var("X", 0);
    let slow = b.declare("slow", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Sleep {
        ticks: Operand::Imm(10_000),
    });
    f.op(Op::Store {
        var: x,
        src: Operand::Imm(1),
    });
    b.define(slow, f);
    let fast = b.declare("fast", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Work {
        ticks: Operand::Imm(50),
    });
    f.op(Op::Store {
        var: x,
        src: Operand::Imm(2),
    });
    b.define(fast, f);
    spawn_all_then_join(&mut b, &[slow, fast], |_| {});
    let p = std::sync::Arc::new(b.finish());
    let r = explore(p, &Options::default()).unwrap();
    assert!(r.complete());
    assert_eq!(values(&r, "X"), vec![1, 2], "{r:?}");
    assert!(r.states < 100, "a long sleep costs no states: {}", r.states);
}

/// A witness followed by the timed simulator, on any number of cores and under any policy,
/// reaches the outcome the explorer says it does: threads pause for their turn where the
/// witness needs them to.
#[test]
fn every_witness_replays_in_the_timed_simulator_on_any_number_of_cores() {
    use interleave_core::machine::End;
    use interleave_core::rng::Rng;
    use interleave_core::settings::Settings;
    let mut rng = Rng::new(33);
    let options = Options {
        max_states: 5_000,
        ..Options::default()
    };
    let mut replayed = 0;
    let mut programs: Vec<std::sync::Arc<interleave_core::program::Program>> =
        vec![lost_update(2), two_lock_deadlock(1), mutex_counter(2)];
    programs.extend((0..25).map(|_| generate(&mut rng)));
    for (case, p) in programs.into_iter().enumerate() {
        let r = explore(std::sync::Arc::clone(&p), &options).unwrap();
        for o in r
            .outcomes
            .iter()
            .filter(|o| o.key.end != EndKind::NeverEnds)
        {
            for (cores, seed) in [(1, 0), (2, 1), (4, 2), (3, 3)] {
                let s = Settings {
                    steps: Some(o.witness.clone().into()),
                    ..random(cores, seed)
                };
                let run = interleave_core::run::simulate(std::sync::Arc::clone(&p), &s).unwrap();
                let end = match &run.outcome.end {
                    End::Finished { .. } => EndKind::Ok,
                    End::MainPanicked => EndKind::Panic,
                    End::Deadlock => EndKind::Deadlock,
                    other => {
                        panic!("case {case}, {cores} cores: the witness did not replay: {other:?}")
                    }
                };
                let values: Vec<(String, i64)> = run
                    .outcome
                    .vars
                    .iter()
                    .chain(&run.outcome.atomics)
                    .chain(&run.outcome.mutexes)
                    .cloned()
                    .collect();
                assert_eq!(
                    (end, &values),
                    (o.key.end, &o.key.values),
                    "case {case}, {cores} cores: witness {}",
                    interleave_core::explore::schedule_text(&o.witness)
                );
                replayed += 1;
            }
        }
    }
    assert!(replayed > 100, "{replayed} witnesses replayed");
}

/// The reductions keep every outcome. Forgetting dead locals merges only states with the
/// same future: the same outcomes with the same counts, in fewer states. Sleep sets count
/// one execution per class of orders that differ only in swapping independent steps: the
/// same outcomes, in fewer executions. Both against the unreduced search, on generated
/// programs and the lost update.
#[test]
fn the_reductions_keep_every_outcome_with_fewer_states_or_executions() {
    use interleave_core::rng::Rng;
    let mut rng = Rng::new(5);
    let mut programs = vec![common::lost_update(3)];
    programs.extend((0..60).map(|_| generate(&mut rng)));
    let full = Options {
        dead_locals: false,
        sleep_sets: false,
        max_states: 50_000,
        ..Options::default()
    };
    let (mut fewer_states, mut fewer_executions, mut compared) = (0, 0, 0);
    for (case, p) in programs.into_iter().enumerate() {
        let a = explore(std::sync::Arc::clone(&p), &full).unwrap();
        if !a.complete() {
            continue;
        }
        let dead = Options {
            dead_locals: true,
            ..full.clone()
        };
        let b = explore(std::sync::Arc::clone(&p), &dead).unwrap();
        assert!(b.complete(), "case {case}");
        assert_eq!(keys(&a), keys(&b), "case {case}: dead locals");
        assert!(
            b.states <= a.states,
            "case {case}: {} > {}",
            b.states,
            a.states
        );
        fewer_states += usize::from(b.states < a.states);
        let sleep = Options {
            sleep_sets: true,
            max_states: 200_000,
            ..dead
        };
        let c = explore(p, &sleep).unwrap();
        assert!(c.complete(), "case {case}");
        let outcomes = |r: &interleave_core::explore::Report| {
            let mut k: Vec<_> = r.outcomes.iter().map(|o| o.key.clone()).collect();
            k.sort();
            k
        };
        assert_eq!(outcomes(&a), outcomes(&c), "case {case}: sleep sets");
        assert!(c.executions <= a.executions, "case {case}");
        fewer_executions += usize::from(c.executions < a.executions);
        compared += 1;
        if case == 0 {
            assert!(
                b.states * 3 < a.states * 2,
                "the lost update: {} vs {}",
                b.states,
                a.states
            );
            assert!(
                c.executions * 10 < a.executions,
                "the lost update: {} vs {}",
                c.executions,
                a.executions
            );
        }
    }
    assert!(
        compared >= 20 && fewer_states >= 10 && fewer_executions >= compared / 2,
        "{compared} compared, {fewer_states} with fewer states, {fewer_executions} with fewer executions"
    );
}

/// Symmetry merges states that are renamings of each other (which of several threads is
/// which, and the order of a run of joins): on programs of the shape it applies to, the
/// same outcomes with the same counts as without it, in no more states. Where a worker
/// panics it gives way, and the answer is the search's without it.
#[test]
fn symmetry_keeps_every_outcome_and_count_in_fewer_states() {
    use interleave_core::rng::Rng;
    let mut rng = Rng::new(11);
    let mut programs = vec![std::sync::Arc::new(interleave_core::workload::lost_update(
        3, 2,
    ))];
    programs.extend((0..80).map(|_| common::generate_symmetric(&mut rng)));
    let off = Options {
        symmetry: false,
        max_states: 100_000,
        ..Options::default()
    };
    let on = Options {
        symmetry: true,
        ..off.clone()
    };
    let (mut compared, mut fewer, mut symmetric, mut gave_way) = (0, 0, 0, 0);
    for (case, p) in programs.into_iter().enumerate() {
        let a = explore(std::sync::Arc::clone(&p), &off).unwrap();
        if !a.complete() {
            continue;
        }
        let b = explore(p, &on).unwrap();
        assert!(b.complete(), "case {case}");
        assert_eq!(keys(&a), keys(&b), "case {case}");
        assert!(
            b.states <= a.states,
            "case {case}: {} > {}",
            b.states,
            a.states
        );
        assert!(!a.symmetric, "case {case}");
        compared += 1;
        fewer += usize::from(b.states < a.states);
        if b.symmetric {
            symmetric += 1;
        } else {
            // It gave way only where a worker panics.
            assert!(
                a.outcomes.iter().any(|o| o.key.message.is_some()),
                "case {case}"
            );
            gave_way += 1;
        }
        if case == 0 {
            assert!(
                b.symmetric && b.states * 2 < a.states,
                "{} vs {}",
                b.states,
                a.states
            );
        }
    }
    assert!(
        compared >= 60 && symmetric >= 30 && fewer >= 20 && gave_way >= 3,
        "{compared} compared, {symmetric} symmetric, {fewer} with fewer states, {gave_way} gave way"
    );
}

/// Under a preemption bound K, the explorer finds exactly the outcomes whose fewest
/// preemptions are at most K (as the unbounded search measures them), no more executions
/// than without the bound, and says the answer is bounded when it left some out.
#[test]
fn a_preemption_bound_finds_exactly_the_outcomes_that_need_no_more() {
    use interleave_core::explore::{Stop, Verdict};
    use interleave_core::rng::Rng;
    let mut rng = Rng::new(9);
    let mut programs = vec![common::lost_update(3)];
    programs.extend((0..30).map(|_| generate(&mut rng)));
    // Counted as orders of steps on both sides (a bound on preemptions is one on orders).
    let small = Options {
        max_states: 20_000,
        sleep_sets: false,
        ..Options::default()
    };
    let mut checked = 0;
    for (case, p) in programs.into_iter().enumerate() {
        let all = explore(std::sync::Arc::clone(&p), &small).unwrap();
        if !all.complete() || all.outcomes.iter().any(|o| !o.minimal) {
            continue;
        }
        for k in 0..3 {
            let bounded = Options {
                preemption_bound: Some(k),
                ..small.clone()
            };
            let b = explore(std::sync::Arc::clone(&p), &bounded).unwrap();
            let mut want: Vec<_> = all
                .outcomes
                .iter()
                .filter(|o| o.preemptions <= k)
                .map(|o| o.key.clone())
                .collect();
            let mut got: Vec<_> = b.outcomes.iter().map(|o| o.key.clone()).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "case {case}, bound {k}");
            assert!(b.executions <= all.executions, "case {case}, bound {k}");
            if b.executions < all.executions {
                assert_eq!(
                    b.verdict,
                    Verdict::Incomplete(Stop::Preemptions(k)),
                    "case {case}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 18, "{checked} checked");
}

/// The unit of the explorer's counts, checked by brute force: with sleep sets, an outcome's
/// count is the number of classes of its executions (orders that differ only in swapping
/// adjacent independent steps), each class counted once. The classes come from running
/// every order and grouping them by a canonical form, with no reduction and no states
/// merged.
#[test]
fn sleep_set_counts_are_classes_of_equivalent_orders() {
    use interleave_core::explore::count_classes;
    use interleave_core::rng::Rng;
    let mut rng = Rng::new(17);
    let mut programs = vec![
        common::lost_update(2),
        common::mutex_counter(2),
        common::two_lock_deadlock(1),
    ];
    programs.extend((0..150).map(|_| common::generate_sized(&mut rng, [2, 1, 2, 1])));
    let options = Options {
        max_states: 200_000,
        ..Options::default()
    };
    let (mut checked, mut reduced) = (0, 0);
    for (case, p) in programs.into_iter().enumerate() {
        let Some(classes) = count_classes(std::sync::Arc::clone(&p), &options, 50_000) else {
            continue;
        };
        let r = explore(std::sync::Arc::clone(&p), &options).unwrap();
        assert!(r.complete(), "case {case}");
        assert_eq!(r.executions, classes, "case {case}");
        let orders = explore(
            p,
            &Options {
                sleep_sets: false,
                ..options.clone()
            },
        )
        .unwrap();
        reduced += usize::from(classes < orders.executions);
        checked += 1;
    }
    assert!(
        checked >= 30 && reduced >= checked / 2,
        "{checked} checked, {reduced} reduced"
    );
}

/// An execution that hits one of the machine's limits is no outcome (what it would do past
/// the limit is unknown): the answer is incomplete and names the limit, and nothing is
/// claimed to finish. Here: a thread that prints forever meets the output limit.
#[test]
fn an_execution_at_a_machine_limit_makes_the_answer_incomplete_not_an_outcome() {
    use interleave_core::builder::{FnBuilder, ProgramBuilder};
    use interleave_core::explore::{Stop, Verdict};
    use interleave_core::machine::Limit;
    use interleave_core::program::Op;
    let mut b = ProgramBuilder::new();
    let msg = b.message(&format!("{}\n", "again ".repeat(20)));
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let top = f.label();
    f.bind(top);
    f.op(Op::Print {
        msg,
        args: vec![],
        err: false,
    });
    f.jump(top);
    b.define(main, f);
    b.set_main(main);
    let r = explore(std::sync::Arc::new(b.finish()), &Options::default()).unwrap();
    assert_eq!(r.verdict, Verdict::Incomplete(Stop::Limit(Limit::Output)));
    assert!(!r.can(EndKind::Ok), "{:?}", r.outcomes);
}

/// `park`/`unpark` order matters only through the token: two unparks before two parks
/// leave the second park waiting forever, two interleaved ones do not. Both are found,
/// with the reductions as without them (a missing park rule loses the deadlock).
#[test]
fn two_unparks_before_two_parks_deadlock_and_interleaved_ones_do_not() {
    let p = common::park_twice();
    let reduced = explore(std::sync::Arc::clone(&p), &Options::default()).unwrap();
    assert!(reduced.complete());
    assert!(reduced.can(EndKind::Deadlock) && reduced.can(EndKind::Ok));
    let full = explore(
        p,
        &Options {
            dead_locals: false,
            sleep_sets: false,
            ..Options::default()
        },
    )
    .unwrap();
    let ends = |r: &interleave_core::explore::Report| {
        let mut e: Vec<_> = r.outcomes.iter().map(|o| o.key.clone()).collect();
        e.sort();
        e
    };
    assert_eq!(ends(&reduced), ends(&full));
}

/// A witness found before joins waited without stepping (`main` steps into its first join
/// while the thread still runs, and blocks) still replays and is still told in words: links
/// made then carry such witnesses.
#[test]
fn a_witness_with_a_join_that_blocks_still_replays() {
    use interleave_core::explore::{narrate, Action};
    use interleave_core::trace::ThreadId;
    let p = std::sync::Arc::new(interleave_core::workload::lost_update(2, 1));
    let options = Options::default();
    // main spawns both workers, then joins the first at once.
    let mut steps = vec![Action::Run(ThreadId(0)); 3];
    let mut m = replay(std::sync::Arc::clone(&p), &options, &steps).unwrap();
    assert!(matches!(
        m.threads[0].state,
        interleave_core::machine::ThreadState::Blocked(_)
    ));
    while m.end.is_none() {
        let next = (1..m.threads.len() as u32)
            .map(|t| Action::Run(ThreadId(t)))
            .chain([Action::Run(ThreadId(0))])
            .find(|a| {
                replay(
                    std::sync::Arc::clone(&p),
                    &options,
                    &[steps.clone(), vec![*a]].concat(),
                )
                .is_ok()
            })
            .unwrap();
        steps.push(next);
        m = replay(std::sync::Arc::clone(&p), &options, &steps).unwrap();
    }
    assert_eq!(
        interleave_core::explore::outcome_of(&m).unwrap().end,
        EndKind::Ok
    );
    assert!(!narrate(p, &options, &steps).unwrap().is_empty());
}
