//! From (scenario text, settings) to what the page shows: diagnostics, or recorded runs with
//! their Gantt lanes. Pure and native-tested; every semantic answer comes from the core.

use interleave_core::lost::{analyse, Loads};
use interleave_core::machine::Machine;
use interleave_core::program::Program;
use interleave_core::run::{simulate, Outcome, Run};
use interleave_core::settings::{Limits, PolicyKind, Settings};
use interleave_core::snapshot::narrate_all;
use interleave_core::timeline::{lanes, Lanes};
use interleave_core::waits::{waits, Waits};
pub use interleave_lang::compile::time::Scale;
use interleave_lang::diag::{line_col, render, Diagnostic, Severity};
use std::rc::Rc;
use std::sync::Arc;

/// The page runs at most this many cores (the core allows 64).
pub const UI_MAX_CORES: u32 = 16;
/// Steps recorded per run in the page: enough for every preset many times over, small
/// enough that a runaway loop ends quickly with a clear "step limit" outcome.
pub const UI_MAX_STEPS: u64 = 400_000;
pub const UI_MAX_TICKS: u64 = 2_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    RoundRobin,
    Fifo,
    Random,
}

impl Policy {
    pub fn key(self) -> &'static str {
        match self {
            Policy::RoundRobin => "rr",
            Policy::Fifo => "fifo",
            Policy::Random => "random",
        }
    }

    pub fn from_key(key: &str) -> Option<Policy> {
        match key {
            "rr" => Some(Policy::RoundRobin),
            "fifo" => Some(Policy::Fifo),
            "random" => Some(Policy::Random),
            _ => None,
        }
    }
}

/// The settings a person can change in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UiSettings {
    pub cores: u32,
    pub quantum: u64,
    pub switch_cost: u64,
    pub policy: Policy,
    pub seed: u64,
    /// `Settings::idle_cores_first`: false only for runs opened from format-1 links.
    pub idle_cores_first: bool,
    /// How long a tick of a `Duration` is, in nanoseconds (one of `Scale::ALL`).
    pub tick_ns: u64,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            cores: 2,
            quantum: 3,
            switch_cost: 1,
            policy: Policy::RoundRobin,
            seed: 0,
            idle_cores_first: true,
            tick_ns: Scale::default().nanos(),
        }
    }
}

impl UiSettings {
    pub fn from_core(s: &Settings) -> UiSettings {
        UiSettings {
            cores: s.cores.clamp(1, UI_MAX_CORES),
            quantum: s.quantum_ticks.clamp(1, 1000),
            switch_cost: s.switch_cost_ticks.min(1000),
            policy: match s.policy {
                PolicyKind::Fifo => Policy::Fifo,
                PolicyKind::Random => Policy::Random,
                _ => Policy::RoundRobin,
            },
            seed: s.seed,
            idle_cores_first: s.idle_cores_first,
            tick_ns: Scale::default().nanos(),
        }
    }

    /// How long a tick of a `Duration` is.
    pub fn scale(self) -> Scale {
        Scale::from_nanos(self.tick_ns).unwrap_or_default()
    }

    /// Clamped to what the page allows: absurd values never reach the core.
    pub fn clamped(self) -> UiSettings {
        UiSettings {
            cores: self.cores.clamp(1, UI_MAX_CORES),
            quantum: self.quantum.clamp(1, 1000),
            switch_cost: self.switch_cost.min(1000),
            tick_ns: self.scale().nanos(),
            ..self
        }
    }

    pub fn to_core(self, cores: u32) -> Settings {
        self.following(cores, None)
    }

    /// [`UiSettings::to_core`], following a witness's steps if there are some.
    pub fn following(
        self,
        cores: u32,
        steps: Option<&[interleave_core::trace::Action]>,
    ) -> Settings {
        Settings {
            cores,
            policy: match self.policy {
                Policy::RoundRobin => PolicyKind::RoundRobin,
                Policy::Fifo => PolicyKind::Fifo,
                Policy::Random => PolicyKind::Random,
            },
            quantum_ticks: self.quantum,
            switch_cost_ticks: self.switch_cost,
            seed: self.seed,
            idle_cores_first: self.idle_cores_first,
            steps: steps.map(Arc::from),
            limits: Limits {
                max_steps: UI_MAX_STEPS,
                max_ticks: UI_MAX_TICKS,
                ..Limits::default()
            },
        }
    }
}

/// How a run ended, as a short key (also the page's `data-end` and the predict choices).
pub fn verdict(o: &Outcome) -> &'static str {
    use interleave_core::machine::End;
    match o.end {
        End::Deadlock => "deadlock",
        End::Limit(_) => "limit",
        End::ScheduleMismatch(_) => "mismatch",
        _ if o.assertion_failed() => "assertion-failed",
        End::MainPanicked => "panicked",
        End::Finished { .. } => "finished",
    }
}

/// A diagnostic ready to show: where, what, and the rustc-style text.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagView {
    pub error: bool,
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    pub rendered: String,
}

impl DiagView {
    fn of(src: &str, d: &Diagnostic) -> DiagView {
        let (line, col) = line_col(src, d.span.start);
        DiagView {
            error: d.severity == Severity::Error,
            line,
            col,
            message: d.headline(),
            hint: d.hint.clone(),
            // The hint is shown under it as a sentence that wraps, not in the code block.
            rendered: render(
                src,
                "scenario",
                &Diagnostic {
                    hint: None,
                    ..d.clone()
                },
            ),
        }
    }
}

/// Runs with more events than this are not analysed for lost updates in the page (the
/// analysis reads every event; the benchmark's 5 M would take a visible moment).
pub const MAX_ANALYSED_EVENTS: usize = 1_000_000;

/// One recorded run and what the page draws of it: Gantt lanes (with lost updates marked),
/// the waits off the cores, and the values threads hold.
#[derive(Debug)]
pub struct RunView {
    pub run: Run,
    pub lanes: Rc<Lanes>,
    /// Built once; the outcome panel takes this `Rc` instead of a clone per render.
    pub outcome: Rc<Outcome>,
    pub loads: Rc<Loads>,
    pub waits: Rc<Waits>,
}

impl RunView {
    /// The tick before `tick` in words: its lost updates, and its events (at most 10
    /// lines, then "and N more"). `m` is a state of this run (for names).
    pub fn narration(&self, m: &Machine, tick: u64) -> Told {
        let Some(t) = tick.checked_sub(1) else {
            return Told::default();
        };
        let events = &self.run.events;
        // Short names: the sentence names three threads, often the same two twice.
        let name = |t: interleave_core::trace::ThreadId| {
            if t.0 == 0 {
                "main".to_string()
            } else {
                format!("T{}", t.0)
            }
        };
        let lost = self
            .loads
            .lost_at(t)
            .map(|l| l.words(&self.run.program, name))
            .collect();
        let mut lines = narrate_all(m, events.range(events.first_at(t)..events.first_at(tick)));
        if lines.len() > 10 {
            let more = lines.len() - 10;
            lines.truncate(10);
            lines.push(format!("and {more} more"));
        }
        Told {
            lost,
            events: lines,
        }
    }
}

/// One tick in words.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Told {
    /// Lost updates that happened in it ("T1's increment of COUNTER is lost: …").
    pub lost: Vec<String>,
    pub events: Vec<String>,
}

/// What the current (scenario, settings) produce.
#[derive(Debug, Default)]
pub struct Sim {
    pub diagnostics: Vec<DiagView>,
    /// Why the run could not start, if it could not (the diagnostics say why for errors).
    pub setup_error: Option<String>,
    /// The run on the chosen number of cores.
    pub main: Option<RunView>,
    /// Compare mode: the same scenario and schedule settings on one core.
    pub single: Option<RunView>,
}

impl Sim {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.error)
    }

    /// The last tick of the longest run shown.
    pub fn end_tick(&self) -> u64 {
        self.runs().map(|r| r.run.end_tick()).max().unwrap_or(0)
    }

    pub fn runs(&self) -> impl Iterator<Item = &RunView> {
        self.single.iter().chain(self.main.iter())
    }
}

fn run_view(program: &Arc<Program>, settings: Settings) -> Result<RunView, String> {
    let run = simulate(Arc::clone(program), &settings).map_err(|e| e.to_string())?;
    let loads = if run.events.len() <= MAX_ANALYSED_EVENTS {
        analyse(&run.program, &run.events)
    } else {
        Loads::default()
    };
    let mut lanes = lanes(&run);
    lanes.mark_lost(&loads);
    let outcome = Rc::new(run.outcome.clone());
    Ok(RunView {
        lanes: Rc::new(lanes),
        outcome,
        loads: Rc::new(loads),
        waits: Rc::new(waits(&run)),
        run,
    })
}

/// Compiles and runs (following a witness's steps if given). Compare mode adds a one-core
/// run of the same program.
pub fn build(
    src: &str,
    settings: UiSettings,
    compare: bool,
    steps: Option<Rc<[interleave_core::trace::Action]>>,
) -> Rc<Sim> {
    let settings = settings.clamped();
    let mut sim = Sim::default();
    let compiled = match interleave_lang::compile_with(src, settings.scale()) {
        Ok(c) => c,
        Err(diags) => {
            sim.diagnostics = diags.iter().map(|d| DiagView::of(src, d)).collect();
            return Rc::new(sim);
        }
    };
    sim.diagnostics = compiled
        .warnings
        .iter()
        .map(|d| DiagView::of(src, d))
        .collect();
    let steps = steps.as_deref();
    match run_view(&compiled.program, settings.following(settings.cores, steps)) {
        Ok(v) => sim.main = Some(v),
        Err(e) => sim.setup_error = Some(e),
    }
    if compare && sim.main.is_some() {
        sim.single = run_view(&compiled.program, settings.following(1, steps)).ok();
    }
    Rc::new(sim)
}

/// A hidden benchmark scenario (`#bench-16x64`): the core's heavy workload on 16 cores.
pub fn build_bench() -> Rc<Sim> {
    let program = Arc::new(interleave_core::workload::heavy_mix(32, 150));
    let settings = UiSettings {
        cores: 16,
        ..UiSettings::default()
    };
    let mut sim = Sim::default();
    match run_view(&program, settings.to_core(16)) {
        Ok(v) => sim.main = Some(v),
        Err(e) => sim.setup_error = Some(e),
    }
    Rc::new(sim)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lost_update_is_narrated_where_it_happens() {
        let p = interleave_lang::presets::find("lost-update").unwrap();
        let sim = build(p.source, UiSettings::from_core(&p.settings), false, None);
        let rv = sim.main.as_ref().unwrap();
        let lost = &rv.loads.lost[0];
        let tick = lost.by.tick + 1;
        let told = rv.narration(&rv.run.state_at(tick), tick);
        assert_eq!(told.lost.len(), 1, "{told:?}");
        assert!(
            told.lost[0].contains("increment of COUNTER is lost"),
            "{told:?}"
        );
        assert!(told.events.iter().any(|l| l.contains("writes COUNTER")));
        let before = rv.narration(&rv.run.state_at(tick - 1), tick - 1);
        assert!(before.lost.is_empty(), "{before:?}");
        assert!(
            rv.lanes
                .marks
                .iter()
                .any(|m| m.tick == lost.by.tick
                    && m.kind == interleave_core::timeline::MarkKind::Lost)
        );
    }

    #[test]
    fn errors_come_back_with_line_and_column() {
        let sim = build(
            "fn main() {\n    let x = ;\n}\n",
            UiSettings::default(),
            false,
            None,
        );
        assert!(sim.has_errors());
        assert!(sim.main.is_none());
        let d = &sim.diagnostics[0];
        assert_eq!((d.line, d.col), (2, 13), "{d:?}");
        assert!(d.rendered.contains("2:13"), "{}", d.rendered);
    }

    #[test]
    fn compare_mode_adds_a_one_core_run_of_the_same_program() {
        let p = interleave_lang::presets::find("four-cores").unwrap();
        let s = UiSettings {
            cores: 4,
            ..UiSettings::from_core(&p.settings)
        };
        let sim = build(p.source, s, true, None);
        let (one, four) = (sim.single.as_ref().unwrap(), sim.main.as_ref().unwrap());
        assert_eq!(one.lanes.cores.len(), 1);
        assert_eq!(four.lanes.cores.len(), 4);
        assert!(four.lanes.makespan() * 2 < one.lanes.makespan());
        assert!(one.lanes.utilisation() > four.lanes.utilisation() * 0.9);
    }

    #[test]
    fn absurd_settings_are_clamped_and_runaway_loops_hit_the_step_limit() {
        let s = UiSettings {
            cores: 10_000,
            quantum: 0,
            switch_cost: u64::MAX,
            ..UiSettings::default()
        };
        let sim = build("fn main() { loop { work(1); } }", s, false, None);
        let run = &sim.main.as_ref().expect("runs").run;
        assert_eq!(run.settings.cores, UI_MAX_CORES);
        assert!(matches!(
            run.outcome.end,
            interleave_core::machine::End::Limit(_)
        ));
    }

    #[test]
    fn the_bench_scenario_is_16_cores_and_at_least_100k_events() {
        let sim = build_bench();
        let run = &sim.main.as_ref().unwrap().run;
        assert_eq!(run.settings.cores, 16);
        assert!(run.events.len() >= 100_000, "{}", run.events.len());
        assert!(run.program.functions.len() >= 64);
    }
}
