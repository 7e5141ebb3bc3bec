//! The preset library: one scenario file each under `presets/`, with a header of `//!`
//! lines (so the file is still a valid scenario):
//!
//! ```text
//! //! title: The lost update
//! //! settings: cores=2 quantum=3 switch=1 policy=rr seed=0
//! //! expect: end=assertion-failed race=yes explore=finds-failure
//! //! predict: value COUNTER
//! //!
//! //! The explanation for students, in paragraphs…
//! ```
//!
//! Every claim the explanation makes about its run is an expectation, checked by the tests
//! (`tests/presets.rs`) against the run under the preset's settings:
//! - how it ends: `end=finished|deadlock|assertion-failed`, `stopped=N` (threads stopped
//!   with the process), `cycle=N` (threads in the deadlock's cycle);
//! - values and races: `value:NAME=V`, `race=yes|no`, `lost=N` (lost updates);
//! - time: `ticks=N`, `ticks=A..B`, `ticks<=N`, `ticks>=N`, `ticks@C=N` (on C cores),
//!   `faster=K` (at least K times faster than on one core);
//! - the picture: `bursts=A..B` (every stretch a thread other than main runs without a
//!   break), `preempts>=N`, `own-core` (each thread other than main runs on one core, none
//!   shared), `blocks=send|recv|mutex|join|sleep|io` (some thread blocks for that),
//!   `io-overlap=N` (the most I/O waits in flight at once);
//! - another lesson's run: `lesson:NAME:E`;
//! - other schedules: `some-random:E` / `all-random:E` (expectation E holds for some / all
//!   of 40 random schedules), `explore=finds-failure|no-failure|finds-deadlock|no-deadlock`
//!   (every schedule, by the explorer).
//!
//! `predict:` is the question the page asks before the run is played: `value NAME`, `end`
//! or `ticks`.

use interleave_core::settings::{PolicyKind, Settings};

pub struct Preset {
    /// File stem, e.g. `lost-update`.
    pub name: &'static str,
    pub title: String,
    pub explanation: String,
    pub settings: Settings,
    pub expect: Vec<String>,
    /// What the page asks the student to predict before playing.
    pub predict: Question,
    pub source: &'static str,
}

/// A question about a run's outcome, asked before it is revealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// "What will NAME be when the run ends?"
    Value(String),
    /// "How will the run end?" (finishes, an assertion fails, deadlock).
    End,
    /// "How many ticks will it take?"
    Ticks,
}

impl Question {
    pub fn parse(text: &str) -> Result<Question, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            ["value", name] => Ok(Question::Value(name.to_string())),
            ["end"] => Ok(Question::End),
            ["ticks"] => Ok(Question::Ticks),
            _ => Err(format!(
                "unknown question `{text}` (value NAME, end, ticks)"
            )),
        }
    }
}

macro_rules! presets {
    ($($name:literal),* $(,)?) => {
        /// Name and text of every preset, in teaching order.
        pub const FILES: &[(&str, &str)] = &[$(($name, include_str!(concat!("../presets/", $name, ".rs")))),*];
    };
}

presets!(
    "time-slicing",
    "four-cores",
    "concurrency-vs-parallelism",
    "threads-in-a-process",
    "async-event-loop",
    "blocking-calls",
    "channels",
    "lost-update",
    "mutex-fix",
    "atomic-fix",
    "deadlock",
    "lock-ordering",
    "dining-philosophers",
);

/// Parses a settings line like `cores=2 quantum=3 switch=1 policy=random seed=7`.
pub fn parse_settings(line: &str) -> Result<Settings, String> {
    let mut s = Settings::default();
    for part in line.split_whitespace() {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("`{part}` is not key=value"))?;
        let num = || {
            v.parse::<u64>()
                .map_err(|_| format!("`{k}` needs a number, got `{v}`"))
        };
        match k {
            "cores" => s.cores = num()? as u32,
            "quantum" => s.quantum_ticks = num()?,
            "switch" => s.switch_cost_ticks = num()?,
            "seed" => s.seed = num()?,
            "policy" => {
                s.policy = match v {
                    "rr" => PolicyKind::RoundRobin,
                    "fifo" => PolicyKind::Fifo,
                    "random" => PolicyKind::Random,
                    _ => return Err(format!("unknown policy `{v}` (rr, fifo, random)")),
                }
            }
            _ => return Err(format!("unknown setting `{k}`")),
        }
    }
    s.validate().map_err(|e| e.to_string())?;
    Ok(s)
}

fn parse(name: &'static str, source: &'static str) -> Result<Preset, String> {
    let mut title = None;
    let mut settings = Settings::default();
    let mut expect = Vec::new();
    let mut predict = Question::End;
    let mut explanation = String::new();
    let mut in_text = false;
    for line in source.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        if in_text {
            explanation.push_str(rest);
            explanation.push('\n');
        } else if let Some(t) = rest.strip_prefix("title:") {
            title = Some(t.trim().to_string());
        } else if let Some(t) = rest.strip_prefix("settings:") {
            settings = parse_settings(t)?;
        } else if let Some(t) = rest.strip_prefix("expect:") {
            expect = t.split_whitespace().map(str::to_string).collect();
        } else if let Some(t) = rest.strip_prefix("predict:") {
            predict = Question::parse(t)?;
        } else if rest.trim().is_empty() {
            in_text = true;
        } else {
            return Err(format!("unknown header line `{rest}`"));
        }
    }
    Ok(Preset {
        name,
        title: title.ok_or("no `title:` line")?,
        explanation: explanation.trim().to_string(),
        settings,
        expect,
        predict,
        source,
    })
}

/// Every preset, parsed. A malformed header is a bug caught by the tests.
pub fn all() -> Vec<Preset> {
    FILES
        .iter()
        .map(|&(name, src)| parse(name, src).unwrap_or_else(|e| panic!("preset {name}: {e}")))
        .collect()
}

pub fn find(name: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.name == name)
}

/// The scenario without its `//!` header: what the editor shows (the page shows the title
/// and explanation beside it).
pub fn body(source: &str) -> &str {
    let mut rest = source;
    while rest.starts_with("//!") {
        rest = rest.find('\n').map_or("", |i| &rest[i + 1..]);
    }
    rest
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_body_drops_only_the_header() {
        assert_eq!(
            super::body("//! a\n//! b\nfn main() {}\n//! not header\n"),
            "fn main() {}\n//! not header\n"
        );
        assert_eq!(super::body("//! only"), "");
        for p in super::all() {
            assert!(crate::compile(super::body(p.source)).is_ok(), "{}", p.name);
        }
    }
}
