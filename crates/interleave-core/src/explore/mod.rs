//! Every schedule: what a program can do under *any* schedule an operating system could
//! produce, on any number of cores.
//!
//! # The question
//!
//! Every interleaving of the threads' visible operations (shared memory, atomics, locks,
//! channels, spawn and join, task wake-ups), under sequential consistency, with timing
//! treated as adversarial: `sleep`, `work`, I/O durations, the quantum and the number of
//! cores never order anything. The answer is the same on 1 core or 16, because on any
//! machine a thread can be made to wait (by other threads, interrupts, a busy system) as
//! long as any other runs; the timed simulator shows one schedule, chosen by its settings.
//!
//! # How
//!
//! `step` defines the transitions (a thread runs through its next visible op, or an awaited
//! I/O completes); `dependency` says which two steps are independent (one rule per
//! primitive); `search` visits every reachable state once with sleep sets, found again by a
//! 16-byte fingerprint (`fingerprint`) — or, for programs whose threads share only statics
//! and atomics, by a canonical renaming of interchangeable threads (`symmetry`) — and
//! counts paths; `witness` finds, for each outcome,
//! the execution with the fewest preemptions. The result is a histogram of outcomes
//! (`outcome`): how each execution ended, its message, and every static's final value.
//!
//! # The unit of counting
//!
//! An *execution* is one class of complete orders of steps, where two orders are in the
//! same class when one becomes the other by swapping adjacent independent steps (they
//! reach the same state, so no program can tell them apart): with sleep sets the search
//! takes exactly one order of each class. `count_classes` checks this by brute force in the
//! tests. Under a preemption bound, executions are orders (the bound is on orders). A join
//! is not a step until the joined thread has exited (see `step`): whether a join waited is
//! no difference any program can see, so it makes no second execution.
//!
//! # Limitations
//!
//! - Atomics are sequentially consistent: weak orderings (`Relaxed`, `Acquire`/`Release`)
//!   are not explored yet; their extra behaviours are not found.
//! - The reduction is sleep sets over visited states, without source sets: it counts
//!   classes rather than orders, but saves no states. A state reached with different
//!   sleep sets is visited (and counted in `states`) once for each: 1.3-1.6x the states of
//!   the unreduced search on the lost update. Symmetry saves states (4 threads × 4
//!   increments: 1.3 M instead of more than 20 M), but only where threads share nothing
//!   but statics and atomics; elsewhere each thread keeps its number.
//! - Spurious wake-ups of `Condvar::wait` and `thread::park` (which std allows) are not
//!   explored; `Report::caveats` says so for each program that waits or parks.
//! - A program with more states than `max_states`, or executions longer than `max_depth`
//!   steps, is explored in part: the verdict says so and names the bound.

mod classes;
mod dependency;
mod fingerprint;
mod live;
mod outcome;
mod search;
mod step;
mod symmetry;
mod table;
mod witness;

pub use outcome::{EndKind, OutcomeKey};
pub use search::Stop;
pub use step::Action;
pub use witness::{parse as parse_schedule, to_text as schedule_text};

use crate::machine::Machine;
use crate::program::Program;
use crate::run::SetupError;
use crate::settings::{Limits, Settings};
use std::sync::Arc;

/// Bounds on an exploration.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// Distinct states to visit at most.
    pub max_states: u64,
    /// Local ops a thread may run in a row (a loop touching nothing shared) before the
    /// explorer stops following it.
    pub max_local_steps: u64,
    /// Steps an execution may take before the search follows it no further. The search
    /// keeps a machine per step of the current execution, so this bounds its memory too.
    pub max_depth: u64,
    /// Distinct outcomes to keep (each has a witness); executions reaching others are not
    /// counted, and the verdict says so.
    pub max_outcomes: usize,
    /// (State, last thread) pairs the search for minimal witnesses may visit in all; past
    /// it, an outcome keeps the first witness found (its preemptions are still counted).
    pub max_witness_nodes: usize,
    /// The most preemptions that search tries.
    pub max_witness_preemptions: u32,
    /// Explore only executions with at most this many preemptions (a switch away from a
    /// thread that could have gone on), as loom's `preemption_bound`: most bugs need one or
    /// two, and the search is far smaller. The verdict then says the answer is bounded.
    pub preemption_bound: Option<u32>,
    /// Forget locals that no op will read again (see `live`): far fewer states, the same
    /// outcomes and counts. Off only to compare against the unreduced search.
    pub dead_locals: bool,
    /// Count one execution per class of orders that differ only in swapping adjacent
    /// independent steps (sleep sets over `dependency`): far fewer executions, the same
    /// outcomes. Off only to compare, or under a preemption bound.
    pub sleep_sets: bool,
    /// Visit one of each set of states that differ only in which of several threads is
    /// which (see `symmetry`: programs sharing only statics and atomics): far fewer
    /// states, the same outcomes and counts. Off only to compare; on only with sleep sets
    /// (it keeps counts of classes, not of orders).
    pub symmetry: bool,
    /// The limits of the machine (threads, channels, buffered messages…).
    pub limits: Limits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_states: 1_000_000,
            max_local_steps: 1_000_000,
            max_depth: 5_000,
            max_outcomes: 1_000,
            dead_locals: true,
            sleep_sets: true,
            symmetry: true,
            max_witness_nodes: 2_000_000,
            max_witness_preemptions: 12,
            preemption_bound: None,
            limits: Limits::default(),
        }
    }
}

/// Whether everything was explored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Complete,
    /// Stopped at this bound: outcomes beyond it may exist.
    Incomplete(Stop),
}

/// One bar of the histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub key: OutcomeKey,
    /// Executions that reach it (see the unit of counting above), up to `u64::MAX`.
    pub count: u64,
    /// The same count in floating point: it does not saturate (a program that can run
    /// on and on has more executions than a `u64` holds), so shares stay right.
    pub approx: f64,
    /// An execution that reaches it: the fewest preemptions found, then the fewest steps.
    pub witness: Vec<Action>,
    pub preemptions: u32,
    /// The witness has the fewest preemptions of any execution reaching this outcome.
    pub minimal: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub verdict: Verdict,
    /// Executions explored: the sum of the counts (saturating), and in floating point.
    pub executions: u64,
    pub executions_approx: f64,
    /// Distinct states visited (states that are renamings of each other count once when
    /// `symmetric`).
    pub states: u64,
    /// States were merged by symmetry (see `symmetry`).
    pub symmetric: bool,
    /// What std allows this program to do that the explorer does not explore, in words
    /// (see [`caveats`]): the verdict is about the schedules, not about these.
    pub caveats: Vec<&'static str>,
    /// `Some(d)` when a deeper round of the search (see `deepening`) hit another bound, so
    /// that these are the executions of up to `d` steps.
    pub shallower: Option<u64>,
    /// Bytes the search kept per visited state, on average.
    pub bytes_per_state: u64,
    /// Most executions first.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    pub fn complete(&self) -> bool {
        self.verdict == Verdict::Complete
    }

    pub fn can(&self, end: EndKind) -> bool {
        self.outcomes.iter().any(|o| o.key.end == end)
    }
}

/// Whether executions are classes (see the unit of counting): sleep sets on, and no
/// preemption bound.
fn sleep_sets_on(options: &Options) -> bool {
    options.sleep_sets && options.preemption_bound.is_none()
}

/// The machine the explorer starts from: the program at its start, one core, no time.
fn start(program: Arc<Program>, limits: &Limits) -> Machine {
    let settings = Settings {
        cores: 1,
        switch_cost_ticks: 0,
        limits: limits.clone(),
        ..Settings::default()
    };
    Machine::new(program, &settings)
}

/// The state `actions` lead to from the start, under the explorer's steps; an error names
/// the first action that is not possible where it comes (it is not one of this program's
/// executions). A ready thread may also step into a join of a thread still running (it
/// blocks there): the explorer no longer takes that step, but witnesses found before it
/// did, and links carry them.
pub fn replay(
    program: Arc<Program>,
    options: &Options,
    actions: &[Action],
) -> Result<Machine, String> {
    program.validate().map_err(|e| e.to_string())?;
    let mut m = start(program, &options.limits);
    let code = m.code();
    for (i, &a) in actions.iter().enumerate() {
        let ready = |t: crate::trace::ThreadId| {
            m.end.is_none()
                && m.threads.get(t.0 as usize).map(|th| th.state)
                    == Some(crate::machine::ThreadState::Ready)
        };
        let possible = match a {
            Action::Run(t) => ready(t),
            Action::CompleteIo(_) => step::enabled(&m).contains(&a),
        };
        if !possible {
            return Err(format!(
                "step {} ({}) is not possible there: {}",
                i + 1,
                witness::to_text(&[a]),
                if m.end.is_some() {
                    "the run has already ended"
                } else {
                    "that thread is not ready, or that I/O is not pending"
                }
            ));
        }
        step::take(&mut m, &code, a, options.max_local_steps);
    }
    Ok(m)
}

/// `actions` in words (see `witness::narrate`), after checking that they are an execution
/// of `program`.
pub fn narrate(
    program: Arc<Program>,
    options: &Options,
    actions: &[Action],
) -> Result<Vec<String>, String> {
    replay(Arc::clone(&program), options, actions)?;
    let m = start(program, &options.limits);
    let code = m.code();
    Ok(witness::narrate(
        &m,
        &code,
        actions,
        options.max_local_steps,
    ))
}

/// The preemptions along `actions` (switches away from a thread that could have gone
/// on), after checking that they are an execution of `program`.
pub fn preemptions(
    program: Arc<Program>,
    options: &Options,
    actions: &[Action],
) -> Result<u32, String> {
    replay(Arc::clone(&program), options, actions)?;
    let m = start(program, &options.limits);
    let code = m.code();
    Ok(witness::preemptions(
        &m,
        &code,
        actions,
        options.max_local_steps,
    ))
}

/// The outcome of a machine whose run has ended (`None` while it runs).
pub fn outcome_of(m: &Machine) -> Option<OutcomeKey> {
    m.end.is_some().then(|| outcome::of_end(m))
}

/// How far an exploration has come, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Distinct states found so far.
    States(u64),
    /// Looking for the fewest-preemption witnesses, at this bound.
    Witnesses,
}

/// The depth the search tries first; then four times deeper, up to `max_depth`.
const FIRST_DEPTH: u64 = 256;

/// The search, by iterative deepening on the length of executions: a program that can run
/// on and on (reaching new states) would otherwise fill every bound with its longest
/// executions and never show its short ones. Each round that only the depth cut short is
/// followed by one four times deeper, up to `max_depth`; a round that another bound (states,
/// outcomes) stops gives way to the round before it, which saw every execution up to its
/// depth (its verdict names the bound that stopped the deeper one). Returns the round's
/// result, its depth, and whether a deeper round was given up.
fn deepening(
    m: &Machine,
    code: &crate::code::Code,
    options: &Options,
    live: &live::Live,
    symmetry: Option<&symmetry::Symmetry>,
    progress: &mut dyn FnMut(Progress),
) -> (search::Found, u64, bool) {
    let mut depth = options.max_depth.min(FIRST_DEPTH);
    let mut before: Option<(search::Found, u64)> = None;
    loop {
        let round = Options {
            max_depth: depth,
            ..options.clone()
        };
        let found = search::search(m.clone(), code, &round, live, symmetry, &mut |n| {
            progress(Progress::States(n))
        });
        if found.broken {
            return (found, depth, false);
        }
        match found.stop {
            Some(Stop::Depth(_)) if depth < options.max_depth => {
                before = Some((found, depth));
                depth = options.max_depth.min(depth.saturating_mul(4));
            }
            Some(Stop::Depth(_)) | None => return (found, depth, false),
            Some(other) => {
                // The verdict names the bound that stopped the deeper round.
                return match before {
                    Some((mut found, depth)) => {
                        found.stop = Some(other);
                        (found, depth, true)
                    }
                    None => (found, depth, false),
                };
            }
        }
    }
}

/// The number of classes of complete executions of `program` (orders that differ only in
/// swapping adjacent independent steps), counted by brute force over every order: the
/// reference the explorer's counts are tested against. `None` past `max_orders` orders, or
/// for a program with an execution that never ends or is longer than `max_depth`.
#[doc(hidden)]
pub fn count_classes(program: Arc<Program>, options: &Options, max_orders: u64) -> Option<u64> {
    classes::count(program, options, max_orders)
}

/// What std allows `program` to do that no schedule here does: a spurious wake-up of
/// `Condvar::wait` or `thread::park`. A program that re-checks its condition in a loop
/// behaves the same either way; one that waits under an `if` may not.
pub fn caveats(program: &Program) -> Vec<&'static str> {
    let ops = || program.functions.iter().flat_map(|f| &f.body);
    let mut out = Vec::new();
    if ops().any(|op| matches!(op, crate::program::Op::CondvarWait { .. })) {
        out.push(
            "Spurious wake-ups are not explored: std allows `Condvar::wait` to return without a notification, which a wait in a loop that re-checks its condition survives and a wait under an `if` may not.",
        );
    }
    if ops().any(|op| matches!(op, crate::program::Op::Park)) {
        out.push(
            "Spurious returns from `thread::park` are not explored: std allows `park` to return without an `unpark`, so code after it must re-check what it waited for.",
        );
    }
    out
}

/// Explores `program` under every schedule (see the module doc).
pub fn explore(program: Arc<Program>, options: &Options) -> Result<Report, SetupError> {
    explore_with(program, options, &mut |_| {})
}

/// [`explore`], telling `progress` how far it has come every few thousand states.
pub fn explore_with(
    program: Arc<Program>,
    options: &Options,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, SetupError> {
    program.validate().map_err(SetupError::Program)?;
    let m = start(Arc::clone(&program), &options.limits);
    let code = m.code();
    let live = if options.dead_locals {
        live::Live::of(&program)
    } else {
        live::Live::all(&program)
    };
    // The order of a run of joins makes no difference to classes, but does to orders:
    // symmetry goes with sleep sets.
    let symmetry = (options.symmetry && sleep_sets_on(options))
        .then(|| symmetry::Symmetry::of(&program, &live))
        .flatten();
    let (mut found, mut depth, mut fell_back) =
        deepening(&m, &code, options, &live, symmetry.as_ref(), progress);
    let symmetric = symmetry.is_some() && !found.broken;
    if found.broken {
        (found, depth, fell_back) = deepening(&m, &code, options, &live, None, progress);
    }
    let options = &Options {
        max_depth: depth,
        ..options.clone()
    };
    progress(Progress::Witnesses);
    // The fewest preemptions for every outcome that ends (a loop's witness stays as found).
    let keys = found.outcomes.clone();
    let classify = |s: &Machine, stepped: step::Stepped| -> Option<usize> {
        let key = match stepped {
            step::Stepped::Done
                if s.end.is_some() && !matches!(s.end, Some(crate::machine::End::Limit(_))) =>
            {
                outcome::of_end(s)
            }
            _ => return None,
        };
        keys.iter().position(|k| *k == key)
    };
    let best = witness::minimal(&m, &code, keys.len(), &classify, options, &live);
    let mut outcomes: Vec<Outcome> = found
        .outcomes
        .into_iter()
        .zip(found.counts.into_iter().zip(found.approx))
        .zip(found.witnesses)
        .zip(best)
        .map(|(((key, (count, approx)), first), best)| {
            let minimal = best.is_some();
            let witness = best.unwrap_or(first);
            let preemptions = witness::preemptions(&m, &code, &witness, options.max_local_steps);
            Outcome {
                key,
                count,
                approx,
                witness,
                preemptions,
                minimal,
            }
        })
        .collect();
    outcomes.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.approx.total_cmp(&a.approx))
            .then_with(|| a.key.cmp(&b.key))
    });
    let executions = outcomes.iter().fold(0u64, |n, o| n.saturating_add(o.count));
    let executions_approx = outcomes.iter().map(|o| o.approx).sum();
    Ok(Report {
        verdict: found.stop.map_or(Verdict::Complete, Verdict::Incomplete),
        executions,
        executions_approx,
        states: found.states,
        symmetric,
        caveats: caveats(&program),
        shallower: fell_back.then_some(depth),
        bytes_per_state: (found.bytes as u64) / found.states.max(1),
        outcomes,
    })
}
