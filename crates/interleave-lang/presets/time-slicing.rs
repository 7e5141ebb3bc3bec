//! title: Time slicing on one core
//! settings: cores=1 quantum=3 switch=1 policy=rr
//! expect: end=finished ticks=32 bursts=3 preempts>=3 outcomes=ok:
//! predict: ticks
//!
//! One core runs one thread at a time. To keep three threads all moving, the scheduler
//! gives each a short time slice (the quantum, here 3 ticks), then preempts it and switches
//! to the next ready thread. Each switch costs the core time of its own (the context-switch
//! cost, 1 tick here): the thin grey bars on the core's lane, where no thread runs.
//!
//! The threads make progress by taking turns: their work is interleaved, never
//! simultaneous. That is concurrency without parallelism. The core's lane never shows two
//! threads in the same tick. Each thread's `work(6)` takes two slices, and the whole run
//! takes 32 ticks, 8 of them spent switching.
//!
//! Try a larger quantum: fewer switches, so less time lost to switching, but each thread
//! waits longer for its turn.
//!
//! Every schedule: one outcome, the program finishes. The threads share nothing, so the
//! order of their steps changes nothing but the timing.
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
