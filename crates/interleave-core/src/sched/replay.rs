//! Replays recorded decisions, so any run is reproduced exactly, and a person's own choices
//! (which thread runs next) can drive a run. When the recording runs out, a fallback policy
//! carries on: round robin, or (for the explorer) always the lowest option — the first
//! ready thread, no preemption; a decision that does not fit (a pick beyond the ready queue,
//! a pick where a preemption was recorded) is an error naming its position.

use super::round_robin::RoundRobin;
use super::RunningSlice;
use crate::trace::Decision;
use std::fmt;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    pub decisions: Arc<[Decision]>,
    pub next: usize,
    /// `None`: the lowest option (the explorer enumerates the others).
    pub fallback: Option<RoundRobin>,
}

impl Replay {
    /// `fallback_quantum_ticks`: round robin after the recording, or `None` for lowest.
    pub fn new(decisions: impl Into<Arc<[Decision]>>, fallback_quantum_ticks: Option<u64>) -> Self {
        Replay {
            decisions: decisions.into(),
            next: 0,
            fallback: fallback_quantum_ticks.map(|quantum_ticks| RoundRobin { quantum_ticks }),
        }
    }

    fn take(&mut self) -> Option<Decision> {
        let d = self.decisions.get(self.next).copied();
        if d.is_some() {
            self.next += 1;
        }
        d
    }

    pub fn pick(&mut self, ready: usize) -> Result<usize, Mismatch> {
        if ready < 2 {
            return Ok(0); // no choice, nothing was recorded
        }
        match self.take() {
            None => Ok(0),
            Some(Decision::Pick(i)) if (i as usize) < ready => Ok(i as usize),
            Some(recorded) => Err(Mismatch {
                index: self.next - 1,
                recorded,
                ready: Some(ready),
            }),
        }
    }

    pub fn preempt(&mut self, slice: RunningSlice) -> Result<bool, Mismatch> {
        match self.take() {
            None => Ok(self.fallback.as_ref().is_some_and(|rr| rr.preempt(slice))),
            Some(Decision::Preempt(p)) => Ok(p),
            Some(recorded) => Err(Mismatch {
                index: self.next - 1,
                recorded,
                ready: None,
            }),
        }
    }
}

/// A recorded decision that does not fit the choice the scheduler is making.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Its position in the recording.
    pub index: usize,
    pub recorded: Decision,
    /// `Some(n)`: the scheduler was choosing among `n` ready threads; `None`: it was
    /// deciding whether to preempt.
    pub ready: Option<usize>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Counted from 1 and written as in `schedule_text`, as `parse_schedule` names them.
        let (n, text) = (self.index + 1, schedule_text(&[self.recorded]));
        match self.ready {
            Some(ready) => write!(
                f,
                "decision {n} (`{text}`) does not fit: the scheduler is choosing among {ready} ready threads"
            ),
            None => write!(
                f,
                "decision {n} (`{text}`) does not fit: the scheduler is deciding whether to preempt"
            ),
        }
    }
}

/// The most decisions [`parse_schedule`] takes: a schedule longer than any run's limit of
/// steps is not one a person typed or a run recorded.
pub const MAX_SCHEDULE: usize = 10_000_000;

/// A schedule as text, for people and command lines: decisions separated by commas, `pN`
/// for "run the ready thread at position N of the queue" (0 is the front), `y` for
/// "preempt the running thread" and `n` for "let it run on". Empty for no decisions.
pub fn schedule_text(decisions: &[Decision]) -> String {
    let mut out = String::with_capacity(decisions.len() * 3);
    for (i, d) in decisions.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match d {
            Decision::Pick(n) => {
                out.push('p');
                out.push_str(&n.to_string());
            }
            Decision::Preempt(true) => out.push('y'),
            Decision::Preempt(false) => out.push('n'),
        }
    }
    out
}

/// Reads [`schedule_text`] back; an error names the decision that is not one and why.
/// Spaces around decisions are allowed.
pub fn parse_schedule(text: &str) -> Result<Vec<Decision>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, part) in text.split(',').enumerate() {
        if i >= MAX_SCHEDULE {
            return Err(format!("a schedule has at most {MAX_SCHEDULE} decisions"));
        }
        let d = match part.trim() {
            "y" => Decision::Preempt(true),
            "n" => Decision::Preempt(false),
            p if p.starts_with('p') && p.len() > 1 => match p[1..].parse::<u32>() {
                Ok(n) => Decision::Pick(n),
                Err(_) => {
                    return Err(format!(
                        "decision {} (`{p}`): after `p` comes a position in the ready queue, 0 or more",
                        i + 1
                    ))
                }
            },
            p => {
                return Err(format!(
                    "decision {} (`{p}`) is not `pN` (run the ready thread at position N), `y` (preempt) or `n` (do not)",
                    i + 1
                ))
            }
        };
        out.push(d);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_reads_back_as_written_and_bad_text_says_where() {
        let d = vec![
            Decision::Preempt(false),
            Decision::Pick(2),
            Decision::Preempt(true),
            Decision::Pick(0),
            Decision::Pick(u32::MAX),
        ];
        let text = schedule_text(&d);
        assert_eq!(text, "n,p2,y,p0,p4294967295");
        assert_eq!(parse_schedule(&text), Ok(d));
        assert_eq!(
            parse_schedule(" n , p1 "),
            Ok(vec![Decision::Preempt(false), Decision::Pick(1)])
        );
        assert_eq!(parse_schedule(""), Ok(vec![]));
        let e = parse_schedule("n,p1,x").unwrap_err();
        assert!(e.starts_with("decision 3 (`x`) is not"), "{e}");
        let e = parse_schedule("p-1").unwrap_err();
        assert!(e.starts_with("decision 1 (`p-1`): after `p`"), "{e}");
        assert!(parse_schedule("p").is_err());
        assert!(parse_schedule("n,,n")
            .unwrap_err()
            .starts_with("decision 2 (``)"));
        assert!(parse_schedule("p99999999999").is_err(), "beyond u32");
    }
}
