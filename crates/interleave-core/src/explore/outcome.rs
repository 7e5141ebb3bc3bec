//! What an execution comes to: how it ended, with what message, the final value of every
//! static, and what it printed. Two executions with the same outcome are the same bar of the histogram.

use crate::explain;
use crate::machine::{End, Machine};
use crate::program::Value;

/// How an execution ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndKind {
    /// `main` returned (threads still running were stopped with the process).
    Ok,
    /// No thread can ever run again.
    Deadlock,
    /// `main` panicked (a failed assertion, an `unwrap` of an error…).
    Panic,
    /// It can run forever: a state came back on the way, or a thread loops without ever
    /// touching anything shared.
    NeverEnds,
}

impl EndKind {
    /// The name the CLI's JSON uses.
    pub fn key(self) -> &'static str {
        match self {
            EndKind::Ok => "ok",
            EndKind::Deadlock => "deadlock",
            EndKind::Panic => "panic",
            EndKind::NeverEnds => "never-ends",
        }
    }
}

/// One distinct outcome.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutcomeKey {
    pub end: EndKind,
    /// Every static's final value (plain, atomic, mutex contents), in declaration order.
    pub values: Vec<(String, Value)>,
    /// The final values a number would not say, in words (see `Machine::shown_values`):
    /// a `bool`'s (also among `values`, as 0 or 1) and a locked vector's (not there).
    pub shown: Vec<(String, String)>,
    /// The panics' messages (sorted, joined with "; "), or the deadlock's cycle in words;
    /// `None` when it ended well.
    pub message: Option<String>,
    /// Everything printed, in order (standard output and error, as a terminal shows them).
    pub output: String,
}

fn output(m: &Machine) -> String {
    m.output.iter().map(|p| p.text.as_str()).collect()
}

fn values(m: &Machine) -> Vec<(String, Value)> {
    let p = &m.program;
    p.vars
        .iter()
        .zip(&m.vars)
        .chain(p.atomics.iter().zip(&m.atomics))
        .map(|(d, &v)| (d.name.clone(), v))
        .chain(
            p.mutexes
                .iter()
                .zip(&m.mutexes)
                .enumerate()
                .filter(|(i, _)| !p.vector_mutexes.iter().any(|(x, _)| x.0 == *i as u32))
                .map(|(_, (d, x))| (d.name.clone(), x.value)),
        )
        .collect()
}

impl OutcomeKey {
    /// Every final value as it is said: `values` with the numbers `shown` says in words
    /// replaced, then the values only in words (locked vectors).
    pub fn words(&self) -> Vec<(String, String)> {
        let said = |n: &str| {
            self.shown
                .iter()
                .find(|(x, _)| x == n)
                .map(|(_, w)| w.clone())
        };
        let mut out: Vec<(String, String)> = self
            .values
            .iter()
            .map(|(n, v)| (n.clone(), said(n).unwrap_or_else(|| v.to_string())))
            .collect();
        for (n, w) in &self.shown {
            if !out.iter().any(|(x, _)| x == n) {
                out.push((n.clone(), w.clone()));
            }
        }
        out
    }
}

fn panic_messages(m: &Machine) -> Option<String> {
    let mut msgs: Vec<&str> = m.panics.iter().map(|p| p.message.as_str()).collect();
    msgs.sort_unstable();
    (!msgs.is_empty()).then(|| msgs.join("; "))
}

/// The outcome of a machine whose run has ended.
pub fn of_end(m: &Machine) -> OutcomeKey {
    let (end, message) = match &m.end {
        Some(End::Deadlock) => (EndKind::Deadlock, Some(explain::deadlock(m).explanation)),
        Some(End::MainPanicked) => (EndKind::Panic, panic_messages(m)),
        _ => (EndKind::Ok, panic_messages(m)),
    };
    OutcomeKey {
        end,
        values: values(m),
        shown: m.shown_values(),
        message,
        output: output(m),
    }
}

/// "It never ends": the values when the loop was found (they may keep changing in it).
pub fn never_ends(m: &Machine, why: &str) -> OutcomeKey {
    OutcomeKey {
        end: EndKind::NeverEnds,
        values: values(m),
        shown: m.shown_values(),
        message: Some(why.to_string()),
        output: output(m),
    }
}
