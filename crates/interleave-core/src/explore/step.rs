//! The explorer's transition system: the machine with time taken out. A step is one
//! thread running from its next op through its next *visible* op (one that touches shared
//! state or synchronises; the local ops before it are invisible to every other thread, so
//! nothing is lost by running them in the same step), or the completion of one awaited
//! I/O. Any ready thread may take the next step, and any pending I/O may complete next:
//! that is every schedule an operating system could produce, on any number of cores, since
//! a core count, a quantum or a duration can only make some threads wait longer, and the
//! explorer already lets any thread wait as long as any other runs.
//!
//! Timing: `work(n)` is one invisible step, `sleep(n)` and a blocking call are a yield
//! (the thread is ready again at once, and may still wait arbitrarily), and an awaited
//! I/O completes whenever the explorer chooses, in any order with the others.
//!
//! Joins: a thread whose next op joins a thread that has not exited does not step (it
//! goes on once that thread has exited), so a join that waits and one that finds the
//! thread done are one execution, as no program can tell them apart. Only when nothing
//! else can step does it block, and the run is a deadlock.

use super::dependency::Touched;
use crate::code::Code;
use crate::machine::Accesses;
use crate::machine::{step_boundary, End, Machine, TaskState, ThreadState, Timer};
use crate::program::Op;
use crate::trace::{NullSink, Sink, ThreadId};
use std::cmp::Reverse;

pub use crate::trace::Action;

/// How a step ended, beyond the new state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stepped {
    Done,
    /// The thread ran more than the bound of invisible ops in a row: a loop that touches
    /// nothing shared. `repeats` says its local state came back to an earlier one (it can
    /// never leave the loop); otherwise the bound was simply reached.
    LocalLoop {
        repeats: bool,
    },
}

/// The actions possible in `m`, in a fixed order: threads by id, then I/O by task. A
/// thread about to join a thread that has not exited is not among them, unless nothing
/// else is (see the module doc).
pub fn enabled(m: &Machine) -> Vec<Action> {
    if m.end.is_some() {
        return Vec::new();
    }
    let ready = || {
        m.threads
            .iter()
            .filter(|t| t.state == ThreadState::Ready)
            .map(|t| Action::Run(t.id))
    };
    let mut out: Vec<Action> = ready()
        .filter(|&a| !matches!(a, Action::Run(t) if waits_to_join(m, t)))
        .collect();
    out.extend(
        m.tasks
            .iter()
            .filter(|t| matches!(t.state, TaskState::AwaitingIo { .. }))
            .map(|t| Action::CompleteIo(t.id)),
    );
    if out.is_empty() {
        out.extend(ready());
    }
    out
}

/// Whether `t`'s next visible op joins a thread that has not exited yet. A step ends where
/// the next visible op begins, so a thread is mostly at it already; a thread woken from a
/// wait may have local ops to run first: those that cannot branch are looked through.
/// (Past a branch it steps, and its join may block: a rarer shape, counted as it runs.)
pub fn waits_to_join(m: &Machine, t: ThreadId) -> bool {
    use crate::program::Operand;
    let th = &m.threads[t.0 as usize];
    if th.current_task.is_some() {
        return false;
    }
    let ctx = &th.ctx;
    let body = &m.program.function(ctx.func).body;
    let mut pc = ctx.pc as usize;
    let mut written: Vec<u32> = Vec::new();
    let thread = loop {
        match body.get(pc) {
            Some(Op::Join { thread, .. }) => break *thread,
            Some(Op::Set { dst, .. } | Op::Bin { dst, .. } | Op::BinFit { dst, .. })
                if written.len() < 64 =>
            {
                written.push(dst.0);
                pc += 1;
            }
            _ => return false,
        }
    };
    let target = match thread {
        Operand::Imm(v) => v,
        Operand::Local(l) if written.contains(&l.0) => return false,
        Operand::Local(l) => ctx.locals.get(l.index()).copied().unwrap_or(0),
    };
    // A target that is no thread it may join panics at once: that step is taken.
    usize::try_from(target)
        .ok()
        .filter(|&i| i > 0 && i != t.0 as usize)
        .and_then(|i| m.threads.get(i))
        .is_some_and(|j| !matches!(j.state, ThreadState::Exited { .. }))
}

/// `work(n)` takes no time here: if `t`'s next op is one, it is made to finish in the one
/// op it runs next (as if its last tick were due), so that, as in a timed run, a function
/// whose last op it is returns in the same op.
fn finish_work_now(m: &mut Machine, t: ThreadId) {
    let th = &m.threads[t.0 as usize];
    if th.is_event_loop && th.current_task.is_none() {
        return;
    }
    let ctx = m.ctx(t);
    if let Some(Op::Work { .. }) = m.program.function(ctx.func).body.get(ctx.pc as usize) {
        m.ctx_mut(t).work_left = 1;
    }
}

/// Sleeps and blocking calls end at once: the thread is ready again (it may still wait).
fn wake_sleepers(m: &mut Machine) {
    let mut kept = Vec::new();
    while let Some(Reverse((at, seq, timer))) = m.timers.pop() {
        match timer {
            Timer::Wake(t) => m.wake_timer(t, &mut NullSink),
            Timer::TaskIo(_) => kept.push(Reverse((at, seq, timer))),
        }
    }
    m.timers.extend(kept);
}

/// Takes `action` in `m`. At most `max_local` invisible ops run in a row before the step
/// gives up (see [`Stepped::LocalLoop`]).
pub fn take(m: &mut Machine, code: &Code, action: Action, max_local: u64) -> Stepped {
    take_with(m, code, action, max_local, &mut NullSink)
}

/// [`take`], telling `sink` what happens (to narrate a witness).
pub fn take_with(
    m: &mut Machine,
    code: &Code,
    action: Action,
    max_local: u64,
    sink: &mut impl Sink,
) -> Stepped {
    take_observed(m, code, action, max_local, sink, |_, _, _| {})
}

/// [`take`], and what the step touches (see `dependency`): what its events say, what its
/// visible op touches silently, and the handles an exit drops.
pub fn take_touching(
    m: &mut Machine,
    code: &Code,
    action: Action,
    max_local: u64,
) -> (Stepped, Accesses) {
    let mut touched = match action {
        Action::Run(t) => Touched::start(m, t),
        Action::CompleteIo(_) => Touched::default(),
    };
    let stepped = take_observed(m, code, action, max_local, &mut touched, |acc, m, t| {
        acc.before_op(m, t)
    });
    let exited = matches!(action, Action::Run(t)
        if matches!(m.threads[t.0 as usize].state, ThreadState::Exited { .. }));
    (stepped, touched.finish(exited))
}

fn take_observed<S: Sink>(
    m: &mut Machine,
    code: &Code,
    action: Action,
    max_local: u64,
    sink: &mut S,
    before_visible: impl Fn(&mut S, &Machine, ThreadId),
) -> Stepped {
    match action {
        Action::CompleteIo(task) => {
            m.timers
                .retain(|Reverse((_, _, t))| *t != Timer::TaskIo(task));
            m.wake_task(task, sink);
            Stepped::Done
        }
        Action::Run(t) => {
            let stepped = run(m, code, t, max_local, sink, before_visible);
            wake_sleepers(m);
            if m.end.is_none() && enabled(m).is_empty() && !m.threads.is_empty() {
                m.end = Some(End::Deadlock);
            }
            stepped
        }
    }
}

/// `t` runs on core 0 through its next visible op, or until it blocks or exits.
fn run<S: Sink>(
    m: &mut Machine,
    code: &Code,
    t: ThreadId,
    max_local: u64,
    sink: &mut S,
    before_visible: impl Fn(&mut S, &Machine, ThreadId),
) -> Stepped {
    debug_assert_eq!(m.threads[t.0 as usize].state, ThreadState::Ready);
    m.ready.retain(|&r| r != t);
    let core = &mut m.cores[0];
    core.thread = Some(t);
    core.last = Some(t);
    core.switching_left = 0;
    core.ran_ticks = 0;
    m.threads[t.0 as usize].state = ThreadState::Running { core: 0 };
    let mut visible_done = false;
    let mut local = 0u64;
    // Local states seen once the run got long: a repeat means it can never leave.
    let mut seen: Vec<u128> = Vec::new();
    loop {
        if m.end.is_some() || m.cores[0].thread != Some(t) {
            return Stepped::Done;
        }
        finish_work_now(m, t);
        let visible = step_boundary(&m.threads, &m.tasks, &m.program, t);
        if visible && visible_done {
            break;
        }
        if visible {
            visible_done = true;
            before_visible(sink, m, t);
        } else {
            local += 1;
            if local > max_local / 2 {
                let h = super::fingerprint::local(m, t);
                if seen.contains(&h) {
                    park(m, t);
                    return Stepped::LocalLoop { repeats: true };
                }
                if local > max_local {
                    park(m, t);
                    return Stepped::LocalLoop { repeats: false };
                }
                if seen.len() < 4096 {
                    seen.push(h);
                }
            }
        }
        m.run_core(code, 0, sink);
    }
    park(m, t);
    Stepped::Done
}

/// Takes `t` off the core, ready for its next step.
fn park(m: &mut Machine, t: ThreadId) {
    if m.cores[0].thread == Some(t) {
        m.cores[0].thread = None;
        m.threads[t.0 as usize].state = ThreadState::Ready;
        m.ready.push_back(t);
    }
}
