//! Every preset compiles cleanly, and under its suggested settings it shows what its
//! explanation claims: each claim is an expectation in its header (see `presets` for the
//! list), checked here against the run the page plays by default.

use interleave_core::explore::{explore, Options};
use interleave_core::lost::analyse;
use interleave_core::machine::End;
use interleave_core::program::Program;
use interleave_core::run::{simulate, Run};
use interleave_core::settings::{PolicyKind, Settings};
use interleave_core::snapshot::Snapshot;
use interleave_core::timeline::{lanes, MarkKind, SegmentKind};
use interleave_core::trace::{BlockReason, EventKind, ThreadId};
use interleave_core::waits::waits;
use interleave_lang::presets::{all, Preset};
use std::collections::BTreeSet;
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

/// `A..B` or `N` as an inclusive range.
fn range(text: &str) -> Result<(u64, u64), String> {
    let num = |t: &str| {
        t.parse::<u64>()
            .map_err(|_| format!("`{text}` is not N or A..B"))
    };
    match text.split_once("..") {
        Some((a, b)) => Ok((num(a)?, num(b)?)),
        None => num(text).map(|n| (n, n)),
    }
}

fn blocks(run: &Run, what: &str) -> Result<bool, String> {
    let wanted = |r: BlockReason| match what {
        "send" => matches!(r, BlockReason::Send(_)),
        "recv" => matches!(r, BlockReason::Recv(_)),
        "mutex" => matches!(r, BlockReason::Mutex(_)),
        "join" => matches!(r, BlockReason::Join(_)),
        "sleep" => matches!(r, BlockReason::Sleep { .. }),
        "io" => matches!(r, BlockReason::BlockingIo { .. }),
        _ => false,
    };
    if !["send", "recv", "mutex", "join", "sleep", "io"].contains(&what) {
        return Err(format!("unknown block reason `{what}`"));
    }
    Ok(run
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Block(r) if wanted(r))))
}

/// Does `e` hold of `run` (of `program` under `settings`)?
fn holds(e: &str, program: &Arc<Program>, settings: &Settings, run: &Run) -> Result<bool, String> {
    let o = &run.outcome;
    let on = |s: Settings| simulate(Arc::clone(program), &s).map_err(|e| e.to_string());
    let across = |e: &str| -> Result<Vec<bool>, String> {
        (1..=40)
            .map(|seed| {
                let s = Settings {
                    policy: PolicyKind::Random,
                    seed,
                    ..settings.clone()
                };
                holds(e, program, &s, &on(s.clone())?)
            })
            .collect()
    };
    let lanes = lanes(run);
    let workers = || {
        lanes.cores.iter().enumerate().flat_map(|(c, lane)| {
            lane.iter().filter_map(move |s| match s.kind {
                SegmentKind::Run(t) if t != ThreadId(0) => Some((c, t, s.end - s.start)),
                _ => None,
            })
        })
    };
    Ok(match e {
        "end=finished" => matches!(o.end, End::Finished { .. }),
        "end=deadlock" => o.end == End::Deadlock,
        "end=assertion-failed" => o.end == End::MainPanicked && o.assertion_failed(),
        "race=yes" => !o.races.is_empty(),
        "race=no" => o.races.is_empty(),
        "own-core" => {
            let placed: BTreeSet<(usize, ThreadId)> = workers().map(|(c, t, _)| (c, t)).collect();
            let threads: BTreeSet<ThreadId> = placed.iter().map(|&(_, t)| t).collect();
            let cores: BTreeSet<usize> = placed.iter().map(|&(c, _)| c).collect();
            placed.len() == threads.len() && cores.len() == threads.len()
        }
        e if e.starts_with("lesson:") => {
            // A claim about another lesson's run: `lesson:NAME:E`.
            let (name, e) = e[7..].split_once(':').ok_or("lesson:NAME:E")?;
            let p = interleave_lang::presets::find(name).ok_or(format!("no lesson {name}"))?;
            let program = interleave_lang::compile(p.source)
                .map_err(|d| format!("{name} does not compile: {d:?}"))?
                .program;
            let run = simulate(Arc::clone(&program), &p.settings).map_err(|e| e.to_string())?;
            holds(e, &program, &p.settings, &run)?
        }
        e if e.starts_with("some-random:") => across(&e[12..])?.contains(&true),
        e if e.starts_with("all-random:") => across(&e[11..])?.iter().all(|&b| b),
        e if e.starts_with("outcomes=") || e.starts_with("outcomes>=") => {
            // Every schedule: the histogram's outcomes, as `END:NAME=V,NAME=V|…`. With `=`,
            // exactly these and a complete search; with `>=`, at least these (a search
            // that stops at a bound, which it must say).
            let exact = e.starts_with("outcomes=");
            let want: BTreeSet<String> = e[if exact { 9 } else { 10 }..]
                .split('|')
                .map(str::to_string)
                .collect();
            let x = explore(Arc::clone(program), &Options::default()).map_err(|e| e.to_string())?;
            let got: BTreeSet<String> = x
                .outcomes
                .iter()
                .map(|o| {
                    let values: Vec<String> = o
                        .key
                        .values
                        .iter()
                        .map(|(n, v)| format!("{n}={v}"))
                        .collect();
                    format!("{}:{}", o.key.end.key(), values.join(","))
                })
                .collect();
            if exact && !x.complete() {
                return Err(format!("exploration did not finish: {:?}", x.verdict));
            }
            let ok = if exact {
                got == want
            } else {
                !x.complete() && want.is_subset(&got)
            };
            if !ok {
                return Err(format!(
                    "the explorer's outcomes are {:?} ({:?})",
                    got.iter().take(12).collect::<Vec<_>>(),
                    x.verdict
                ));
            }
            true
        }
        e if e.starts_with("preemptions:") || e.starts_with("share<:") => {
            // `preemptions:END:VALUES=N`: that outcome's witness has the fewest preemptions
            // of any execution reaching it, N. `share<:END:VALUES=X`: under X of all
            // executions reach it.
            let (kind, rest) = e.split_once(':').expect("has a colon");
            let (which, n) = rest.rsplit_once('=').ok_or("…=N")?;
            let x = explore(Arc::clone(program), &Options::default()).map_err(|e| e.to_string())?;
            let o = x
                .outcomes
                .iter()
                .find(|o| {
                    let values: Vec<String> = o
                        .key
                        .values
                        .iter()
                        .map(|(n, v)| format!("{n}={v}"))
                        .collect();
                    format!("{}:{}", o.key.end.key(), values.join(",")) == which
                })
                .ok_or(format!("no outcome {which}"))?;
            if kind == "preemptions" {
                o.minimal && o.preemptions == n.parse::<u32>().map_err(|_| "preemptions=N")?
            } else {
                o.approx / x.executions_approx < n.parse::<f64>().map_err(|_| "share<=X")?
            }
        }
        e if e.starts_with("value:") => {
            let (name, v) = e[6..].split_once('=').ok_or("value:NAME=V")?;
            value(run, name) == v.parse().ok()
        }
        e if e.starts_with("stopped=") => {
            o.end
                == End::Finished {
                    stopped: e[8..].parse().map_err(|_| "stopped=N")?,
                }
        }
        e if e.starts_with("cycle=") => {
            let s = Snapshot::of(&run.state_at(run.end_tick()));
            s.cycle.len() == e[6..].parse::<usize>().map_err(|_| "cycle=N")?
        }
        e if e.starts_with("lost=") => {
            analyse(&run.program, &run.events).lost.len()
                == e[5..].parse::<usize>().map_err(|_| "lost=N")?
        }
        e if e.starts_with("ticks<=") => o.ticks <= e[7..].parse().map_err(|_| "ticks<=N")?,
        e if e.starts_with("ticks>=") => o.ticks >= e[7..].parse().map_err(|_| "ticks>=N")?,
        e if e.starts_with("ticks=") => {
            let (a, b) = range(&e[6..])?;
            (a..=b).contains(&o.ticks)
        }
        e if e.starts_with("ticks@") => {
            let (cores, n) = e[6..].split_once('=').ok_or("ticks@C=N")?;
            let cores = cores.parse().map_err(|_| "ticks@C=N")?;
            let (a, b) = range(n)?;
            let other = on(Settings {
                cores,
                ..settings.clone()
            })?;
            (a..=b).contains(&other.outcome.ticks)
        }
        e if e.starts_with("faster=") => {
            let k: f64 = e[7..].parse().map_err(|_| "faster=K")?;
            let one = on(Settings {
                cores: 1,
                ..settings.clone()
            })?;
            one.outcome.ticks as f64 >= k * o.ticks as f64
        }
        e if e.starts_with("bursts=") => {
            let (a, b) = range(&e[7..])?;
            let mut any = false;
            let all_in = workers().all(|(_, _, len)| {
                any = true;
                (a..=b).contains(&len)
            });
            any && all_in
        }
        e if e.starts_with("preempts>=") => {
            let n: usize = e[10..].parse().map_err(|_| "preempts>=N")?;
            lanes
                .marks
                .iter()
                .filter(|m| m.kind == MarkKind::Preempt)
                .count()
                >= n
        }
        e if e.starts_with("blocks=") => blocks(run, &e[7..])?,
        e if e.starts_with("io-overlap=") => {
            waits(run).most_io_at_once() == e[11..].parse::<u32>().map_err(|_| "io-overlap=N")?
        }
        other => return Err(format!("unknown expectation `{other}`")),
    })
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
        if !holds(e, &program, &p.settings, &run)? {
            return Err(format!(
                "expectation `{e}` does not hold: end {:?}, {} ticks, {} races, values {:?} {:?} {:?}",
                o.end,
                o.ticks,
                o.races.len(),
                o.vars,
                o.atomics,
                o.mutexes
            ));
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

/// A lesson that states a number of ticks must have that number checked: every "N ticks"
/// in its text appears in one of its expectations (as a count, a bound or a range end), or
/// is a constant of its code (`work(6)`, `sleep(10)`, a quantum in its settings line).
#[test]
fn every_number_of_ticks_a_lesson_states_is_checked() {
    for p in all() {
        let text = p.explanation.replace('\n', " ");
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let next = words
                .get(i + 1)
                .map(|n| n.trim_end_matches([',', '.', ')', ':', ';']));
            let w = w.trim_start_matches(['(', '~']);
            let n = w.split('-').next().unwrap_or(w);
            let tick_word = next == Some("ticks") || next == Some("tick") || w.ends_with("-tick");
            let Ok(n) = n.parse::<u64>() else { continue };
            if !tick_word {
                continue;
            }
            let in_expect = p.expect.iter().any(|e| {
                e.split(|c: char| !c.is_ascii_digit())
                    .any(|d| d == n.to_string())
            });
            let in_code = interleave_lang::presets::body(p.source).contains(&format!("({n})"))
                || p.source
                    .lines()
                    .take(3)
                    .any(|l| l.contains(&format!("={n} ")) || l.ends_with(&format!("={n}")));
            assert!(
                in_expect || in_code,
                "{}: the text says {n} ticks, but no expectation checks it",
                p.name
            );
        }
    }
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
