//! Nothing to use: this crate holds tests (`tests/`) that compare Interleave's explorer with
//! references that are not ours. `tests/loom.rs` writes each classic program twice, as a
//! scenario for the explorer and as a loom 0.7 model, and requires the same set of
//! outcomes.
