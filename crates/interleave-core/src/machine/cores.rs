//! The cores: each tick, timers fire, the policy places ready threads on idle cores and
//! ends time slices, and every busy core runs its thread one op; a followed witness holds
//! each thread to its turn (the gate).

use super::*;

impl Machine {
    /// The next step of a followed witness, if one is being followed and has steps left.
    pub fn gate_next(&self) -> Option<Action> {
        let (steps, i) = self.gate.as_ref()?;
        steps.get(*i).copied()
    }

    /// A followed witness's step is done: on to the next, completing awaited I/O whose turn
    /// it is, and letting the thread whose turn it is go on.
    pub(super) fn gate_advance(&mut self, sink: &mut impl Sink) {
        if let Some((_, i)) = &mut self.gate {
            *i += 1;
        }
        self.gate_open(sink);
    }

    /// Completes the I/O whose turn it is, and readies the thread whose turn it is.
    pub(super) fn gate_open(&mut self, sink: &mut impl Sink) {
        loop {
            match self.gate_next() {
                Some(Action::CompleteIo(task)) => {
                    let pending = matches!(
                        self.tasks.get(task.0 as usize).map(|t| t.state),
                        Some(TaskState::AwaitingIo { .. })
                    );
                    if !pending {
                        return; // not yet suspended: it completes once it is
                    }
                    self.timers
                        .retain(|Reverse((_, _, t))| *t != Timer::TaskIo(task));
                    let lp = self
                        .event_loop
                        .expect("a task exists only with an event loop");
                    self.emit(sink, None, lp, EventKind::IoDone { blocking: false });
                    self.wake_task(task, sink);
                    if let Some((_, i)) = &mut self.gate {
                        *i += 1;
                    }
                }
                Some(Action::Run(t)) => {
                    if self.thread(t).state == ThreadState::Blocked(BlockReason::Turn) {
                        self.make_ready(t, sink);
                    }
                    return;
                }
                None => {
                    // The witness is over: everyone paused goes on.
                    self.gate = None;
                    for i in 0..self.threads.len() {
                        if self.threads[i].state == ThreadState::Blocked(BlockReason::Turn) {
                            self.make_ready(ThreadId(i as u32), sink);
                        }
                    }
                    return;
                }
            }
        }
    }

    /// Advances one tick (or, when every core is idle, jumps to the next timer but not past
    /// `until`). Does nothing once the run has ended.
    pub fn tick(&mut self, until: u64, sink: &mut impl Sink) {
        // A handle on the code while the cores run, so no op is cloned. (Loops over many
        // ticks take one handle for all of them: see `tick_with`.)
        let code = self.code();
        self.tick_with(&code, until, sink);
    }

    /// A handle on the code this machine runs, for [`Machine::tick_with`].
    pub(crate) fn code(&self) -> Arc<Code> {
        Arc::clone(&self.code)
    }

    /// [`Machine::tick`], with `code` this machine's own code.
    pub(crate) fn tick_with(&mut self, code: &Code, until: u64, sink: &mut impl Sink) {
        debug_assert!(std::ptr::eq(code, &*self.code), "the machine's own code");
        if self.end.is_some() {
            return;
        }
        sink.start_tick(self.now);
        self.fire_timers(sink);
        if let Err(e) = self.schedule(sink) {
            self.end = Some(End::ScheduleMismatch(e.to_string()));
            return;
        }
        let busy = self.cores.iter().any(|c| c.thread.is_some());
        if busy {
            for core in 0..self.cores.len() {
                self.run_core(code, core, sink);
                if self.end.is_some() {
                    break; // the process ended this tick: later cores do not run
                }
            }
            self.now += 1;
            if self.end.is_some() {
                return;
            }
        } else if let Some(at) = self.next_timer() {
            // Nothing runs until the next timer: skip the idle ticks.
            self.now = at.min(until).max(self.now + 1);
        } else if let Some(next) = self.gate_next() {
            // Everyone waits for a turn that cannot come: the witness is not of this run.
            self.end = Some(End::ScheduleMismatch(format!(
                "step {} ({next:?}) can never be taken: the steps are not an execution of this scenario",
                self.gate.as_ref().map_or(0, |g| g.1 + 1)
            )));
            return;
        } else {
            self.end = Some(End::Deadlock);
            return;
        }
        if self.steps >= self.limits.max_steps {
            self.end = Some(End::Limit(Limit::Steps));
        } else if self.now >= self.limits.max_ticks {
            self.end = Some(End::Limit(Limit::Ticks));
        }
    }

    /// When the next timer fires (awaited I/O held by a followed witness does not count).
    pub(super) fn next_timer(&self) -> Option<u64> {
        if self.gate.is_none() {
            return self.timers.peek().map(|Reverse((at, _, _))| *at);
        }
        self.timers
            .iter()
            .filter(|Reverse((_, _, t))| matches!(t, Timer::Wake(_)))
            .map(|Reverse((at, _, _))| *at)
            .min()
    }

    pub(super) fn fire_timers(&mut self, sink: &mut impl Sink) {
        // Following a witness, awaited I/O completes when its step comes, not on time.
        let mut held = Vec::new();
        while let Some(Reverse((at, seq, timer))) = self.timers.peek().copied() {
            if at > self.now {
                break;
            }
            self.timers.pop();
            if self.gate.is_some() && matches!(timer, Timer::TaskIo(_)) {
                held.push(Reverse((at, seq, timer)));
                continue;
            }
            match timer {
                Timer::Wake(t) => {
                    let blocking = matches!(
                        self.thread(t).state,
                        ThreadState::Blocked(BlockReason::BlockingIo { .. })
                    );
                    if blocking {
                        self.emit(sink, None, t, EventKind::IoDone { blocking: true });
                    }
                    self.wake_timer(t, sink);
                }
                Timer::TaskIo(task) => {
                    let lp = self
                        .event_loop
                        .expect("a task exists only with an event loop");
                    sink.event(Event {
                        tick: self.now,
                        core: None,
                        thread: lp,
                        task: Some(task),
                        kind: EventKind::IoDone { blocking: false },
                    });
                    self.wake_task(task, sink);
                }
            }
        }
        self.timers.extend(held);
    }

    pub(super) fn schedule(&mut self, sink: &mut impl Sink) -> Result<(), Mismatch> {
        // Round robin's answer is a comparison: asked of every running core on every
        // tick, it is worth making without a call through the policy.
        let quantum = match &self.policy {
            Policy::RoundRobin(p) => Some(p.quantum_ticks),
            _ => None,
        };
        if self.idle_cores_first {
            // Idle cores take waiting threads first, each thread the idle core it last ran
            // on if there is one (no migration, no switch), else the lowest-numbered one.
            // Only threads left waiting then can take a core whose slice ended: no thread
            // is preempted while a core is idle.
            // Cores given a thread just now are not asked about preemption this tick.
            let mut placed = [false; MAX_CORES as usize];
            while !self.ready.is_empty() {
                let idle = |c: &Core| c.thread.is_none();
                if !self.cores.iter().any(idle) {
                    break;
                }
                let t = self.pick_ready(sink)?;
                let c = self
                    .cores
                    .iter()
                    .position(|c| idle(c) && c.last == Some(t))
                    .or_else(|| self.cores.iter().position(idle))
                    .expect("an idle core exists");
                self.place(t, c, sink);
                placed[c] = true;
            }
            for (c, &just_placed) in placed.iter().enumerate().take(self.cores.len()) {
                if self.ready.is_empty() {
                    break;
                }
                if !just_placed && self.slice_ends(c, quantum, sink)? {
                    let t = self.pick_ready(sink)?;
                    self.place(t, c, sink);
                }
            }
        } else {
            for c in 0..self.cores.len() {
                // With no thread waiting, no core is offered one and none is preempted;
                // only a pick empties the queue, so no later core is either.
                if self.ready.is_empty() {
                    break;
                }
                self.slice_ends(c, quantum, sink)?;
                if self.cores[c].thread.is_none() {
                    let t = self.pick_ready(sink)?;
                    self.place(t, c, sink);
                }
            }
        }
        Ok(())
    }

    /// Asks the policy whether the thread on core `c` (if it runs, not switching) is
    /// preempted now that others wait; if so it goes back to the ready queue. True when
    /// the core was freed.
    pub(super) fn slice_ends(
        &mut self,
        c: usize,
        quantum: Option<u64>,
        sink: &mut impl Sink,
    ) -> Result<bool, Mismatch> {
        let core = &self.cores[c];
        let Some(t) = core.thread else {
            return Ok(false);
        };
        if core.switching_left > 0 {
            return Ok(false);
        }
        let slice = RunningSlice {
            ran_ticks: core.ran_ticks,
        };
        let (preempt, options) = match quantum {
            Some(q) => (RoundRobin { quantum_ticks: q }.preempt(slice), 2),
            None => {
                let Machine {
                    policy,
                    threads,
                    tasks,
                    program,
                    ..
                } = self;
                let visible = || next_op_visible(threads, tasks, program, t);
                policy.preempt_decision(slice, visible)?
            }
        };
        sink.decision(Decision::Preempt(preempt), options);
        if preempt {
            self.emit(sink, Some(c as u16), t, EventKind::Preempt);
            self.cores[c].thread = None;
            self.threads[t.0 as usize].state = ThreadState::Ready;
            self.ready.push_back(t);
        }
        Ok(preempt)
    }

    /// Takes the thread the policy picks from the (non-empty) ready queue.
    pub(super) fn pick_ready(&mut self, sink: &mut impl Sink) -> Result<ThreadId, Mismatch> {
        let n = self.ready.len();
        let i = self.policy.pick(n)?;
        if n > 1 {
            sink.decision(Decision::Pick(i as u32), n as u32);
        }
        let t = if i == 0 {
            self.ready.pop_front()
        } else {
            self.ready.remove(i)
        };
        Ok(t.expect("pick is within the ready queue"))
    }

    /// Puts thread `t` on idle core `c`; the core pays a switch unless it last ran `t`.
    pub(super) fn place(&mut self, t: ThreadId, c: usize, sink: &mut impl Sink) {
        let core = &mut self.cores[c];
        core.switching_left = match core.last {
            Some(last) if last != t => self.switch_cost_ticks,
            _ => 0,
        };
        core.thread = Some(t);
        core.last = Some(t);
        core.ran_ticks = 0;
        self.threads[t.0 as usize].state = ThreadState::Running { core: c as u16 };
        self.emit(sink, Some(c as u16), t, EventKind::Dispatch);
    }

    pub(crate) fn run_core<S: Sink>(&mut self, code: &Code, c: usize, sink: &mut S) {
        let Some(t) = self.cores[c].thread else {
            return;
        };
        if self.cores[c].switching_left > 0 {
            self.cores[c].switching_left -= 1;
            self.emit(sink, Some(c as u16), t, EventKind::Switch);
            return;
        }
        // Following a witness: an op that ends a step waits for its thread's turn. (A
        // `work(n)` there takes its ticks; its step is taken when it is done.)
        let gated =
            self.gate.is_some() && step_boundary(&self.threads, &self.tasks, &self.program, t);
        let before = gated.then(|| (self.ctx(t).func, self.ctx(t).pc));
        if gated && self.gate_next() != Some(Action::Run(t)) {
            self.block(t, c, BlockReason::Turn, sink);
            return;
        }
        self.cores[c].ran_ticks += 1;
        if self.event_loop == Some(t) && self.thread(t).current_task.is_none() {
            // The loop polls its next task; a task exists here, or the loop would not run.
            match self.task_queue.pop_front() {
                Some(task) => {
                    self.threads[t.0 as usize].current_task = Some(task);
                    self.tasks[task.0 as usize].state = TaskState::Polling;
                    self.emit(sink, Some(c as u16), t, EventKind::Poll(task));
                }
                None => {
                    self.event_loop_idle(t, c, sink);
                    if gated && self.end.is_none() {
                        self.gate_advance(sink);
                    }
                    return;
                }
            }
        }
        let flow = if S::INLINE_STEP {
            self.exec(code, t, c as u16, sink)
        } else {
            self.exec_outlined(code, t, c as u16, sink)
        };
        match flow {
            Flow::Done => {}
            flow => self.apply(t, c, flow, sink),
        }
        // The step is taken once its op is done: a `work(n)` still burning keeps it open.
        let moved =
            self.cores[c].thread != Some(t) || before != Some((self.ctx(t).func, self.ctx(t).pc));
        if gated && moved && self.end.is_none() {
            self.gate_advance(sink);
        }
    }

    pub(super) fn block(
        &mut self,
        t: ThreadId,
        c: usize,
        reason: BlockReason,
        sink: &mut impl Sink,
    ) {
        self.threads[t.0 as usize].state = ThreadState::Blocked(reason);
        self.cores[c].thread = None;
        self.emit(sink, Some(c as u16), t, EventKind::Block(reason));
    }

    pub(super) fn apply(&mut self, t: ThreadId, c: usize, flow: Flow, sink: &mut impl Sink) {
        match flow {
            Flow::Next => {
                // Falling off the end returns at once: no extra tick.
                if let Flow::Return = self.advance(t) {
                    self.apply(t, c, Flow::Return, sink);
                }
            }
            Flow::Done => {}
            Flow::Block(reason) => self.block(t, c, reason, sink),
            Flow::Return => match self.thread(t).current_task {
                Some(task) => self.finish_task(t, task, c, sink),
                None => self.exit(t, Some(c), false, sink),
            },
            Flow::Panic(message, assertion) => {
                let ctx = self.ctx(t);
                self.panics.push(Panic {
                    thread: t,
                    task: self.thread(t).current_task,
                    func: ctx.func,
                    pc: ctx.pc,
                    line: self.program.line(ctx.func, ctx.pc),
                    tick: self.now,
                    message,
                    assertion,
                });
                if !assertion {
                    self.emit(sink, Some(c as u16), t, EventKind::Panic);
                }
                self.exit(t, Some(c), true, sink);
            }
            Flow::End(end) => self.end = Some(end),
        }
    }
}
