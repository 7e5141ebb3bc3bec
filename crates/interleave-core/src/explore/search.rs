//! The search: depth-first over the explorer's states (see `step`), each state explored
//! once (found again by its 16-byte fingerprint), every path counted.
//!
//! Counting: a node's count for an outcome is the number of paths from it to an end with
//! that outcome (the sum over its steps of the successors' counts), so the root's counts
//! are the number of distinct executions, as orders of steps, that reach each outcome. A
//! step back into a state on the current path closes a loop: that path counts once for
//! "never ends" and stops there. Counts saturate at `u64::MAX`.

use super::fingerprint;
use super::outcome::{self, OutcomeKey};
use super::step::{self, Action, Stepped};
use super::table::Table;
use crate::code::Code;
use crate::machine::Machine;

/// Counts per outcome, sparse and sorted by outcome.
type Counts = Vec<(u32, u64)>;

fn add(into: &mut Counts, from: &[(u32, u64)]) {
    for &(o, n) in from {
        match into.binary_search_by_key(&o, |&(k, _)| k) {
            Ok(i) => into[i].1 = into[i].1.saturating_add(n),
            Err(i) => into.insert(i, (o, n)),
        }
    }
}

/// Why the search stopped before it had seen everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `max_states` states were found.
    States(u64),
    /// A thread ran this many local ops in a row without repeating its local state.
    LocalSteps(u64),
}

pub struct Found {
    pub outcomes: Vec<OutcomeKey>,
    /// Executions per outcome, indexed like `outcomes`.
    pub counts: Vec<u64>,
    /// The steps of the first execution found for each outcome.
    pub witnesses: Vec<Vec<Action>>,
    pub states: u64,
    pub stop: Option<Stop>,
    /// Bytes of the table of visited states and the counts kept per state.
    pub bytes: usize,
}

struct Frame {
    m: Machine,
    node: u32,
    actions: Vec<Action>,
    next: usize,
    acc: Counts,
}

/// Depth-first search from `start`; `progress` hears the number of states every 4096.
pub fn search(
    start: Machine,
    code: &Code,
    max_states: u64,
    max_local: u64,
    progress: &mut dyn FnMut(u64),
) -> Found {
    let mut outcomes: Vec<OutcomeKey> = Vec::new();
    let mut witnesses: Vec<Vec<Action>> = Vec::new();
    let mut intern = |k: OutcomeKey, path: &dyn Fn() -> Vec<Action>| -> u32 {
        match outcomes.iter().position(|o| *o == k) {
            Some(i) => i as u32,
            None => {
                outcomes.push(k);
                witnesses.push(path());
                outcomes.len() as u32 - 1
            }
        }
    };
    let mut table = Table::new();
    // Per node: its counts once finished, and whether it is on the current path.
    let mut done: Vec<Option<Counts>> = Vec::new();
    let mut on_path: Vec<bool> = Vec::new();
    let mut stop = None;
    let path_of = |stack: &[Frame], last: Option<Action>| -> Vec<Action> {
        stack
            .iter()
            .filter(|f| f.next > 0)
            .map(|f| f.actions[f.next - 1])
            .chain(last)
            .collect()
    };

    table.insert(fingerprint::of(&start), 0);
    done.push(None);
    on_path.push(true);
    let actions = step::enabled(&start);
    let mut stack = vec![Frame {
        m: start,
        node: 0,
        actions,
        next: 0,
        acc: Vec::new(),
    }];
    let mut root_counts = Vec::new();
    while let Some(top) = stack.last_mut() {
        if top.m.end.is_some() && top.next == 0 && top.actions.is_empty() {
            let key = outcome::of_end(&top.m);
            let o = intern(key, &|| path_of(&stack[..stack.len()], None));
            let top = stack.last_mut().expect("not empty");
            top.acc = vec![(o, 1)];
        }
        let top = stack.last_mut().expect("not empty");
        if top.next == top.actions.len() {
            let f = stack.pop().expect("not empty");
            on_path[f.node as usize] = false;
            match stack.last_mut() {
                Some(parent) => add(&mut parent.acc, &f.acc),
                None => root_counts = f.acc.clone(),
            }
            done[f.node as usize] = Some(f.acc);
            continue;
        }
        let action = top.actions[top.next];
        top.next += 1;
        let mut child = top.m.clone();
        match step::take(&mut child, code, action, max_local) {
            Stepped::Done => {}
            Stepped::LocalLoop { repeats: true } => {
                let key = outcome::never_ends(
                    &child,
                    "a thread loops forever without touching anything shared",
                );
                let o = intern(key, &|| path_of(&stack, None));
                add(&mut stack.last_mut().expect("not empty").acc, &[(o, 1)]);
                continue;
            }
            Stepped::LocalLoop { repeats: false } => {
                stop.get_or_insert(Stop::LocalSteps(max_local));
                continue;
            }
        }
        let fp = fingerprint::of(&child);
        match table.get(fp) {
            Some(n) if on_path[n as usize] => {
                let key = outcome::never_ends(&child, "a state comes back: it can loop forever");
                let o = intern(key, &|| path_of(&stack, None));
                add(&mut stack.last_mut().expect("not empty").acc, &[(o, 1)]);
            }
            Some(n) => {
                let counts = done[n as usize].clone().unwrap_or_default();
                add(&mut stack.last_mut().expect("not empty").acc, &counts);
            }
            None => {
                if done.len() as u64 >= max_states {
                    stop.get_or_insert(Stop::States(max_states));
                    continue;
                }
                let node = done.len() as u32;
                if node.is_multiple_of(4096) {
                    progress(u64::from(node));
                }
                table.insert(fp, node);
                done.push(None);
                on_path.push(true);
                let actions = step::enabled(&child);
                stack.push(Frame {
                    m: child,
                    node,
                    actions,
                    next: 0,
                    acc: Vec::new(),
                });
            }
        }
    }
    let mut counts = vec![0u64; outcomes.len()];
    for (o, n) in root_counts {
        counts[o as usize] = n;
    }
    let kept: usize = done
        .iter()
        .map(|c| 24 + c.as_ref().map_or(0, |c| c.len() * 16))
        .sum();
    Found {
        outcomes,
        counts,
        witnesses,
        states: done.len() as u64,
        stop,
        bytes: table.bytes() + kept + on_path.len(),
    }
}
