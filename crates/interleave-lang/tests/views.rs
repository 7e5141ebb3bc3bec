//! What the page and CLI show of a run, checked on the presets: snapshots (threads, waits,
//! races) and Gantt lanes.

use interleave_core::run::simulate;
use interleave_core::snapshot::{Snapshot, Status};
use interleave_core::timeline::{lanes, SegmentKind};
use interleave_core::trace::{BlockReason, EventKind};
use interleave_lang::presets;

fn run(name: &str) -> interleave_core::run::Run {
    let p = presets::find(name).expect("preset exists");
    let c = interleave_lang::compile(p.source).expect("compiles");
    simulate(c.program, &p.settings).expect("runs")
}

#[test]
fn a_deadlock_snapshot_names_the_cycle_and_why_each_thread_waits() {
    let r = run("deadlock");
    let s = Snapshot::of(&r.state_at(r.end_tick()));
    assert_eq!(s.cycle.len(), 2, "{s:#?}");
    let in_cycle: Vec<_> = s.waits.iter().filter(|e| e.in_cycle).collect();
    assert_eq!(in_cycle.len(), 2);
    assert!(in_cycle.iter().all(|e| e.resource.starts_with("mutex ")));
    for t in &s.cycle {
        let th = s.threads.iter().find(|th| th.id == *t).unwrap();
        assert_eq!(th.status, Status::Blocked);
        assert!(th.detail.contains("waits for mutex"), "{}", th.detail);
        let full = presets::find("deadlock").unwrap().source;
        let line = full.lines().nth(th.line as usize - 1).unwrap();
        assert!(
            line.contains(".lock()"),
            "a blocked thread points at its lock statement: {line}"
        );
    }
}

#[test]
fn lost_update_races_are_one_report_per_pair_of_lines() {
    let r = run("lost-update");
    let s = Snapshot::of(&r.state_at(r.end_tick()));
    assert_eq!(s.races.len(), 1, "{:#?}", s.races);
    let race = &s.races[0];
    assert!(race.more > 0, "other interleavings are counted, not listed");
    assert!(race.text.contains("COUNTER"));
    assert!(race.text.contains("add_three"), "{}", race.text);
    assert_ne!(race.lines.0, 0);
    // Before any thread ran, there was no race yet.
    assert!(Snapshot::of(&r.state_at(0)).races.is_empty());
}

#[test]
fn the_cli_report_names_a_race_by_source_line() {
    let r = run("lost-update");
    let text = interleave_core::timeline::render(&r, 200);
    let races: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("data race"))
        .collect();
    assert!(!races.is_empty(), "{text}");
    let src = presets::find("lost-update").unwrap().source;
    for race in races {
        assert!(!race.contains("(op "), "lines, not op numbers: {race}");
        // Both lines it names are lines that touch the counter.
        let lines: Vec<usize> = race
            .split("at line ")
            .skip(1)
            .map(|rest| rest.split(' ').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{race}");
        for l in lines {
            assert!(
                src.lines().nth(l - 1).unwrap().contains("COUNTER"),
                "line {l}: {race}"
            );
        }
    }
}

#[test]
fn async_narration_names_each_task_by_its_async_fn() {
    let r = run("async-event-loop");
    let end = r.state_at(r.end_tick());
    let said: Vec<String> = r
        .events
        .iter()
        .filter_map(|e| interleave_core::snapshot::narrate(&end, &e))
        .collect();
    for (what, count) in [
        ("spawns async task #", 3),
        (") suspends at .await; the event loop is free", 3),
        (")'s waker queues it on the event loop again", 3),
    ] {
        let n = said.iter().filter(|s| s.contains(what)).count();
        assert_eq!(n, count, "{what}: {said:#?}");
    }
    for t in 0..3 {
        let name = format!("task #{t} (fetch)");
        assert!(
            said.iter().any(|s| s == &format!("{name} finishes")),
            "{said:#?}"
        );
    }
    // Main blocks on each task, named the same way.
    let blocked = r
        .events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Block(BlockReason::Task(_))))
        .expect("main blocks on a task");
    let s = Snapshot::of(&r.state_at(blocked.tick + 1));
    let main = &s.threads[0];
    assert!(
        main.detail.contains("task #0 (fetch)"),
        "main waits for the first task: {}",
        main.detail
    );
}

#[test]
fn lanes_never_overlap_and_count_exactly_the_steps() {
    for p in presets::all() {
        let r = run(p.name);
        let l = lanes(&r);
        let mut run_ticks = 0;
        for lane in &l.cores {
            for w in lane.windows(2) {
                assert!(w[0].end <= w[1].start, "{}: {:?}", p.name, w);
            }
            for s in lane {
                assert!(s.start < s.end && s.end <= l.end);
                if matches!(s.kind, SegmentKind::Run(_)) {
                    run_ticks += s.end - s.start;
                }
            }
        }
        assert_eq!(run_ticks, r.outcome.steps, "{}", p.name);
        assert_eq!(l.busy, r.outcome.steps);
        assert!(l.utilisation() <= 1.0);
    }
}

#[test]
fn seeking_forward_from_a_state_equals_a_fresh_state_at() {
    let r = run("channels");
    let mut m = r.state_at(0);
    for t in [1, 5, 6, 30, 31, r.end_tick()] {
        m = r.seek(m, t);
        assert_eq!(Snapshot::of(&m), Snapshot::of(&r.state_at(t)), "tick {t}");
    }
    let back = r.seek(m, 3);
    assert_eq!(Snapshot::of(&back), Snapshot::of(&r.state_at(3)));
}

/// The Chrome Trace export of every preset is valid JSON with one named track per core, slices
/// named after threads that never overlap on a track, and run time equal to the run's steps.
#[test]
fn the_chrome_trace_export_has_a_track_per_core_and_slices_per_thread() {
    use interleave_core::export::{chrome_trace, US_PER_TICK};
    for p in presets::all() {
        let r = run(p.name);
        let l = lanes(&r);
        let text = chrome_trace(&r, &l, &format!("{} \"quoted\"\n", p.title), US_PER_TICK);
        let v: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", p.name));
        assert_eq!(v["otherData"]["title"], format!("{} \"quoted\"\n", p.title));
        let events = v["traceEvents"].as_array().unwrap();
        let tracks: Vec<String> = events
            .iter()
            .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
            .map(|e| e["args"]["name"].as_str().unwrap().to_string())
            .collect();
        let want: Vec<String> = (0..r.settings.cores).map(|c| format!("core {c}")).collect();
        assert_eq!(tracks, want, "{}", p.name);
        let mut run_us = 0;
        for core in 0..r.settings.cores {
            let mut slices: Vec<(u64, u64)> = events
                .iter()
                .filter(|e| e["ph"] == "X" && e["tid"] == core)
                .map(|e| (e["ts"].as_u64().unwrap(), e["dur"].as_u64().unwrap()))
                .collect();
            slices.sort();
            for w in slices.windows(2) {
                assert!(
                    w[0].0 + w[0].1 <= w[1].0,
                    "{}: overlap on core {core}",
                    p.name
                );
            }
        }
        for e in events
            .iter()
            .filter(|e| e["ph"] == "X" && e["cat"] == "run")
        {
            let name = e["name"].as_str().unwrap();
            assert!(
                name == "main" || name.starts_with('T'),
                "{}: {name}",
                p.name
            );
            assert_eq!(e["args"]["thread"], e["name"]);
            run_us += e["dur"].as_u64().unwrap();
        }
        assert_eq!(run_us, l.busy * US_PER_TICK, "{}", p.name);
        assert_eq!(run_us / US_PER_TICK, r.outcome.steps, "{}", p.name);
    }
}

#[test]
fn json_strings_escape_what_json_requires() {
    let mut out = String::new();
    interleave_core::export::json_string(&mut out, "a\"b\\c\nd\u{1}é");
    assert_eq!(out, r#""a\"b\\c\nd\u0001é""#);
    let back: String = serde_json::from_str(&out).unwrap();
    assert_eq!(back, "a\"b\\c\nd\u{1}é");
}

#[test]
fn a_thread_shows_its_named_locals_while_they_are_in_scope() {
    let src = "static X: AtomicUsize = AtomicUsize::new(0);
fn main() {
    let h = spawn(|| {
        for i in 0..2 {
            let v = X.load(Ordering::SeqCst);
            work(3);
            X.store(v + 10, Ordering::SeqCst);
        }
        work(1);
    });
    h.join().unwrap();
}
";
    let c = interleave_lang::compile(src).expect("compiles");
    let settings = interleave_core::settings::Settings::default();
    let r = simulate(c.program, &settings).unwrap();
    // Each tick's locals of T1, as "name=value" lists; consecutive repeats collapsed.
    let mut seen: Vec<String> = Vec::new();
    for tick in 0..=r.end_tick() {
        let s = Snapshot::of(&r.state_at(tick));
        let Some(t1) = s.threads.iter().find(|t| t.id.0 == 1) else {
            continue;
        };
        let text: Vec<String> = t1.locals.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let text = text.join(" ");
        if seen.last() != Some(&text) {
            seen.push(text);
        }
    }
    assert_eq!(
        seen,
        ["", "i=0", "i=0 v=0", "", "i=1", "i=1 v=10", ""],
        "`v` lives in the loop body, `i` in the loop (not while the loop steps it); neither after it"
    );
}

#[test]
fn the_async_lessons_show_io_waits_overlapping_or_not() {
    use interleave_core::waits::waits;
    let overlapping = waits(&run("async-event-loop"));
    assert_eq!(overlapping.io.len(), 3, "{overlapping:#?}");
    assert!(overlapping.io.iter().all(|b| b.task.is_some()));
    assert_eq!(
        overlapping.most_io_at_once(),
        3,
        "three awaited waits at once"
    );
    assert_eq!(
        overlapping.queued.len(),
        6,
        "each task is queued when spawned and when woken"
    );
    let blocking = waits(&run("blocking-calls"));
    assert_eq!(blocking.io.len(), 3);
    assert!(
        blocking.io.iter().all(|b| b.task.is_none()),
        "blocking calls are the thread's"
    );
    assert_eq!(blocking.most_io_at_once(), 1, "one blocking call at a time");
    assert!(waits(&run("lost-update")).is_empty());
}

/// A program that is already Rust (the corpus's, and the presets written in std Rust) has
/// nothing for the Rust view to translate; a preset that uses the simulator's built-ins
/// (`work`, the async event loop) has.
#[test]
fn the_rust_view_knows_when_the_input_already_is_rust() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let src = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        if !src.contains("// Expect: runs") {
            continue;
        }
        let view = interleave_lang::print::rust_view(&src).unwrap();
        assert!(view.already_rust, "{src}");
        seen += 1;
    }
    assert!(seen >= 20);
    let mut std_only = 0;
    for p in interleave_lang::presets::all() {
        let view = interleave_lang::print::rust_view(p.source).unwrap();
        let builtins = ["work(", "spawn_task(", "block_on(", "blocking_io("]
            .iter()
            .any(|b| p.source.contains(b));
        assert_eq!(view.already_rust, !builtins, "{}", p.name);
        std_only += usize::from(!builtins);
    }
    assert!(std_only >= 3, "{std_only}");
}
