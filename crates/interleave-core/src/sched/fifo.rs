//! First in, first out, run until block: a running thread keeps its core until it blocks or
//! exits. No time slicing, so a CPU-bound thread can starve the others on one core.

#[derive(Clone, Debug, PartialEq)]
pub struct Fifo;
