//! Dead locals: a local that no op will read again before writing it cannot change a
//! thread's future, so two states that differ only there are the same state to the
//! explorer. `let v = COUNTER; COUNTER = v + 1;` leaves `v` behind after the store; without
//! this, every value it last held would make a state of its own, for every thread.
//!
//! The analysis is the textbook backward one over each function's ops: a local is live
//! before an op if the op reads it, or if it is live after the op and the op does not
//! surely write it. Ops that write a local only on some paths (`recv`'s value when the
//! channel is closed, a blocked `send`'s result…) count as not writing it, which keeps
//! more locals than needed and is never wrong. Functions too large for the bound below are
//! not analysed: all their locals count.

use crate::program::{FnId, Function, Op, Operand, Program};

/// Functions with more (ops × locals) than this keep every local (a bitset per op).
const MAX_BITS: usize = 1 << 22;

/// The live locals before each op of each function.
pub struct Live {
    /// Per function: per op, the live locals in order; `None` when not analysed.
    fns: Vec<Option<Vec<Box<[u32]>>>>,
}

impl Live {
    /// Every local counts (no reduction): for comparing against the reduced search.
    pub fn all(program: &Program) -> Live {
        Live {
            fns: program.functions.iter().map(|_| None).collect(),
        }
    }

    pub fn of(program: &Program) -> Live {
        Live {
            fns: program.functions.iter().map(analyse).collect(),
        }
    }

    /// The locals that count in a context of `func` about to run its op at `pc` (`None`:
    /// all of them). At the function's end, none.
    pub fn at(&self, func: FnId, pc: u32) -> Option<&[u32]> {
        let ops = self.fns.get(func.index())?.as_ref()?;
        Some(ops.get(pc as usize).map_or(&[], |l| l))
    }
}

/// Reads and sure writes of one op, and where control goes next.
struct Effect {
    reads: Vec<u32>,
    writes: Vec<u32>,
    /// Falls through to the next op.
    next: bool,
    jump: Option<u32>,
}

fn effect(op: &Op) -> Effect {
    let mut e = Effect {
        reads: Vec::new(),
        writes: Vec::new(),
        next: true,
        jump: None,
    };
    let mut read = |o: &Operand| {
        if let Operand::Local(l) = o {
            e.reads.push(l.0);
        }
    };
    let mut writes: Vec<u32> = Vec::new();
    match op {
        Op::Set { dst, src } => {
            read(src);
            writes.push(dst.0);
        }
        Op::Bin { dst, a, b, .. } | Op::BinFit { dst, a, b, .. } => {
            read(a);
            read(b);
            writes.push(dst.0);
        }
        Op::Load { dst, .. } | Op::AtomicLoad { dst, .. } | Op::MutexLoad { dst, .. } => {
            writes.push(dst.0)
        }
        Op::TryLock { dst, .. } => writes.push(dst.0),
        Op::Store { src, .. } | Op::AtomicStore { src, .. } | Op::MutexStore { src, .. } => {
            read(src)
        }
        Op::AtomicRmw { dst, src, .. } => {
            read(src);
            writes.extend(dst.map(|d| d.0));
        }
        // `ok` and `old` are written on every path, but nothing is lost by keeping them.
        Op::AtomicCas { expected, new, .. } => {
            read(expected);
            read(new);
        }
        Op::Lock { .. }
        | Op::Unlock { .. }
        | Op::CondvarWait { .. }
        | Op::ReadLock { .. }
        | Op::ReadUnlock { .. }
        | Op::CondvarNotify { .. }
        | Op::Return
        | Op::Jump { .. } => {}
        Op::ChanNew { tx, rx, .. } => writes.extend([tx.0, rx.0]),
        Op::Send { chan, value, .. } => {
            read(chan);
            read(value);
        }
        Op::Recv { chan, .. } => read(chan),
        Op::Yield | Op::Park => {}
        Op::NameNextSpawn { name } => read(name),
        Op::ThreadName { thread, dst, .. } => {
            read(thread);
            writes.push(dst.0);
        }
        Op::Unpark { thread } => read(thread),
        Op::OnceBegin { run, .. } => writes.push(run.0),
        Op::OnceEnd { value, .. } => read(value),
        Op::OnceGet { dst, .. } | Op::OncePeek { done: dst, .. } => writes.push(dst.0),
        Op::CurrentThread { dst } => writes.push(dst.0),
        // `dst` is written only when a message came: not a write on every path.
        Op::TryRecv { chan, .. } => read(chan),
        Op::RecvTimeout { chan, ticks, .. } => {
            read(chan);
            read(ticks);
        }
        Op::CloneSender { chan } | Op::DropHandle { chan, .. } => read(chan),
        Op::ArcNew { dst, .. } | Op::VecNew { dst } => writes.push(dst.0),
        Op::BarrierWait { leader, .. } => writes.extend(leader.map(|l| l.0)),
        Op::ArcClone { arc: src, dst }
        | Op::ArcCount { arc: src, dst }
        | Op::VecLen { vec: src, dst } => {
            read(src);
            writes.push(dst.0);
        }
        Op::VecPush { vec, src } => {
            read(vec);
            read(src);
        }
        Op::VecPop { vec, dst, ok } => {
            read(vec);
            writes.push(dst.0);
            writes.push(ok.0);
        }
        Op::VecGet { vec, index, dst } => {
            read(vec);
            read(index);
            writes.push(dst.0);
        }
        Op::VecSet { vec, index, src } => {
            read(vec);
            read(index);
            read(src);
        }
        Op::Spawn {
            args, moves, dst, ..
        } => {
            args.iter().for_each(&mut read);
            moves.iter().for_each(|(o, _)| read(o));
            writes.extend(dst.map(|d| d.0));
        }
        Op::SpawnTask { args, dst, .. } => {
            args.iter().for_each(&mut read);
            writes.extend(dst.map(|d| d.0));
        }
        Op::Join { thread, .. } => read(thread),
        Op::ThreadResult { src } => read(src),
        Op::JoinResult { thread, dst } => {
            read(thread);
            writes.push(dst.0);
        }
        Op::Sleep { ticks }
        | Op::BlockingIo { ticks }
        | Op::Work { ticks }
        | Op::AwaitIo { ticks } => read(ticks),
        Op::AwaitTask { task } => read(task),
        Op::Print { args, .. } | Op::Panic { args, .. } => args.iter().for_each(&mut read),
        Op::Format { args, dst, .. } => {
            args.iter().for_each(&mut read);
            writes.push(dst.0);
        }
        Op::TextEq { dst, a, b } => {
            read(a);
            read(b);
            writes.push(dst.0);
        }
        Op::JumpIfZero { cond, .. } | Op::Assert { cond, .. } => read(cond),
        Op::JumpUnless { a, b, .. } | Op::AssertCmp { a, b, .. } => {
            read(a);
            read(b);
        }
    }
    e.writes = writes;
    match op {
        Op::Return => e.next = false,
        Op::Jump { target } => {
            e.next = false;
            e.jump = Some(*target);
        }
        Op::JumpIfZero { target, .. } | Op::JumpUnless { target, .. } => e.jump = Some(*target),
        _ => {}
    }
    e
}

fn analyse(f: &Function) -> Option<Vec<Box<[u32]>>> {
    let (n, locals) = (f.body.len(), f.locals as usize);
    if n.saturating_mul(locals.max(1)) > MAX_BITS {
        return None;
    }
    let words = locals.div_ceil(64).max(1);
    let effects: Vec<Effect> = f.body.iter().map(effect).collect();
    // live[pc]: the locals live before op pc; live[n]: none (the function has returned).
    let mut live = vec![0u64; (n + 1) * words];
    let bit = |l: u32| ((l as usize) / 64, 1u64 << (l % 64));
    let mut changed = true;
    while changed {
        changed = false;
        for pc in (0..n).rev() {
            let e = &effects[pc];
            let mut out = vec![0u64; words];
            let succs = e
                .next
                .then_some(pc + 1)
                .into_iter()
                .chain(e.jump.map(|t| (t as usize).min(n)));
            for s in succs {
                for (w, x) in out.iter_mut().zip(&live[s * words..(s + 1) * words]) {
                    *w |= x;
                }
            }
            for &l in e.writes.iter().filter(|&&l| (l as usize) < locals) {
                let (w, b) = bit(l);
                out[w] &= !b;
            }
            for &l in e.reads.iter().filter(|&&l| (l as usize) < locals) {
                let (w, b) = bit(l);
                out[w] |= b;
            }
            let here = &mut live[pc * words..(pc + 1) * words];
            if here != out.as_slice() {
                here.copy_from_slice(&out);
                changed = true;
            }
        }
    }
    Some(
        (0..n)
            .map(|pc| {
                (0..locals as u32)
                    .filter(|&l| {
                        let (w, b) = bit(l);
                        live[pc * words + w] & b != 0
                    })
                    .collect()
            })
            .collect(),
    )
}
