//! The preset library: one scenario file each under `presets/`, with a header of `//!`
//! lines (so the file is still a valid scenario):
//!
//! ```text
//! //! title: The lost update
//! //! settings: cores=2 quantum=3 switch=1 policy=rr seed=0
//! //! expect: end=assertion-failed race=yes explore=finds-failure
//! //!
//! //! The explanation for students, in paragraphs…
//! ```
//!
//! Expectations are checked by the tests: `end=finished|deadlock|assertion-failed`,
//! `race=yes|no`, `value NAME=V` (as `value:NAME=V`), `stopped=N`,
//! `explore=finds-failure|no-failure|finds-deadlock|no-deadlock` (exhaustive, one core),
//! `faster=K` (at least K times faster than on one core).

use interleave_core::settings::{PolicyKind, Settings};

pub struct Preset {
    /// File stem, e.g. `lost-update`.
    pub name: &'static str,
    pub title: String,
    pub explanation: String,
    pub settings: Settings,
    pub expect: Vec<String>,
    pub source: &'static str,
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
