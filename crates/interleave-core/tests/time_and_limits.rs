//! One test per behaviour a student can observe: time (sleep, I/O, work, slices, switches),
//! the event loop, arithmetic that panics as Rust does, and the limits that end a run.

mod common;
use common::*;
use interleave_core::builder::{FnBuilder, ProgramBuilder};
use interleave_core::machine::{End, Limit};
use interleave_core::program::*;
use interleave_core::run::{simulate, SetupError};
use interleave_core::settings::{Limits, PolicyKind, Settings};
use interleave_core::trace::{BlockReason, EventKind, ThreadId};
use std::sync::Arc;

use Operand::{Imm, Local as L};

#[test]
fn sleep_and_blocking_io_free_the_core_and_work_holds_it() {
    // On one core, T1 sleeps 10 ticks while T2 works 5: T2 runs during the sleep.
    let mut b = ProgramBuilder::new();
    let s = b.declare("sleeper", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Sleep { ticks: Imm(10) });
    b.define(s, f);
    let io = b.declare("reader", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::BlockingIo { ticks: Imm(10) });
    b.define(io, f);
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Work { ticks: Imm(5) });
    b.define(w, f);
    spawn_all_then_join(&mut b, &[s, io, w], |_| {});
    let r = run(&Arc::new(b.finish()), &settings(1, 100, 0));
    let steps_of = |t: u32| {
        r.events
            .iter()
            .filter(|e| e.thread == ThreadId(t) && matches!(e.kind, EventKind::Step { .. }))
            .count()
    };
    assert_eq!(
        steps_of(1),
        1,
        "sleeping takes one step to start, then no CPU"
    );
    assert_eq!(steps_of(2), 1);
    assert_eq!(steps_of(3), 5, "work(5) is five ticks of CPU");
    assert!(kinds(&r, 2)
        .iter()
        .any(|k| matches!(k, EventKind::IoStart { blocking: true, .. })));
    assert!(kinds(&r, 2).contains(&EventKind::IoDone { blocking: true }));
    // All three overlap: far less than 10 + 10 + 5 ticks.
    assert!(r.outcome.ticks < 20, "took {} ticks", r.outcome.ticks);
}

/// `n` async tasks each awaiting I/O of `io` ticks (or blocking for it), run by main's
/// `block_on` of each.
fn requests(n: usize, io: Value, blocking: bool) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let fetch = b.declare("fetch", 0, true);
    let mut f = FnBuilder::new(0);
    f.op(Op::Work { ticks: Imm(1) });
    if blocking {
        f.op(Op::BlockingIo { ticks: Imm(io) });
    } else {
        f.op(Op::AwaitIo { ticks: Imm(io) });
    }
    f.op(Op::Work { ticks: Imm(1) });
    b.define(fetch, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let tasks: Vec<Local> = (0..n).map(|_| f.local()).collect();
    for &t in &tasks {
        f.op(Op::SpawnTask {
            func: fetch,
            args: vec![],
            dst: Some(t),
        });
    }
    for &t in &tasks {
        f.op(Op::AwaitTask { task: L(t) });
    }
    b.define(main, f);
    b.set_main(main);
    Arc::new(b.finish())
}

#[test]
fn awaiting_io_overlaps_requests_on_one_event_loop_thread_but_blocking_io_serialises_them() {
    let s = settings(1, 5, 0);
    let awaited = run(&requests(4, 20, false), &s);
    let blocked = run(&requests(4, 20, true), &s);
    assert_eq!(awaited.outcome.end, End::Finished { stopped: 0 });
    assert_eq!(blocked.outcome.end, End::Finished { stopped: 0 });
    assert!(
        awaited.outcome.ticks < 40,
        "four 20-tick awaits overlap: {}",
        awaited.outcome.ticks
    );
    assert!(
        blocked.outcome.ticks >= 80,
        "blocking I/O stalls the loop: {}",
        blocked.outcome.ticks
    );
    // The difference is visible in the trace: tasks suspend and the loop goes idle.
    let lp = 1;
    let k = kinds(&awaited, lp);
    assert!(k.iter().any(|k| matches!(k, EventKind::Suspend(_))));
    assert!(k.contains(&EventKind::Block(BlockReason::EventLoopIdle)));
    assert!(awaited
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::TaskWake(_))));
    let k = kinds(&blocked, lp);
    assert!(!k.iter().any(|k| matches!(k, EventKind::Suspend(_))));
    assert!(k
        .iter()
        .any(|k| matches!(k, EventKind::Block(BlockReason::BlockingIo { .. }))));
}

#[test]
fn returning_from_main_stops_the_other_threads() {
    let mut b = ProgramBuilder::new();
    let w = b.declare("forever", 0, false);
    let mut f = FnBuilder::new(0);
    let top = f.label();
    f.bind(top);
    f.op(Op::Work { ticks: Imm(1) });
    f.jump(top);
    b.define(w, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Spawn {
        func: w,
        args: vec![],
        moves: vec![],
        dst: None,
    })
    .op(Op::Work { ticks: Imm(5) });
    b.define(main, f);
    b.set_main(main);
    let r = run(&Arc::new(b.finish()), &settings(2, 3, 0));
    assert_eq!(r.outcome.end, End::Finished { stopped: 1 });
}

#[test]
fn every_limit_ends_the_run_with_a_clear_outcome() {
    let endless = program(|_| {
        let mut f = FnBuilder::new(0);
        let top = f.label();
        f.bind(top);
        f.jump(top);
        f
    });
    let mut s = settings(1, 3, 0);
    s.limits.max_steps = 1000;
    assert_eq!(run(&endless, &s).outcome.end, End::Limit(Limit::Steps));

    let fork_bomb = {
        let mut b = ProgramBuilder::new();
        let main = b.declare("main", 0, false);
        let w = b.declare("idle", 0, false);
        b.define(w, FnBuilder::new(0));
        let mut f = FnBuilder::new(0);
        let top = f.label();
        f.bind(top);
        f.op(Op::Spawn {
            func: w,
            args: vec![],
            moves: vec![],
            dst: None,
        });
        f.jump(top);
        b.define(main, f);
        b.set_main(main);
        Arc::new(b.finish())
    };
    let s = Settings {
        limits: Limits {
            max_threads: 16,
            ..Limits::default()
        },
        ..settings(2, 3, 0)
    };
    assert_eq!(run(&fork_bomb, &s).outcome.end, End::Limit(Limit::Threads));

    let long_sleep = program(|_| {
        let mut f = FnBuilder::new(0);
        f.op(Op::Sleep {
            ticks: Imm(i64::MAX),
        });
        f
    });
    assert_eq!(
        run(&long_sleep, &settings(1, 3, 0)).outcome.end,
        End::Limit(Limit::WaitTicks)
    );

    let flood = program(|_| {
        let mut f = FnBuilder::new(0);
        let (tx, rx) = (f.local(), f.local());
        f.op(Op::ChanNew { cap: None, tx, rx });
        let top = f.label();
        f.bind(top);
        f.op(Op::Send {
            chan: L(tx),
            value: Imm(1),
            ok: None,
        });
        f.jump(top);
        f
    });
    let s = Settings {
        limits: Limits {
            max_buffered: 100,
            ..Limits::default()
        },
        ..settings(1, 3, 0)
    };
    assert_eq!(run(&flood, &s).outcome.end, End::Limit(Limit::Buffered));

    let huge = program(|_| {
        let mut f = FnBuilder::new(0);
        let (tx, rx) = (f.local(), f.local());
        f.op(Op::ChanNew {
            cap: Some(1 << 30),
            tx,
            rx,
        });
        f
    });
    assert_eq!(
        run(&huge, &settings(1, 3, 0)).outcome.end,
        End::Limit(Limit::ChannelCapacity)
    );
}

#[test]
fn each_limit_says_what_it_is_and_its_value() {
    let l = Limits {
        max_steps: 1_234_567,
        max_ticks: 2000,
        max_threads: 16,
        max_tasks: 9,
        max_channels: 7,
        max_channel_capacity: 5000,
        max_buffered: 100,
        max_wait_ticks: 1_000_000,
        max_races: 1,
        max_output_bytes: 4096,
        max_heap_values: 300,
    };
    for (limit, says) in [
        (Limit::Steps, "step limit (1,234,567 steps)"),
        (Limit::Ticks, "time limit (2,000 ticks)"),
        (Limit::Threads, "thread limit (16 threads"),
        (Limit::Tasks, "task limit (9 async tasks)"),
        (Limit::Channels, "channel limit (7 channels)"),
        (Limit::ChannelCapacity, "largest capacity (5,000)"),
        (Limit::Buffered, "more than 100 messages"),
        (Limit::WaitTicks, "more than 1,000,000 ticks"),
        (Limit::Output, "output limit (4,096 bytes printed)"),
        (
            Limit::Heap,
            "heap limit (300 values in vectors, Arcs and strings)",
        ),
    ] {
        let words = limit.words(&l);
        assert!(words.contains(says), "{limit:?}: {words}");
    }
}

#[test]
fn a_long_sleep_does_not_cost_a_tick_loop_per_idle_tick() {
    let p = program(|_| {
        let mut f = FnBuilder::new(0);
        f.op(Op::Sleep {
            ticks: Imm(900_000),
        });
        f
    });
    let r = run(&p, &settings(4, 3, 0));
    assert_eq!(r.outcome.end, End::Finished { stopped: 0 });
    assert!(r.outcome.ticks > 900_000);
    assert!(
        r.events.len() < 10,
        "idle ticks are skipped, not simulated one by one"
    );
}

#[test]
fn bad_settings_and_bad_programs_are_errors_that_say_where() {
    let p = work(1, 1);
    for (cores, quantum) in [(0, 3), (65, 3), (1, 0)] {
        let s = settings(cores, quantum, 0);
        let e = simulate(Arc::clone(&p), &s).unwrap_err();
        assert!(matches!(e, SetupError::Settings(_)), "{e}");
    }
    let mut bad = (*p).clone();
    bad.functions[0].body[0] = Op::Load {
        dst: Local(99),
        var: VarId(0),
    };
    let e = simulate(Arc::new(bad), &settings(1, 3, 0)).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("`worker`") && text.contains("op 0"), "{text}");
    let mut bad = (*p).clone();
    bad.functions[0].body.push(Op::AwaitIo { ticks: Imm(1) });
    bad.functions[0].lines.push(0);
    let text = simulate(Arc::new(bad), &settings(1, 3, 0))
        .unwrap_err()
        .to_string();
    assert!(text.contains("only allowed inside an async fn"), "{text}");
    // A function too big to run says how big it may be, instead of failing to allocate.
    let mut bad = (*p).clone();
    bad.functions[0].locals = MAX_LOCALS + 1;
    let text = simulate(Arc::new(bad), &settings(1, 3, 0))
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("`worker`") && text.contains("at most 1048576"),
        "{text}"
    );
}

#[test]
fn constants_and_locals_do_not_mix_up() {
    // Constants live in slots after a function's locals: a thread writing its locals, and
    // two threads of one function, see every constant unchanged.
    let p = program(|b| {
        let sum = b.atomic("SUM", 0);
        let w = b.declare("w", 1, false);
        let mut g = FnBuilder::new(1);
        let x = g.local();
        g.op(Op::Set {
            dst: x,
            src: Imm(7),
        })
        .op(Op::Bin {
            dst: x,
            op: BinOp::Mul,
            a: L(x),
            b: Imm(7),
        })
        .op(Op::Bin {
            dst: Local(0),
            op: BinOp::Add,
            a: L(Local(0)),
            b: L(x),
        })
        .op(Op::AtomicRmw {
            dst: None,
            atomic: sum,
            op: RmwOp::FetchAdd,
            src: L(Local(0)),
        });
        b.define(w, g);
        let mut f = FnBuilder::new(0);
        let (h1, h2) = (f.local(), f.local());
        for (h, arg) in [(h1, -1_000_000_000_000), (h2, 7)] {
            f.op(Op::Spawn {
                func: w,
                args: vec![Imm(arg)],
                moves: vec![],
                dst: Some(h),
            });
        }
        for h in [h1, h2] {
            f.op(Op::Join {
                thread: L(h),
                ok: None,
            });
        }
        f
    });
    let r = run(&p, &settings(2, 3, 0));
    assert_eq!(r.outcome.end, End::Finished { stopped: 0 });
    // (-10^12 + 49) + (7 + 49)
    assert_eq!(value(&r.outcome.atomics, "SUM"), -1_000_000_000_000 + 105);
}

#[test]
fn division_by_zero_panics_the_thread_like_rust() {
    let p = program(|_| {
        let mut f = FnBuilder::new(0);
        let x = f.local();
        f.op(Op::Bin {
            dst: x,
            op: BinOp::Div,
            a: Imm(1),
            b: Imm(0),
        });
        f
    });
    let r = run(&p, &settings(1, 3, 0));
    assert_eq!(r.outcome.end, End::MainPanicked);
    assert_eq!(r.outcome.panics[0].message, "attempt to divide by zero");
}

#[test]
fn arithmetic_that_overflows_panics_with_rustcs_message_as_a_debug_build_does() {
    // Each case: the op, its operands, and what `cargo run` prints for `i64`. `counter + 1`
    // (the `Add` fast path) and the general `Bin` path are both covered.
    let cases = [
        (BinOp::Add, Value::MAX, 1, "attempt to add with overflow"),
        (
            BinOp::Sub,
            Value::MIN,
            1,
            "attempt to subtract with overflow",
        ),
        (
            BinOp::Mul,
            Value::MAX / 2 + 1,
            2,
            "attempt to multiply with overflow",
        ),
        (
            BinOp::Div,
            Value::MIN,
            -1,
            "attempt to divide with overflow",
        ),
        (
            BinOp::Rem,
            Value::MIN,
            -1,
            "attempt to calculate the remainder with overflow",
        ),
    ];
    for (op, a, b, message) in cases {
        for in_local in [false, true] {
            let p = program(|_| {
                let mut f = FnBuilder::new(0);
                let (x, y) = (f.local(), f.local());
                // From a local, or folded in as an immediate: `Ins::Add` takes both.
                let a = if in_local {
                    f.op(Op::Set {
                        dst: x,
                        src: Imm(a),
                    });
                    L(x)
                } else {
                    Imm(a)
                };
                f.op(Op::Bin {
                    dst: y,
                    op,
                    a,
                    b: Imm(b),
                });
                f
            });
            let r = run(&p, &settings(1, 3, 0));
            assert_eq!(r.outcome.end, End::MainPanicked, "{op:?}");
            assert_eq!(r.outcome.panics[0].message, message);
        }
        // One short of overflowing is fine.
        let ok = op.apply(
            if a > 0 { a - 1 } else { a + 1 },
            if op == BinOp::Mul { 1 } else { b },
        );
        assert!(ok.is_ok(), "{op:?}");
    }
}

#[test]
fn round_robin_slices_by_quantum_and_fifo_runs_to_completion() {
    let p = work(2, 6);
    let slices = |policy: PolicyKind| {
        let s = Settings {
            policy,
            ..settings(1, 2, 0)
        };
        run(&p, &s)
            .events
            .iter()
            .filter(|e| e.kind == EventKind::Preempt)
            .count()
    };
    assert!(
        slices(PolicyKind::RoundRobin) >= 4,
        "6-tick jobs in 2-tick slices are preempted"
    );
    assert_eq!(slices(PolicyKind::Fifo), 0);
}

#[test]
fn context_switch_cost_is_paid_in_ticks_on_the_core() {
    let p = work(2, 6);
    let cheap = run(&p, &settings(1, 2, 0));
    let dear = run(&p, &settings(1, 2, 3));
    let switches = dear
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Switch)
        .count() as u64;
    assert!(switches >= 3 * 4);
    assert_eq!(dear.outcome.ticks, cheap.outcome.ticks + switches);
}

#[test]
fn yield_now_hands_the_core_to_a_ready_thread() {
    // One core, long slices: the first thread runs before the second. Yielding first,
    // it lets the ready second thread write before it does.
    let build = |yield_first: bool| {
        let mut b = ProgramBuilder::new();
        let x = b.var("X", 0);
        let first = b.declare("first", 0, false);
        let mut f = FnBuilder::new(0);
        if yield_first {
            f.op(Op::Yield);
        }
        f.op(Op::Store {
            var: x,
            src: Imm(1),
        });
        b.define(first, f);
        let second = b.declare("second", 0, false);
        let mut f = FnBuilder::new(0);
        f.op(Op::Store {
            var: x,
            src: Imm(2),
        });
        b.define(second, f);
        spawn_all_then_join(&mut b, &[first, second], |_| {});
        Arc::new(b.finish())
    };
    let s = settings(1, 100, 0);
    assert_eq!(value(&run(&build(false), &s).outcome.vars, "X"), 2);
    assert_eq!(value(&run(&build(true), &s).outcome.vars, "X"), 1);
}
