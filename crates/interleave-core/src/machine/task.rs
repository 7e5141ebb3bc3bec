//! Async tasks on the event loop: spawning a task (the loop starts with the first), polling,
//! `.await` on I/O or on another task, waking, finishing. Its conflict rule for the
//! explorer is `touches`.

use super::access::{Accesses, Object};
use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// In the event loop's queue.
    Queued,
    Polling,
    /// Suspended at an `.await` on I/O until `until`.
    AwaitingIo {
        until: u64,
    },
    AwaitingTask(TaskId),
    Done,
}

#[derive(Clone, Debug)]
pub struct Task {
    pub id: TaskId,
    pub state: TaskState,
    pub ctx: Ctx,
}

impl Machine {
    /// The task's waker: queue it on the event loop, and wake the loop if it was idle.
    pub(crate) fn wake_task(&mut self, task: TaskId, sink: &mut impl Sink) {
        let lp = self
            .event_loop
            .expect("a task exists only with an event loop");
        self.tasks[task.0 as usize].state = TaskState::Queued;
        self.task_queue.push_back(task);
        sink.event(Event {
            tick: self.now,
            core: None,
            thread: lp,
            task: Some(task),
            kind: EventKind::TaskWake(task),
        });
        if self.thread(lp).state == ThreadState::Blocked(BlockReason::EventLoopIdle) {
            self.make_ready(lp, sink);
        }
    }

    /// After the loop's current task yields or finishes: poll on, sleep, or exit.
    pub(super) fn event_loop_idle(&mut self, lp: ThreadId, c: usize, sink: &mut impl Sink) {
        if !self.task_queue.is_empty() {
            return; // stays on the core and polls the next task next tick
        }
        let pending = self.tasks.iter().any(|t| t.state != TaskState::Done);
        if pending {
            self.block(lp, c, BlockReason::EventLoopIdle, sink);
        } else {
            self.exit(lp, Some(c), false, sink);
        }
    }

    pub(super) fn finish_task(
        &mut self,
        lp: ThreadId,
        task: TaskId,
        c: usize,
        sink: &mut impl Sink,
    ) {
        self.tasks[task.0 as usize].state = TaskState::Done;
        self.emit(sink, Some(c as u16), lp, EventKind::TaskDone(task));
        self.threads[lp.0 as usize].current_task = None;
        // Wake tasks awaiting it, and threads blocked on it.
        for i in 0..self.tasks.len() {
            if self.tasks[i].state == TaskState::AwaitingTask(task) {
                self.wake_task(TaskId(i as u32), sink);
            }
        }
        for i in 0..self.threads.len() {
            if self.threads[i].state == ThreadState::Blocked(BlockReason::Task(task)) {
                self.make_ready(ThreadId(i as u32), sink);
            }
        }
        self.event_loop_idle(lp, c, sink);
    }

    /// Spawning a task: queued on the event loop, which starts with the first task.
    pub(super) fn spawn_task(
        &mut self,
        t: ThreadId,
        core: u16,
        op: &Op,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let Op::SpawnTask {
            func,
            ref args,
            dst,
        } = *op
        else {
            unreachable!("called for a task spawn")
        };
        if self.tasks.len() >= self.limits.max_tasks as usize {
            return Flow::End(End::Limit(Limit::Tasks));
        }
        let args: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
        let id = TaskId(self.tasks.len() as u32);
        self.tasks.push(Task {
            id,
            state: TaskState::Queued,
            ctx: Ctx::new(&self.code, func, &args),
        });
        self.task_queue.push_back(id);
        if let Some(d) = dst {
            self.set_local(t, d, id.0 as Value);
        }
        self.emit(sink, c, t, EventKind::SpawnTask(id));
        match self.event_loop {
            None => {
                if self.threads.len() >= self.limits.max_threads as usize {
                    return Flow::End(End::Limit(Limit::Threads));
                }
                let ctx = Ctx::new(&self.code, func, &[]);
                let lp = self.new_thread(ctx, Some(t), true);
                self.threads[t.0 as usize].clock.tick(t);
                self.event_loop = Some(lp);
                self.emit(sink, c, t, EventKind::Spawn(lp));
            }
            Some(lp) => {
                if self.thread(lp).state == ThreadState::Blocked(BlockReason::EventLoopIdle) {
                    self.make_ready(lp, sink);
                }
            }
        }
        Flow::Next
    }

    /// `.await` on I/O: the task suspends until the I/O completes.
    pub(super) fn await_io(
        &mut self,
        t: ThreadId,
        core: u16,
        ticks: Operand,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let d = match self.wait_ticks(t, ticks) {
            Ok(d) => d,
            Err(f) => return f,
        };
        let task = self
            .thread(t)
            .current_task
            .expect("validated: await only in async fns");
        let until = self.now + 1 + d;
        self.ctx_mut(t).pc += 1;
        self.tasks[task.0 as usize].state = TaskState::AwaitingIo { until };
        self.add_timer(until, Timer::TaskIo(task));
        self.emit(
            sink,
            c,
            t,
            EventKind::IoStart {
                until,
                blocking: false,
            },
        );
        self.emit(sink, c, t, EventKind::Suspend(task));
        self.threads[t.0 as usize].current_task = None;
        self.event_loop_idle(t, core as usize, sink);
        Flow::Done
    }

    /// `.await` on a task (or `block_on` from a thread).
    pub(super) fn await_task(
        &mut self,
        t: ThreadId,
        core: u16,
        task: Operand,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let v = self.operand(t, task);
        if v < 0 || v as usize >= self.tasks.len() {
            return Flow::Panic(format!("{v} is not a task"), false);
        }
        let target = TaskId(v as u32);
        if self.tasks[target.0 as usize].state == TaskState::Done {
            return Flow::Next;
        }
        self.ctx_mut(t).pc += 1;
        match self.thread(t).current_task {
            Some(me) if me == target => Flow::Panic("a task awaited itself".into(), false),
            Some(me) => {
                self.tasks[me.0 as usize].state = TaskState::AwaitingTask(target);
                self.emit(sink, c, t, EventKind::Suspend(me));
                self.threads[t.0 as usize].current_task = None;
                self.event_loop_idle(t, core as usize, sink);
                Flow::Done
            }
            None => Flow::Block(BlockReason::Task(target)),
        }
    }
}

/// Conflict rule: everything on the event loop (spawning, polling, suspending, waking and
/// finishing a task, an awaited I/O starting or completing, waiting for a task) writes the
/// event loop: the order of its queue depends on the order of these.
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::IoStart {
            blocking: false, ..
        }
        | EventKind::IoDone { blocking: false }
        | EventKind::SpawnTask(_)
        | EventKind::Poll(_)
        | EventKind::Suspend(_)
        | EventKind::TaskWake(_)
        | EventKind::TaskDone(_)
        | EventKind::Block(BlockReason::Task(_))
        | EventKind::Block(BlockReason::EventLoopIdle) => acc.add(Object::EventLoop, true),
        _ => {}
    }
}

/// The rest of the rule: awaiting a task that is already done makes no event, and reads
/// the event loop all the same.
pub(crate) fn touches_op(op: &Op, acc: &mut Accesses) {
    if let Op::AwaitTask { .. } = op {
        acc.add(Object::EventLoop, true);
    }
}
