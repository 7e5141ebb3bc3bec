//! `interleave`: run, check and list scenarios from the command line.

use interleave_core::explore::{self, explore, EndKind, Report, Verdict};
use interleave_core::run::simulate;
use interleave_core::sched::replay::parse_schedule;
use interleave_core::settings::{PolicyKind, Settings};
use interleave_core::timeline;
use interleave_lang::compile::time::Scale;
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

/// `eprint!` that does not panic when standard error is closed (`… 2>&1 | head -1`).
macro_rules! err {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}

macro_rules! errln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

const USAGE: &str = "\
usage:
  interleave run FILE [--cores N] [--quantum Q] [--switch-cost C] [--policy rr|fifo|random]
                      [--seed S] [--max-steps M] [--format text|json] [--schedule S]
                      [--tick T]      T: how long a tick of a `Duration` is: 1us, 10us,
                                      100us, 1ms (the default), 10ms, 100ms or 1s
  interleave explore FILE [--max-states M] [--max-depth D] [--preemption-bound K]
                          [--format text|json]
                              every schedule a real OS could produce, on any number of
                              cores (timing never orders anything): each outcome, how many
                              executions reach it (one per class of orders that differ
                              only in swapping independent steps), and a witness with the fewest
                              preemptions, told in words. Up to M distinct states (200,000
                              by default, at most 5,000,000) and D steps per execution
                              (5,000 by default, at most 100,000). With K, only the
                              executions with at most K preemptions (as loom's
                              preemption_bound: far fewer, and most bugs need one or
                              two; the verdict says the answer is bounded). Exits 1 if an execution can
                              deadlock, panic or run forever, 3 if the search stopped at M
                              first, else 0
  interleave check FILE       diagnostics; exits non-zero on error
  interleave rust FILE        the same program as real Rust on std (or, for a data race on
                              plain memory, the code with the error safe Rust gives)
  interleave fmt FILE         the scenario, formatted
  interleave presets          list the presets
  interleave preset NAME      print a preset's scenario

FILE may be `-` for standard input, or `preset:NAME` for a preset (run with the preset's
suggested settings unless flags override them). A schedule S is either the explorer's steps
(`M*2 T1 T2*3 io#0`: who runs through its next visible operation, how many times, and which
awaited I/O completes; `run` then tells that execution in words), or the timed scheduler's
decisions, comma-separated: `pN` runs the ready thread at position N of the queue, `y`
preempts the running thread, `n` lets it run on; after the last, round robin carries on.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            errln!("interleave: {e}");
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
    use std::io::Read as _;
    // At most one byte past the limit is read: `/dev/zero` or a huge file is refused
    // without reading it all.
    let limit = interleave_lang::parser::MAX_SOURCE_BYTES as u64;
    let mut bytes = Vec::new();
    let read = if file == "-" {
        std::io::stdin().take(limit + 1).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
    };
    let name = if file == "-" { "stdin" } else { file };
    read.map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{name}: more than {limit} bytes; a scenario is at most {limit} (split the lesson into several)"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let ok = &e.as_bytes()[..at];
        let line = ok.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = ok.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        format!("{name}:{line}:{col}: not UTF-8 text (byte {at}); save the file as UTF-8")
    })?;
    Ok((text, file.to_string(), Settings::default()))
}

/// Prints diagnostics to stderr; the exit code for them.
fn report(src: &str, file: &str, diags: &[interleave_lang::diag::Diagnostic]) -> ExitCode {
    for d in diags {
        err!("{}", render(src, file, d));
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
    max_depth: u64,
    preemption_bound: Option<u32>,
    /// `--schedule` in the explorer's form (steps), to tell in words.
    steps: Option<Vec<explore::Action>>,
    /// How long a tick of a `Duration` is (`--tick`).
    scale: Scale,
}

/// The explorer's bound on distinct states unless `--max-states` says otherwise.
const DEFAULT_STATES: u64 = 200_000;
/// The most `--max-states` takes (the explorer keeps about 60 bytes per state).
const MAX_STATES: u64 = 5_000_000;
/// The most `--preemption-bound` takes (past it, leave the bound out).
const MAX_PREEMPTION_BOUND: u32 = 20;
/// The most `--max-depth` takes (the search keeps a machine per step of an execution).
const MAX_DEPTH: u64 = 100_000;

/// Reads the flags after FILE into `settings` and the other options.
fn options(args: &[String], settings: &mut Settings) -> Result<Opts, String> {
    let mut opts = Opts {
        json: false,
        max_states: DEFAULT_STATES,
        max_depth: explore::Options::default().max_depth,
        preemption_bound: None,
        steps: None,
        scale: Scale::default(),
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
            "--max-depth" => {
                opts.max_depth = flag(args, i, "--max-depth")?;
                if !(1..=MAX_DEPTH).contains(&opts.max_depth) {
                    return Err(format!("--max-depth: {} is outside 1..={MAX_DEPTH}", opts.max_depth));
                }
            }
            "--preemption-bound" => {
                let k: u32 = flag(args, i, "--preemption-bound")?;
                if k > MAX_PREEMPTION_BOUND {
                    return Err(format!(
                        "--preemption-bound: {k} is outside 0..={MAX_PREEMPTION_BOUND}"
                    ));
                }
                opts.preemption_bound = Some(k);
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
                let text = value()?;
                // The explorer's steps name threads (M, T1) or I/O (io#0); decisions do not.
                if text.contains(['M', 'T', '#']) {
                    let steps = explore::parse_schedule(text).map_err(|e| format!("--schedule: {e}"))?;
                    opts.steps = Some(steps);
                } else {
                    let decisions = parse_schedule(text).map_err(|e| format!("--schedule: {e}"))?;
                    settings.policy = PolicyKind::Replay(decisions.into());
                }
            }
            "--tick" => {
                let text = value()?;
                opts.scale = Scale::parse(text).ok_or_else(|| {
                    let all: Vec<String> = Scale::ALL.iter().map(|s| s.words()).collect();
                    format!("--tick: `{text}` is not one of {}", all.join(", "))
                })?;
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

/// A report as the JSON object documented in the README ("The `interleave` command line").
fn report_json(
    x: &Report,
    file: &str,
    max_depth: u64,
    limits: &interleave_core::settings::Limits,
) -> serde_json::Value {
    let outcomes: Vec<serde_json::Value> = x
        .outcomes
        .iter()
        .map(|o| {
            // Numbers as numbers, `bool`s as booleans, a locked vector as its words.
            let values: serde_json::Map<String, serde_json::Value> = o
                .key
                .words()
                .into_iter()
                .map(|(n, w)| {
                    let v = match w.as_str() {
                        "true" => serde_json::Value::Bool(true),
                        "false" => serde_json::Value::Bool(false),
                        _ => w
                            .parse::<i64>()
                            .map_or_else(|_| serde_json::Value::from(w.as_str()), Into::into),
                    };
                    (n, v)
                })
                .collect();
            serde_json::json!({
                "end": o.key.end.key(),
                "values": values,
                "message": o.key.message,
                "output": o.key.output,
                "count": o.count,
                "count_approx": o.approx,
                "share": share(o.approx, x.executions_approx),
                "preemptions": o.preemptions,
                "minimal": o.minimal,
                "schedule": explore::schedule_text(&o.witness),
                "replay": format!("interleave run {file} --schedule \"{}\"", explore::schedule_text(&o.witness)),
            })
        })
        .collect();
    let (verdict, bound) = match x.verdict {
        Verdict::Complete => ("complete", serde_json::Value::Null),
        Verdict::Incomplete(stop) => (
            "incomplete",
            serde_json::Value::from(format!(
                "{}.{}",
                stop_words(stop, limits),
                shallower(x, max_depth)
            )),
        ),
    };
    serde_json::json!({
        "verdict": verdict,
        "bound": bound,
        "executions": x.executions,
        "executions_approx": x.executions_approx,
        "states": x.states,
        "caveats": x.caveats,
        "outcomes": outcomes,
    })
}

fn stop_words(stop: explore::Stop, limits: &interleave_core::settings::Limits) -> String {
    match stop {
        explore::Stop::States(n) => format!(
            "the --max-states bound ({n} distinct states): raise it (at most {MAX_STATES}) or make the scenario smaller"
        ),
        explore::Stop::LocalSteps(n) => format!(
            "a thread ran {n} local steps in a row without coming back to an earlier state: a very long loop that touches nothing shared"
        ),
        explore::Stop::Outcomes(n) => format!(
            "the bound of {n} distinct outcomes: executions that end in yet others were not counted; make the scenario's final values take fewer values"
        ),
        explore::Stop::Preemptions(k) => format!(
            "the --preemption-bound ({k}): only the executions with at most {k} preemption{} were explored, and there are others; raise it (at most {MAX_PREEMPTION_BOUND}) or leave it out to explore them all",
            if k == 1 { "" } else { "s" }
        ),
        explore::Stop::Limit(limit) => format!(
            "a limit of the simulator in some execution ({}); that execution was followed no further",
            limit.words(limits)
        ),
        explore::Stop::Depth(n) => format!(
            "the --max-depth bound ({n} steps in one execution): the program can run on and on, reaching new states (a thread that loops forever, counting); raise it (at most {MAX_DEPTH}) or give the loop an end"
        ),
    }
}

/// When a deeper round of the search hit `stop`, what the report covers instead.
fn shallower(x: &Report, max_depth: u64) -> String {
    match x.shallower {
        Some(depth) => format!(
            " These are the executions of up to {depth} steps: a search to {max_depth} steps reached that bound."
        ),
        None => String::new(),
    }
}

/// A count of executions: exact, or "~1.2e25" where it passed what a `u64` holds.
fn count_words(exact: u64, approx: f64) -> String {
    if exact == u64::MAX {
        format!("~{approx:.1e}")
    } else {
        exact.to_string()
    }
}

fn share(part: f64, total: f64) -> f64 {
    if total > 0.0 {
        part / total
    } else {
        0.0
    }
}

/// One line of the histogram: share, count, how it ends and the values.
fn outcome_line(o: &explore::Outcome, total: f64) -> String {
    let values: Vec<String> = o
        .key
        .words()
        .into_iter()
        .map(|(n, v)| format!("{n} = {v}"))
        .collect();
    let end = match o.key.end {
        EndKind::Ok => "finishes".to_string(),
        EndKind::Deadlock => "DEADLOCK".to_string(),
        EndKind::Panic => "PANICS".to_string(),
        EndKind::NeverEnds => "NEVER ENDS".to_string(),
    };
    let share = 100.0 * share(o.approx, total);
    format!(
        "{share:5.1}%  {:>8}  {end}{}{}",
        count_words(o.count, o.approx),
        if values.is_empty() {
            String::new()
        } else {
            format!(": {}", values.join(", "))
        },
        match o.preemptions {
            0 => String::new(),
            1 => "  (1 preemption)".into(),
            n => format!("  ({n} preemptions)"),
        }
    )
}

/// `explore`: every schedule (see `interleave_core::explore`), as a histogram of outcomes
/// with a witness for each, told in words.
fn explore_command(
    program: std::sync::Arc<interleave_core::program::Program>,
    settings: &Settings,
    file: &str,
    opts: &Opts,
) -> Result<ExitCode, String> {
    let options = explore::Options {
        max_states: opts.max_states,
        max_depth: opts.max_depth,
        preemption_bound: opts.preemption_bound,
        limits: settings.limits.clone(),
        ..explore::Options::default()
    };
    let x = explore(std::sync::Arc::clone(&program), &options).map_err(|e| e.to_string())?;
    let bad = x.outcomes.iter().any(|o| o.key.end != EndKind::Ok);
    let code = if bad {
        ExitCode::FAILURE
    } else if x.complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    };
    if opts.json {
        let out =
            serde_json::to_string_pretty(&report_json(&x, file, opts.max_depth, &settings.limits))
                .map_err(|e| e.to_string())?;
        outln!("{out}");
        return Ok(code);
    }
    match x.verdict {
        Verdict::Complete => outln!(
            "complete: every schedule explored, on any number of cores ({} execution{}, {} distinct states).",
            count_words(x.executions, x.executions_approx),
            if x.executions == 1 { "" } else { "s" },
            x.states
        ),
        Verdict::Incomplete(stop) => outln!(
            "INCOMPLETE: {} executions and {} distinct states explored, then the search stopped at {}.{} Outcomes beyond it may exist.",
            count_words(x.executions, x.executions_approx),
            x.states,
            stop_words(stop, &settings.limits),
            shallower(&x, opts.max_depth)
        ),
    }
    for c in &x.caveats {
        outln!("note: {c}");
    }
    outln!(
        "
outcomes (share of executions, executions, how it ends):"
    );
    for o in &x.outcomes {
        outln!("{}", outcome_line(o, x.executions_approx));
        if let Some(m) = &o.key.message {
            for line in m.lines() {
                outln!("           {line}");
            }
        }
        if !o.key.output.is_empty() {
            outln!("           prints:");
            for line in o.key.output.lines() {
                outln!("             {}", timeline::terminal_safe(line));
            }
        }
    }
    for (i, o) in x.outcomes.iter().enumerate() {
        outln!(
            "
witness {} ({}{}):",
            i + 1,
            match o.preemptions {
                1 => "1 preemption".to_string(),
                n => format!("{n} preemptions"),
            },
            if o.minimal { ", the fewest" } else { "" }
        );
        for line in explore::narrate(std::sync::Arc::clone(&program), &options, &o.witness)? {
            outln!("  {line}");
        }
        outln!(
            "  replay: interleave run {file} --schedule \"{}\"",
            explore::schedule_text(&o.witness)
        );
    }
    Ok(code)
}

/// `run --schedule` with the explorer's steps: the execution told in words, then the timed
/// run that follows it on these settings' cores (threads pause where their turn has not
/// come), as the usual timeline and outcome.
fn replay_steps(
    program: std::sync::Arc<interleave_core::program::Program>,
    settings: &Settings,
    steps: &[explore::Action],
) -> Result<ExitCode, String> {
    let options = explore::Options {
        limits: settings.limits.clone(),
        ..explore::Options::default()
    };
    for line in explore::narrate(std::sync::Arc::clone(&program), &options, steps)? {
        outln!("{line}");
    }
    let followed = Settings {
        steps: Some(steps.to_vec().into()),
        ..settings.clone()
    };
    let run = simulate(program, &followed).map_err(|e| e.to_string())?;
    outln!();
    out!("{}", timeline::render(&run, 200));
    Ok(ExitCode::SUCCESS)
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
                        err!("{}", render(&src, &file, d));
                    }
                    outln!("{file}: ok");
                    Ok(ExitCode::SUCCESS)
                }
                Err(diags) => {
                    for d in &diags {
                        err!("{}", render(&src, &file, d));
                    }
                    let n = interleave_lang::diag::error_count(&diags);
                    errln!("{file}: {n} error(s)");
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
            let compiled = match interleave_lang::compile_with(&src, opts.scale) {
                Ok(c) => c,
                Err(diags) => {
                    for d in &diags {
                        err!("{}", render(&src, &file, d));
                    }
                    return Ok(ExitCode::FAILURE);
                }
            };
            if cmd == "explore" {
                return explore_command(compiled.program, &settings, &file, &opts);
            }
            if let Some(steps) = &opts.steps {
                return replay_steps(compiled.program, &settings, steps);
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
