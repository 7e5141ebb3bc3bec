//! Replays recorded decisions, so any run is reproduced exactly, and a person's own choices
//! (which thread runs next) can drive a run. When the recording runs out, a fallback policy
//! carries on: round robin, or (for the explorer) always the lowest option — the first
//! ready thread, no preemption; a decision that does not fit (a pick beyond the ready queue,
//! a pick where a preemption was recorded) is an error naming its position.

use super::round_robin::RoundRobin;
use super::RunningSlice;
use crate::trace::Decision;
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

    pub fn pick(&mut self, ready: usize) -> Result<usize, String> {
        if ready < 2 {
            return Ok(0); // no choice, nothing was recorded
        }
        match self.take() {
            None => Ok(0),
            Some(Decision::Pick(i)) if (i as usize) < ready => Ok(i as usize),
            Some(d) => Err(format!(
                "recorded decision {} is {d:?}, but the scheduler is choosing among {ready} ready threads",
                self.next - 1
            )),
        }
    }

    pub fn preempt(&mut self, slice: RunningSlice) -> Result<bool, String> {
        match self.take() {
            None => Ok(self.fallback.as_ref().is_some_and(|rr| rr.preempt(slice))),
            Some(Decision::Preempt(p)) => Ok(p),
            Some(d) => Err(format!(
                "recorded decision {} is {d:?}, but the scheduler is deciding whether to preempt",
                self.next - 1
            )),
        }
    }
}
