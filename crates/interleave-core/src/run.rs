//! Running a program to its end: the recorded trace, the outcome, and the exact machine
//! state at any tick (from checkpoints, so scrubbing never replays from zero).

use crate::explain::{self, Deadlock};
use crate::machine::{End, Machine, Panic};
use crate::program::{InvalidProgram, Program, Value};
use crate::race::Race;
use crate::settings::{InvalidSettings, Settings};
use crate::trace::{Decision, Event, NullSink, Schedule, Sink, Trace};
use std::fmt;
use std::sync::Arc;

/// Why a run could not start.
#[derive(Clone, Debug, PartialEq)]
pub enum SetupError {
    Program(InvalidProgram),
    Settings(InvalidSettings),
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetupError::Program(e) => write!(f, "invalid program {e}"),
            SetupError::Settings(e) => write!(f, "invalid {e}"),
        }
    }
}

impl std::error::Error for SetupError {}

/// What a run came to.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outcome {
    pub end: End,
    pub ticks: u64,
    pub steps: u64,
    /// Final values of the plain variables, atomics and mutex contents, by name.
    pub vars: Vec<(String, Value)>,
    pub atomics: Vec<(String, Value)>,
    pub mutexes: Vec<(String, Value)>,
    pub panics: Vec<Panic>,
    pub races: Vec<Race>,
    /// Races beyond `limits.max_races`, counted but not kept.
    pub races_dropped: u64,
    pub deadlock: Option<Deadlock>,
    /// What the threads printed, in order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub output: Vec<crate::machine::Printed>,
    /// The values a number would not say, in words: a `bool`'s `true` / `false`, a
    /// locked vector's elements (`[1, 2]`; its entry in `mutexes` is the vector's number).
    #[cfg_attr(feature = "serde", serde(default))]
    pub shown: Vec<(String, String)>,
}

impl Outcome {
    /// "NAME = V" for every static's final value, a guarded vector's as its elements.
    pub fn final_values(&self) -> Vec<String> {
        self.vars
            .iter()
            .chain(&self.atomics)
            .chain(&self.mutexes)
            .map(|(n, v)| match self.shown.iter().find(|(x, _)| x == n) {
                Some((_, shown)) => format!("{n} = {shown}"),
                None => format!("{n} = {v}"),
            })
            .collect()
    }

    fn of(m: &Machine) -> Outcome {
        let named = |decls: &[crate::program::Decl], values: &mut dyn Iterator<Item = Value>| {
            decls
                .iter()
                .map(|d| (d.name.clone(), values.next().unwrap_or(0)))
                .collect()
        };
        Outcome {
            end: m
                .end
                .clone()
                .unwrap_or(End::Limit(crate::machine::Limit::Steps)),
            ticks: m.now,
            steps: m.steps,
            vars: named(&m.program.vars, &mut m.vars.iter().copied()),
            atomics: named(&m.program.atomics, &mut m.atomics.iter().copied()),
            mutexes: named(&m.program.mutexes, &mut m.mutexes.iter().map(|x| x.value)),
            panics: m.panics.clone(),
            races: m.races().races.clone(),
            races_dropped: m.races().dropped,
            deadlock: (m.end == Some(End::Deadlock)).then(|| explain::deadlock(m)),
            output: m.output.clone(),
            shown: m.shown_values(),
        }
    }

    pub fn assertion_failed(&self) -> bool {
        self.panics.iter().any(|p| p.assertion)
    }
}

/// A finished run: everything the UI shows comes from here.
#[derive(Clone, Debug)]
pub struct Run {
    pub program: Arc<Program>,
    pub settings: Settings,
    pub events: Trace,
    pub outcome: Outcome,
    /// Snapshots at increasing ticks, the first at tick 0.
    checkpoints: Vec<Machine>,
    final_state: Machine,
}

/// At most this many snapshots; past it, every other one is dropped and the spacing doubles.
const MAX_CHECKPOINTS: usize = 512;
/// Work between snapshots, in steps plus ticks (re-simulating it is what a seek costs):
/// 16,384 is well under a millisecond natively and a few in wasm, so scrubbing stays
/// smooth, while a long run takes a snapshot (a full clone of the machine) rarely.
const FIRST_SPACING_WORK: u64 = 16_384;

fn check(program: &Program, settings: &Settings) -> Result<(), SetupError> {
    settings.validate().map_err(SetupError::Settings)?;
    program.validate().map_err(SetupError::Program)
}

/// Runs to the end, recording the trace and checkpoints.
pub fn simulate(program: Arc<Program>, settings: &Settings) -> Result<Run, SetupError> {
    check(&program, settings)?;
    let mut m = Machine::new(Arc::clone(&program), settings);
    let mut rec = EventsOnly(Trace::default());
    let mut checkpoints = Vec::new();
    let mut spacing = FIRST_SPACING_WORK;
    let mut next_checkpoint = 0;
    let mut ticks_run = 0u64; // calls to `tick`: an idle jump over many ticks is one
    let code = m.code();
    while !m.finished() {
        let work = m.steps + ticks_run;
        if work >= next_checkpoint {
            checkpoints.push(m.clone());
            next_checkpoint = work + spacing;
            if checkpoints.len() > MAX_CHECKPOINTS {
                let mut i = 0;
                checkpoints.retain(|_| {
                    i += 1;
                    i % 2 == 1
                });
                spacing *= 2;
            }
        }
        m.tick_with(&code, u64::MAX, &mut rec);
        ticks_run += 1;
    }
    rec.0.shrink_to_fit();
    Ok(Run {
        outcome: Outcome::of(&m),
        program,
        settings: settings.clone(),
        events: rec.0,
        checkpoints,
        final_state: m,
    })
}

/// Keeps the events only: a run's decisions follow from its program and settings, so
/// [`Run::schedule`] derives them when asked instead of every run paying to record them.
struct EventsOnly(Trace);

impl Sink for EventsOnly {
    // Inlined, the heavy mix records about 10% faster natively and as fast in wasm.
    const INLINE_STEP: bool = true;
    #[inline(always)]
    fn event(&mut self, event: Event) {
        self.0.push_in_tick(event);
    }
    #[inline]
    fn start_tick(&mut self, tick: u64) {
        self.0.start_tick(tick);
    }
    #[inline]
    fn decision(&mut self, _: Decision, _: u32) {}
}

/// Keeps the decisions only.
struct DecisionsOnly(Schedule);

impl Sink for DecisionsOnly {
    #[inline]
    fn event(&mut self, _: Event) {}
    #[inline]
    fn decision(&mut self, decision: Decision, _: u32) {
        self.0.push(decision);
    }
}

/// Runs to the end pushing events into `sink` only: no checkpoints, for benchmarks and
/// exhaustive exploration.
pub fn simulate_into(
    program: Arc<Program>,
    settings: &Settings,
    sink: &mut impl Sink,
) -> Result<Outcome, SetupError> {
    check(&program, settings)?;
    let mut m = Machine::new(program, settings);
    let code = m.code();
    while !m.finished() {
        m.tick_with(&code, u64::MAX, sink);
    }
    Ok(Outcome::of(&m))
}

impl Run {
    /// The run's last tick.
    pub fn end_tick(&self) -> u64 {
        self.final_state.now
    }

    /// The machine exactly as it was at the start of `tick` (clamped to the end): from the
    /// nearest earlier checkpoint, re-simulated without recording.
    pub fn state_at(&self, tick: u64) -> Machine {
        if tick >= self.final_state.now {
            return self.final_state.clone();
        }
        let i = self
            .checkpoints
            .partition_point(|c| c.now <= tick)
            .saturating_sub(1);
        let mut m = self.checkpoints[i].clone();
        let code = m.code();
        while !m.finished() && m.now < tick {
            m.tick_with(&code, tick, &mut NullSink);
        }
        m
    }

    /// The machine at `tick`, moving `from` forward when that is cheaper than starting
    /// from a checkpoint (playback calls this once per frame). `from` must be a state of
    /// this run.
    pub fn seek(&self, mut from: Machine, tick: u64) -> Machine {
        const NEAR: u64 = 4096;
        if from.now <= tick && tick - from.now <= NEAR {
            let code = from.code();
            while !from.finished() && from.now < tick {
                from.tick_with(&code, tick, &mut NullSink);
            }
            return from;
        }
        self.state_at(tick)
    }

    /// Every scheduler decision of this run: replaying them reproduces it exactly. The
    /// run is deterministic, so they are derived by running it again from tick 0, without
    /// recording events.
    pub fn schedule(&self) -> Schedule {
        let mut m = self.checkpoints[0].clone();
        let mut rec = DecisionsOnly(Schedule::default());
        let code = m.code();
        while !m.finished() {
            m.tick_with(&code, u64::MAX, &mut rec);
        }
        rec.0.shrink_to_fit();
        rec.0
    }

    pub fn checkpoint_count(&self) -> usize {
        self.checkpoints.len()
    }
}
