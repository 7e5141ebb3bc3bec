//! The program as the machine runs it: every function's ops pre-decoded into one flat
//! array of 16-byte instructions, built once per run.
//!
//! An [`Op`] is 64 bytes (the widest carries two `Vec`s), operands are tagged (a local or
//! a constant), and finding one means looking up its function first. On a busy machine the
//! cores interleave many threads at different places in different functions, so that
//! fetch missed the cache on most steps. Here the common ops (local arithmetic, jumps,
//! plain memory, atomics, locks and data behind a guard, channel sends and receives, work)
//! are compact, every operand is a slot
//! in the context's locals (a function's constants are put in slots after its locals when
//! a context is made), and a context knows where its function starts. The rest keep their
//! `Op` ([`Ins::Op`]) and run through the general path; they are rare and costly anyway.

use crate::program::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A slot in a context's locals: one of the function's locals, or a constant after them.
pub(crate) type Slot = u32;
/// No slot (an optional result that is not kept).
pub(crate) const NO_SLOT: Slot = Slot::MAX;

/// One pre-decoded op. Same meaning as the [`Op`] of the same name.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ins {
    /// Run the function's `Op` at this pc.
    Op,
    Set {
        dst: Slot,
        src: Slot,
    },
    Bin {
        op: BinOp,
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    BinFit {
        op: BinOp,
        fit: IntTy,
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    /// `Bin` with `BinOp::Add`, the commonest: one dispatch a step rather than two (the
    /// op's and the operation's), which the CPU mispredicts less.
    Add {
        dst: Slot,
        a: Slot,
        b: Slot,
    },
    Load {
        dst: Slot,
        var: VarId,
    },
    Store {
        var: VarId,
        src: Slot,
    },
    AtomicLoad {
        dst: Slot,
        atomic: AtomicId,
    },
    AtomicStore {
        atomic: AtomicId,
        src: Slot,
    },
    AtomicRmw {
        op: RmwOp,
        /// `NO_SLOT`: the old value is not kept.
        dst: Slot,
        atomic: AtomicId,
        src: Slot,
    },
    MutexLoad {
        dst: Slot,
        mutex: MutexId,
    },
    MutexStore {
        mutex: MutexId,
        src: Slot,
    },
    Work {
        ticks: Slot,
    },
    Lock {
        mutex: MutexId,
    },
    Unlock {
        mutex: MutexId,
    },
    Send {
        chan: Slot,
        value: Slot,
        /// `NO_SLOT`: the result is not kept.
        ok: Slot,
    },
    Recv {
        chan: Slot,
        dst: Slot,
        /// `NO_SLOT`: the result is not kept.
        ok: Slot,
    },
    Jump {
        target: u32,
    },
    JumpIfZero {
        cond: Slot,
        target: u32,
    },
    JumpUnless {
        op: BinOp,
        a: Slot,
        b: Slot,
        target: u32,
    },
}

const _: () = assert!(std::mem::size_of::<Ins>() == 16);

/// Where a function's instructions are, and what its contexts start with.
#[derive(Debug)]
pub(crate) struct FnCode {
    pub start: u32,
    pub len: u32,
    pub locals: u32,
    /// Constant slots, after the locals.
    pub consts: Vec<Value>,
}

pub(crate) struct Code {
    pub program: Arc<Program>,
    pub ins: Vec<Ins>,
    pub fns: Vec<FnCode>,
}

impl Code {
    /// Decodes a valid program (see [`Program::validate`], which bounds locals and ops so
    /// that every slot fits a `u32`).
    pub fn new(program: Arc<Program>) -> Code {
        let mut ins = Vec::new();
        let mut fns = Vec::with_capacity(program.functions.len());
        for f in &program.functions {
            let start = ins.len() as u32;
            let mut consts = BTreeMap::new();
            let mut slot = |o: Operand| match o {
                Operand::Local(l) => l.0,
                Operand::Imm(v) => {
                    let next = f.locals + consts.len() as u32;
                    *consts.entry(v).or_insert(next)
                }
            };
            ins.extend(f.body.iter().map(|op| decode(op, &mut slot)));
            let mut table = vec![0; consts.len()];
            for (v, s) in consts {
                table[(s - f.locals) as usize] = v;
            }
            fns.push(FnCode {
                start,
                len: f.body.len() as u32,
                locals: f.locals,
                consts: table,
            });
        }
        Code { program, ins, fns }
    }
}

impl std::fmt::Debug for Code {
    /// Derived from the program, so it prints as nothing (machines in the same state print
    /// the same, and short).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code")
    }
}

fn decode(op: &Op, slot: &mut impl FnMut(Operand) -> Slot) -> Ins {
    let local = |l: Local| l.0;
    match *op {
        Op::Set { dst, src } => Ins::Set {
            dst: local(dst),
            src: slot(src),
        },
        Op::Bin {
            dst,
            op: BinOp::Add,
            a,
            b,
        } => Ins::Add {
            dst: local(dst),
            a: slot(a),
            b: slot(b),
        },
        Op::Bin { dst, op, a, b } => Ins::Bin {
            op,
            dst: local(dst),
            a: slot(a),
            b: slot(b),
        },
        Op::BinFit { dst, op, a, b, fit } => Ins::BinFit {
            op,
            fit,
            dst: local(dst),
            a: slot(a),
            b: slot(b),
        },
        Op::Load { dst, var } => Ins::Load {
            dst: local(dst),
            var,
        },
        Op::Store { var, src } => Ins::Store {
            var,
            src: slot(src),
        },
        Op::AtomicLoad { dst, atomic } => Ins::AtomicLoad {
            dst: local(dst),
            atomic,
        },
        Op::AtomicStore { atomic, src } => Ins::AtomicStore {
            atomic,
            src: slot(src),
        },
        Op::AtomicRmw {
            dst,
            atomic,
            op,
            src,
        } => Ins::AtomicRmw {
            op,
            dst: dst.map_or(NO_SLOT, local),
            atomic,
            src: slot(src),
        },
        Op::MutexLoad { dst, mutex } => Ins::MutexLoad {
            dst: local(dst),
            mutex,
        },
        Op::MutexStore { mutex, src } => Ins::MutexStore {
            mutex,
            src: slot(src),
        },
        Op::Work { ticks } => Ins::Work { ticks: slot(ticks) },
        Op::Lock { mutex } => Ins::Lock { mutex },
        Op::Unlock { mutex } => Ins::Unlock { mutex },
        Op::Send { chan, value, ok } => Ins::Send {
            chan: slot(chan),
            value: slot(value),
            ok: ok.map_or(NO_SLOT, local),
        },
        Op::Recv { chan, dst, ok } => Ins::Recv {
            chan: slot(chan),
            dst: local(dst),
            ok: ok.map_or(NO_SLOT, local),
        },
        Op::Jump { target } => Ins::Jump { target },
        Op::JumpIfZero { cond, target } => Ins::JumpIfZero {
            cond: slot(cond),
            target,
        },
        Op::JumpUnless { a, op, b, target } => Ins::JumpUnless {
            op,
            a: slot(a),
            b: slot(b),
            target,
        },
        _ => Ins::Op,
    }
}
