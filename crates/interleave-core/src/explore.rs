//! Exhaustive exploration, in the spirit of loom: run the program under every sequence of
//! scheduler decisions (depth-first, each run replaying a prefix and taking the lowest
//! option after it), up to a bound on runs. Answers "can this program deadlock or fail
//! its assertions under *any* schedule?", with a schedule that replays the first failure.

use crate::machine::{End, Machine};
use crate::program::Program;
use crate::run::SetupError;
use crate::sched::{replay::Replay, Policy};
use crate::settings::Settings;
use crate::trace::{Decision, Event, Sink};
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub struct Exploration {
    pub runs: u64,
    /// Every schedule was explored (false: `max_runs` was hit first).
    pub complete: bool,
    pub deadlocks: u64,
    pub failures: u64,
    /// Decisions that replay the first deadlock found (with `PolicyKind::Replay`).
    pub first_deadlock: Option<Vec<Decision>>,
    /// Decisions that replay the first failed assertion or panic found.
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
        Decision::Preempt(false) => Some(Decision::Preempt(true)),
        _ => None,
    }
}

pub fn explore(
    program: Arc<Program>,
    settings: &Settings,
    max_runs: u64,
) -> Result<Exploration, SetupError> {
    settings.validate().map_err(SetupError::Settings)?;
    program.validate().map_err(SetupError::Program)?;
    let mut x = Exploration {
        runs: 0,
        complete: false,
        deadlocks: 0,
        failures: 0,
        first_deadlock: None,
        first_failure: None,
    };
    let mut prefix: Vec<Decision> = Vec::new();
    while x.runs < max_runs {
        let policy = Policy::Replay(Replay::new(prefix.clone(), None));
        let mut m = Machine::with_policy(Arc::clone(&program), settings, policy);
        let mut branches = Branches::default();
        while !m.finished() {
            m.tick(u64::MAX, &mut branches);
        }
        x.runs += 1;
        let taken = || branches.0.iter().map(|&(d, _)| d).collect::<Vec<_>>();
        if m.end == Some(End::Deadlock) {
            x.deadlocks += 1;
            x.first_deadlock.get_or_insert_with(taken);
        } else if !m.panics.is_empty() {
            x.failures += 1;
            x.first_failure.get_or_insert_with(taken);
        }
        // Backtrack to the deepest decision with an untried sibling.
        let Some(j) = branches
            .0
            .iter()
            .rposition(|&(d, n)| next_option(d, n).is_some())
        else {
            x.complete = true;
            break;
        };
        let (d, n) = branches.0[j];
        prefix = branches.0[..j].iter().map(|&(d, _)| d).collect();
        prefix.push(next_option(d, n).expect("j has a sibling"));
    }
    Ok(x)
}
