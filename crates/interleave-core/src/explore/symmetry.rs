//! Symmetry: two states that differ only in which thread is which — thread 2 is where
//! thread 3 is and the other way round — have the same future, renamed. The search keys a
//! state by a canonical renaming, so it visits one of them.
//!
//! # When it applies
//!
//! Only to programs whose threads share nothing but plain statics and atomics, and whose
//! thread numbers nothing can see: no locks, condvars, barriers, onces, channels, `Arc`s,
//! vectors, tasks, thread names or ids, parking; a join handle lives in a local that only
//! `spawn` writes and only `join` reads. There the machine's rules never look at a
//! thread's number, so renaming threads (in every place a number is kept: handles,
//! parents, joins, panics, the sleep set) maps executions to executions, outcome to the
//! same outcome, and counts stay exact. `main` is never renamed (its return ends the
//! process).
//!
//! # Runs of joins
//!
//! `a.join(); b.join(); c.join();` fixes an order, so the thread `main` joins first is not
//! interchangeable with the others even when they run the same code. A join waits without
//! stepping (see `step`), so it adds no choice to an execution: in a run of consecutive
//! joins whose handles are not read after it, the order does not change the outcomes or
//! the number of executions — provided no joined thread panics (an `unwrap` of the first
//! panicked thread joined ends `main` sooner or later depending on the order). So a thread
//! in such a run is keyed by the *set* of threads it still joins. (Its step may be in the
//! sleep set: it was taken from an earlier state, so the thread it joins next had exited,
//! and a join of an exited thread comes first in every execution that follows — so with
//! it asleep no execution is left to count, whichever thread it joins.) If any
//! thread other than `main` panics, or a deadlock is found (its description names
//! threads), the search stops and runs again without symmetry: `explore` does that.

use super::fingerprint::Hasher;
use super::live::Live;
use crate::machine::{Machine, ThreadState};
use crate::program::{Function, Op, Operand, Program};
use crate::trace::{Action, BlockReason, ThreadId};

const NO_RUN: u32 = u32::MAX;

/// What the renaming needs to know about a program (see the module doc).
pub struct Symmetry {
    /// Per function, per local: a join handle.
    handles: Vec<Vec<bool>>,
    /// Per function, per op: the end of the run of joins it is in, or `NO_RUN`.
    run_end: Vec<Vec<u32>>,
    /// Per function, the first function with the same body: two threads running copies
    /// of one closure (each `spawn` of the same text compiles to a function of its own)
    /// are interchangeable.
    class: Vec<u32>,
}

/// Functions compared for equal bodies at most (pairs grow as the square).
const MAX_COMPARED: usize = 256;

/// The locals an op (of those allowed) reads and may write; `None` for an op that rules
/// symmetry out.
fn effect(op: &Op) -> Option<(Vec<Operand>, Vec<u32>)> {
    let l = |x: &crate::program::Local| x.0;
    Some(match op {
        Op::Set { dst, src } => (vec![*src], vec![l(dst)]),
        Op::Bin { dst, a, b, .. } | Op::BinFit { dst, a, b, .. } => (vec![*a, *b], vec![l(dst)]),
        Op::Load { dst, .. } | Op::AtomicLoad { dst, .. } => (vec![], vec![l(dst)]),
        Op::Store { src, .. } | Op::AtomicStore { src, .. } => (vec![*src], vec![]),
        Op::AtomicRmw { dst, src, .. } => (vec![*src], dst.iter().map(l).collect()),
        Op::AtomicCas {
            ok,
            old,
            expected,
            new,
            ..
        } => (
            vec![*expected, *new],
            ok.iter().chain(old.iter()).map(l).collect(),
        ),
        Op::Spawn {
            args, moves, dst, ..
        } if moves.is_empty() => (args.clone(), dst.iter().map(l).collect()),
        Op::Join { thread, ok } => (vec![*thread], ok.iter().map(l).collect()),
        Op::ThreadResult { src } => (vec![*src], vec![]),
        Op::JoinResult { thread, dst } => (vec![*thread], vec![l(dst)]),
        Op::Sleep { ticks } | Op::BlockingIo { ticks } | Op::Work { ticks } => {
            (vec![*ticks], vec![])
        }
        Op::Yield | Op::Return | Op::Jump { .. } => (vec![], vec![]),
        Op::JumpIfZero { cond, .. } | Op::Assert { cond, .. } => (vec![*cond], vec![]),
        Op::JumpUnless { a, b, .. } | Op::AssertCmp { a, b, .. } => (vec![*a, *b], vec![]),
        Op::Print { args, .. } => (args.clone(), vec![]),
        _ => return None,
    })
}

/// The join handles of `f`, or `None` when one is used otherwise than by `join`.
fn handles_of(f: &Function) -> Option<Vec<bool>> {
    let mut handles = vec![false; f.locals as usize];
    for op in &f.body {
        if let Op::Spawn { dst: Some(d), .. } = op {
            *handles.get_mut(d.index())? = true;
        }
    }
    let is_handle = |o: &Operand| matches!(o, Operand::Local(l) if handles[l.index()]);
    for op in &f.body {
        let (reads, writes) = effect(op)?;
        let by_spawn = matches!(op, Op::Spawn { .. });
        if !by_spawn && writes.iter().any(|&w| handles[w as usize]) {
            return None;
        }
        let handle_reader = matches!(op, Op::Join { .. } | Op::JoinResult { .. });
        if !handle_reader && reads.iter().any(is_handle) {
            return None;
        }
    }
    Some(handles)
}

/// The runs of `f`: consecutive joins of distinct handles, each dead after the run.
fn runs_of(f: &Function, handles: &[bool], live: &Live, func: crate::program::FnId) -> Vec<u32> {
    let mut run_end = vec![NO_RUN; f.body.len()];
    let joined = |op: &Op| match op {
        Op::Join {
            thread: Operand::Local(h),
            ..
        } if handles[h.index()] => Some(h.0),
        _ => None,
    };
    let mut start = 0;
    while start < f.body.len() {
        let mut end = start;
        let mut hs: Vec<u32> = Vec::new();
        while let Some(h) = f.body.get(end).and_then(joined) {
            if hs.contains(&h) {
                break;
            }
            hs.push(h);
            end += 1;
        }
        let dead_after = live
            .at(func, end as u32)
            .is_some_and(|after| !after.iter().any(|l| hs.contains(l)));
        if hs.len() >= 2 && dead_after {
            run_end[start..end].fill(end as u32);
        }
        start = end.max(start + 1);
    }
    run_end
}

impl Symmetry {
    /// The program's symmetry, when it applies (see the module doc).
    pub fn of(program: &Program, live: &Live) -> Option<Symmetry> {
        if !(program.mutexes.is_empty()
            && program.barriers.is_empty()
            && program.onces.is_empty()
            && program.condvars.is_empty())
        {
            return None;
        }
        let handles: Vec<Vec<bool>> = program
            .functions
            .iter()
            .map(handles_of)
            .collect::<Option<_>>()?;
        let run_end = program
            .functions
            .iter()
            .zip(&handles)
            .enumerate()
            .map(|(i, (f, h))| runs_of(f, h, live, crate::program::FnId(i as u32)))
            .collect();
        let fns = &program.functions;
        let class = (0..fns.len())
            .map(|i| {
                let same = |j: &usize| {
                    let (a, b) = (&fns[i], &fns[*j]);
                    a.params == b.params && a.locals == b.locals && a.body == b.body
                };
                let first = if fns.len() <= MAX_COMPARED {
                    (0..i).find(same).unwrap_or(i)
                } else {
                    i
                };
                first as u32
            })
            .collect();
        Some(Symmetry {
            handles,
            run_end,
            class,
        })
    }

    /// The key of `m` with the sleep set `asleep`: the same for states that are renamings
    /// of each other, different (but for a 2⁻¹²⁸ chance, see `fingerprint`) otherwise.
    pub fn key(&self, m: &Machine, live: &Live, asleep: impl Iterator<Item = Action>) -> u128 {
        let n = m.threads.len();
        // Rename: `main` stays 0; the others in the order of what they are doing.
        let mut order: Vec<(u128, usize)> =
            (1..n).map(|i| (self.descriptor(m, live, i), i)).collect();
        order.sort_unstable();
        let mut new_of = vec![0u64; n];
        let mut old_of = vec![0usize; n];
        for (k, &(_, old)) in order.iter().enumerate() {
            new_of[old] = k as u64 + 1;
            old_of[k + 1] = old;
        }
        let map = |v: i64| -> u64 {
            match usize::try_from(v) {
                Ok(i) if i < n => new_of[i],
                _ => v as u64,
            }
        };
        let mut h = Hasher::new();
        super::fingerprint::end_words(&mut h, m);
        h.word(n as u64);
        for &old in &old_of {
            let t = &m.threads[old];
            let state = match t.state {
                ThreadState::Ready | ThreadState::Running { .. } => [1, 0],
                ThreadState::Blocked(BlockReason::Join(j)) => [2, map(j.0.into())],
                ThreadState::Blocked(r) => [3, super::fingerprint::reason_word(r)],
                ThreadState::Exited { panicked } => [4, panicked.into()],
            };
            h.words(state);
            h.words([
                t.parent.map_or(u64::MAX, |p| map(p.0.into())),
                t.result as u64,
                u64::from(t.park_token),
            ]);
            if matches!(t.state, ThreadState::Exited { .. }) {
                continue;
            }
            self.ctx_words(&mut h, m, live, old, &map);
        }
        h.words(m.vars.iter().map(|&v| v as u64));
        h.words(m.atomics.iter().map(|&v| v as u64));
        let mut panics: Vec<(u64, &str)> = m
            .panics
            .iter()
            .map(|p| (map(p.thread.0.into()), p.message.as_str()))
            .collect();
        panics.sort_unstable();
        h.word(panics.len() as u64);
        for (t, msg) in panics {
            h.word(t);
            h.words(msg.bytes().map(u64::from));
        }
        super::fingerprint::output_words(&mut h, m);
        let mut sleep: Vec<u64> = asleep
            .map(|a| match a {
                Action::Run(t) => map(t.0.into()) << 1,
                Action::CompleteIo(k) => (u64::from(k.0) << 1) | 1,
            })
            .collect();
        sleep.sort_unstable();
        h.word(u64::MAX);
        h.words(sleep);
        h.finish()
    }

    /// What thread `i` is doing, without the numbers of other threads: the order of the
    /// renaming. (Ties are broken by number, which costs merges, never correctness.)
    fn descriptor(&self, m: &Machine, live: &Live, i: usize) -> u128 {
        let t = &m.threads[i];
        let mut h = Hasher::new();
        h.words([
            match t.state {
                ThreadState::Ready | ThreadState::Running { .. } => 1,
                ThreadState::Blocked(r) => 2 + (super::fingerprint::reason_word(r) << 2),
                ThreadState::Exited { panicked } => 3 + (u64::from(panicked) << 2),
            },
            u64::from(t.parent == Some(ThreadId(0))),
            t.result as u64,
        ]);
        if !matches!(t.state, ThreadState::Exited { .. }) {
            let ctx = &t.ctx;
            let handles = &self.handles[ctx.func.index()];
            h.words([
                self.class[ctx.func.index()].into(),
                ctx.pc.into(),
                ctx.work_left,
            ]);
            each_live(m, live, ctx, |l| {
                let v = ctx.locals.get(l as usize).copied().unwrap_or(0);
                let handle = handles.get(l as usize).copied().unwrap_or(false);
                h.word(if handle { u64::from(v != 0) } else { v as u64 });
            });
        }
        h.finish()
    }

    /// Thread `old`'s context, its handles renamed; in a run of joins (and ready to go on),
    /// the set of threads it still joins rather than their order.
    fn ctx_words(
        &self,
        h: &mut Hasher,
        m: &Machine,
        live: &Live,
        old: usize,
        map: &dyn Fn(i64) -> u64,
    ) {
        let t = &m.threads[old];
        let ctx = &t.ctx;
        let f = ctx.func.index();
        let handles = &self.handles[f];
        let body = &m.program.functions[f].body;
        let end = self.run_end[f]
            .get(ctx.pc as usize)
            .copied()
            .unwrap_or(NO_RUN);
        let in_run = end != NO_RUN && !matches!(t.state, ThreadState::Blocked(_));
        h.words([self.class[f].into(), ctx.work_left]);
        let mut skip: Vec<u32> = Vec::new();
        if in_run {
            let mut pending: Vec<(u64, u64)> = body[ctx.pc as usize..end as usize]
                .iter()
                .filter_map(|op| match op {
                    Op::Join {
                        thread: Operand::Local(l),
                        ok,
                    } => {
                        skip.push(l.0);
                        let target = map(ctx.locals[l.index()]);
                        Some((target, ok.map_or(u64::MAX, |o| o.0.into())))
                    }
                    _ => None,
                })
                .collect();
            h.words([u64::MAX, u64::from(end)]);
            pending.sort_unstable();
            h.word(pending.len() as u64);
            for (a, b) in pending {
                h.words([a, b]);
            }
        } else {
            h.word(ctx.pc.into());
        }
        each_live(m, live, ctx, |l| {
            if skip.contains(&l) {
                return;
            }
            let v = ctx.locals.get(l as usize).copied().unwrap_or(0);
            if handles.get(l as usize).copied().unwrap_or(false) {
                h.word(map(v));
            } else {
                h.word(v as u64);
            }
        });
    }
}

/// Calls `f` with each local of `ctx` that counts (see `live`): all of them where it did
/// not analyse.
fn each_live(m: &Machine, live: &Live, ctx: &crate::machine::Ctx, mut f: impl FnMut(u32)) {
    match live.at(ctx.func, ctx.pc) {
        Some(which) => which.iter().for_each(|&l| f(l)),
        None => (0..m.program.function(ctx.func).locals).for_each(f),
    }
}
