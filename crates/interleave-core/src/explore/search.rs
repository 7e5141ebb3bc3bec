//! The search: depth-first over the explorer's states (see `step`), each state explored
//! once (found again by its 16-byte fingerprint), every path counted.
//!
//! Counting: the search keeps the graph of states (each edge 8 bytes) and, when it is
//! done, counts the paths from the start to every state in topological order (the reverse
//! of the order in which the search finished them): an execution is a path from the start
//! to an end, so an outcome's count is the sum of the path counts of the ends with that
//! outcome. A step back into a state on the current path closes a loop: that counts as an
//! execution that never ends, once per path to the step. Memory per state is fixed (no
//! per-outcome counts per state), so a program with a thousand outcomes costs no more per
//! state than one with two. Exact counts saturate at `u64::MAX`; each is also kept in floating point, for
//! shares that stay right past that.

use super::fingerprint;
use super::live::Live;
use super::outcome::{self, OutcomeKey};
use super::step::{self, Action, Stepped};
use super::symmetry::Symmetry;
use super::table::Table;
use super::witness::is_preemption;
use crate::code::Code;
use crate::machine::Accesses;
use crate::machine::{End, Machine};
use crate::trace::ThreadId;

/// Why the search stopped before it had seen everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `max_states` states were found.
    States(u64),
    /// A thread ran this many local ops in a row without repeating its local state.
    LocalSteps(u64),
    /// An execution reached this many steps and was followed no further (a program that
    /// can run on and on, reaching new states, such as a thread counting forever).
    Depth(u64),
    /// This many distinct outcomes were found; executions reaching others were not kept.
    Outcomes(u64),
    /// Only executions with at most this many preemptions were explored (the
    /// `preemption_bound` option, as loom's), and some had more.
    Preemptions(u32),
    /// An execution hit one of the machine's limits (threads, channels, output…): what
    /// it would have done past it is unknown, so it is no outcome, and the answer is
    /// incomplete.
    Limit(crate::machine::Limit),
}

pub struct Found {
    pub outcomes: Vec<OutcomeKey>,
    /// Executions per outcome, indexed like `outcomes`: exact (saturating at `u64::MAX`),
    /// and in floating point (never saturating below 10³⁰⁸, for shares).
    pub counts: Vec<u64>,
    pub approx: Vec<f64>,
    /// The steps of the first execution found for each outcome.
    pub witnesses: Vec<Vec<Action>>,
    pub states: u64,
    pub stop: Option<Stop>,
    /// Bytes of the table of visited states and the counts kept per state.
    pub bytes: usize,
    /// Symmetry was assumed and found not to hold (a thread other than `main` panicked,
    /// or a deadlock was found): the search stopped, to be run again without it.
    pub broken: bool,
}

struct Frame {
    /// Taken by the frame's last step.
    m: Option<Machine>,
    node: u32,
    actions: Vec<Action>,
    next: usize,
    /// The thread that took the last step, and the preemptions so far (kept only under a
    /// preemption bound, where they are part of the state).
    last: Option<ThreadId>,
    used: u32,
    /// Sleep sets: the steps this node need not take (an equivalent order takes them, see
    /// `dependency`), with what they touch; and the steps taken from it so far.
    sleep: Vec<(Action, Accesses)>,
    done: Vec<(Action, Accesses)>,
}

/// Depth-first search from `start`; `progress` hears the number of states every 4096.
/// With `symmetry`, a state is keyed by its canonical renaming (see `symmetry`).
pub fn search(
    start: Machine,
    code: &Code,
    options: &super::Options,
    live: &Live,
    symmetry: Option<&Symmetry>,
    progress: &mut dyn FnMut(u64),
) -> Found {
    let (max_states, max_local) = (options.max_states, options.max_local_steps);
    let mut outcomes: Vec<OutcomeKey> = Vec::new();
    let mut witnesses: Vec<Vec<Action>> = Vec::new();
    let max_outcomes = options.max_outcomes;
    // The outcome's index; `None` once `max_outcomes` are known and this is another.
    let mut intern = |k: OutcomeKey, path: &dyn Fn() -> Vec<Action>| -> Option<u32> {
        match outcomes.iter().position(|o| *o == k) {
            Some(i) => Some(i as u32),
            None if outcomes.len() >= max_outcomes => None,
            None => {
                outcomes.push(k);
                witnesses.push(path());
                Some(outcomes.len() as u32 - 1)
            }
        }
    };
    // (node, outcome): an end, or a step from the node that never ends.
    let mut events: Vec<(u32, u32)> = Vec::new();
    let mut counted = |node: u32, o: Option<u32>, stop: &mut Option<Stop>| match o {
        Some(o) => events.push((node, o)),
        None => {
            note(stop, Stop::Outcomes(max_outcomes as u64));
        }
    };
    let mut table = Table::new();
    // Per node, whether it is on the current path; the nodes in the order they finished;
    // the steps between nodes (from, to), loops excluded.
    let mut on_path: Vec<bool> = Vec::new();
    let mut finished: Vec<u32> = Vec::new();
    let mut edges: Vec<(u32, u32)> = Vec::new();
    let mut stop = None;
    let path_of = |stack: &[Frame], last: Option<Action>| -> Vec<Action> {
        stack
            .iter()
            .filter(|f| f.next > 0)
            .map(|f| f.actions[f.next - 1])
            .chain(last)
            .collect()
    };

    // Sleep sets count one execution per class of equivalent orders; under a preemption
    // bound they are off (a bound on preemptions is a bound on orders, not on classes).
    let sleep_sets = options.sleep_sets && options.preemption_bound.is_none();
    // A node is a state with its sleep set; under a preemption bound, what is left of the
    // bound decides the future too.
    let key = |m: &Machine, last: Option<ThreadId>, used: u32, sleep: &[(Action, Accesses)]| {
        if let Some(sym) = symmetry {
            return sym.key(m, live, sleep.iter().map(|(a, _)| *a));
        }
        let fp = fingerprint::of(m, live);
        if options.preemption_bound.is_none() && sleep.is_empty() {
            return fp;
        }
        let mut h = fingerprint::Hasher::new();
        h.words([fp as u64, (fp >> 64) as u64]);
        if options.preemption_bound.is_some() {
            h.words([last.map_or(u64::MAX, |t| t.0.into()), used.into()]);
        }
        for (a, _) in sleep {
            h.word(match *a {
                Action::Run(t) => u64::from(t.0) << 1,
                Action::CompleteIo(k) => (u64::from(k.0) << 1) | 1,
            });
        }
        h.finish()
    };
    table.insert(key(&start, None, 0, &[]), 0);
    on_path.push(true);
    let actions = step::enabled(&start);
    let mut stack = vec![Frame {
        m: Some(start),
        node: 0,
        actions,
        next: 0,
        last: None,
        used: 0,
        sleep: Vec::new(),
        done: Vec::new(),
    }];
    let mut broken = false;
    while let Some(top) = stack.last_mut() {
        if top.next == 0
            && top.actions.is_empty()
            && top.m.as_ref().is_some_and(|m| m.end.is_some())
        {
            let key = outcome::of_end(top.m.as_ref().expect("just checked"));
            let o = intern(key, &|| path_of(&stack[..stack.len()], None));
            counted(top_node(&stack), o, &mut stop);
        }
        let top = stack.last_mut().expect("not empty");
        if top.next == top.actions.len() {
            let f = stack.pop().expect("not empty");
            on_path[f.node as usize] = false;
            finished.push(f.node);
            continue;
        }
        let action = top.actions[top.next];
        top.next += 1;
        let here = top.m.as_ref().expect("not yet taken");
        let used = top.used + u32::from(is_preemption(here, top.last, action));
        let last_action = top.next == top.actions.len();
        if let Some(k) = options.preemption_bound.filter(|&k| used > k) {
            note(&mut stop, Stop::Preemptions(k));
            continue;
        }
        let last = match action {
            Action::Run(t) => Some(t),
            Action::CompleteIo(_) => top.last,
        };
        // The frame's last step needs its machine no more: move it rather than copy it.
        let mut child = match (last_action, &mut top.m) {
            (true, m) => m.take(),
            (false, m) => m.clone(),
        }
        .expect("a frame's machine is there until its last step");
        let (stepped, touched) = step::take_touching(&mut child, code, action, max_local);
        if let Some(End::Limit(limit)) = child.end {
            note(&mut stop, Stop::Limit(limit));
            continue;
        }
        if symmetry.is_some()
            && (child.end == Some(End::Deadlock)
                || child.panics.iter().any(|p| p.thread != ThreadId(0)))
        {
            broken = true;
            break;
        }
        match stepped {
            Stepped::Done => {}
            Stepped::LocalLoop { repeats: true } => {
                let key = outcome::never_ends(
                    &child,
                    "a thread loops forever without touching anything shared",
                );
                let o = intern(key, &|| path_of(&stack, None));
                counted(top_node(&stack), o, &mut stop);
                continue;
            }
            Stepped::LocalLoop { repeats: false } => {
                note(&mut stop, Stop::LocalSteps(max_local));
                continue;
            }
        }
        // The child sleeps through what this node slept through or took before, where it
        // commutes with this step.
        let mut sleep: Vec<(Action, Accesses)> = Vec::new();
        if sleep_sets {
            let top = stack.last_mut().expect("not empty");
            sleep = top
                .sleep
                .iter()
                .chain(&top.done)
                .filter(|(_, acc)| acc.independent(&touched))
                .cloned()
                .collect();
            sleep.sort_unstable_by_key(|(a, _)| *a);
            top.done.push((action, touched));
        }
        let fp = key(&child, last, used, &sleep);
        match table.get(fp) {
            Some(n) if on_path[n as usize] => {
                let key = outcome::never_ends(&child, "a state comes back: it can loop forever");
                let o = intern(key, &|| path_of(&stack, None));
                counted(top_node(&stack), o, &mut stop);
            }
            Some(n) => edges.push((top_node(&stack), n)),
            None => {
                if on_path.len() as u64 >= max_states {
                    note(&mut stop, Stop::States(max_states));
                    continue;
                }
                if stack.len() as u64 >= options.max_depth {
                    note(&mut stop, Stop::Depth(options.max_depth));
                    continue;
                }
                let node = on_path.len() as u32;
                if node.is_multiple_of(4096) {
                    progress(u64::from(node));
                }
                table.insert(fp, node);
                edges.push((top_node(&stack), node));
                on_path.push(true);
                let mut actions = step::enabled(&child);
                actions.retain(|a| !sleep.iter().any(|(s, _)| s == a));
                stack.push(Frame {
                    m: Some(child),
                    node,
                    actions,
                    next: 0,
                    last,
                    used,
                    sleep,
                    done: Vec::new(),
                });
            }
        }
    }
    let states = on_path.len();
    let bytes = table.bytes() + states + finished.len() * 4 + edges.len() * 8 + states * 16;
    drop(table);
    drop(on_path);
    // Paths from the start to each node, in topological order: every edge goes from a
    // node that finished after the node it leads to.
    edges.sort_unstable();
    let mut paths = vec![(0u64, 0f64); states];
    paths[0] = (1, 1.0);
    for &n in finished.iter().rev() {
        let from = edges.partition_point(|&(f, _)| f < n);
        let (p, q) = paths[n as usize];
        for &(_, to) in edges[from..].iter().take_while(|&&(f, _)| f == n) {
            let t = &mut paths[to as usize];
            *t = (t.0.saturating_add(p), t.1 + q);
        }
    }
    let mut counts = vec![0u64; outcomes.len()];
    let mut approx = vec![0f64; outcomes.len()];
    for (n, o) in events {
        let (p, q) = paths[n as usize];
        counts[o as usize] = counts[o as usize].saturating_add(p);
        approx[o as usize] += q;
    }
    Found {
        outcomes,
        counts,
        approx,
        witnesses,
        states: states as u64,
        stop,
        bytes,
        broken,
    }
}

/// Keeps the first bound the search hit, except that any other bound takes the place of
/// the depth bound: a `Depth` stop says that nothing but the depth cut the search short.
fn note(stop: &mut Option<Stop>, s: Stop) {
    if stop.is_none() || (matches!(stop, Some(Stop::Depth(_))) && !matches!(s, Stop::Depth(_))) {
        *stop = Some(s);
    }
}

fn top_node(stack: &[Frame]) -> u32 {
    stack.last().expect("not empty").node
}
