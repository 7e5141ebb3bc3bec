//! `std::sync::Once` (`call_once`) and `OnceLock<T>` (`get_or_init`, `set`, `get`): the first thread to
//! arrive runs the initialiser; threads arriving while it runs wait for it; later ones see
//! it done (and the value) at once. Everything the initialiser did happens before what
//! any thread does after seeing it done. If the initialiser panics, a `Once` is poisoned
//! (later `call_once` panics, as std's does) and an `OnceLock` stays empty (the next
//! caller runs its own initialiser); the threads that waited go again.
//!
//! Conflict rule: starting the initialiser, finishing it and waiting for it write the
//! once; seeing it done reads it (two threads that find it done commute).

use super::access::{Accesses, Object};
use super::*;

/// Where a once is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnceStage {
    #[default]
    New,
    /// This thread runs the initialiser.
    Running(ThreadId),
    Done,
    /// A `Once` whose initialiser panicked.
    Poisoned,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OnceState {
    pub stage: OnceStage,
    pub value: Value,
    pub waiters: Vec<ThreadId>,
    pub(super) clock: VClock,
}

impl Machine {
    /// `OnceBegin`: `run` = 1 when this thread must run the initialiser, else 0 (done).
    pub(super) fn once_begin(
        &mut self,
        t: ThreadId,
        core: u16,
        o: OnceId,
        run: Local,
        sink: &mut impl Sink,
    ) -> Flow {
        let s = &mut self.onces[o.index()];
        match s.stage {
            OnceStage::New => {
                s.stage = OnceStage::Running(t);
                self.set_local(t, run, 1);
                self.emit(sink, Some(core), t, EventKind::OnceStart(o));
                Flow::Next
            }
            OnceStage::Done => {
                self.threads[t.0 as usize].clock.join(&s.clock);
                self.set_local(t, run, 0);
                self.emit(sink, Some(core), t, EventKind::OnceSeen(o));
                Flow::Next
            }
            OnceStage::Running(u) if u == t => Flow::Panic(
                format!(
                    "`{}` initialised again from inside its own initialiser: std's Once deadlocks or panics here",
                    self.program.onces[o.index()].name
                ),
                false,
            ),
            OnceStage::Running(_) => {
                s.waiters.push(t);
                // Past the op, as every blocking op is: the finisher completes it (`run` =
                // 0), or, after a panicking initialiser, rewinds it to be run again.
                self.ctx_mut(t).pc += 1;
                Flow::Block(BlockReason::Once(o))
            }
            OnceStage::Poisoned => Flow::Panic(
                format!(
                    "Once instance has previously been poisoned (`{}`'s initialiser panicked)",
                    self.program.onces[o.index()].name
                ),
                false,
            ),
        }
    }

    /// `OncePeek` (`OnceLock::get`): `done` = 1 when it is initialised (and what the
    /// initialiser did happens before), else 0 — also while another thread runs the
    /// initialiser, which it does not wait for.
    pub(super) fn once_peek(
        &mut self,
        t: ThreadId,
        core: u16,
        o: OnceId,
        done: Local,
        sink: &mut impl Sink,
    ) -> Flow {
        let s = &self.onces[o.index()];
        if s.stage == OnceStage::Done {
            let clock = s.clock.clone();
            self.threads[t.0 as usize].clock.join(&clock);
            self.set_local(t, done, 1);
            self.emit(sink, Some(core), t, EventKind::OnceSeen(o));
        } else {
            self.set_local(t, done, 0);
            self.emit(sink, Some(core), t, EventKind::OnceEmpty(o));
        }
        Flow::Next
    }

    /// `OnceEnd`: the initialiser returned `value`; every waiter wakes.
    pub(super) fn once_end(
        &mut self,
        t: ThreadId,
        core: u16,
        o: OnceId,
        value: Value,
        sink: &mut impl Sink,
    ) {
        let s = &mut self.onces[o.index()];
        s.stage = OnceStage::Done;
        s.value = value;
        s.clock.join(&self.threads[t.0 as usize].clock);
        self.emit(sink, Some(core), t, EventKind::OnceDone(o));
        self.wake_once_waiters(o, true, sink);
    }

    /// Wakes the threads waiting for the initialiser: with it `done`, each one's
    /// `OnceBegin` completes with `run` = 0 (and what the initialiser did happens before);
    /// else each runs its `OnceBegin` again.
    fn wake_once_waiters(&mut self, o: OnceId, done: bool, sink: &mut impl Sink) {
        for w in std::mem::take(&mut self.onces[o.index()].waiters) {
            if done {
                let clock = self.onces[o.index()].clock.clone();
                self.threads[w.0 as usize].clock.join(&clock);
                if let Some(&Op::OnceBegin { run, .. }) = self.blocked_op(w) {
                    self.set_local(w, run, 0);
                }
            } else {
                self.ctx_mut(w).pc -= 1;
            }
            self.make_ready(w, sink);
        }
    }

    /// A thread exits while running an initialiser (it panicked): a `Once` is poisoned,
    /// an `OnceLock` is empty again; the waiters go again.
    pub(super) fn once_abandoned(&mut self, t: ThreadId, sink: &mut impl Sink) {
        for i in 0..self.onces.len() {
            if self.onces[i].stage == OnceStage::Running(t) {
                self.onces[i].stage = if self.program.onces[i].init == 0 {
                    OnceStage::Poisoned
                } else {
                    OnceStage::New
                };
                self.wake_once_waiters(OnceId(i as u32), false, sink);
            }
        }
    }
}

/// The conflict rule, from the events a once's ops make.
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::OnceStart(o)
        | EventKind::OnceDone(o)
        | EventKind::Block(BlockReason::Once(o)) => acc.add(Object::Once(o.0), true),
        EventKind::OnceSeen(o) | EventKind::OnceEmpty(o) => acc.add(Object::Once(o.0), false),
        _ => {}
    }
}
