//! The Simulator view, laid out around the animation: the lesson and the code (with each
//! thread's place in it) on one side; on the other the player and its narration (sticky),
//! the settings, the cores and their timeline, the outcome (or the question, in predict
//! mode), then the threads with their values and the shared memory. On a narrow screen the
//! same parts stack, code first, with the player pinned to the bottom.

use crate::components::editor::{Editor, LineMark};
use crate::components::explore_panel::{ExplorePanel, FollowNote};
use crate::components::legend::Legend;
use crate::components::lesson::Lesson;
use crate::components::machine_view::{HeldView, MachineView};
use crate::components::memory_panel::MemoryPanel;
use crate::components::narration::Narration;
use crate::components::outcome_panel::OutcomePanel;
use crate::components::output_panel::OutputPanel;
use crate::components::playback::Playback;
use crate::components::predict_panel::PredictPanel;
use crate::components::run_pane::RunPane;
use crate::components::settings_bar::SettingsBar;
use crate::components::wait_graph::WaitGraph;
use crate::predict::{compare, Question};
use crate::sim::{RunView, Sim, Told};
use crate::state::{Action, AppState};
use interleave_core::lost::Place;
use interleave_core::snapshot::{Snapshot, Status};
use interleave_core::trace::ThreadId;
use std::rc::Rc;
use yew::prelude::*;

/// Everything the view shows, derived by the app from its state.
pub struct Inputs<'a> {
    pub state: &'a AppState,
    pub sim: &'a Rc<Sim>,
    /// The snapshot at the cursor of each run (the single-core run first in compare mode).
    pub snaps: &'a [Rc<Snapshot>],
    /// The main run's snapshot for the detail panels (refreshed a few times a second while
    /// playing).
    pub details: Option<Rc<Snapshot>>,
    pub last: Option<Rc<Snapshot>>,
    pub preset: Option<&'a interleave_lang::presets::Preset>,
    /// The narration (held between updates while playing) and its tick.
    pub told: (Told, u64),
    pub narrow: bool,
    pub dispatch: &'a Callback<Action>,
}

/// "1 core", "4 cores".
pub fn plural(n: u32, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// What the run at the cursor puts on each source line.
fn line_marks(s: &Snapshot) -> Vec<LineMark> {
    fn at(marks: &mut Vec<LineMark>, line: u32) -> &mut LineMark {
        let i = match marks.iter().position(|m| m.line == line) {
            Some(i) => i,
            None => {
                marks.push(LineMark {
                    line,
                    threads: Vec::new(),
                    tasks: Vec::new(),
                    running: false,
                    race: false,
                });
                marks.len() - 1
            }
        };
        &mut marks[i]
    }
    let mut marks: Vec<LineMark> = Vec::new();
    for th in &s.threads {
        if th.line == 0 || matches!(th.status, Status::Exited | Status::Panicked) {
            continue;
        }
        let short = if th.id == ThreadId(0) {
            "M".to_string()
        } else {
            format!("T{}", th.id.0)
        };
        let m = at(&mut marks, th.line);
        m.threads.push((th.id, short, th.name.clone()));
        m.running |= th.status == Status::Running;
    }
    for t in s.tasks.iter().filter(|t| t.line > 0) {
        let words = format!("async task #{} ({}): {}", t.id, t.name, t.state);
        at(&mut marks, t.line)
            .tasks
            .push((format!("#{}", t.id), words));
    }
    for r in &s.races {
        for line in [r.lines.0, r.lines.1] {
            if line > 0 {
                at(&mut marks, line).race = true;
            }
        }
    }
    marks
}

/// The shared values each thread holds at `tick`, with their current values when stale.
fn held(rv: &RunView, s: &Snapshot, tick: u64) -> Vec<(ThreadId, Vec<HeldView>)> {
    let p = &rv.run.program;
    let now = |place: Place| -> Option<i64> {
        let name = place.name(p);
        s.vars
            .iter()
            .chain(&s.atomics)
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
            .or_else(|| s.mutexes.iter().find(|m| m.name == name).map(|m| m.value))
    };
    s.threads
        .iter()
        .map(|th| {
            let views = rv
                .loads
                .held_by(th.id, tick)
                .map(|h| HeldView {
                    place: h.place.name(p).to_string(),
                    value: h.load.value,
                    loaded_at: h.load.tick,
                    now: if h.stale_at(tick) { now(h.place) } else { None },
                })
                .collect();
            (th.id, views)
        })
        .collect()
}

pub fn view(i: Inputs) -> Html {
    let Inputs {
        state,
        sim,
        snaps,
        details,
        last,
        preset,
        told,
        narrow,
        dispatch,
    } = i;
    let tick = state.tick();
    let hiding = state.hiding();
    let span = state.span();
    let cores = state.settings.cores;
    let view = state.view();
    let panes = sim.runs().zip(snaps).map(|(rv, snap)| {
        let single = sim.single.as_ref().is_some_and(|s| std::ptr::eq(rv, s));
        let n = rv.lanes.cores.len() as u32;
        let (title, which) = if !state.compare {
            (plural(n, "core"), "main")
        } else if single {
            ("1 core: the threads take turns".to_string(), "single")
        } else if n > 1 {
            (format!("{}: they run at once", plural(n, "core")), "main")
        } else {
            ("1 core (set more cores to compare)".to_string(), "main")
        };
        html! {
            <RunPane title={title} which={which} lanes={Rc::clone(&rv.lanes)} waits={Rc::clone(&rv.waits)}
                     snapshot={Rc::clone(snap)} span={span} view={view} tick={tick} hiding={hiding}
                     dispatch={dispatch.clone()} events={rv.run.events.len()} />
        }
    });
    let has_waits = sim.runs().any(|rv| !rv.waits.is_empty());
    let marks = Rc::new(details.as_deref().map(line_marks).unwrap_or_default());
    let question = preset.map_or(Question::End, |p| p.predict.clone());
    let outcome = match (sim.main.as_ref(), last.clone()) {
        (Some(_), Some(_)) if hiding => html! {
            <PredictPanel question={question.clone()} guess={state.guess.clone()} dispatch={dispatch.clone()} />
        },
        (Some(rv), Some(last)) => {
            let prediction = state
                .guess
                .as_deref()
                .map(|g| compare(&question, g, &rv.run.outcome));
            html! {
                <OutcomePanel outcome={Rc::clone(&rv.outcome)} {last} limits={rv.run.settings.limits.clone()}
                              {prediction}
                              title={if state.compare { format!("Outcome on {}", plural(cores, "core")) } else { "Outcome".to_string() }} />
            }
        }
        _ => html! {},
    };
    let held_now = Rc::new(match (sim.main.as_ref(), details.as_ref()) {
        (Some(rv), Some(s)) => held(rv, s, tick.min(rv.run.end_tick())),
        _ => Vec::new(),
    });
    html! {
        <div class="sim">
            <div class="code-col">
                // An embed sits in a course page that says what it is about: code and run only.
                if let Some(p) = preset.filter(|_| !state.embed) {
                    <Lesson title={AttrValue::from(p.title.clone())} text={AttrValue::from(p.explanation.clone())}
                            edited={state.edited} open={!narrow} />
                }
                <Editor source={AttrValue::from(state.source.clone())} diagnostics={sim.diagnostics.clone()}
                        on_edit={dispatch.reform(Action::Edit)} {marks}
                        rust={state.rust_view} on_show_rust={dispatch.reform(Action::ShowRust)}
                        on_format={dispatch.reform(|_| Action::Format)} />
            </div>
            <div class="run-col">
                <Playback tick={tick} end={state.end_tick()} span={span} hiding={hiding} playing={state.playing} speed={state.speed}
                          enabled={sim.main.is_some()} dispatch={dispatch.clone()}>
                    <Narration told={told.0} tick={told.1} />
                </Playback>
                if let Some(f) = &state.follow {
                    <FollowNote follow={f.clone()} dispatch={dispatch.clone()} />
                }
                <SettingsBar settings={state.settings} compare={state.compare}
                             on_change={dispatch.reform(Action::Settings)}
                             on_new_schedule={dispatch.reform(|_| Action::NewSchedule)}
                             on_toggle_compare={dispatch.reform(|_| Action::ToggleCompare)}
                             predict={state.predict} on_predict={dispatch.reform(Action::Predict)}
                             note={state.schedule_note.clone()} />
                if let Some(e) = &sim.setup_error {
                    <p class="error panel" role="alert">{ format!("This scenario cannot run: {e}") }</p>
                }
                if sim.has_errors() {
                    <p class="error panel" data-testid="not-running" role="status">{ "Fix the errors in the scenario to run it; the last run is not shown because it would not match your text." }</p>
                }
                // Keyed by theme: a theme change remounts the charts, which redraws their canvases in the new colours.
                <div key={format!("{:?}", state.theme)} class={classes!("panes", state.compare.then_some("compare"))}>{ for panes }</div>
                if sim.main.is_some() { <Legend waits={has_waits} pauses={state.follow.is_some()} tick={state.settings.scale().words()} /> }
                if let (Some(rv), Some(snap)) = (sim.main.as_ref(), details.as_ref()) {
                    // The console, for programs that print: what was printed up to the cursor.
                    if !rv.run.outcome.output.is_empty() {
                        <OutputPanel snapshot={Rc::clone(snap)}
                                     total={if hiding { 0 } else { rv.run.outcome.output.len() }} />
                    }
                }
                { outcome }
                <ExplorePanel explore={state.explore.clone()} source={AttrValue::from(state.source.clone())}
                              follow={state.follow.clone()} disabled={sim.has_errors()} dispatch={dispatch.clone()} />
                if let Some(snap) = details {
                    <MachineView snapshot={Rc::clone(&snap)} tick={tick} held={held_now} />
                    <div class="details">
                        <MemoryPanel snapshot={Rc::clone(&snap)} />
                        <WaitGraph snapshot={snap} />
                    </div>
                }
            </div>
        </div>
    }
}
