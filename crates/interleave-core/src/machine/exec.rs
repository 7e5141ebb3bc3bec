//! Running one op: the compact instructions (local arithmetic, jumps, plain memory,
//! atomics, guarded data, work) in one borrow of the thread's context, and the ops that
//! synchronise or block, each handed to its primitive's file.

use super::mutex::unguarded;
use super::*;

/// Whether the thread's next op touches shared state or synchronises: a preemption before
/// a local op changes no outcome, so the explorer does not branch there.
pub(crate) fn next_op_visible(
    threads: &[Thread],
    tasks: &[Task],
    program: &Program,
    t: ThreadId,
) -> bool {
    let th = &threads[t.0 as usize];
    let ctx = match th.current_task {
        Some(task) => &tasks[task.0 as usize].ctx,
        None if th.is_event_loop => return true,
        None => &th.ctx,
    };
    match program.function(ctx.func).body.get(ctx.pc as usize) {
        None => true,
        Some(op) => !matches!(
            op,
            Op::Set { .. }
                | Op::Bin { .. }
                | Op::BinFit { .. }
                | Op::Jump { .. }
                | Op::JumpIfZero { .. }
                | Op::JumpUnless { .. }
                | Op::Work { .. }
                | Op::Assert { .. }
                | Op::AssertCmp { .. }
                | Op::MutexLoad { .. }
                | Op::MutexStore { .. }
                // A thread's own result, and an exited thread's (final) one.
                | Op::ThreadResult { .. }
                | Op::JoinResult { .. }
                // Nothing shared: the scheduler's business, and the thread's own number.
                | Op::Yield
                | Op::CurrentThread { .. }
                | Op::OnceGet { .. }
                // A name is set before its thread starts and never changes.
                | Op::NameNextSpawn { .. }
                | Op::ThreadName { .. }
                // A vector belongs to one thread (see `vec`).
                | Op::VecNew { .. }
                | Op::VecPush { .. }
                | Op::VecLen { .. }
                | Op::VecPop { .. }
                | Op::VecGet { .. }
                | Op::VecSet { .. }
                // A string belongs to the thread that made it (see `text`).
                | Op::Format { .. }
                | Op::TextEq { .. }
                // Its thread's own end; what it reads is the thread's own.
                | Op::Panic { .. }
        ),
    }
}

/// Whether the thread's next op ends an explorer's step: a visible op, or a local op after
/// which the function may return (its last op, or a jump to its end), since returning is
/// visible (joiners wake, the process may end). The explorer and a timed run following a
/// witness cut steps at exactly these ops, so their steps are the same.
pub(crate) fn step_boundary(
    threads: &[Thread],
    tasks: &[Task],
    program: &Program,
    t: ThreadId,
) -> bool {
    if next_op_visible(threads, tasks, program, t) {
        return true;
    }
    let th = &threads[t.0 as usize];
    let ctx = match th.current_task {
        Some(task) => &tasks[task.0 as usize].ctx,
        None => &th.ctx,
    };
    let body = &program.function(ctx.func).body;
    let end = body.len() as u32;
    match body.get(ctx.pc as usize) {
        Some(Op::Jump { target })
        | Some(Op::JumpIfZero { target, .. })
        | Some(Op::JumpUnless { target, .. }) => *target >= end,
        Some(_) => ctx.pc + 1 == end,
        None => true,
    }
}

impl Machine {
    #[inline]
    pub(super) fn operand(&self, t: ThreadId, o: Operand) -> Value {
        self.ctx(t).val(o)
    }

    #[inline]
    /// The op a blocked thread is waiting in: a blocking op moves the pc past itself before
    /// the thread blocks, and whoever wakes it completes the op (its fields say where the
    /// answer goes).
    pub(super) fn blocked_op(&self, t: ThreadId) -> Option<&Op> {
        let ctx = self.ctx(t);
        let pc = (ctx.pc as usize).checked_sub(1)?;
        self.program.function(ctx.func).body.get(pc)
    }

    pub(super) fn set_local(&mut self, t: ThreadId, l: Local, v: Value) {
        self.ctx_mut(t).locals[l.index()] = v;
    }

    /// Sets a local given as a slot, unless it is `NO_SLOT` (a result not kept).
    #[inline]
    pub(super) fn set_slot(&mut self, t: ThreadId, s: Slot, v: Value) {
        if s != NO_SLOT {
            self.ctx_mut(t).locals[s as usize] = v;
        }
    }

    pub(super) fn wait_ticks(&self, t: ThreadId, o: Operand) -> Result<u64, Flow> {
        ticks_within(&self.limits, self.operand(t, o))
    }

    /// Executes the instruction at the thread's pc for one tick.
    ///
    /// The common ops (local arithmetic, jumps, plain memory, atomics, guarded data, work)
    /// are compact instructions that run on one borrow of the thread's context and clock
    /// and advance the pc themselves ([`Flow::Done`]); the ops that synchronise or block run
    /// from their `Op` through the machine's methods ([`Machine::exec_op`]).
    ///
    /// Inlined into the loop over the cores or not, as the sink asks (see
    /// [`Sink::INLINE_STEP`]).
    #[inline(always)]
    pub(super) fn exec(
        &mut self,
        code: &Code,
        t: ThreadId,
        core: u16,
        sink: &mut impl Sink,
    ) -> Flow {
        let now = self.now;
        let th = &mut self.threads[t.0 as usize];
        let task = th.current_task;
        let clock = &mut th.clock;
        let ctx = match task {
            Some(k) => &mut self.tasks[k.0 as usize].ctx,
            None => &mut th.ctx,
        };
        let pc = ctx.pc;
        if pc >= ctx.len {
            // Woken after its last op: returning takes no step of its own.
            return Flow::Return;
        }
        let ins = code.ins[(ctx.start + pc) as usize];
        self.steps += 1;
        let c = Some(core);
        let event = |kind| Event {
            tick: now,
            core: c,
            thread: t,
            task,
            kind,
        };
        sink.event(event(EventKind::Step { pc }));
        // Moves to `target`; falling off the end returns at once, with no tick of its own.
        let len = ctx.len;
        let goto = |ctx: &mut Ctx, target: u32| {
            ctx.pc = target;
            if target >= len {
                Flow::Return
            } else {
                Flow::Done
            }
        };
        let next = pc + 1;
        let access = |ctx: &Ctx, write| Access {
            thread: t,
            func: ctx.func,
            pc,
            tick: now,
            write,
        };
        match ins {
            Ins::Op => {
                let program = &*code.program;
                let op = &program.function(ctx.func).body[pc as usize];
                self.exec_op(program, t, core, op, sink)
            }
            Ins::Set { dst, src } => {
                ctx.locals[dst as usize] = ctx.slot(src);
                goto(ctx, next)
            }
            Ins::Add { dst, a, b } => match ctx.slot(a).checked_add(ctx.slot(b)) {
                Some(v) => {
                    ctx.locals[dst as usize] = v;
                    goto(ctx, next)
                }
                None => Flow::Panic(ADD_OVERFLOW.into(), false),
            },
            Ins::Bin { dst, op, a, b } => match op.apply(ctx.slot(a), ctx.slot(b)) {
                Ok(v) => {
                    ctx.locals[dst as usize] = v;
                    goto(ctx, next)
                }
                Err(msg) => Flow::Panic(msg.into(), false),
            },
            Ins::BinFit { dst, op, a, b, fit } => match op.apply(ctx.slot(a), ctx.slot(b)) {
                Ok(v) if fit.fits(v) => {
                    ctx.locals[dst as usize] = v;
                    goto(ctx, next)
                }
                // `-x` is `0 - x`: out of a signed type's range, it is a negation that
                // overflowed (an unsigned type has no `-x`: `0 - 1` is a subtraction).
                Ok(_) if op == BinOp::Sub && fit.signed && ctx.slot(a) == 0 => {
                    Flow::Panic(crate::program::NEG_OVERFLOW.into(), false)
                }
                Ok(_) => Flow::Panic(op.overflow().into(), false),
                Err(msg) => Flow::Panic(msg.into(), false),
            },
            Ins::Load { dst, var } => {
                let value = self.vars[var.index()];
                self.races.read(var, clock, access(ctx, false));
                ctx.locals[dst as usize] = value;
                sink.event(event(EventKind::Load { var, value }));
                goto(ctx, next)
            }
            Ins::Store { var, src } => {
                let value = ctx.slot(src);
                self.races.write(var, clock, access(ctx, true));
                self.vars[var.index()] = value;
                sink.event(event(EventKind::Store { var, value }));
                goto(ctx, next)
            }
            Ins::AtomicLoad { dst, atomic } => {
                clock.join(&self.atomic_clocks[atomic.index()]);
                let value = self.atomics[atomic.index()];
                ctx.locals[dst as usize] = value;
                sink.event(event(EventKind::AtomicLoad { atomic, value }));
                goto(ctx, next)
            }
            Ins::AtomicStore { atomic, src } => {
                // A store starts a new release sequence: a later load synchronises with
                // this store (and the read-modify-writes after it), not with earlier stores.
                clock.release_into(t, &mut self.atomic_clocks[atomic.index()]);
                let value = ctx.slot(src);
                self.atomics[atomic.index()] = value;
                sink.event(event(EventKind::AtomicStore { atomic, value }));
                goto(ctx, next)
            }
            Ins::AtomicRmw {
                dst,
                atomic,
                op,
                src,
            } => {
                clock.acquire_release(t, &mut self.atomic_clocks[atomic.index()]);
                let arg = ctx.slot(src);
                let old = self.atomics[atomic.index()];
                let new = match op {
                    RmwOp::FetchAdd => old.wrapping_add(arg),
                    RmwOp::FetchSub => old.wrapping_sub(arg),
                    RmwOp::Swap => arg,
                };
                self.atomics[atomic.index()] = new;
                if dst != NO_SLOT {
                    ctx.locals[dst as usize] = old;
                }
                sink.event(event(EventKind::AtomicRmw {
                    atomic,
                    op,
                    old,
                    new,
                }));
                goto(ctx, next)
            }
            Ins::MutexLoad { dst, mutex } => {
                let m = &self.mutexes[mutex.index()];
                if m.owner != Some(t) && m.readers.binary_search(&t).is_err() {
                    return Flow::Panic(unguarded(&code.program, mutex), false);
                }
                ctx.locals[dst as usize] = m.value;
                sink.event(event(EventKind::MutexRead {
                    mutex,
                    value: m.value,
                }));
                goto(ctx, next)
            }
            Ins::MutexStore { mutex, src } => {
                let m = &mut self.mutexes[mutex.index()];
                if m.owner != Some(t) {
                    return Flow::Panic(unguarded(&code.program, mutex), false);
                }
                m.value = ctx.slot(src);
                sink.event(event(EventKind::MutexWrite {
                    mutex,
                    value: m.value,
                }));
                goto(ctx, next)
            }
            Ins::Work { ticks } => {
                if ctx.work_left == 0 {
                    let d = match ticks_within(&self.limits, ctx.slot(ticks)) {
                        Ok(d) => d,
                        Err(f) => return f,
                    };
                    if d <= 1 {
                        return goto(ctx, next);
                    }
                    ctx.work_left = d - 1;
                    Flow::Done
                } else {
                    ctx.work_left -= 1;
                    if ctx.work_left == 0 {
                        goto(ctx, next)
                    } else {
                        Flow::Done
                    }
                }
            }
            Ins::Lock { mutex } => self.lock(t, core, mutex, sink),
            Ins::Unlock { mutex } => {
                if self.mutexes[mutex.index()].owner != Some(t) {
                    return Flow::Panic(
                        format!(
                            "dropped a guard of `{}` it does not hold",
                            code.program.mutexes[mutex.index()].name
                        ),
                        false,
                    );
                }
                self.unlock(t, mutex, c, sink);
                self.advance(t)
            }
            Ins::Send { chan, value, ok } => {
                let (ch, v) = (ctx.slot(chan), ctx.slot(value));
                match self.chan_id(ch) {
                    Ok(ch) => match self.send(t, core, ch, v, ok, sink) {
                        Flow::Next => self.advance(t),
                        flow => flow,
                    },
                    Err(e) => Flow::Panic(e, false),
                }
            }
            Ins::Recv { chan, dst, ok } => {
                let ch = ctx.slot(chan);
                match self.chan_id(ch) {
                    Ok(ch) => match self.recv(t, core, ch, dst, ok, sink) {
                        Flow::Next => self.advance(t),
                        flow => flow,
                    },
                    Err(e) => Flow::Panic(e, false),
                }
            }
            Ins::Jump { target } => goto(ctx, target),
            Ins::JumpIfZero { cond, target } => {
                let target = if ctx.slot(cond) == 0 { target } else { next };
                goto(ctx, target)
            }
            Ins::JumpUnless { a, op, b, target } => match op.apply(ctx.slot(a), ctx.slot(b)) {
                Ok(0) => goto(ctx, target),
                Ok(_) => goto(ctx, next),
                Err(msg) => Flow::Panic(msg.into(), false),
            },
        }
    }

    /// [`Flow::Next`] done on the spot: the thread moves past its op (returning, if that
    /// was its last), so the loop over the cores has nothing left to apply.
    #[inline(always)]
    pub(super) fn advance(&mut self, t: ThreadId) -> Flow {
        let ctx = self.ctx_mut(t);
        ctx.pc += 1;
        if ctx.pc >= ctx.len {
            Flow::Return
        } else {
            Flow::Done
        }
    }

    /// [`Machine::exec`], kept out of the loop over the cores.
    #[inline(never)]
    pub(super) fn exec_outlined(
        &mut self,
        code: &Code,
        t: ThreadId,
        core: u16,
        sink: &mut impl Sink,
    ) -> Flow {
        self.exec(code, t, core, sink)
    }

    /// Executes an op that is not a compact instruction (its step is already counted and
    /// recorded): these synchronise, block, spawn, or check.
    pub(super) fn exec_op(
        &mut self,
        program: &Program,
        t: ThreadId,
        core: u16,
        op: &Op,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        match *op {
            Op::Set { .. }
            | Op::Bin { .. }
            | Op::BinFit { .. }
            | Op::Load { .. }
            | Op::Store { .. }
            | Op::AtomicLoad { .. }
            | Op::AtomicStore { .. }
            | Op::AtomicRmw { .. }
            | Op::MutexLoad { .. }
            | Op::MutexStore { .. }
            | Op::Work { .. }
            | Op::Lock { .. }
            | Op::Unlock { .. }
            | Op::Send { .. }
            | Op::Recv { .. }
            | Op::Jump { .. }
            | Op::JumpIfZero { .. }
            | Op::JumpUnless { .. } => unreachable!("a compact instruction (see `code`)"),
            Op::Assert { cond, msg } => {
                if self.operand(t, cond) != 0 {
                    return Flow::Next;
                }
                self.emit(sink, c, t, EventKind::AssertFailed { msg });
                Flow::Panic(program.messages[msg as usize].clone(), true)
            }
            Op::Panic { msg, ref args } => {
                let values: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
                let text = output::format(&program.messages[msg as usize], &values, &*self);
                self.emit(sink, c, t, EventKind::AssertFailed { msg });
                Flow::Panic(text, true)
            }
            Op::AssertCmp { a, op, b, msg } => {
                let (a, b) = (self.operand(t, a), self.operand(t, b));
                if op.apply(a, b).unwrap_or(0) != 0 {
                    return Flow::Next;
                }
                self.emit(sink, c, t, EventKind::AssertFailed { msg });
                let text = &program.messages[msg as usize];
                Flow::Panic(format!("{text}\n  left: {a}\n right: {b}"), true)
            }
            Op::AtomicCas { .. } => self.compare_exchange(t, core, op, sink),
            Op::TryLock { dst, mutex } => self.try_lock(t, core, dst, mutex, sink),
            Op::ChanNew { cap, tx, rx } => self.chan_new(t, core, cap, (tx, rx), sink),
            Op::CloneSender { chan } => self.clone_sender(t, chan),
            Op::DropHandle {
                chan,
                side: Side::Arc,
            } => self.arc_drop(t, self.operand(t, chan)),
            Op::DropHandle { chan, side } => self.drop_handle(t, chan, side, sink),
            Op::ArcNew { dst, pointee } => self.arc_new(t, dst, pointee),
            Op::ArcClone { arc, dst } => self.arc_clone(t, arc, dst),
            Op::ArcCount { arc, dst } => self.arc_count(t, arc, dst),
            Op::BarrierWait { barrier, leader } => self.barrier_wait(t, barrier, leader, sink),
            Op::CondvarWait { condvar, mutex } => self.condvar_wait(t, core, condvar, mutex, sink),
            Op::ReadLock { mutex } => self.read_lock(t, core, mutex, sink),
            Op::OnceBegin { once, run } => self.once_begin(t, core, once, run, sink),
            Op::OnceEnd { once, value } => {
                let v = self.operand(t, value);
                self.once_end(t, core, once, v, sink);
                Flow::Next
            }
            Op::OncePeek { once, done } => self.once_peek(t, core, once, done, sink),
            Op::OnceGet { once, dst } => {
                self.set_local(t, dst, self.onces[once.index()].value);
                Flow::Next
            }
            Op::Park => self.park(t, core, sink),
            Op::NameNextSpawn { name } => {
                let v = self.operand(t, name);
                self.threads[t.0 as usize].next_name = (v >= 0).then_some(v);
                Flow::Next
            }
            Op::ThreadName { thread, dst, main } => {
                let n = self.operand(t, thread);
                let index = n.checked_sub(1).and_then(|i| usize::try_from(i).ok());
                let name = match index.and_then(|i| self.threads.get(i)) {
                    Some(th) if th.id == ThreadId(0) => Value::from(main),
                    Some(th) => th.name.unwrap_or(-1),
                    None => return Flow::Panic(format!("thread {n} does not exist"), false),
                };
                self.set_local(t, dst, name);
                Flow::Next
            }
            Op::Unpark { thread } => self.unpark(t, core, self.operand(t, thread), sink),
            Op::Yield => {
                // With another thread ready, the slice is used up: the scheduler takes the
                // core at the end of this tick (round robin; FIFO never preempts). With
                // none, the thread goes on, as `sched_yield` returns at once.
                if !self.ready.is_empty() {
                    self.cores[core as usize].ran_ticks = u64::MAX / 2;
                }
                Flow::Next
            }
            Op::CurrentThread { dst } => {
                self.set_local(t, dst, Value::from(t.0) + 1);
                Flow::Next
            }
            Op::RecvTimeout {
                chan,
                ticks,
                dst,
                ok,
            } => {
                let (ch, ticks) = (self.operand(t, chan), self.operand(t, ticks));
                self.recv_timeout(t, core, ch, ticks, (dst, ok), sink)
            }
            Op::TryRecv { chan, dst, ok } => {
                self.try_recv(t, core, self.operand(t, chan), (dst, ok), sink)
            }
            Op::ReadUnlock { mutex } => self.read_unlock(t, c, mutex, sink),
            Op::CondvarNotify { condvar, all } => {
                self.condvar_notify(t, core, condvar, all, sink);
                Flow::Next
            }
            Op::VecNew { dst } => self.vec_new(t, dst),
            Op::VecPush { vec, src } => self.vec_push(t, vec, src),
            Op::VecLen { vec, dst } => self.vec_len(t, vec, dst),
            Op::VecPop { vec, dst, ok } => self.vec_pop(t, vec, dst, ok),
            Op::VecGet { vec, index, dst } => self.vec_index(t, vec, index, Ok(dst)),
            Op::VecSet { vec, index, src } => self.vec_index(t, vec, index, Err(src)),
            Op::Spawn { .. } => self.spawn(t, core, op, sink),
            Op::Join { thread, ok } => self.join(t, thread, ok),
            Op::ThreadResult { src } => {
                self.threads[t.0 as usize].result = self.operand(t, src);
                Flow::Next
            }
            Op::JoinResult { thread, dst } => self.join_result(t, thread, dst),
            Op::Sleep { .. } | Op::BlockingIo { .. } => self.sleep(t, core, op, sink),
            Op::SpawnTask { .. } => self.spawn_task(t, core, op, sink),
            Op::AwaitIo { ticks } => self.await_io(t, core, ticks, sink),
            Op::AwaitTask { task } => self.await_task(t, core, task, sink),
            Op::Print { .. } => self.print(t, core, op, sink),
            Op::Format { msg, ref args, dst } => self.make_text(t, msg, args, dst),
            Op::TextEq { dst, a, b } => {
                let (a, b) = (self.operand(t, a), self.operand(t, b));
                let same =
                    a == b || matches!((self.text(a), self.text(b)), (Some(x), Some(y)) if x == y);
                self.set_local(t, dst, Value::from(same));
                Flow::Next
            }
            Op::Return => Flow::Return,
        }
    }
}
