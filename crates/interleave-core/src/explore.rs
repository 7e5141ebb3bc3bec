//! Exhaustive exploration, in the spirit of loom: every sequence of scheduler decisions,
//! searched over machine *states* so that schedules reaching the same state are explored
//! once. Answers "can this program deadlock or fail under *any* schedule?", with a
//! recorded schedule (replayable with `PolicyKind::Replay`) for the first of each.
//!
//! From each state, every combination of the next tick's decisions is tried (preemption
//! points only before visible ops; see `Policy::preempt_decision`). A state's
//! fingerprint holds everything that decides its future — not time (unless a timer is
//! pending), vector clocks or counters — so race reports are not part of exploration.

use crate::machine::{End, Machine};
use crate::program::Program;
use crate::run::SetupError;
use crate::sched::{replay::Replay, Policy};
use crate::settings::Settings;
use crate::trace::{Decision, Event, Sink};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub struct Exploration {
    /// Distinct states reached.
    pub states: u64,
    /// Every reachable state was explored (false: `max_states` was hit first).
    pub complete: bool,
    /// Distinct end states that are deadlocks / that had a panic (a failed assertion…).
    pub deadlocks: u64,
    pub failures: u64,
    /// Decisions that replay the first deadlock found.
    pub first_deadlock: Option<Vec<Decision>>,
    /// Decisions that replay the first panic found.
    pub first_failure: Option<Vec<Decision>>,
}

/// Records each decision with its number of options; ignores events.
#[derive(Default)]
struct Branches(Vec<(Decision, u32)>);

impl Sink for Branches {
    fn event(&mut self, _: Event) {}
    fn decision(&mut self, decision: Decision, options: u32) {
        self.0.push((decision, options));
    }
}

/// The next sibling of a decision in depth-first order, if any.
fn next_option(d: Decision, options: u32) -> Option<Decision> {
    match d {
        Decision::Pick(i) if i + 1 < options => Some(Decision::Pick(i + 1)),
        Decision::Preempt(false) if options > 1 => Some(Decision::Preempt(true)),
        _ => None,
    }
}

/// Everything about `m` that decides its future behaviour.
fn fingerprint(m: &Machine) -> String {
    let mut s = String::new();
    let _ = write!(s, "{:?}", m.end);
    if !m.timers.is_empty() {
        let mut timers: Vec<_> = m
            .timers
            .iter()
            .map(|t| (t.0 .0 - m.now.min(t.0 .0), t.0 .2))
            .collect();
        timers.sort();
        let _ = write!(s, "|now {} timers {timers:?}", m.now);
    }
    for c in &m.cores {
        let _ = write!(s, "|c{:?},{},{:?}", c.thread, c.switching_left, c.last);
    }
    for t in &m.threads {
        let _ = write!(
            s,
            "|t{:?},{:?},{:?},{}",
            t.state, t.ctx, t.current_task, t.is_event_loop
        );
    }
    for t in &m.tasks {
        let _ = write!(s, "|k{:?},{:?}", t.state, t.ctx);
    }
    let _ = write!(
        s,
        "|r{:?}|q{:?}|{:?}|v{:?}|a{:?}",
        m.ready, m.task_queue, m.event_loop, m.vars, m.atomics
    );
    for x in &m.mutexes {
        let _ = write!(
            s,
            "|m{},{:?},{:?},{}",
            x.value, x.owner, x.waiters, x.poisoned
        );
    }
    for c in &m.channels {
        let _ = write!(
            s,
            "|ch{:?},{:?},{:?},{:?},{:?},{:?}",
            c.cap, c.buffer, c.senders, c.receiver, c.recv_waiters, c.send_waiters
        );
    }
    for p in &m.panics {
        let _ = write!(s, "|p{:?},{},{}", p.thread, p.pc, p.message);
    }
    s
}

/// A reached state and how it was reached (for rebuilding a schedule).
struct Node {
    parent: usize,
    decisions: Vec<Decision>,
}

fn schedule_to(nodes: &[Node], mut i: usize) -> Vec<Decision> {
    let mut parts = Vec::new();
    while i != 0 {
        parts.push(&nodes[i].decisions);
        i = nodes[i].parent;
    }
    parts.into_iter().rev().flatten().copied().collect()
}

pub fn explore(
    program: Arc<Program>,
    settings: &Settings,
    max_states: u64,
) -> Result<Exploration, SetupError> {
    settings.validate().map_err(SetupError::Settings)?;
    program.validate().map_err(SetupError::Program)?;
    let mut x = Exploration {
        states: 1,
        complete: true,
        deadlocks: 0,
        failures: 0,
        first_deadlock: None,
        first_failure: None,
    };
    let start = Machine::new(program, settings);
    let mut seen = BTreeSet::from([fingerprint(&start)]);
    let mut nodes = vec![Node {
        parent: 0,
        decisions: Vec::new(),
    }];
    let mut stack = vec![(start, 0usize)];
    while let Some((state, id)) = stack.pop() {
        if state.finished() {
            if state.end == Some(End::Deadlock) {
                x.deadlocks += 1;
                x.first_deadlock
                    .get_or_insert_with(|| schedule_to(&nodes, id));
            } else if !state.panics.is_empty() {
                x.failures += 1;
                x.first_failure
                    .get_or_insert_with(|| schedule_to(&nodes, id));
            }
            continue;
        }
        // Every combination of this tick's decisions, depth-first.
        let mut prefix: Vec<Decision> = Vec::new();
        loop {
            let mut next = state.clone();
            next.policy = Policy::Replay(Replay::new(prefix.clone(), None));
            let mut branches = Branches::default();
            next.tick(u64::MAX, &mut branches);
            if seen.insert(fingerprint(&next)) {
                if x.states >= max_states {
                    x.complete = false;
                    return Ok(x);
                }
                x.states += 1;
                nodes.push(Node {
                    parent: id,
                    decisions: branches.0.iter().map(|&(d, _)| d).collect(),
                });
                stack.push((next, nodes.len() - 1));
            }
            let Some(j) = branches
                .0
                .iter()
                .rposition(|&(d, n)| next_option(d, n).is_some())
            else {
                break;
            };
            let (d, n) = branches.0[j];
            prefix = branches.0[..j].iter().map(|&(d, _)| d).collect();
            prefix.push(next_option(d, n).expect("j has a sibling"));
        }
    }
    Ok(x)
}
