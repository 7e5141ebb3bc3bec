//! One test per behaviour a student can observe, primitive by primitive.

mod common;
use common::*;
use interleave_core::builder::{FnBuilder, ProgramBuilder};
use interleave_core::machine::End;
use interleave_core::program::*;
use interleave_core::trace::{BlockReason, EventKind, ThreadId};
use std::sync::Arc;

use Operand::{Imm, Local as L};

#[test]
fn atomic_fetch_add_never_loses_an_update_and_is_not_a_race() {
    let mut b = ProgramBuilder::new();
    let hits = b.atomic("HITS", 0);
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.repeat(5, |f| {
        f.op(Op::AtomicRmw {
            dst: None,
            atomic: hits,
            op: RmwOp::FetchAdd,
            src: Imm(1),
        });
    });
    b.define(w, f);
    spawn_all_then_join(&mut b, &[w, w, w], |_| {});
    let p = Arc::new(b.finish());
    for seed in 0..50 {
        let r = run(&p, &random(2, seed));
        assert_eq!(value(&r.outcome.atomics, "HITS"), 15, "seed {seed}");
        assert!(r.outcome.races.is_empty());
    }
}

#[test]
fn compare_exchange_succeeds_only_on_the_expected_value() {
    let p = program(|b| {
        let a = b.atomic("A", 5);
        let mut f = FnBuilder::new(0);
        let (ok, old) = (f.local(), f.local());
        f.op(Op::AtomicCas {
            ok: Some(ok),
            old: Some(old),
            atomic: a,
            expected: Imm(4),
            new: Imm(9),
        });
        f.op(Op::AtomicCas {
            ok: Some(ok),
            old: Some(old),
            atomic: a,
            expected: Imm(5),
            new: Imm(7),
        });
        f
    });
    let r = run(&p, &settings(1, 3, 0));
    let cas: Vec<EventKind> = kinds(&r, 0)
        .into_iter()
        .filter(|k| matches!(k, EventKind::AtomicCas { .. }))
        .collect();
    assert_eq!(
        cas,
        vec![
            EventKind::AtomicCas {
                atomic: AtomicId(0),
                old: 5,
                new: 5,
                ok: false
            },
            EventKind::AtomicCas {
                atomic: AtomicId(0),
                old: 5,
                new: 7,
                ok: true
            },
        ]
    );
}

#[test]
fn the_lost_update_happens_under_some_schedules_and_the_mutex_prevents_it() {
    let racy = lost_update(3);
    let lost = (0..40)
        .filter(|&s| run(&racy, &random(2, s)).outcome.assertion_failed())
        .count();
    assert!(lost > 0, "some random schedule loses an update");
    let fixed = mutex_counter(3);
    for seed in 0..40 {
        let r = run(&fixed, &random(2, seed));
        assert_eq!(r.outcome.end, End::Finished { stopped: 0 }, "seed {seed}");
        assert_eq!(value(&r.outcome.mutexes, "COUNTER"), 6);
        assert!(r.outcome.races.is_empty());
    }
}

#[test]
fn a_mutex_hands_over_to_waiters_in_fifo_order() {
    let mut b = ProgramBuilder::new();
    let m = b.mutex("M", 0);
    let w = b.declare("worker", 1, false);
    let mut f = FnBuilder::new(1);
    f.op(Op::Lock { mutex: m })
        .op(Op::MutexStore {
            mutex: m,
            src: L(Local(0)),
        })
        .op(Op::Work { ticks: Imm(5) })
        .op(Op::Unlock { mutex: m });
    b.define(w, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let hs: Vec<Local> = (1..=3).map(|_| f.local()).collect();
    for (i, h) in hs.iter().enumerate() {
        f.op(Op::Spawn {
            func: w,
            args: vec![Imm(i as Value + 1)],
            moves: vec![],
            dst: Some(*h),
        });
    }
    for h in &hs {
        f.op(Op::Join {
            thread: L(*h),
            ok: None,
        });
    }
    b.define(main, f);
    b.set_main(main);
    let r = run(&Arc::new(b.finish()), &settings(4, 100, 0));
    let order: Vec<ThreadId> = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Acquire(_)))
        .map(|e| e.thread)
        .collect();
    assert_eq!(order, vec![ThreadId(1), ThreadId(2), ThreadId(3)]);
    assert!(kinds(&r, 2).contains(&EventKind::Block(BlockReason::Mutex(MutexId(0)))));
}

#[test]
fn try_lock_fails_without_blocking_while_the_mutex_is_held() {
    let mut b = ProgramBuilder::new();
    let m = b.mutex("M", 0);
    let got = b.var("GOT", -1);
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    let ok = f.local();
    f.op(Op::TryLock { dst: ok, mutex: m }).op(Op::Store {
        var: got,
        src: L(ok),
    });
    b.define(w, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let h = f.local();
    f.op(Op::Lock { mutex: m })
        .op(Op::Spawn {
            func: w,
            args: vec![],
            moves: vec![],
            dst: Some(h),
        })
        .op(Op::Join {
            thread: L(h),
            ok: None,
        })
        .op(Op::Unlock { mutex: m });
    b.define(main, f);
    b.set_main(main);
    let r = run(&Arc::new(b.finish()), &settings(2, 3, 0));
    assert_eq!(value(&r.outcome.vars, "GOT"), 0);
    assert!(kinds(&r, 1).contains(&EventKind::TryLockFailed(MutexId(0))));
    assert_eq!(r.outcome.end, End::Finished { stopped: 0 });
}

#[test]
fn a_panic_while_holding_a_lock_poisons_it_and_the_next_lock_unwrap_panics() {
    let mut b = ProgramBuilder::new();
    let m = b.mutex("M", 0);
    let msg = b.message("boom");
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Lock { mutex: m })
        .op(Op::Assert { cond: Imm(0), msg });
    b.define(w, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let (h, ok) = (f.local(), f.local());
    f.op(Op::Spawn {
        func: w,
        args: vec![],
        moves: vec![],
        dst: Some(h),
    })
    .op(Op::Join {
        thread: L(h),
        ok: Some(ok),
    })
    .op(Op::Lock { mutex: m });
    b.define(main, f);
    b.set_main(main);
    let r = run(&Arc::new(b.finish()), &settings(1, 10, 0));
    assert_eq!(r.outcome.end, End::MainPanicked);
    assert_eq!(r.outcome.panics.len(), 2);
    assert!(r.outcome.panics[0].assertion && r.outcome.panics[0].thread == ThreadId(1));
    assert!(
        r.outcome.panics[1].message.contains("PoisonError"),
        "{:?}",
        r.outcome.panics[1]
    );
}

#[test]
fn joining_a_panicked_thread_with_unwrap_panics_the_joiner() {
    let mut b = ProgramBuilder::new();
    let msg = b.message("worker failed");
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Work { ticks: Imm(3) })
        .op(Op::Assert { cond: Imm(0), msg });
    b.define(w, f);
    spawn_all_then_join(&mut b, &[w], |_| {});
    let r = run(&Arc::new(b.finish()), &settings(2, 3, 0));
    assert_eq!(r.outcome.end, End::MainPanicked);
    assert!(r.outcome.panics[1].message.contains("unwrap"));
}

/// main creates a channel with capacity `cap`, a producer sends 1..=n then drops its
/// sender (by exiting), main receives until disconnected (doing `work` ticks per message),
/// summing into SUM and counting into COUNT.
fn producer_consumer(cap: Option<u32>, n: Value) -> Arc<Program> {
    slow_consumer(cap, n, 0)
}

fn slow_consumer(cap: Option<u32>, n: Value, work: Value) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let sum = b.var("SUM", 0);
    let count = b.var("COUNT", 0);
    let p = b.declare("producer", 1, false);
    let mut f = FnBuilder::new(1);
    let i = f.local();
    let c = f.local();
    let top = f.label();
    let done = f.label();
    f.op(Op::Set {
        dst: i,
        src: Imm(1),
    });
    f.bind(top);
    f.op(Op::Bin {
        dst: c,
        op: BinOp::Le,
        a: L(i),
        b: Imm(n),
    });
    f.jump_if_zero(L(c), done);
    f.op(Op::Send {
        chan: L(Local(0)),
        value: L(i),
        ok: None,
    });
    f.op(Op::Bin {
        dst: i,
        op: BinOp::Add,
        a: L(i),
        b: Imm(1),
    });
    f.jump(top);
    f.bind(done);
    b.define(p, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let (tx, rx, h, v, ok, acc, k) = (
        f.local(),
        f.local(),
        f.local(),
        f.local(),
        f.local(),
        f.local(),
        f.local(),
    );
    let top = f.label();
    let done = f.label();
    f.op(Op::ChanNew { cap, tx, rx }).op(Op::Spawn {
        func: p,
        args: vec![L(tx)],
        moves: vec![(L(tx), Side::Sender)],
        dst: Some(h),
    });
    f.bind(top);
    f.op(Op::Recv {
        chan: L(rx),
        dst: v,
        ok: Some(ok),
    });
    f.jump_if_zero(L(ok), done);
    f.op(Op::Work { ticks: Imm(work) })
        .op(Op::Bin {
            dst: acc,
            op: BinOp::Add,
            a: L(acc),
            b: L(v),
        })
        .op(Op::Bin {
            dst: k,
            op: BinOp::Add,
            a: L(k),
            b: Imm(1),
        });
    f.jump(top);
    f.bind(done);
    f.op(Op::Store {
        var: sum,
        src: L(acc),
    })
    .op(Op::Store {
        var: count,
        src: L(k),
    });
    f.op(Op::Join {
        thread: L(h),
        ok: None,
    });
    b.define(main, f);
    b.set_main(main);
    Arc::new(b.finish())
}

#[test]
fn channels_deliver_every_message_in_order_and_recv_ends_when_senders_are_gone() {
    for cap in [None, Some(0), Some(1), Some(3)] {
        for cores in [1, 2] {
            let r = run(&producer_consumer(cap, 10), &settings(cores, 2, 0));
            assert_eq!(r.outcome.end, End::Finished { stopped: 0 }, "cap {cap:?}");
            assert_eq!(value(&r.outcome.vars, "SUM"), 55);
            assert_eq!(value(&r.outcome.vars, "COUNT"), 10);
            let received: Vec<Value> = r
                .events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Recv { value, .. } => Some(value),
                    _ => None,
                })
                .collect();
            assert_eq!(
                received,
                (1..=10).collect::<Vec<_>>(),
                "cap {cap:?} cores {cores}"
            );
            assert!(r
                .events
                .iter()
                .any(|e| e.kind == EventKind::RecvDisconnected(interleave_core::trace::ChanId(0))));
            assert!(
                r.outcome.races.is_empty(),
                "the channel orders the accesses"
            );
        }
    }
}

#[test]
fn a_bounded_channel_blocks_the_sender_when_full_and_a_rendezvous_until_received() {
    for cap in [Some(0), Some(1)] {
        let r = run(&slow_consumer(cap, 5, 10), &settings(2, 50, 0));
        let blocked = kinds(&r, 1)
            .iter()
            .any(|k| matches!(k, EventKind::Block(BlockReason::Send(_))));
        assert!(
            blocked,
            "cap {cap:?}: the producer outpaces the consumer and must wait"
        );
    }
    let r = run(&slow_consumer(None, 5, 10), &settings(2, 50, 0));
    assert_eq!(value(&r.outcome.vars, "SUM"), 15);
    assert!(
        !kinds(&r, 1)
            .iter()
            .any(|k| matches!(k, EventKind::Block(_))),
        "unbounded never blocks"
    );
}

#[test]
fn sending_to_a_dropped_receiver_is_an_error_not_a_hang() {
    let p = program(|_| {
        let mut f = FnBuilder::new(0);
        let (tx, rx, ok) = (f.local(), f.local(), f.local());
        f.op(Op::ChanNew {
            cap: Some(1),
            tx,
            rx,
        })
        .op(Op::DropHandle {
            chan: L(rx),
            side: Side::Receiver,
        })
        .op(Op::Send {
            chan: L(tx),
            value: Imm(1),
            ok: Some(ok),
        });
        f
    });
    let r = run(&p, &settings(1, 3, 0));
    assert!(kinds(&r, 0).contains(&EventKind::SendDisconnected(
        interleave_core::trace::ChanId(0)
    )));
    assert_eq!(r.outcome.end, End::Finished { stopped: 0 });
}

#[test]
fn a_sender_blocked_when_the_receiver_is_dropped_gets_an_error_in_its_own_result() {
    // Main blocks sending on a rendezvous channel; the child holding the receiver drops it
    // without receiving. The send fails (Rust's `Err(SendError)`): `ok` is 0, in main's
    // own local, and a local next to it is untouched.
    let mut b = ProgramBuilder::new();
    let out = b.var("OK", 7);
    let other = b.var("OTHER", 0);
    let child = b.declare("child", 1, false);
    let mut f = FnBuilder::new(1);
    f.op(Op::Work { ticks: Imm(5) }).op(Op::DropHandle {
        chan: L(Local(0)),
        side: Side::Receiver,
    });
    b.define(child, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let (tx, rx, h, ok, spare) = (f.local(), f.local(), f.local(), f.local(), f.local());
    f.op(Op::Set {
        dst: ok,
        src: Imm(5),
    })
    .op(Op::Set {
        dst: spare,
        src: Imm(9),
    })
    .op(Op::ChanNew {
        cap: Some(0),
        tx,
        rx,
    })
    .op(Op::Spawn {
        func: child,
        args: vec![L(rx)],
        moves: vec![(L(rx), Side::Receiver)],
        dst: Some(h),
    })
    .op(Op::Send {
        chan: L(tx),
        value: Imm(42),
        ok: Some(ok),
    })
    .op(Op::Store {
        var: out,
        src: L(ok),
    })
    .op(Op::Store {
        var: other,
        src: L(spare),
    })
    .op(Op::Join {
        thread: L(h),
        ok: None,
    });
    b.define(main, f);
    b.set_main(main);
    let p = Arc::new(b.finish());
    for cores in [1, 2] {
        let r = run(&p, &settings(cores, 3, 0));
        assert_eq!(r.outcome.end, End::Finished { stopped: 0 }, "{cores} cores");
        assert!(
            kinds(&r, 0).contains(&EventKind::Block(BlockReason::Send(
                interleave_core::trace::ChanId(0)
            ))),
            "main waits for a receiver first"
        );
        assert_eq!(value(&r.outcome.vars, "OK"), 0, "{cores} cores");
        assert_eq!(value(&r.outcome.vars, "OTHER"), 9, "{cores} cores");
    }
}

#[test]
fn receiving_while_holding_the_only_sender_is_a_deadlock_naming_the_channel() {
    let p = program(|_| {
        let mut f = FnBuilder::new(0);
        let (tx, rx, v) = (f.local(), f.local(), f.local());
        f.op(Op::ChanNew { cap: None, tx, rx }).op(Op::Recv {
            chan: L(rx),
            dst: v,
            ok: None,
        });
        f
    });
    let r = run(&p, &settings(1, 3, 0));
    assert_eq!(r.outcome.end, End::Deadlock);
    let d = r.outcome.deadlock.expect("explained");
    assert!(
        d.explanation
            .contains("main waits to receive on channel #0, whose senders are held by main"),
        "{}",
        d.explanation
    );
    assert_eq!(d.cycle.len(), 1, "main waits on itself");
}

#[test]
fn a_forgotten_unlock_leaves_waiters_stuck_and_says_so() {
    let mut b = ProgramBuilder::new();
    let m = b.mutex("M", 0);
    let w = b.declare("forgetful", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Lock { mutex: m }); // like mem::forget(guard): never unlocked
    b.define(w, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let h = f.local();
    f.op(Op::Spawn {
        func: w,
        args: vec![],
        moves: vec![],
        dst: Some(h),
    })
    .op(Op::Join {
        thread: L(h),
        ok: None,
    })
    .op(Op::Lock { mutex: m });
    b.define(main, f);
    b.set_main(main);
    let r = run(&Arc::new(b.finish()), &settings(1, 3, 0));
    assert_eq!(r.outcome.end, End::Deadlock);
    let d = r.outcome.deadlock.unwrap();
    assert!(d.cycle.is_empty());
    assert!(
        d.explanation
            .contains("held by T1 (forgetful), which exited without unlocking it"),
        "{}",
        d.explanation
    );
}
