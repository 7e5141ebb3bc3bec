//! What the page and CLI show of a run, checked on the presets: snapshots (threads, waits,
//! races) and Gantt lanes.

use interleave_core::run::simulate;
use interleave_core::snapshot::{Snapshot, Status};
use interleave_core::timeline::{lanes, SegmentKind};
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
    assert!(race.text.contains("closure, line"), "{}", race.text);
    assert_ne!(race.lines.0, 0);
    // Before any thread ran, there was no race yet.
    assert!(Snapshot::of(&r.state_at(0)).races.is_empty());
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
