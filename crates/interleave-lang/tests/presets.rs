//! Every preset compiles cleanly, and under its suggested settings it shows what its
//! explanation promises (its `expect:` line).

use interleave_core::explore::explore;
use interleave_core::machine::End;
use interleave_core::run::{simulate, Run};
use interleave_core::settings::Settings;
use interleave_lang::presets::{all, Preset};
use std::sync::Arc;

fn value(run: &Run, name: &str) -> Option<i64> {
    let o = &run.outcome;
    o.vars
        .iter()
        .chain(&o.atomics)
        .chain(&o.mutexes)
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
}

fn check(p: &Preset) -> Result<(), String> {
    let compiled =
        interleave_lang::compile(p.source).map_err(|d| format!("does not compile: {d:?}"))?;
    if !compiled.warnings.is_empty() {
        return Err(format!("warnings: {:?}", compiled.warnings));
    }
    let program = compiled.program;
    let run = simulate(Arc::clone(&program), &p.settings).map_err(|e| e.to_string())?;
    let o = &run.outcome;
    for e in &p.expect {
        let ok = match e.as_str() {
            "end=finished" => matches!(o.end, End::Finished { .. }),
            "end=deadlock" => o.end == End::Deadlock,
            "end=assertion-failed" => o.end == End::MainPanicked && o.assertion_failed(),
            "race=yes" => !o.races.is_empty(),
            "race=no" => o.races.is_empty(),
            e if e.starts_with("explore=") => {
                let s = Settings {
                    cores: 1,
                    switch_cost_ticks: 0,
                    ..Settings::default()
                };
                let x = explore(Arc::clone(&program), &s, 300_000).map_err(|e| e.to_string())?;
                if !x.complete {
                    return Err(format!(
                        "{}: exploration did not finish ({} states)",
                        p.name, x.states
                    ));
                }
                match &e[8..] {
                    "finds-failure" => x.failures > 0,
                    "no-failure" => x.failures == 0 && x.deadlocks == 0,
                    "finds-deadlock" => x.deadlocks > 0,
                    "no-deadlock" => x.deadlocks == 0,
                    other => return Err(format!("unknown explore expectation {other}")),
                }
            }
            e if e.starts_with("value:") => {
                let (name, v) = e[6..].split_once('=').ok_or("value:NAME=V")?;
                value(&run, name) == v.parse().ok()
            }
            e if e.starts_with("stopped=") => {
                o.end
                    == End::Finished {
                        stopped: e[8..].parse().map_err(|_| "stopped=N")?,
                    }
            }
            e if e.starts_with("ticks<=") => o.ticks <= e[7..].parse().map_err(|_| "ticks<=N")?,
            e if e.starts_with("ticks>=") => o.ticks >= e[7..].parse().map_err(|_| "ticks>=N")?,
            e if e.starts_with("faster=") => {
                let k: f64 = e[7..].parse().map_err(|_| "faster=K")?;
                let one = simulate(
                    Arc::clone(&program),
                    &Settings {
                        cores: 1,
                        ..p.settings.clone()
                    },
                )
                .map_err(|e| e.to_string())?;
                one.outcome.ticks as f64 >= k * o.ticks as f64
            }
            other => return Err(format!("unknown expectation `{other}`")),
        };
        if !ok {
            return Err(format!("expectation `{e}` does not hold: end {:?}, {} ticks, {} races, values {:?} {:?} {:?}", o.end, o.ticks, o.races.len(), o.vars, o.atomics, o.mutexes));
        }
    }
    Ok(())
}

#[test]
fn every_preset_shows_what_it_promises() {
    let presets = all();
    assert!(presets.len() >= 12);
    let failures: Vec<String> = presets
        .iter()
        .filter_map(|p| check(p).err().map(|e| format!("{}: {e}", p.name)))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_preset_has_a_title_an_explanation_and_expectations() {
    for p in all() {
        assert!(
            !p.title.is_empty() && p.explanation.len() > 100,
            "{}",
            p.name
        );
        assert!(!p.expect.is_empty(), "{}", p.name);
    }
}

#[test]
fn the_lessons_say_what_a_guard_does_and_does_not_prevent() {
    // The seed notes claimed scoped unlocking prevents deadlocks; it prevents a forgotten
    // unlock. Both lessons about locks must say so.
    for name in ["mutex-fix", "deadlock"] {
        let p = interleave_lang::presets::find(name).unwrap();
        let text = p.explanation.replace('\n', " ");
        assert!(
            text.contains("forget"),
            "{name} explains the forgotten unlock"
        );
        assert!(
            text.contains("not prevent") || text.contains("does not prevent"),
            "{name}: {text}"
        );
    }
}
