//! Seeded random preemption: an idle core takes a uniformly random ready thread, and a
//! running thread is preempted with probability 1/quantum each tick others are ready, so
//! slices average `quantum_ticks`. The same seed always gives the same schedule.

use super::RunningSlice;
use crate::rng::Rng;

#[derive(Clone, Debug, PartialEq)]
pub struct Random {
    pub rng: Rng,
    pub quantum_ticks: u64,
}

impl Random {
    pub fn new(seed: u64, quantum_ticks: u64) -> Self {
        Random {
            rng: Rng::new(seed),
            quantum_ticks: quantum_ticks.max(1),
        }
    }

    pub fn pick(&mut self, ready: usize) -> usize {
        self.rng.below(ready as u64) as usize
    }

    pub fn preempt(&mut self, _slice: RunningSlice) -> bool {
        self.rng.below(self.quantum_ticks) == 0
    }
}
