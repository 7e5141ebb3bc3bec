//! The page's state machine, driven without a browser: actions in, state out.

use super::*;

fn ready(workers: u32) -> AppState {
    reduce(
        &AppState::default(),
        Action::ThreadsReady(ThreadsInfo {
            isolated: workers > 0,
            cores: 4,
            workers,
            fallback_reason: None,
        }),
    )
}

#[test]
fn real_threads_are_limited_to_the_pool_and_a_dying_worker_says_so() {
    let s = ready(4);
    assert_eq!(s.real.threads, 4, "starts on every pool thread");
    let s = reduce(&s, Action::RealThreads(64));
    assert_eq!(s.real.threads, 4);
    let single = reduce(&ready(0), Action::RealThreads(3));
    assert_eq!(single.real.threads, 1, "no pool: one thread");
    let s = reduce(&s, Action::RealStarted(Workload::Mandelbrot, 2));
    let s = reduce(&s, Action::ThreadsFailed("boom".into()));
    assert_eq!(s.real.pending, 0);
    assert!(s.real.error.as_deref().unwrap().contains("stopped"));
}

#[test]
fn the_page_starts_on_the_first_lesson_with_a_run() {
    let s = AppState::default();
    assert_eq!(s.preset, Some(DEFAULT_PRESET));
    assert!(s.sim.0.main.is_some());
    assert!(s.end_tick() > 0);
}

#[test]
fn playing_advances_by_speed_and_stops_at_the_end() {
    let s = reduce(&AppState::default(), Action::TogglePlay);
    assert!(s.playing);
    let s = reduce(&s, Action::Frame(250.0));
    let s = reduce(&s, Action::Frame(250.0));
    assert_eq!(s.tick(), 5, "10 ticks/s for half a second");
    let s = reduce(&s, Action::Frame(60_000.0));
    assert_eq!(
        s.tick(),
        7,
        "a long pause (a hidden tab) jumps at most 250 ms"
    );
    let mut s = s;
    for _ in 0..10_000 {
        s = reduce(&s, Action::Frame(100.0));
    }
    assert!(!s.playing);
    assert_eq!(s.tick(), s.end_tick());
    // Play at the end starts over.
    let s = reduce(&s, Action::TogglePlay);
    assert_eq!((s.playing, s.tick()), (true, 0));
}

#[test]
fn stepping_pauses_and_clamps() {
    let s = reduce(&AppState::default(), Action::TogglePlay);
    let s = reduce(&s, Action::Step(-3));
    assert_eq!((s.playing, s.tick()), (false, 0));
    let s = reduce(&s, Action::Step(1_000_000_000));
    assert_eq!(s.tick(), s.end_tick());
    let s = reduce(&s, Action::Seek(u64::MAX));
    assert_eq!(s.tick(), s.end_tick());
}

#[test]
fn an_edit_into_an_error_keeps_the_text_and_shows_where() {
    let s = AppState::default();
    let broken = s
        .source
        .replacen("fn main() {", "fn main() {\n    let = 3;", 1);
    let s = reduce(&s, Action::Edit(broken.clone()));
    assert_eq!(s.source, broken);
    assert!(s.edited);
    assert!(s.sim.0.has_errors());
    assert!(s.sim.0.main.is_none());
    let s = reduce(&s, Action::TogglePlay);
    assert!(!s.playing, "nothing to play");
}

#[test]
fn a_new_schedule_changes_the_seed_uses_the_random_policy_and_says_so() {
    let s = reduce(&AppState::default(), Action::NewSchedule);
    assert_eq!(s.settings.policy, Policy::Random);
    let note = s.schedule_note.clone().unwrap();
    assert!(
        note.starts_with("Policy switched to random preemption, seed "),
        "{note}"
    );
    let t = reduce(&s, Action::NewSchedule);
    assert_ne!(s.settings.seed, t.settings.seed);
    assert!(t
        .schedule_note
        .as_deref()
        .unwrap()
        .starts_with("Random preemption, seed"));
    let u = reduce(
        &t,
        Action::Settings(UiSettings {
            cores: 3,
            ..t.settings
        }),
    );
    assert_eq!(u.schedule_note, None, "a change by hand clears the note");
}

#[test]
fn predict_mode_hides_the_end_until_it_is_reached_or_revealed() {
    let s = reduce(
        &AppState::default(),
        Action::LoadPreset("lost-update".into()),
    );
    assert!(s.predict && s.hiding());
    let s = reduce(&s, Action::Guess("6".into()));
    assert_eq!(s.guess.as_deref(), Some("6"));
    let s = reduce(&s, Action::Step(3));
    assert!(s.hiding(), "stepping part way keeps the end hidden");
    assert_eq!(s.end_tick(), 42);
    assert_eq!(s.span(), 100, "the scale runs well past the hidden end");
    let s = reduce(&s, Action::ToEnd);
    assert!(!s.hiding(), "reaching the end reveals it");
    assert_eq!(s.span(), 42);
    assert_eq!(s.guess.as_deref(), Some("6"), "the guess stays to compare");
    let s = reduce(&s, Action::ToStart);
    assert!(!s.hiding(), "once seen, stays seen");
    let s = reduce(&s, Action::Edit(s.source.replace("3 {", "4 {")));
    assert!(
        s.hiding() && s.guess.is_none(),
        "a new run is a new question"
    );
    let s = reduce(&s, Action::Reveal);
    assert!(!s.hiding());
    let mut s = reduce(&s, Action::Predict(false));
    s = reduce(&s, Action::Edit(s.source.replace("4 {", "5 {")));
    assert!(!s.hiding(), "predict mode off shows everything");
    // Playing to the end reveals too.
    let mut p = reduce(&AppState::default(), Action::LoadPreset("deadlock".into()));
    p = reduce(&p, Action::TogglePlay);
    for _ in 0..1000 {
        p = reduce(&p, Action::Frame(100.0));
    }
    assert!(!p.playing && !p.hiding());
}

#[test]
fn the_timeline_zooms_around_a_tick_pans_and_follows_the_cursor() {
    let s = reduce(
        &AppState::default(),
        Action::LoadPreset("concurrency-vs-parallelism".into()),
    );
    let s = reduce(&s, Action::Predict(false));
    let span = s.end_tick();
    assert_eq!(s.view(), (0, span));
    let z = reduce(
        &s,
        Action::Zoom {
            factor: 0.25,
            at: span as f64 / 2.0,
        },
    );
    let (a, b) = z.view();
    assert!(
        (b - a) as f64 <= span as f64 * 0.26 && a < span / 2 && span / 2 < b,
        "{a}..{b}"
    );
    // The tick under the pointer stays put.
    assert!(((a + b) / 2).abs_diff(span / 2) <= 1);
    let p = reduce(&z, Action::Pan(-1000.0));
    assert_eq!(p.view().0, 0, "panning stops at the start");
    assert_eq!(p.view().1 - p.view().0, b - a);
    // Playing past the view's end turns the page.
    let mut q = reduce(&p, Action::TogglePlay);
    for _ in 0..30 {
        q = reduce(&q, Action::Frame(100.0));
        let (a, b) = q.view();
        assert!(
            a <= q.tick() && q.tick() <= b,
            "cursor {} out of {a}..{b}",
            q.tick()
        );
    }
    let out = reduce(
        &q,
        Action::Zoom {
            factor: 100.0,
            at: 0.0,
        },
    );
    assert_eq!(
        out.zoom, None,
        "zooming all the way out shows the whole run"
    );
    let tiny = reduce(
        &s,
        Action::Zoom {
            factor: 1e-9,
            at: 3.0,
        },
    );
    let (a, b) = tiny.view();
    assert_eq!(b - a, MIN_VIEW_TICKS);
    assert_eq!(reduce(&tiny, Action::ShowTicks(0, 0)).zoom, None);
    assert_eq!(
        reduce(
            &s,
            Action::Zoom {
                factor: f64::NAN,
                at: 1.0
            }
        )
        .zoom,
        None
    );
}

#[test]
fn format_tidies_a_scenario_and_leaves_a_broken_one_alone() {
    let s = reduce(
        &AppState::default(),
        Action::Edit("fn main(){work(1);}".into()),
    );
    let s = reduce(&s, Action::Format);
    assert_eq!(s.source, "fn main() {\n    work(1);\n}\n");
    assert!(s.sim.0.main.is_some());
    let broken = reduce(&s, Action::Edit("fn main( {".into()));
    let t = reduce(&broken, Action::Format);
    assert_eq!(t.source, "fn main( {", "the user's text is never lost");
}

#[test]
fn a_link_of_the_state_reopens_the_same_view() {
    let s = reduce(
        &AppState::default(),
        Action::LoadPreset("lost-update".into()),
    );
    let s = reduce(
        &s,
        Action::Edit(s.source.replace("fn main", "// mine\nfn main")),
    );
    let mut settings = s.settings;
    settings.cores = 3;
    let s = reduce(&s, Action::Settings(settings));
    let s = reduce(&s, Action::ToggleCompare);
    let s = reduce(&s, Action::NewSchedule);
    let s = reduce(&s, Action::Seek(9));
    let s = reduce(&s, Action::ShowRust(true));
    let link = crate::share::encode(&s.shared());
    let shared = crate::share::decode(&link).unwrap();
    let t = reduce(
        &AppState::default(),
        Action::Open {
            shared: Box::new(shared),
            draft: false,
        },
    );
    assert_eq!(t.shared(), s.shared());
    assert_eq!(t.tick(), 9);
    assert_eq!(t.preset, Some("lost-update"));
    assert!(
        t.edited && !t.typed,
        "opened, not typed: not saved over the draft"
    );
    assert_eq!(t.sim.0.end_tick(), s.sim.0.end_tick());
}

#[test]
fn a_broken_link_keeps_the_scenario_and_offers_the_draft() {
    let s = reduce(
        &AppState::default(),
        Action::Edit("fn main() { work(2); }".into()),
    );
    let draft = Some(Box::new(s.shared()));
    let t = reduce(
        &AppState::default(),
        Action::LinkFailed {
            reason: "the link is cut short".into(),
            draft: draft.clone(),
            at_start: true,
        },
    );
    assert_eq!(t.source, AppState::default().source, "the default lesson");
    let b = t.banner.clone().unwrap();
    assert!(b.text.contains("cut short") && b.text.contains("default lesson"));
    let later = reduce(
        &AppState::default(),
        Action::LinkFailed {
            reason: "x".into(),
            draft: None,
            at_start: false,
        },
    );
    let text = later.banner.unwrap().text;
    assert!(
        text.contains("keeps what it was showing") && !text.contains("draft"),
        "{text}"
    );
    assert_eq!(b.draft, draft);
    let u = reduce(
        &t,
        Action::Open {
            shared: b.draft.unwrap(),
            draft: true,
        },
    );
    assert_eq!(u.source, "fn main() { work(2); }");
    assert!(u.typed && u.banner.is_none());
}

#[test]
fn unknown_presets_change_nothing() {
    let s = AppState::default();
    let t = reduce(&s, Action::LoadPreset("no-such".into()));
    assert_eq!(t.source, s.source);
}

#[test]
fn every_preset_loads_and_runs_in_the_page() {
    for p in presets::all() {
        let s = reduce(&AppState::default(), Action::LoadPreset(p.name.into()));
        assert_eq!(s.preset, Some(p.name));
        assert!(s.sim.0.main.is_some(), "{}", p.name);
    }
}
