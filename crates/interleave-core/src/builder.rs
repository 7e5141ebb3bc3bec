//! A small assembler for programs: named declarations, locals, labels. Tests build
//! programs with it, and the scenario compiler emits through it.

use crate::program::*;

#[derive(Default)]
pub struct ProgramBuilder {
    program: Program,
}

impl Default for Program {
    fn default() -> Self {
        Program {
            vars: Vec::new(),
            atomics: Vec::new(),
            mutexes: Vec::new(),
            barriers: Vec::new(),
            condvars: Vec::new(),
            rwlocks: Vec::new(),
            vector_mutexes: Vec::new(),
            channel_holes: Vec::new(),
            bools: Vec::new(),
            onces: Vec::new(),
            functions: Vec::new(),
            main: FnId(0),
            messages: Vec::new(),
        }
    }
}

impl ProgramBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn var(&mut self, name: &str, init: Value) -> VarId {
        self.program.vars.push(Decl {
            name: name.into(),
            init,
        });
        VarId(self.program.vars.len() as u32 - 1)
    }

    pub fn atomic(&mut self, name: &str, init: Value) -> AtomicId {
        self.program.atomics.push(Decl {
            name: name.into(),
            init,
        });
        AtomicId(self.program.atomics.len() as u32 - 1)
    }

    pub fn mutex(&mut self, name: &str, init: Value) -> MutexId {
        self.program.mutexes.push(Decl {
            name: name.into(),
            init,
        });
        MutexId(self.program.mutexes.len() as u32 - 1)
    }

    /// A barrier for `n` threads.
    pub fn barrier(&mut self, name: &str, n: Value) -> BarrierId {
        self.program.barriers.push(Decl {
            name: name.into(),
            init: n,
        });
        BarrierId(self.program.barriers.len() as u32 - 1)
    }

    /// An `RwLock<i64>`: a mutex that also has read locks.
    pub fn rwlock(&mut self, name: &str, init: Value) -> MutexId {
        let m = self.mutex(name, init);
        self.program.rwlocks.push(m);
        m
    }

    /// The static, atomic or mutex `name` holds a `bool`.
    pub fn bool_named(&mut self, name: &str) {
        self.program.bools.push(name.into());
    }

    /// The channels the `ChanNew` at `pc` of `func` makes carry what `hole` prints.
    pub fn channel_hole(&mut self, func: FnId, pc: u32, hole: String) {
        self.program.channel_holes.push((func, pc, hole));
    }

    /// `m` holds a vector (its value is the vector's number) of what `hole` prints.
    pub fn vector_mutex(&mut self, m: MutexId, hole: char) {
        self.program.vector_mutexes.push((m, hole));
    }

    /// A `Once` (`lock` false) or an `OnceLock` (`lock` true).
    pub fn once(&mut self, name: &str, lock: bool) -> OnceId {
        self.program.onces.push(Decl {
            name: name.into(),
            init: Value::from(lock),
        });
        OnceId(self.program.onces.len() as u32 - 1)
    }

    /// A condition variable.
    pub fn condvar(&mut self, name: &str) -> CondvarId {
        self.program.condvars.push(Decl {
            name: name.into(),
            init: 0,
        });
        CondvarId(self.program.condvars.len() as u32 - 1)
    }

    pub fn message(&mut self, text: &str) -> u32 {
        self.program.messages.push(text.into());
        self.program.messages.len() as u32 - 1
    }

    /// Reserves a function id (so functions can refer to each other before being defined).
    pub fn declare(&mut self, name: &str, params: u32, is_async: bool) -> FnId {
        self.program.functions.push(Function {
            name: name.into(),
            locals: params,
            params,
            is_async,
            body: Vec::new(),
            lines: Vec::new(),
            names: Vec::new(),
        });
        FnId(self.program.functions.len() as u32 - 1)
    }

    /// Fills a declared function's body.
    pub fn define(&mut self, id: FnId, f: FnBuilder) {
        let func = &mut self.program.functions[id.index()];
        func.locals = func.params.max(f.locals);
        let labels = f.labels;
        func.body = f
            .body
            .into_iter()
            .map(|op| match op {
                Op::Jump { target } => Op::Jump {
                    target: labels[target as usize],
                },
                Op::JumpIfZero { cond, target } => Op::JumpIfZero {
                    cond,
                    target: labels[target as usize],
                },
                Op::JumpUnless { a, op, b, target } => Op::JumpUnless {
                    a,
                    op,
                    b,
                    target: labels[target as usize],
                },
                op => op,
            })
            .collect();
        func.lines = f.lines;
        let end = func.body.len() as u32;
        func.names = f.names;
        for n in &mut func.names {
            n.to = n.to.min(end);
        }
    }

    pub fn set_main(&mut self, id: FnId) {
        self.program.main = id;
    }

    /// The program built so far (names, for messages).
    pub fn program(&self) -> &Program {
        &self.program
    }

    pub fn finish(self) -> Program {
        self.program
    }
}

/// Builds one function body. Jumps name labels; `define` resolves them to op indices.
#[derive(Default)]
pub struct FnBuilder {
    body: Vec<Op>,
    lines: Vec<u32>,
    locals: u32,
    labels: Vec<u32>,
    line: u32,
    names: Vec<LocalName>,
}

/// A jump target created by `FnBuilder::label`.
#[derive(Clone, Copy, Debug)]
pub struct Label(u32);

impl FnBuilder {
    /// `params` locals are the parameters, in order.
    pub fn new(params: u32) -> Self {
        FnBuilder {
            locals: params,
            ..Default::default()
        }
    }

    pub fn local(&mut self) -> Local {
        self.locals += 1;
        Local(self.locals - 1)
    }

    /// `local` is called `name` in the source from the next op on (see [`LocalName`]).
    pub fn name(&mut self, local: Local, name: &str) -> &mut Self {
        self.names.push(LocalName {
            local,
            name: name.into(),
            from: self.body.len() as u32,
            to: u32::MAX,
        });
        self
    }

    /// `local`'s name goes out of scope before the next op.
    pub fn unname(&mut self, local: Local) -> &mut Self {
        let at = self.body.len() as u32;
        if let Some(n) = self
            .names
            .iter_mut()
            .rev()
            .find(|n| n.local == local && n.to == u32::MAX)
        {
            n.to = at;
        }
        self
    }

    /// The index the next op will have.
    pub fn next_op(&self) -> u32 {
        self.body.len() as u32
    }

    /// The source line that following ops belong to.
    pub fn line(&mut self, line: u32) -> &mut Self {
        self.line = line;
        self
    }

    pub fn op(&mut self, op: Op) -> &mut Self {
        self.body.push(op);
        self.lines.push(self.line);
        self
    }

    pub fn label(&mut self) -> Label {
        self.labels.push(u32::MAX);
        Label(self.labels.len() as u32 - 1)
    }

    /// Places `label` at the next op.
    pub fn bind(&mut self, label: Label) -> &mut Self {
        self.labels[label.0 as usize] = self.body.len() as u32;
        self
    }

    pub fn jump(&mut self, to: Label) -> &mut Self {
        self.op(Op::Jump { target: to.0 })
    }

    /// Jump to `to` unless `a op b` holds (one op).
    pub fn jump_unless(&mut self, a: Operand, op: BinOp, b: Operand, to: Label) -> &mut Self {
        self.op(Op::JumpUnless {
            a,
            op,
            b,
            target: to.0,
        })
    }

    pub fn jump_if_zero(&mut self, cond: Operand, to: Label) -> &mut Self {
        self.op(Op::JumpIfZero { cond, target: to.0 })
    }

    /// `var += by` on plain memory: load, add, store (three ticks; racy).
    pub fn plain_add(&mut self, var: VarId, by: Value) -> &mut Self {
        let t = self.local();
        self.op(Op::Load { dst: t, var })
            .op(Op::Bin {
                dst: t,
                op: BinOp::Add,
                a: Operand::Local(t),
                b: Operand::Imm(by),
            })
            .op(Op::Store {
                var,
                src: Operand::Local(t),
            })
    }

    /// `{ let mut g = m.lock(); *g += by; }`: lock, read, add, write, unlock.
    pub fn locked_add(&mut self, m: MutexId, by: Value) -> &mut Self {
        let t = self.local();
        self.op(Op::Lock { mutex: m })
            .op(Op::MutexLoad { dst: t, mutex: m })
            .op(Op::Bin {
                dst: t,
                op: BinOp::Add,
                a: Operand::Local(t),
                b: Operand::Imm(by),
            })
            .op(Op::MutexStore {
                mutex: m,
                src: Operand::Local(t),
            })
            .op(Op::Unlock { mutex: m })
    }

    /// `for _ in 0..n { body }` with a fresh counter local.
    pub fn repeat(&mut self, n: Value, body: impl FnOnce(&mut FnBuilder)) -> &mut Self {
        let i = self.local();
        let cond = self.local();
        let top = self.label();
        let done = self.label();
        self.op(Op::Set {
            dst: i,
            src: Operand::Imm(0),
        });
        self.bind(top);
        self.op(Op::Bin {
            dst: cond,
            op: BinOp::Lt,
            a: Operand::Local(i),
            b: Operand::Imm(n),
        });
        self.jump_if_zero(Operand::Local(cond), done);
        body(self);
        self.op(Op::Bin {
            dst: i,
            op: BinOp::Add,
            a: Operand::Local(i),
            b: Operand::Imm(1),
        });
        self.jump(top);
        self.bind(done)
    }
}
