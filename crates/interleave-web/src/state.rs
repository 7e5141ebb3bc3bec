//! The page's UI state and the one reducer that changes it (`reduce`: state + action → state).
//!
//! Kept free of `web_sys` so it is tested natively.

use crate::explored::Explored;
use crate::real::{RealRun, RealState, Workload};
use crate::share::Shared;
use crate::sim::{build, build_bench, Policy, Sim, UiSettings};
pub use crate::view::{Tab, SPEEDS};
use interleave_core::rng::Rng;
use interleave_core::trace::Action as Step;
use interleave_lang::presets;
use std::rc::Rc;
use yew::Reducible;

/// What the real-threads worker told us about this page's ability to run threads.
#[derive(Clone, Debug, PartialEq)]
pub enum ThreadsStatus {
    /// The worker is loading the threaded module.
    Starting,
    Ready(ThreadsInfo),
    /// The worker could not start at all (the message says why).
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadsInfo {
    /// `crossOriginIsolated` as the worker saw it.
    pub isolated: bool,
    /// `navigator.hardwareConcurrency`.
    pub cores: u32,
    /// Rayon pool size; 0 means single-thread fallback.
    pub workers: u32,
    /// Why there is no pool, in plain words, when `workers == 0`.
    pub fallback_reason: Option<String>,
}

/// The current simulation, compared by identity: a new `Rc` means a new run.
#[derive(Clone, Debug)]
pub struct SimHandle(pub Rc<Sim>);

impl PartialEq for SimHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Follows `prefers-color-scheme`.
    System,
    Light,
    Dark,
}

/// A message across the top of the page (a link that did not open, and what to do).
#[derive(Clone, Debug, PartialEq)]
pub struct Banner {
    pub text: String,
    /// The person's own saved draft, offered when a link replaced or failed to open.
    pub draft: Option<Box<Shared>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub threads: ThreadsStatus,
    pub real: RealState,
    /// The scenario text being edited.
    pub source: String,
    /// The preset it came from (still named after edits).
    pub preset: Option<&'static str>,
    pub edited: bool,
    pub settings: UiSettings,
    /// Side by side: one core and `settings.cores` cores.
    pub compare: bool,
    pub sim: SimHandle,
    /// Playback position in ticks (fractional while playing).
    pub pos: f64,
    pub playing: bool,
    /// Ticks per second.
    pub speed: f64,
    pub help: bool,
    pub theme: Theme,
    pub tab: Tab,
    /// The editor panel shows the scenario or its Rust view.
    pub rust_view: bool,
    /// The scenario text was typed here (not just opened): it is saved as the draft.
    pub typed: bool,
    /// Inside another site's page: compact chrome and an "open full page" link.
    pub embed: bool,
    pub banner: Option<Banner>,
    /// The share panel (links, embed code, exports) is open.
    pub share: bool,
    /// Predict, then reveal: the outcome and the timeline's future stay hidden until the
    /// run is played to its end or revealed. On by default in lessons.
    pub predict: bool,
    /// In predict mode, the end has been seen (played, stepped or scrubbed to, or revealed).
    pub revealed: bool,
    /// What the person predicted for this run, as typed or chosen (cleared by a new run).
    pub guess: Option<String>,
    /// The timeline's visible ticks `[start, end)`; `None` shows the whole run.
    pub zoom: Option<(u64, u64)>,
    /// Said next to the schedule settings after "New random schedule" changed them.
    pub schedule_note: Option<String>,
    /// Every schedule: the explorer's progress or answer, for `source` as it was asked.
    pub explore: ExploreState,
    /// The witness the run follows (threads wait for their turn in it), if one was chosen.
    pub follow: Option<Follow>,
}

/// Where the exploration of every schedule stands.
#[derive(Clone, Debug, PartialEq)]
pub enum ExploreState {
    Idle,
    Running {
        /// The scenario being explored (an edit makes the answer stale).
        source: String,
        states: f64,
        /// Distinct states found per second, so far.
        per_second: f64,
        /// The histogram is known; the fewest-preemption witnesses are being found.
        witnesses: bool,
    },
    Done {
        source: String,
        result: Rc<Explored>,
    },
    Failed(String),
}

/// A witness the run follows.
#[derive(Clone, Debug, PartialEq)]
pub struct Follow {
    pub steps: Rc<[Step]>,
    /// Which outcome it reaches, in words ("COUNTER = 4 · panics").
    pub label: String,
    pub preemptions: Option<u32>,
    /// The witness in words, once the explorer's worker has told it (`None` until then).
    pub story: Option<Vec<String>>,
}

/// The smallest 1, 2 or 5 times a power of ten that is at least `n`.
fn round_up(n: u64) -> u64 {
    let mut p = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * p >= n {
                return m * p;
            }
        }
        match p.checked_mul(10) {
            Some(q) => p = q,
            None => return n,
        }
    }
}

/// The narrowest zoom: this many ticks across the timeline.
pub const MIN_VIEW_TICKS: u64 = 8;

pub const DEFAULT_PRESET: &str = "time-slicing";

impl Default for AppState {
    fn default() -> Self {
        let mut s = AppState {
            threads: ThreadsStatus::Starting,
            real: RealState::default(),
            source: String::new(),
            preset: None,
            edited: false,
            settings: UiSettings::default(),
            compare: false,
            sim: SimHandle(Rc::default()),
            pos: 0.0,
            playing: false,
            speed: 10.0,
            help: false,
            theme: Theme::System,
            tab: Tab::Simulator,
            rust_view: false,
            typed: false,
            embed: false,
            banner: None,
            share: false,
            predict: true,
            revealed: false,
            guess: None,
            zoom: None,
            schedule_note: None,
            explore: ExploreState::Idle,
            follow: None,
        };
        s.load_preset(DEFAULT_PRESET);
        s
    }
}

impl AppState {
    /// The tick the cursor is on.
    pub fn tick(&self) -> u64 {
        self.pos as u64
    }

    pub fn end_tick(&self) -> u64 {
        self.sim.0.end_tick()
    }

    /// The ticks the timeline spans: the run's end, or, while predict mode hides it, a
    /// round number well past it, so the scale does not give the ending away.
    pub fn span(&self) -> u64 {
        let end = self.end_tick().max(1);
        if self.hiding() {
            round_up(end + end / 2)
        } else {
            end
        }
    }

    fn rebuild(&mut self) {
        let steps = self.follow.as_ref().map(|f| Rc::clone(&f.steps));
        self.sim = SimHandle(build(&self.source, self.settings, self.compare, steps));
        self.pos = self.pos.min(self.end_tick() as f64);
        // A new run is a new question: its ending is hidden again until seen.
        self.revealed = false;
        self.zoom = None;
        self.guess = None;
        if self.pos > 0.0 {
            self.note_position();
        }
        if self.sim.0.main.is_none() {
            self.playing = false;
        }
    }

    fn load_preset(&mut self, name: &str) -> bool {
        let Some(p) = presets::find(name) else {
            return false;
        };
        self.source = presets::body(p.source).to_string();
        self.preset = Some(p.name);
        self.edited = false;
        self.settings = UiSettings::from_core(&p.settings);
        self.pos = 0.0;
        self.playing = false;
        self.follow = None;
        self.rebuild();
        true
    }

    fn seek(&mut self, tick: i64) {
        self.pos = tick.clamp(0, self.end_tick() as i64) as f64;
        self.note_position();
        self.follow();
    }

    /// The visible ticks of the timeline.
    pub fn view(&self) -> (u64, u64) {
        self.zoom.unwrap_or((0, self.span()))
    }

    /// Keeps the cursor in view: when it leaves a zoomed timeline, the view turns a page
    /// (the cursor lands a tenth of the way in), so playback stays visible.
    fn follow(&mut self) {
        let Some((start, end)) = self.zoom else {
            return;
        };
        let t = self.tick();
        let width = end - start;
        if t < start || t > end {
            let span = self.span();
            let new_start = t.saturating_sub(width / 10).min(span.saturating_sub(width));
            self.zoom = Some((new_start, new_start + width));
        }
    }

    /// Zooms by `factor` (< 1 in, > 1 out) around tick `at`; the whole run is the widest.
    fn zoom_by(&mut self, factor: f64, at: f64) {
        let span = self.span() as f64;
        let (start, end) = self.view();
        let (start, end) = (start as f64, end as f64);
        let width = ((end - start) * factor).clamp((MIN_VIEW_TICKS as f64).min(span), span);
        let at = at.clamp(start, end);
        // The tick under the pointer stays under it.
        let frac = if end > start {
            (at - start) / (end - start)
        } else {
            0.5
        };
        let new_start = (at - frac * width).clamp(0.0, span - width);
        self.set_view(new_start, new_start + width);
    }

    fn set_view(&mut self, start: f64, end: f64) {
        let span = self.span();
        let (start, end) = (
            start.round().max(0.0) as u64,
            (end.round() as u64).min(span),
        );
        self.zoom = (start > 0 || end < span).then_some((start, end.max(start + 1)));
    }

    /// The most threads a real run may use here: the pool's size, or 1 without a pool.
    pub fn max_real_threads(&self) -> u32 {
        match &self.threads {
            ThreadsStatus::Ready(i) if i.workers > 0 => i.workers,
            _ => 1,
        }
    }

    /// What a share link of this moment holds.
    pub fn shared(&self) -> Shared {
        Shared {
            source: self.source.clone(),
            preset: self.preset,
            edited: self.edited,
            settings: self.settings,
            compare: self.compare,
            tick: self.tick(),
            speed: self.speed,
            tab: self.tab,
            rust_view: self.rust_view,
            predict: self.predict,
            follow: self.follow.as_ref().map(|f| {
                (
                    f.label.clone(),
                    interleave_core::explore::schedule_text(&f.steps),
                )
            }),
        }
    }

    fn open(&mut self, s: Shared) {
        // A link's witness was checked to parse when the link was decoded.
        self.follow = s.follow.as_ref().and_then(|(label, text)| {
            let steps = interleave_core::explore::parse_schedule(text).ok()?;
            Some(Follow {
                steps: Rc::from(steps),
                label: label.clone(),
                preemptions: None,
                story: None,
            })
        });
        self.source = s.source;
        self.preset = s.preset;
        self.edited = s.edited;
        self.settings = s.settings.clamped();
        self.compare = s.compare;
        self.playing = false;
        self.rebuild();
        self.seek(s.tick.min(i64::MAX as u64) as i64);
        self.speed = s.speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]);
        self.tab = s.tab;
        self.rust_view = s.rust_view;
        self.predict = s.predict;
        self.revealed = false;
        self.note_position();
    }

    /// Reaching the end of the run reveals it.
    fn note_position(&mut self) {
        if self.tick() >= self.end_tick() && self.sim.0.main.is_some() {
            self.reveal();
        }
    }

    /// Shows the ending: the timeline's scale shrinks to the run, and a zoom past its end
    /// comes back inside it.
    fn reveal(&mut self) {
        self.revealed = true;
        let span = self.span();
        if let Some((a, b)) = self.zoom {
            let width = (b - a).min(span);
            let a = a.min(span - width);
            self.zoom = (a > 0 || a + width < span).then_some((a, a + width));
        }
    }

    /// Whether the outcome and the future are hidden now.
    pub fn hiding(&self) -> bool {
        self.predict && !self.revealed
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    ThreadsReady(ThreadsInfo),
    ThreadsFailed(String),
    RealWorkload(Workload),
    RealThreads(u32),
    /// A measurement of this many runs of a workload was sent to the worker.
    RealStarted(Workload, u32),
    RealFinished(Box<RealRun>),
    RealFailed(String),
    LoadPreset(String),
    Edit(String),
    Settings(UiSettings),
    /// A fresh seed for the random policy (switches to it).
    NewSchedule,
    ToggleCompare,
    TogglePlay,
    Pause,
    /// A rendered frame `ms` after the previous one, while playing.
    Frame(f64),
    /// Pause and move by this many ticks.
    Step(i64),
    Seek(u64),
    ToStart,
    ToEnd,
    Speed(f64),
    /// One speed up (+1) or down (-1) in [`SPEEDS`].
    SpeedStep(i32),
    ToggleHelp,
    CloseHelp,
    Theme(Theme),
    Tab(Tab),
    /// The hidden benchmark scenario: 16 cores, 64 threads.
    LoadBench,
    /// Reformat the scenario (kept as is when it does not parse).
    Format,
    ShowRust(bool),
    /// Show what a link (or the saved draft, `draft: true`) holds.
    Open {
        shared: Box<Shared>,
        draft: bool,
    },
    /// A link could not be opened: say why, keep what is shown (the default lesson when the
    /// page was just opening, `at_start`), offer the saved draft.
    LinkFailed {
        reason: String,
        draft: Option<Box<Shared>>,
        at_start: bool,
    },
    DismissBanner,
    Embed(bool),
    ToggleShare,
    /// Show the outcome and the whole timeline now (predict mode).
    Reveal,
    /// Turn predict-then-reveal on or off.
    Predict(bool),
    /// The person's prediction, before the run is revealed.
    Guess(String),
    /// Zoom the timeline by `factor` (< 1 in, > 1 out) around tick `at`.
    Zoom {
        factor: f64,
        at: f64,
    },
    /// Move a zoomed timeline by this many ticks.
    Pan(f64),
    /// Show these ticks `[start, end)`; an empty range shows the whole run.
    ShowTicks(u64, u64),
    /// Explore every schedule of the current scenario (the app starts the worker).
    ExploreStart,
    /// The worker's progress: states found and their rate (absent: unchanged), or that
    /// the search for witnesses has begun.
    ExploreProgress {
        states: Option<f64>,
        per_second: Option<f64>,
        witnesses: bool,
    },
    ExploreDone(Box<Explored>),
    ExploreFailed(String),
    /// Stop exploring (the app terminates the worker).
    ExploreCancel,
    /// Follow the witness of the explored outcome at this index, and play it.
    Follow(usize),
    Unfollow,
    /// The worker told the followed witness (by its schedule text) in words.
    FollowTold {
        schedule: String,
        story: Vec<String>,
        preemptions: Option<u32>,
    },
}

/// The reducer: every UI state change goes through here.
pub fn reduce(state: &AppState, action: Action) -> AppState {
    let mut next = state.clone();
    match action {
        Action::ThreadsReady(info) => {
            // Start on every thread the pool has, or one without a pool.
            next.real.threads = info.workers.clamp(1, info.cores.max(1));
            next.threads = ThreadsStatus::Ready(info);
        }
        Action::ThreadsFailed(msg) => {
            next.threads = ThreadsStatus::Failed(msg);
            if next.real.pending > 0 {
                next.real.pending = 0;
                next.real.error = Some("the threads worker stopped".into());
            }
        }
        Action::RealWorkload(w) => next.real.workload = w,
        Action::RealThreads(n) => next.real.threads = n.clamp(1, next.max_real_threads()),
        Action::RealStarted(w, n) => next.real.start(w, n),
        Action::RealFinished(run) => next.real.record(*run),
        Action::RealFailed(msg) => {
            next.real.pending = next.real.pending.saturating_sub(1);
            next.real.error = Some(msg);
        }
        Action::LoadPreset(name) => {
            if next.load_preset(&name) {
                next.typed = false;
            }
        }
        Action::Edit(src) => {
            if src != next.source {
                next.source = src;
                next.edited = true;
                next.typed = true;
                next.settings.idle_cores_first = true;
                // A witness is of the scenario it was found for.
                next.follow = None;
                next.rebuild();
            }
        }
        Action::Settings(s) => {
            // A change of settings is a new run: on today's scheduler.
            let s = UiSettings {
                idle_cores_first: true,
                ..s.clamped()
            };
            if s != next.settings {
                next.settings = s;
                next.schedule_note = None;
                next.rebuild();
            }
        }
        Action::NewSchedule => {
            let mut rng = Rng::new(next.settings.seed ^ 0x5eed);
            next.settings.seed = rng.next_u64() % 1_000_000;
            let switched = next.settings.policy != Policy::Random;
            next.settings.policy = Policy::Random;
            next.settings.idle_cores_first = true;
            next.rebuild();
            next.schedule_note = Some(format!(
                "{}seed {}: another schedule a real OS could pick.",
                if switched {
                    "Policy switched to random preemption, "
                } else {
                    "Random preemption, "
                },
                next.settings.seed
            ));
        }
        Action::ToggleCompare => {
            next.compare = !next.compare;
            next.rebuild();
        }
        Action::TogglePlay => {
            if next.playing {
                next.playing = false;
            } else if next.sim.0.main.is_some() {
                if next.tick() >= next.end_tick() {
                    next.pos = 0.0;
                }
                next.playing = true;
            }
        }
        Action::Pause => next.playing = false,
        Action::Frame(ms) => {
            if next.playing {
                let end = next.end_tick() as f64;
                next.pos = (next.pos + next.speed * ms.clamp(0.0, 250.0) / 1000.0).min(end);
                if next.pos >= end {
                    next.playing = false;
                    next.note_position();
                }
                next.follow();
            }
        }
        Action::Step(n) => {
            next.playing = false;
            next.seek(next.tick() as i64 + n);
        }
        Action::Seek(t) => next.seek(t.min(i64::MAX as u64) as i64),
        Action::ToStart => {
            next.playing = false;
            next.seek(0);
        }
        Action::ToEnd => {
            next.playing = false;
            next.seek(next.end_tick() as i64);
        }
        Action::Reveal => next.reveal(),
        Action::ExploreStart => {
            next.explore = ExploreState::Running {
                source: next.source.clone(),
                states: 0.0,
                per_second: 0.0,
                witnesses: false,
            };
        }
        Action::ExploreProgress {
            states,
            per_second,
            witnesses,
        } => {
            if let ExploreState::Running {
                source,
                states: s0,
                per_second: r0,
                ..
            } = &next.explore
            {
                next.explore = ExploreState::Running {
                    source: source.clone(),
                    states: states.unwrap_or(*s0),
                    per_second: per_second.unwrap_or(*r0),
                    witnesses,
                };
            }
        }
        Action::ExploreDone(result) => {
            if let ExploreState::Running { source, .. } = &next.explore {
                next.explore = ExploreState::Done {
                    source: source.clone(),
                    result: Rc::new(*result),
                };
            }
        }
        Action::ExploreFailed(why) => {
            if matches!(next.explore, ExploreState::Running { .. }) {
                next.explore = ExploreState::Failed(why);
            }
        }
        Action::ExploreCancel => next.explore = ExploreState::Idle,
        Action::Follow(i) => {
            let row = match &next.explore {
                ExploreState::Done { source, result } if *source == next.source => {
                    result.rows.get(i).cloned()
                }
                _ => None,
            };
            let steps = row
                .as_ref()
                .and_then(|r| interleave_core::explore::parse_schedule(&r.schedule).ok());
            if let (Some(row), Some(steps)) = (row, steps) {
                next.follow = Some(Follow {
                    label: row.label(),
                    preemptions: Some(row.preemptions),
                    story: None,
                    steps: Rc::from(steps),
                });
                next.pos = 0.0;
                next.rebuild();
                // The ending is what was chosen: nothing to predict.
                next.reveal();
                next.playing = next.sim.0.main.is_some();
            }
        }
        Action::FollowTold {
            schedule,
            story,
            preemptions,
        } => {
            if let Some(f) = next.follow.as_mut() {
                if interleave_core::explore::schedule_text(&f.steps) == schedule {
                    f.story = Some(story);
                    f.preemptions = f.preemptions.or(preemptions);
                }
            }
        }
        Action::Unfollow => {
            if next.follow.take().is_some() {
                next.rebuild();
            }
        }
        Action::Zoom { factor, at } => {
            if factor.is_finite() && factor > 0.0 && at.is_finite() {
                next.zoom_by(factor, at);
            }
        }
        Action::Pan(ticks) => {
            if let (Some((start, end)), true) = (next.zoom, ticks.is_finite()) {
                let span = next.span() as f64;
                let width = (end - start) as f64;
                let s = (start as f64 + ticks).clamp(0.0, (span - width).max(0.0));
                next.set_view(s, s + width);
            }
        }
        Action::ShowTicks(start, end) => {
            if end > start {
                next.set_view(start as f64, end as f64);
            } else {
                next.zoom = None;
            }
        }
        Action::Predict(on) => next.predict = on,
        Action::Guess(g) => next.guess = Some(g).filter(|g| !g.trim().is_empty()),
        Action::Speed(v) => next.speed = v.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1]),
        Action::SpeedStep(d) => {
            let i = SPEEDS.iter().position(|&s| s >= next.speed).unwrap_or(0) as i32;
            next.speed = SPEEDS[(i + d).clamp(0, SPEEDS.len() as i32 - 1) as usize];
        }
        Action::ToggleHelp => next.help = !next.help,
        Action::CloseHelp => next.help = false,
        Action::Theme(t) => next.theme = t,
        Action::Tab(t) => next.tab = t,
        Action::Format => {
            if let Ok(text) = interleave_lang::print::format(&next.source) {
                if text != next.source {
                    next.source = text;
                    next.edited = true;
                    next.typed = true;
                    next.rebuild();
                }
            }
        }
        Action::ShowRust(on) => next.rust_view = on,
        Action::Open { shared, draft } => {
            next.open(*shared);
            next.typed = draft;
            next.banner = None;
        }
        Action::LinkFailed {
            reason,
            draft,
            at_start,
        } => {
            let shown = if at_start {
                "The page shows the default lesson instead"
            } else {
                "The page keeps what it was showing"
            };
            let offer = if draft.is_some() {
                "; your own draft is saved and one click away"
            } else {
                ""
            };
            next.banner = Some(Banner {
                text: format!("This link could not be opened: {reason}. {shown}{offer}."),
                draft,
            });
        }
        Action::DismissBanner => next.banner = None,
        Action::Embed(on) => next.embed = on,
        Action::ToggleShare => next.share = !next.share,
        Action::LoadBench => {
            next.source = "// benchmark: core workload heavy_mix(32 pairs), 16 cores".into();
            next.preset = None;
            next.compare = false;
            next.settings.cores = 16;
            next.sim = SimHandle(build_bench());
            next.predict = false;
            next.pos = 0.0;
            next.playing = false;
        }
    }
    next
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(reduce(&self, action))
    }
}

#[cfg(test)]
mod tests;
