//! title: The same work on four cores
//! settings: cores=4 quantum=3 switch=1 policy=rr
//! expect: end=finished ticks=10 ticks@1=32 faster=3 own-core outcomes=ok:
//! predict: ticks
//!
//! The same three threads as in "Time slicing on one core", now on four cores. Each thread
//! gets a core of its own, so their work really happens at the same time: this is
//! parallelism. The program finishes in 10 ticks instead of the 32 it takes on one core.
//!
//! Parallelism needs more than one core. Concurrency does not: on one core the threads
//! still all make progress, by taking turns.
//!
//! Every schedule: one outcome, the program finishes. These threads share nothing, so no
//! order of their steps changes the result; only the time taken depends on the cores.
use std::thread;

fn worker() {
    work(6);
}

fn main() {
    let a = thread::spawn(worker);
    let b = thread::spawn(worker);
    let c = thread::spawn(worker);
    a.join().unwrap();
    b.join().unwrap();
    c.join().unwrap();
}
