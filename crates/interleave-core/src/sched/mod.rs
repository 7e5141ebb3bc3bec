//! Scheduling policies, one module each. A policy answers two questions the machine asks:
//! which ready thread goes on an idle core (`pick`), and whether a running thread is
//! preempted now that others are ready (`preempt_decision`; for round robin, asked of every
//! running core every tick, the machine calls `RoundRobin::preempt` itself). Policies are
//! values (`Clone`) so a machine snapshot includes the policy's state and re-simulation is
//! exact.

pub mod fifo;
pub mod random;
pub mod replay;
pub mod round_robin;

/// What the machine tells a policy when a running thread could be preempted.
#[derive(Clone, Copy, Debug)]
pub struct RunningSlice {
    /// Ticks the thread has run since it was put on the core.
    pub ran_ticks: u64,
}

/// The policy a run uses. An enum rather than a trait object: cheap to clone into
/// checkpoints and to dispatch.
#[derive(Clone, Debug, PartialEq)]
pub enum Policy {
    RoundRobin(round_robin::RoundRobin),
    Fifo(fifo::Fifo),
    Random(random::Random),
    Replay(replay::Replay),
}

impl Policy {
    /// Index into a ready queue of length `ready` (> 0).
    #[inline]
    pub fn pick(&mut self, ready: usize) -> Result<usize, replay::Mismatch> {
        match self {
            Policy::RoundRobin(_) | Policy::Fifo(_) => Ok(0),
            Policy::Random(p) => Ok(p.pick(ready)),
            Policy::Replay(p) => p.pick(ready),
        }
    }

    /// Whether a running thread is preempted, and how many options the decision has: 2,
    /// or 1 where the explorer does not branch (before a local op). Every point is still
    /// recorded, so schedules replay.
    #[inline]
    pub fn preempt_decision(
        &mut self,
        slice: RunningSlice,
        next_op_visible: impl FnOnce() -> bool,
    ) -> Result<(bool, u32), replay::Mismatch> {
        match self {
            Policy::RoundRobin(p) => Ok((p.preempt(slice), 2)),
            Policy::Fifo(_) => Ok((false, 2)),
            Policy::Random(p) => Ok((p.preempt(slice), 2)),
            Policy::Replay(p) => {
                let options = if p.fallback.is_none() && !next_op_visible() {
                    1
                } else {
                    2
                };
                Ok((p.preempt(slice)?, options))
            }
        }
    }
}
