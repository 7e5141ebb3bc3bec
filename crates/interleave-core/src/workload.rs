//! Standard workloads for benchmarks: the same program natively and in wasm.

use crate::builder::{FnBuilder, ProgramBuilder};
use crate::program::*;

/// The heavy mix: `pairs` producer/consumer pairs (so 2·pairs threads plus main), each
/// thread looping `iterations` times over local arithmetic (`x = x * -1 + 1`, which stays
/// 0 or 1, as arithmetic that overflows panics), `work`, a plain update of its
/// own variable, an atomic `fetch_add`, a locked update of one of four mutexes, and a
/// message through its pair's `sync_channel(4)`.
pub fn heavy_mix(pairs: u32, iterations: Value) -> Program {
    let mut b = ProgramBuilder::new();
    let hits = b.atomic("HITS", 0);
    let mutexes: Vec<MutexId> = (0..4).map(|i| b.mutex(&format!("M{i}"), 0)).collect();
    let vars: Vec<VarId> = (0..2 * pairs).map(|i| b.var(&format!("V{i}"), 0)).collect();
    let mut roles = Vec::new();
    for i in 0..2 * pairs {
        let producer = i % 2 == 0;
        let id = b.declare(if producer { "producer" } else { "consumer" }, 1, false);
        let mut f = FnBuilder::new(1);
        let (x, ok) = (f.local(), f.local());
        let chan = Operand::Local(Local(0));
        f.repeat(iterations, |f| {
            f.op(Op::Bin {
                dst: x,
                op: BinOp::Mul,
                a: Operand::Local(x),
                b: Operand::Imm(-1),
            })
            .op(Op::Bin {
                dst: x,
                op: BinOp::Add,
                a: Operand::Local(x),
                b: Operand::Imm(1),
            })
            .op(Op::Work {
                ticks: Operand::Imm(2),
            })
            .plain_add(vars[i as usize], 1)
            .op(Op::AtomicRmw {
                dst: None,
                atomic: hits,
                op: RmwOp::FetchAdd,
                src: Operand::Imm(1),
            })
            .locked_add(mutexes[(i % 4) as usize], 1);
            if producer {
                f.op(Op::Send {
                    chan,
                    value: Operand::Local(x),
                    ok: None,
                });
            } else {
                f.op(Op::Recv {
                    chan,
                    dst: x,
                    ok: Some(ok),
                });
            }
        });
        b.define(id, f);
        roles.push((id, producer));
    }
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let mut handles = Vec::new();
    for pair in roles.chunks(2) {
        let (tx, rx) = (f.local(), f.local());
        f.op(Op::ChanNew {
            cap: Some(4),
            tx,
            rx,
        });
        for &(id, producer) in pair {
            let (end, side) = if producer {
                (tx, Side::Sender)
            } else {
                (rx, Side::Receiver)
            };
            let h = f.local();
            f.op(Op::Spawn {
                func: id,
                args: vec![Operand::Local(end)],
                moves: vec![(Operand::Local(end), side)],
                dst: Some(h),
            });
            handles.push(h);
        }
    }
    for h in handles {
        f.op(Op::Join {
            thread: Operand::Local(h),
            ok: None,
        });
    }
    b.define(main, f);
    b.set_main(main);
    b.finish()
}

/// `threads` threads each do `COUNTER += 1` (a plain load and store) `increments` times;
/// main joins them all. The explorer's benchmark: every total from `increments` (all but
/// one thread's updates lost... at worst) to `threads · increments` is possible.
pub fn lost_update(threads: u32, increments: Value) -> Program {
    let mut b = ProgramBuilder::new();
    let counter = b.var("COUNTER", 0);
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.repeat(increments, |f| {
        f.plain_add(counter, 1);
    });
    b.define(w, f);
    spawn_and_join(&mut b, &vec![w; threads as usize]);
    b.finish()
}

/// `n` dining philosophers, one bite each: philosopher i locks fork i, then fork i+1 (the
/// last one's right fork is fork 0), eats, and puts both down. Deadlocks when every
/// philosopher holds a left fork.
pub fn dining(n: u32) -> Program {
    let mut b = ProgramBuilder::new();
    let forks: Vec<MutexId> = (0..n).map(|i| b.mutex(&format!("F{i}"), 0)).collect();
    let ids: Vec<FnId> = (0..n as usize)
        .map(|i| {
            let id = b.declare(&format!("p{i}"), 0, false);
            let (left, right) = (forks[i], forks[(i + 1) % n as usize]);
            let mut f = FnBuilder::new(0);
            f.op(Op::Lock { mutex: left })
                .op(Op::Lock { mutex: right })
                .op(Op::Work {
                    ticks: Operand::Imm(2),
                })
                .op(Op::Unlock { mutex: right })
                .op(Op::Unlock { mutex: left });
            b.define(id, f);
            id
        })
        .collect();
    spawn_and_join(&mut b, &ids);
    b.finish()
}

/// main spawns each function once, then joins them in order.
fn spawn_and_join(b: &mut ProgramBuilder, workers: &[FnId]) {
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
    b.define(main, f);
    b.set_main(main);
}
