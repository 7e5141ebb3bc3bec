//! Interleave's simulation core: a deterministic scheduler simulator.
//!
//! **Architecture invariant:** this crate knows nothing about the web, clocks, OS randomness
//! or hash-map iteration order. Given (scenario, settings, seed) it produces the same trace
//! natively and in wasm.

pub mod builder;
mod code;
pub mod explain;
pub mod explore;
pub mod export;
pub mod lost;
pub mod machine;
pub mod program;
pub mod race;
pub mod rng;
pub mod run;
pub mod sched;
pub mod settings;
pub mod snapshot;
pub mod timeline;
pub mod trace;
pub mod waits;
pub mod workload;
