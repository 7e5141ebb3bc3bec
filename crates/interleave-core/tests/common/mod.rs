//! Programs shared by the integration tests, built the way the scenario compiler will.
#![allow(dead_code)]

use interleave_core::builder::{FnBuilder, ProgramBuilder};
use interleave_core::program::*;
use interleave_core::run::{simulate, Run};
use interleave_core::settings::{PolicyKind, Settings};
use std::sync::Arc;

pub fn settings(cores: u32, quantum: u64, switch: u64) -> Settings {
    Settings {
        cores,
        quantum_ticks: quantum,
        switch_cost_ticks: switch,
        ..Settings::default()
    }
}

pub fn random(cores: u32, seed: u64) -> Settings {
    Settings {
        cores,
        policy: PolicyKind::Random,
        seed,
        quantum_ticks: 3,
        switch_cost_ticks: 0,
        ..Settings::default()
    }
}

pub fn run(p: &Arc<Program>, s: &Settings) -> Run {
    simulate(Arc::clone(p), s).expect("valid program and settings")
}

/// main spawns each function once (no args), then joins them all in order, then `tail`.
pub fn spawn_all_then_join(
    b: &mut ProgramBuilder,
    workers: &[FnId],
    tail: impl FnOnce(&mut FnBuilder),
) {
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let handles: Vec<Local> = workers
        .iter()
        .map(|&w| {
            let h = f.local();
            f.op(Op::Spawn {
                func: w,
                args: vec![],
                moves: vec![],
                dst: Some(h),
            });
            h
        })
        .collect();
    for h in handles {
        f.op(Op::Join {
            thread: Operand::Local(h),
            ok: None,
        });
    }
    tail(&mut f);
    b.define(main, f);
    b.set_main(main);
}

/// The lost update: two threads do `COUNTER += 1` `n` times on plain memory; main asserts
/// the total.
pub fn lost_update(n: Value) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let counter = b.var("COUNTER", 0);
    let msg = b.message("assertion `left == right` failed: COUNTER");
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.repeat(n, |f| {
        f.plain_add(counter, 1);
    });
    b.define(w, f);
    spawn_all_then_join(&mut b, &[w, w], |f| {
        let v = f.local();
        let ok = f.local();
        f.op(Op::Load {
            dst: v,
            var: counter,
        })
        .op(Op::Bin {
            dst: ok,
            op: BinOp::Eq,
            a: Operand::Local(v),
            b: Operand::Imm(2 * n),
        })
        .op(Op::Assert {
            cond: Operand::Local(ok),
            msg,
        });
    });
    Arc::new(b.finish())
}

/// The same with a `Mutex<i64>`.
pub fn mutex_counter(n: Value) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let m = b.mutex("COUNTER", 0);
    let msg = b.message("assertion `left == right` failed: COUNTER");
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.repeat(n, |f| {
        f.locked_add(m, 1);
    });
    b.define(w, f);
    spawn_all_then_join(&mut b, &[w, w], |f| {
        let v = f.local();
        let ok = f.local();
        f.op(Op::Lock { mutex: m })
            .op(Op::MutexLoad { dst: v, mutex: m })
            .op(Op::Unlock { mutex: m })
            .op(Op::Bin {
                dst: ok,
                op: BinOp::Eq,
                a: Operand::Local(v),
                b: Operand::Imm(2 * n),
            })
            .op(Op::Assert {
                cond: Operand::Local(ok),
                msg,
            });
    });
    Arc::new(b.finish())
}

/// Two threads take locks A and B in opposite orders, with `gap` ticks of work between.
pub fn two_lock_deadlock(gap: Value) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let a = b.mutex("A", 0);
    let bm = b.mutex("B", 0);
    let t1 = b.declare("left", 0, false);
    let t2 = b.declare("right", 0, false);
    for (id, first, second) in [(t1, a, bm), (t2, bm, a)] {
        let mut f = FnBuilder::new(0);
        f.op(Op::Lock { mutex: first })
            .op(Op::Work {
                ticks: Operand::Imm(gap),
            })
            .op(Op::Lock { mutex: second })
            .op(Op::Unlock { mutex: second })
            .op(Op::Unlock { mutex: first });
        b.define(id, f);
    }
    spawn_all_then_join(&mut b, &[t1, t2], |_| {});
    Arc::new(b.finish())
}

/// CPU-bound work: `threads` workers each burn `ticks`.
pub fn work(threads: usize, ticks: Value) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Work {
        ticks: Operand::Imm(ticks),
    });
    b.define(w, f);
    spawn_all_then_join(&mut b, &vec![w; threads], |_| {});
    Arc::new(b.finish())
}
