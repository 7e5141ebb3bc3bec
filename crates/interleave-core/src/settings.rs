//! What a run is given besides the program: machine size, policy, seed and limits.

use crate::trace::Decision;
use std::fmt;
use std::sync::Arc;

/// Which scheduling policy; see the `sched` modules.
#[derive(Clone, Debug, PartialEq)]
pub enum PolicyKind {
    RoundRobin,
    Fifo,
    Random,
    /// Replay recorded decisions, then continue round robin.
    Replay(Arc<[Decision]>),
}

/// Bounds on everything a scenario can make unbounded. Hitting one ends the run with
/// `End::Limit`, never a hang or a panic.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Executed micro-steps, summed over cores.
    pub max_steps: u64,
    /// Simulated time.
    pub max_ticks: u64,
    /// Threads ever created, main and the event loop included.
    pub max_threads: u32,
    pub max_tasks: u32,
    pub max_channels: u32,
    /// Largest `sync_channel(k)`.
    pub max_channel_capacity: u32,
    /// Messages buffered in one channel (bounds unbounded channels).
    pub max_buffered: u32,
    /// Largest single `sleep`, I/O or `work` duration.
    pub max_wait_ticks: u64,
    /// Distinct race reports kept (more are counted).
    pub max_races: u32,
    /// Bytes a run may print (`println!` and friends), all threads together; a print of
    /// nothing counts one.
    pub max_output_bytes: u32,
    /// Values held in vectors, plus `Arc`s made, all threads together.
    pub max_heap_values: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_steps: 10_000_000,
            max_ticks: 10_000_000,
            max_threads: 256,
            max_tasks: 1024,
            max_channels: 256,
            max_channel_capacity: 1024,
            max_buffered: 100_000,
            max_wait_ticks: 1_000_000,
            max_races: 64,
            max_output_bytes: 65_536,
            max_heap_values: 100_000,
        }
    }
}

pub const MAX_CORES: u32 = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// 1 to 64 cores, advancing in lockstep.
    pub cores: u32,
    pub policy: PolicyKind,
    /// Ticks a thread runs before round robin preempts it (random: the mean slice).
    pub quantum_ticks: u64,
    /// Ticks a core spends switching from one thread to another.
    pub switch_cost_ticks: u64,
    pub seed: u64,
    /// Each tick, idle cores take waiting threads before a running thread whose slice
    /// ended is preempted, as an operating system does: a thread is never preempted while
    /// a core sits idle. `false` is the order of runs made before 2026-12 (a slice that
    /// ended could give its core to a waiting thread that an idle core would have taken),
    /// kept so that share links made then replay exactly what they showed.
    pub idle_cores_first: bool,
    /// Follow these steps (an explorer's witness): before each visible op a thread waits
    /// until the next step is its own, and each awaited I/O completes when its step comes
    /// (not on time). After the last step the run goes on as the policy says.
    pub steps: Option<Arc<[crate::trace::Action]>>,
    pub limits: Limits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cores: 1,
            policy: PolicyKind::RoundRobin,
            quantum_ticks: 3,
            switch_cost_ticks: 1,
            seed: 0,
            idle_cores_first: true,
            steps: None,
            limits: Limits::default(),
        }
    }
}

/// Settings that cannot describe a machine, with which field and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidSettings {
    pub field: &'static str,
    pub reason: String,
}

impl fmt::Display for InvalidSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "setting `{}`: {}", self.field, self.reason)
    }
}

impl std::error::Error for InvalidSettings {}

impl Settings {
    pub fn validate(&self) -> Result<(), InvalidSettings> {
        let bad = |field, reason: String| Err(InvalidSettings { field, reason });
        if self.cores == 0 || self.cores > MAX_CORES {
            return bad(
                "cores",
                format!("{} is outside 1..={MAX_CORES}", self.cores),
            );
        }
        if self.quantum_ticks == 0 || self.quantum_ticks > 1_000_000 {
            return bad(
                "quantum_ticks",
                format!("{} is outside 1..=1000000", self.quantum_ticks),
            );
        }
        if self.switch_cost_ticks > 1_000_000 {
            return bad(
                "switch_cost_ticks",
                format!("{} is above 1000000", self.switch_cost_ticks),
            );
        }
        if self.limits.max_threads < 1 {
            return bad("limits.max_threads", "must allow the main thread".into());
        }
        Ok(())
    }
}
