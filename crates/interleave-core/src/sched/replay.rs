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
        let Mismatch {
            index, recorded, ..
        } = self;
        match self.ready {
            Some(n) => write!(
                f,
                "recorded decision {index} is {recorded:?}, but the scheduler is choosing among {n} ready threads"
            ),
            None => write!(
                f,
                "recorded decision {index} is {recorded:?}, but the scheduler is deciding whether to preempt"
            ),
        }
    }
}
