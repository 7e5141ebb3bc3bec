//! Interleave's simulation core: a deterministic scheduler simulator.
//!
//! **Architecture invariant:** this crate knows nothing about the web, clocks, OS randomness
//! or hash-map iteration order. Given (scenario, settings, seed) it produces the same trace
//! natively and in wasm.

pub mod rng;
