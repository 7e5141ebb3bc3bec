//! Programs shared by the integration tests, built the way the scenario compiler will.
#![allow(dead_code)]

use interleave_core::builder::{FnBuilder, ProgramBuilder};
use interleave_core::program::*;
use interleave_core::rng::Rng;
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

/// A worker parks twice; main unparks it twice, then joins it. A thread has one token, so
/// when both unparks come before the first park, the second park waits forever.
pub fn park_twice() -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let x = b.var("X", 0);
    let w = b.declare("worker", 0, false);
    let mut f = FnBuilder::new(0);
    f.op(Op::Park);
    f.op(Op::Park);
    f.op(Op::Store {
        var: x,
        src: Operand::Imm(1),
    });
    b.define(w, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let h = f.local();
    f.op(Op::Spawn {
        func: w,
        args: vec![],
        moves: vec![],
        dst: Some(h),
    });
    for _ in 0..2 {
        f.op(Op::Unpark {
            thread: Operand::Imm(2),
        });
    }
    f.op(Op::Join {
        thread: Operand::Local(h),
        ok: None,
    });
    b.define(main, f);
    b.set_main(main);
    Arc::new(b.finish())
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

/// A random program: 2–4 workers mixing plain, atomic and locked updates, work, sleep,
/// try_lock, and a producer feeding main through a channel of random capacity.
pub fn generate(rng: &mut Rng) -> Arc<Program> {
    generate_sized(rng, [3, 3, 6, 6])
}

/// [`generate`] with `2 + below(size[0])` workers of `size[1] + below(size[2])` ops each,
/// and a producer of `1 + below(size[3])` messages.
pub fn generate_sized(rng: &mut Rng, size: [u64; 4]) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let vars = [b.var("X", 0), b.var("Y", 0)];
    let tried = b.var("T", 0);
    let atomic = b.atomic("A", 0);
    let mutexes = [b.mutex("M", 0), b.mutex("N", 0)];
    let workers = 2 + rng.below(size[0]) as usize;
    // Some programs have every worker meet at a barrier once (a deadlock where one never
    // arrives, which the generator lets happen).
    let barrier = (rng.below(3) == 0).then(|| b.barrier("B", workers as Value));
    // A condvar used with `N`, whose value is the flag its waiters wait for.
    let cv = b.condvar("C");
    let rw = b.rwlock("R", 0);
    let once = b.once("O", true);
    let mut ids = Vec::new();
    for w in 0..workers {
        // Each worker holds a clone of main's `Arc` (in its first local).
        let id = b.declare(&format!("w{w}"), 1, false);
        let mut f = FnBuilder::new(1);
        if let Some(barrier) = barrier.filter(|_| rng.below(4) != 0) {
            f.plain_add(vars[0], 1);
            let leader = f.local();
            f.op(Op::BarrierWait {
                barrier,
                leader: Some(leader),
            });
            // Who led shows in the outcome: the leader adds its worker's number.
            let skip = f.label();
            f.jump_if_zero(Operand::Local(leader), skip);
            f.plain_add(vars[1], w as Value + 1);
            f.bind(skip);
        }
        for _ in 0..size[1] + rng.below(size[2]) {
            match rng.below(16) {
                14 => {
                    f.op(Op::Park);
                }
                15 => {
                    // Unpark a worker (main is thread number 1, the workers 2, 3, …).
                    let target = 2 + rng.below(workers as u64) as Value;
                    f.op(Op::Unpark {
                        thread: Operand::Imm(target),
                    });
                }
                13 => {
                    // `O.get_or_init(|| …)`: the first to come adds to X and sets the
                    // value to its worker's number; everyone keeps the value in Y.
                    let (run, got, skip) = (f.local(), f.local(), f.label());
                    f.op(Op::OnceBegin { once, run });
                    f.jump_if_zero(Operand::Local(run), skip);
                    f.plain_add(vars[0], 1);
                    f.op(Op::OnceEnd {
                        once,
                        value: Operand::Imm(w as Value + 1),
                    });
                    f.bind(skip);
                    f.op(Op::OnceGet { once, dst: got });
                    f.op(Op::Store {
                        var: vars[1],
                        src: Operand::Local(got),
                    });
                }
                11 => {
                    // Read `R` under a read lock, and keep what was seen.
                    let t = f.local();
                    f.op(Op::ReadLock { mutex: rw });
                    f.op(Op::MutexLoad { dst: t, mutex: rw });
                    f.op(Op::ReadUnlock { mutex: rw });
                    f.op(Op::Store {
                        var: vars[1],
                        src: Operand::Local(t),
                    });
                }
                12 => {
                    f.locked_add(rw, 1);
                }
                9 => {
                    // Wait until N is not 0 — re-checked in a loop, or (a lost wake-up
                    // bug) waited for once without looking.
                    let (t, top, wait, done) = (f.local(), f.label(), f.label(), f.label());
                    let check = rng.below(2) == 0;
                    f.op(Op::Lock { mutex: mutexes[1] });
                    f.bind(top);
                    if check {
                        f.op(Op::MutexLoad {
                            dst: t,
                            mutex: mutexes[1],
                        });
                        f.jump_if_zero(Operand::Local(t), wait);
                        f.jump(done);
                    }
                    f.bind(wait);
                    f.op(Op::CondvarWait {
                        condvar: cv,
                        mutex: mutexes[1],
                    });
                    f.op(Op::Lock { mutex: mutexes[1] });
                    if check {
                        f.jump(top);
                    }
                    f.bind(done);
                    f.op(Op::Unlock { mutex: mutexes[1] });
                }
                10 => {
                    // Set the flag and notify, inside the lock or after it.
                    let all = rng.below(2) == 0;
                    let inside = rng.below(2) == 0;
                    f.op(Op::Lock { mutex: mutexes[1] });
                    f.op(Op::MutexStore {
                        mutex: mutexes[1],
                        src: Operand::Imm(w as Value + 1),
                    });
                    if inside {
                        f.op(Op::CondvarNotify { condvar: cv, all });
                    }
                    f.op(Op::Unlock { mutex: mutexes[1] });
                    if !inside {
                        f.op(Op::CondvarNotify { condvar: cv, all });
                    }
                }
                0 => {
                    f.plain_add(vars[rng.below(2) as usize], 1);
                }
                1 => {
                    f.op(Op::AtomicRmw {
                        dst: None,
                        atomic,
                        op: RmwOp::FetchAdd,
                        src: Operand::Imm(1),
                    });
                }
                2 => {
                    f.locked_add(mutexes[rng.below(2) as usize], 1);
                }
                3 => {
                    f.op(Op::Work {
                        ticks: Operand::Imm(1 + rng.below(3) as Value),
                    });
                }
                4 => {
                    f.op(Op::Sleep {
                        ticks: Operand::Imm(1 + rng.below(3) as Value),
                    });
                }
                5 => {
                    let m = mutexes[rng.below(2) as usize];
                    let ok = f.local();
                    let skip = f.label();
                    f.op(Op::TryLock { dst: ok, mutex: m });
                    f.jump_if_zero(Operand::Local(ok), skip);
                    f.op(Op::Unlock { mutex: m });
                    f.bind(skip);
                }
                7 => {
                    let t = f.local();
                    f.op(Op::ArcCount {
                        arc: Operand::Local(Local(0)),
                        dst: t,
                    });
                    // Kept where the outcome shows it.
                    f.op(Op::Store {
                        var: vars[1],
                        src: Operand::Local(t),
                    });
                }
                8 => {
                    let v = f.local();
                    f.op(Op::VecNew { dst: v });
                    f.op(Op::VecPush {
                        vec: Operand::Local(v),
                        src: Operand::Imm(1),
                    });
                }
                _ => {
                    let t = f.local();
                    f.op(Op::AtomicLoad { dst: t, atomic });
                }
            }
        }
        b.define(id, f);
        ids.push(id);
    }
    let producer = b.declare("producer", 1, false);
    let mut f = FnBuilder::new(1);
    let n = 1 + rng.below(size[3]) as Value;
    for v in 1..=n {
        f.op(Op::Send {
            chan: Operand::Local(Local(0)),
            value: Operand::Imm(v * 10),
            ok: None,
        });
    }
    b.define(producer, f);
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let cap = match rng.below(3) {
        0 => None,
        1 => Some(0),
        _ => Some(1 + rng.below(3) as u32),
    };
    let (tx, rx, v, ok) = (f.local(), f.local(), f.local(), f.local());
    f.op(Op::ChanNew { cap, tx, rx });
    let arc = f.local();
    f.op(Op::ArcNew {
        dst: arc,
        pointee: Pointee::Mutex(mutexes[0]),
    });
    let handles: Vec<Local> = ids
        .iter()
        .map(|&id| {
            let (h, clone) = (f.local(), f.local());
            f.op(Op::ArcClone {
                arc: Operand::Local(arc),
                dst: clone,
            });
            f.op(Op::Spawn {
                func: id,
                args: vec![Operand::Local(clone)],
                moves: vec![(Operand::Local(clone), Side::Arc)],
                dst: Some(h),
            });
            h
        })
        .collect();
    f.op(Op::Spawn {
        func: producer,
        args: vec![Operand::Local(tx)],
        moves: vec![(Operand::Local(tx), Side::Sender)],
        dst: None,
    });
    if rng.below(2) == 0 {
        // A `try_recv` first: what it found (a message, empty, or disconnected) is kept.
        let (got, status) = (f.local(), f.local());
        f.op(Op::TryRecv {
            chan: Operand::Local(rx),
            dst: got,
            ok: status,
        });
        f.op(Op::Bin {
            dst: got,
            op: BinOp::Add,
            a: Operand::Local(got),
            b: Operand::Local(status),
        });
        f.op(Op::Store {
            var: tried,
            src: Operand::Local(got),
        });
    }
    let top = f.label();
    let done = f.label();
    f.bind(top);
    f.op(Op::Recv {
        chan: Operand::Local(rx),
        dst: v,
        ok: Some(ok),
    });
    f.jump_if_zero(Operand::Local(ok), done);
    f.jump(top);
    f.bind(done);
    for h in handles {
        f.op(Op::Join {
            thread: Operand::Local(h),
            ok: None,
        });
    }
    b.define(main, f);
    b.set_main(main);
    Arc::new(b.finish())
}

pub fn kinds(r: &interleave_core::run::Run, t: u32) -> Vec<interleave_core::trace::EventKind> {
    r.events
        .iter()
        .filter(|e| e.thread == interleave_core::trace::ThreadId(t))
        .map(|e| e.kind)
        .collect()
}

pub fn value(o: &[(String, Value)], name: &str) -> Value {
    o.iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .expect("declared")
}

/// main: body(f); workers are declared by `setup` and spawned by `body` as it likes.
pub fn program(setup: impl FnOnce(&mut ProgramBuilder) -> FnBuilder) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let main = b.declare("main", 0, false);
    let f = setup(&mut b);
    b.define(main, f);
    b.set_main(main);
    Arc::new(b.finish())
}

/// A program in the shape symmetry applies to (see `explore::symmetry`): 2 to 4 workers
/// sharing only statics and atomics, most running the same function (some with different
/// arguments), a few with a child of their own; `main` joins them in a random order, in a
/// run or not, keeping a joined thread's value or not. Some workers can fail an
/// assertion, where symmetry must give way.
pub fn generate_symmetric(rng: &mut Rng) -> Arc<Program> {
    let mut b = ProgramBuilder::new();
    let x = b.var("X", 0);
    let y = b.var("Y", 0);
    let a = b.atomic("A", 0);
    let msg = b.message("assertion failed: X < 2");
    let child = b.declare("child", 0, false);
    let mut f = FnBuilder::new(0);
    f.plain_add(y, 1);
    b.define(child, f);
    // Each kind of worker twice, as two functions with the same body (as two closures of
    // the same text compile): copies are interchangeable too.
    let kinds = 1 + rng.below(2) as usize;
    let choices: Vec<Vec<u64>> = (0..kinds)
        .map(|_| (0..1 + rng.below(3)).map(|_| rng.below(9)).collect())
        .collect();
    let funcs: Vec<FnId> = (0..kinds * 2)
        .map(|k| {
            let id = b.declare(&format!("w{k}"), 1, false);
            let mut f = FnBuilder::new(1);
            for &choice in &choices[k / 2] {
                match choice {
                    0 | 1 => {
                        f.plain_add(x, 1);
                    }
                    2 => {
                        f.op(Op::AtomicRmw {
                            dst: None,
                            atomic: a,
                            op: RmwOp::FetchAdd,
                            src: Operand::Local(Local(0)),
                        });
                    }
                    3 => {
                        // A compare-and-swap loop that adds 1 to A.
                        let (old, new, ok, top) = (f.local(), f.local(), f.local(), f.label());
                        f.bind(top);
                        f.op(Op::AtomicLoad {
                            dst: old,
                            atomic: a,
                        });
                        f.op(Op::Bin {
                            dst: new,
                            op: BinOp::Add,
                            a: Operand::Local(old),
                            b: Operand::Imm(1),
                        });
                        f.op(Op::AtomicCas {
                            ok: Some(ok),
                            old: None,
                            atomic: a,
                            expected: Operand::Local(old),
                            new: Operand::Local(new),
                        });
                        f.jump_if_zero(Operand::Local(ok), top);
                    }
                    4 => {
                        // What this worker saw of A goes into Y.
                        let t = f.local();
                        f.op(Op::AtomicLoad { dst: t, atomic: a });
                        f.op(Op::Store {
                            var: y,
                            src: Operand::Local(t),
                        });
                    }
                    5 => {
                        let h = f.local();
                        f.op(Op::Spawn {
                            func: child,
                            args: vec![],
                            moves: vec![],
                            dst: Some(h),
                        });
                        f.plain_add(x, 1);
                        f.op(Op::Join {
                            thread: Operand::Local(h),
                            ok: None,
                        });
                    }
                    6 => {
                        let t = f.local();
                        f.op(Op::Load { dst: t, var: x });
                        f.op(Op::AssertCmp {
                            a: Operand::Local(t),
                            op: BinOp::Lt,
                            b: Operand::Imm(2),
                            msg,
                        });
                    }
                    7 => {
                        f.op(Op::Yield);
                    }
                    _ => {
                        f.op(Op::ThreadResult {
                            src: Operand::Local(Local(0)),
                        });
                    }
                }
            }
            b.define(id, f);
            id
        })
        .collect();
    let main = b.declare("main", 0, false);
    let mut f = FnBuilder::new(0);
    let n = 2 + rng.below(3) as usize;
    let mut handles: Vec<Local> = (0..n)
        .map(|i| {
            let h = f.local();
            f.op(Op::Spawn {
                func: funcs[rng.below(kinds as u64 * 2) as usize],
                args: vec![Operand::Imm(if rng.below(3) == 0 { i as Value } else { 1 })],
                moves: vec![],
                dst: Some(h),
            });
            h
        })
        .collect();
    for i in (1..n).rev() {
        handles.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let keep = rng.below(3) == 0;
    for (i, &h) in handles.iter().enumerate() {
        if i == 1 && rng.below(4) == 0 {
            f.plain_add(x, 10);
        }
        let ok = (rng.below(4) == 0).then(|| f.local());
        f.op(Op::Join {
            thread: Operand::Local(h),
            ok,
        });
    }
    if keep {
        let v = f.local();
        f.op(Op::JoinResult {
            thread: Operand::Local(handles[0]),
            dst: v,
        });
        f.op(Op::Store {
            var: y,
            src: Operand::Local(v),
        });
    }
    b.define(main, f);
    b.set_main(main);
    Arc::new(b.finish())
}
