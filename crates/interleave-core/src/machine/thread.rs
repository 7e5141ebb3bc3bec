//! Threads: spawn, join, sleep and blocking calls, and a thread's exit (returning, or
//! panicking: guards are released and poisoned, handles dropped, joiners woken; `main`
//! returning ends the process). Its conflict rule for the explorer is `touches`.

use super::access::{Accesses, Object};
use super::*;

impl Machine {
    /// A thread ends: it returned, panicked, or was the event loop with nothing left.
    pub(super) fn exit(
        &mut self,
        t: ThreadId,
        core: Option<usize>,
        panicked: bool,
        sink: &mut impl Sink,
    ) {
        if let Some(c) = core {
            self.cores[c].thread = None;
        }
        self.threads[t.0 as usize].state = ThreadState::Exited { panicked };
        self.emit(
            sink,
            core.map(|c| c as u16),
            t,
            EventKind::Exit { panicked },
        );
        if t == ThreadId(0) {
            // Returning from main ends the process, whatever other threads are doing.
            let stopped = self
                .threads
                .iter()
                .filter(|th| !matches!(th.state, ThreadState::Exited { .. }))
                .count() as u32;
            self.emit(sink, None, t, EventKind::ProcessExit { stopped });
            self.end = Some(if panicked {
                End::MainPanicked
            } else {
                End::Finished { stopped }
            });
            return;
        }
        if self.event_loop == Some(t) {
            self.event_loop = None;
        }
        if panicked {
            // Unwinding drops every guard: release and poison.
            // (A read guard releases without poisoning, as std's does.)
            for m in 0..self.mutexes.len() {
                if self.mutexes[m].owner == Some(t) {
                    self.mutexes[m].poisoned = true;
                    self.unlock(t, MutexId(m as u32), None, sink);
                }
                if self.mutexes[m].readers.contains(&t) {
                    self.read_unlock(t, None, MutexId(m as u32), sink);
                }
            }
        }
        self.once_abandoned(t, sink);
        // A finished closure drops what it captured: its `Arc`s and channel handles.
        self.arcs_exit(t);
        for ch in 0..self.channels.len() {
            while let Some(i) = self.channels[ch].senders.iter().position(|&s| s == t) {
                self.drop_sender(t, ChanId(ch as u32), i, sink);
            }
            if self.channels[ch].receiver == Some(t) {
                self.drop_receiver(t, ChanId(ch as u32), sink);
            }
        }
        // Wake joiners.
        for i in 0..self.threads.len() {
            if self.threads[i].state == ThreadState::Blocked(BlockReason::Join(t)) {
                let j = ThreadId(i as u32);
                let exited = self.thread(t).clock.clone();
                self.threads[i].clock.join(&exited);
                self.finish_join(j, panicked, sink);
            }
        }
    }

    /// Completes a join for a woken joiner (its pc is already past the Join op).
    pub(super) fn finish_join(&mut self, j: ThreadId, panicked: bool, sink: &mut impl Sink) {
        let ctx = self.ctx(j);
        let op = &self.program.function(ctx.func).body[ctx.pc as usize - 1];
        if let Op::Join { ok, .. } = op {
            match ok {
                Some(l) => {
                    let l = *l;
                    self.ctx_mut(j).locals[l.index()] = (!panicked) as Value;
                }
                None if panicked => {
                    // `.join().unwrap()` on a panicked thread panics the joiner. It runs
                    // that panic when it next gets a core: mark by rewinding to the Join.
                    self.ctx_mut(j).pc -= 1;
                }
                None => {}
            }
        }
        self.make_ready(j, sink);
    }

    /// `thread::spawn`: the child starts ready, with its arguments and the handles moved into it.
    pub(super) fn spawn(&mut self, t: ThreadId, core: u16, op: &Op, sink: &mut impl Sink) -> Flow {
        let c = Some(core);
        let Op::Spawn {
            func,
            ref args,
            ref moves,
            dst,
        } = *op
        else {
            unreachable!("called for a spawn")
        };
        if self.threads.len() >= self.limits.max_threads as usize {
            return Flow::End(End::Limit(Limit::Threads));
        }
        let args: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
        let mut handles = Vec::with_capacity(moves.len());
        let mut arcs = Vec::new();
        for &(o, side) in moves {
            let held = match side {
                Side::Arc => self.arc_held(t, self.operand(t, o)).map(|a| arcs.push(a)),
                _ => self.chan(t, o).map(|ch| handles.push((ch, side))),
            };
            if let Err(e) = held {
                return Flow::Panic(e, false);
            }
        }
        let ctx = Ctx::new(&self.code, func, &args);
        let child = self.new_thread(ctx, Some(t), false);
        self.threads[child.0 as usize].name = self.threads[t.0 as usize].next_name.take();
        self.threads[t.0 as usize].clock.tick(t);
        for a in arcs {
            self.arc_move(t, a, child);
        }
        for (ch, side) in handles {
            let chan = &mut self.channels[ch.0 as usize];
            match side {
                Side::Arc => {}
                Side::Sender => {
                    if let Some(i) = chan.senders.iter().position(|&s| s == t) {
                        chan.senders[i] = child;
                    }
                }
                Side::Receiver => {
                    if chan.receiver == Some(t) {
                        chan.receiver = Some(child);
                    }
                }
            }
        }
        if let Some(d) = dst {
            self.set_local(t, d, child.0 as Value);
        }
        self.emit(sink, c, t, EventKind::Spawn(child));
        Flow::Next
    }

    /// `handle.join()`: at once if the thread has exited, else blocked until it does.
    pub(super) fn join(&mut self, t: ThreadId, thread: Operand, ok: Option<Local>) -> Flow {
        let target = self.operand(t, thread);
        if target <= 0 || target as usize >= self.threads.len() || target as u32 == t.0 {
            return Flow::Panic(
                format!("{target} is not a thread this thread can join"),
                false,
            );
        }
        let target = ThreadId(target as u32);
        match self.thread(target).state {
            ThreadState::Exited { panicked } => {
                let exited = self.thread(target).clock.clone();
                self.threads[t.0 as usize].clock.join(&exited);
                match ok {
                    Some(l) => self.set_local(t, l, (!panicked) as Value),
                    None if panicked => {
                        return Flow::Panic(
                            "called `Result::unwrap()` on an `Err` value: Any { .. }".into(),
                            false,
                        )
                    }
                    None => {}
                }
                Flow::Next
            }
            _ => {
                self.ctx_mut(t).pc += 1;
                Flow::Block(BlockReason::Join(target))
            }
        }
    }

    /// `thread::sleep(d)` and a blocking call: off the core until a timer wakes it.
    pub(super) fn sleep(&mut self, t: ThreadId, core: u16, op: &Op, sink: &mut impl Sink) -> Flow {
        let c = Some(core);
        let (Op::Sleep { ticks } | Op::BlockingIo { ticks }) = *op else {
            unreachable!("called for a sleep or a blocking call")
        };
        let d = match self.wait_ticks(t, ticks) {
            Ok(d) => d,
            Err(f) => return f,
        };
        let blocking = matches!(op, Op::BlockingIo { .. });
        self.ctx_mut(t).pc += 1;
        let until = self.now + 1 + d;
        self.add_timer(until, Timer::Wake(t));
        if blocking {
            self.emit(
                sink,
                c,
                t,
                EventKind::IoStart {
                    until,
                    blocking: true,
                },
            );
            Flow::Block(BlockReason::BlockingIo { until })
        } else {
            Flow::Block(BlockReason::Sleep { until })
        }
    }
}

impl Machine {
    /// The value of a thread already joined (so exited): what its closure returned.
    pub(super) fn join_result(&mut self, t: ThreadId, thread: Operand, dst: Local) -> Flow {
        let target = self.operand(t, thread);
        match usize::try_from(target)
            .ok()
            .and_then(|i| self.threads.get(i))
        {
            Some(th) if matches!(th.state, ThreadState::Exited { .. }) => {
                let v = th.result;
                self.set_local(t, dst, v);
                Flow::Next
            }
            _ => Flow::Panic(format!("{target} is not a thread that has finished"), false),
        }
    }
}

/// Conflict rule: spawning writes the table of threads (the child's number depends on the
/// order) and the child; exiting writes the thread; waiting to join it reads it. `main`
/// returning ends the process, and a panic reaches further than these rules follow (it
/// releases and poisons guards, wakes joiners): both conflict with every step.
pub(crate) fn touches(kind: &EventKind, thread: ThreadId, acc: &mut Accesses) {
    match *kind {
        EventKind::Spawn(child) => {
            acc.add(Object::ThreadTable, true);
            acc.add(Object::Thread(child.0), true);
        }
        EventKind::Exit { .. } => acc.add(Object::Thread(thread.0), true),
        EventKind::Block(BlockReason::Join(j)) => acc.add(Object::Thread(j.0), false),
        EventKind::ProcessExit { .. } | EventKind::AssertFailed { .. } | EventKind::Panic => {
            acc.add(Object::Everything, true)
        }
        _ => {}
    }
}

/// The rest of the rule, for what makes no event: a join reads the joined thread even when
/// it has already exited; a spawn writes each channel whose handle moves into the child.
pub(crate) fn touches_op(m: &Machine, t: ThreadId, op: &Op, acc: &mut Accesses) {
    match op {
        Op::Join { thread, .. } => {
            if let Ok(j) = u32::try_from(m.operand(t, *thread)) {
                acc.add(Object::Thread(j), false);
            }
        }
        Op::Spawn { moves, .. } => {
            for &(handle, side) in moves {
                let v = m.operand(t, handle);
                match side {
                    Side::Arc => super::arc::touches_handle(v, acc),
                    _ => super::channel::touches_handle(v, acc),
                }
            }
        }
        _ => {}
    }
}
