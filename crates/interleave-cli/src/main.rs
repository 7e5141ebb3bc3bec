//! `interleave`: run, check and list scenarios from the command line.

use interleave_core::explore::explore;
use interleave_core::run::simulate;
use interleave_core::sched::replay::{parse_schedule, schedule_text};
use interleave_core::settings::{PolicyKind, Settings};
use interleave_core::timeline;
use interleave_core::trace::Decision;
use interleave_lang::diag::render;
use interleave_lang::presets;
use std::process::ExitCode;

/// Writes to stdout, ignoring a closed pipe (`interleave presets | head`).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

const USAGE: &str = "\
usage:
  interleave run FILE [--cores N] [--quantum Q] [--switch-cost C] [--policy rr|fifo|random]
                      [--seed S] [--max-steps M] [--format text|json] [--schedule S]
  interleave explore FILE [--cores N] [--switch-cost C] [--max-states M]
                              every schedule (loom-style, up to M distinct states: 200,000
                              by default, at most 1,000,000, each about 1 KB of memory):
                              can it deadlock or fail? Prints the `run --schedule` command
                              that replays the first of each; exits 1 if one was found, 3
                              if the search stopped at M first
  interleave check FILE       diagnostics; exits non-zero on error
  interleave rust FILE        the same program as real Rust on std (or, for a data race on
                              plain memory, the code with the error safe Rust gives)
  interleave fmt FILE         the scenario, formatted
  interleave presets          list the presets
  interleave preset NAME      print a preset's scenario

FILE may be `-` for standard input, or `preset:NAME` for a preset (run with the preset's
suggested settings unless flags override them). A schedule S is the scheduler's decisions,
comma-separated: `pN` runs the ready thread at position N of the queue, `y` preempts the
running thread, `n` lets it run on; after the last, round robin carries on.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("interleave: {e}");
            ExitCode::from(2)
        }
    }
}

/// The scenario text and the settings it suggests (presets carry their own).
fn load(file: &str) -> Result<(String, String, Settings), String> {
    if let Some(name) = file.strip_prefix("preset:") {
        let p = presets::find(name)
            .ok_or_else(|| format!("no preset `{name}` (see `interleave presets`)"))?;
        return Ok((p.source.to_string(), file.to_string(), p.settings));
    }
    let text = if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?
    };
    Ok((text, file.to_string(), Settings::default()))
}

/// Prints diagnostics to stderr; the exit code for them.
fn report(src: &str, file: &str, diags: &[interleave_lang::diag::Diagnostic]) -> ExitCode {
    for d in diags {
        eprint!("{}", render(src, file, d));
    }
    ExitCode::FAILURE
}

/// Greedy word wrap for comments.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("non-empty");
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// A numeric flag's value: a whole number, 0 or more (the settings check the range).
fn flag<T>(args: &[String], i: usize, name: &str) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let v = args
        .get(i + 1)
        .ok_or_else(|| format!("{name} needs a value"))?;
    v.parse().map_err(|e| {
        format!("{name} takes a whole number, 0 or more: `{v}` is not one it can take ({e})")
    })
}

/// What `run` and `explore` take besides the settings.
struct Opts {
    json: bool,
    max_states: u64,
}

/// The explorer's bound on distinct states unless `--max-states` says otherwise.
const DEFAULT_STATES: u64 = 200_000;
/// The most `--max-states` takes: each state costs about 1 KB of memory.
const MAX_STATES: u64 = 1_000_000;

/// Reads the flags after FILE into `settings` and the other options.
fn options(args: &[String], settings: &mut Settings) -> Result<Opts, String> {
    let mut opts = Opts {
        json: false,
        max_states: DEFAULT_STATES,
    };
    let mut i = 0;
    while i < args.len() {
        let value = || {
            args.get(i + 1)
                .map(String::as_str)
                .ok_or_else(|| format!("{} needs a value", args[i]))
        };
        match args[i].as_str() {
            "--cores" => settings.cores = flag(args, i, "--cores")?,
            "--quantum" => settings.quantum_ticks = flag(args, i, "--quantum")?,
            "--switch-cost" => settings.switch_cost_ticks = flag(args, i, "--switch-cost")?,
            "--seed" => settings.seed = flag(args, i, "--seed")?,
            "--max-steps" => settings.limits.max_steps = flag(args, i, "--max-steps")?,
            "--max-states" => {
                opts.max_states = flag(args, i, "--max-states")?;
                if !(1..=MAX_STATES).contains(&opts.max_states) {
                    return Err(format!("--max-states: {} is outside 1..={MAX_STATES}", opts.max_states));
                }
            }
            "--policy" => {
                settings.policy = match value()? {
                    "rr" => PolicyKind::RoundRobin,
                    "fifo" => PolicyKind::Fifo,
                    "random" => PolicyKind::Random,
                    other => return Err(format!("--policy: `{other}` is not rr, fifo or random (for a recorded schedule, use --schedule)")),
                }
            }
            "--schedule" => {
                let decisions = parse_schedule(value()?).map_err(|e| format!("--schedule: {e}"))?;
                settings.policy = PolicyKind::Replay(decisions.into());
            }
            "--format" => {
                opts.json = match value()? {
                    "json" => true,
                    "text" => false,
                    other => return Err(format!("--format: `{other}` is not text or json")),
                }
            }
            other => return Err(format!("unknown option `{other}`\n{USAGE}")),
        }
        i += 2;
    }
    Ok(opts)
}

/// `explore`: every schedule, up to `max_states` distinct states; the first schedule of
/// each kind of failure, as the `run` command that replays it.
fn explore_command(
    program: std::sync::Arc<interleave_core::program::Program>,
    settings: &Settings,
    file: &str,
    max_states: u64,
) -> Result<ExitCode, String> {
    let x = explore(program, settings, max_states).map_err(|e| e.to_string())?;
    let cores = if settings.cores == 1 {
        "1 core".to_string()
    } else {
        format!("{} cores", settings.cores)
    };
    if x.complete {
        outln!(
            "explored {} distinct states on {cores}: every schedule was checked.",
            x.states
        );
    } else {
        outln!(
            "stopped after {} distinct states on {cores} (the --max-states limit): not every schedule was checked.",
            x.states
        );
    }
    let replay = |d: &[Decision]| {
        format!(
            "interleave run {file} --cores {} --quantum {} --switch-cost {} --schedule {}",
            settings.cores,
            settings.quantum_ticks,
            settings.switch_cost_ticks,
            if d.is_empty() {
                "\"\"".to_string()
            } else {
                schedule_text(d)
            }
        )
    };
    if let Some(d) = &x.first_deadlock {
        outln!(
            "{} end state(s) deadlock. To see the first one found:\n  {}",
            x.deadlocks,
            replay(d)
        );
    }
    if let Some(d) = &x.first_failure {
        outln!(
            "{} end state(s) fail an assertion or panic. To see the first one found:\n  {}",
            x.failures,
            replay(d)
        );
    }
    if x.first_deadlock.is_some() || x.first_failure.is_some() {
        return Ok(ExitCode::FAILURE);
    }
    if x.complete {
        outln!("no schedule deadlocks, panics or fails an assertion.");
        Ok(ExitCode::SUCCESS)
    } else {
        outln!("none found so far; raise --max-states (at most {MAX_STATES}) or make the scenario smaller.");
        Ok(ExitCode::from(3))
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    match args.first().map(String::as_str) {
        Some("presets") => {
            for p in presets::all() {
                outln!("{:<28} {}", p.name, p.title);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("preset") => {
            let name = args.get(1).ok_or("preset NAME")?;
            let p = presets::find(name)
                .ok_or_else(|| format!("no preset `{name}` (see `interleave presets`)"))?;
            out!("{}", p.source);
            Ok(ExitCode::SUCCESS)
        }
        Some("check") => {
            let (src, file, _) = load(args.get(1).ok_or("check FILE")?)?;
            match interleave_lang::compile(&src) {
                Ok(c) => {
                    for d in &c.warnings {
                        eprint!("{}", render(&src, &file, d));
                    }
                    outln!("{file}: ok");
                    Ok(ExitCode::SUCCESS)
                }
                Err(diags) => {
                    for d in &diags {
                        eprint!("{}", render(&src, &file, d));
                    }
                    let n = diags.iter().filter(|d| d.is_error()).count();
                    eprintln!("{file}: {n} error(s)");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Some("rust") => {
            let (src, file, _) = load(args.get(1).ok_or("rust FILE")?)?;
            match interleave_lang::print::rust_view(&src) {
                Ok(view) => {
                    out!("{}", view.code);
                    if let Some(r) = view.refused {
                        outln!("\n// rustc says:\n// {}\n//", r.error);
                        for line in wrap(&r.why, 88) {
                            outln!("// {line}");
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(diags) => Ok(report(&src, &file, &diags)),
            }
        }
        Some("fmt") => {
            let (src, file, _) = load(args.get(1).ok_or("fmt FILE")?)?;
            match interleave_lang::print::format(&src) {
                Ok(text) => {
                    out!("{text}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(diags) => Ok(report(&src, &file, &diags)),
            }
        }
        Some(cmd @ ("run" | "explore")) => {
            let file = args.get(1).ok_or_else(|| format!("{cmd} FILE"))?;
            let (src, file, mut settings) = load(file)?;
            let opts = options(&args[2..], &mut settings)?;
            let compiled = match interleave_lang::compile(&src) {
                Ok(c) => c,
                Err(diags) => {
                    for d in &diags {
                        eprint!("{}", render(&src, &file, d));
                    }
                    return Ok(ExitCode::FAILURE);
                }
            };
            if cmd == "explore" {
                return explore_command(compiled.program, &settings, &file, opts.max_states);
            }
            let run = simulate(compiled.program, &settings).map_err(|e| e.to_string())?;
            if opts.json {
                let out = serde_json::to_string_pretty(&run.outcome).map_err(|e| e.to_string())?;
                outln!("{out}");
            } else {
                out!("{}", timeline::render(&run, 200));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some("-h" | "--help" | "help") => {
            outln!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    }
}

#[cfg(test)]
mod tests {
    use super::flag;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_numeric_flag_parses_or_says_why_not() {
        let a = args(&["--cores", "4"]);
        assert_eq!(flag::<u32>(&a, 0, "--cores"), Ok(4));
        let a = args(&["--seed", "-1"]);
        let e = flag::<u64>(&a, 0, "--seed").unwrap_err();
        assert!(
            e.starts_with("--seed takes a whole number") && e.contains("`-1`"),
            "{e}"
        );
        let a = args(&["--max-steps", "99999999999999999999"]);
        assert!(flag::<u64>(&a, 0, "--max-steps")
            .unwrap_err()
            .contains("too large"));
        let a = args(&["--cores"]);
        assert_eq!(
            flag::<u32>(&a, 0, "--cores"),
            Err("--cores needs a value".to_string())
        );
    }
}
