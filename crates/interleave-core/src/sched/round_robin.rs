//! Round robin: a thread runs for at most `quantum_ticks` while others wait, then goes to
//! the back of the ready queue. The ready queue is FIFO.

use super::RunningSlice;

#[derive(Clone, Debug, PartialEq)]
pub struct RoundRobin {
    pub quantum_ticks: u64,
}

impl RoundRobin {
    pub fn preempt(&self, slice: RunningSlice) -> bool {
        slice.ran_ticks >= self.quantum_ticks
    }
}
