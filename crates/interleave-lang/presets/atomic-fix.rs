//! title: The lost update, fixed with an atomic
//! settings: cores=1 quantum=4 switch=0 policy=rr
//! expect: end=finished race=no value:COUNTER=6 lost=0 all-random:value:COUNTER=6 outcomes=ok:COUNTER=6
//! predict: value COUNTER
//!
//! `fetch_add(1)` reads, adds and writes in one indivisible step: no other thread can
//! slip in between, so no update is lost, and no lock is needed. Atomics suit simple
//! operations on one value, like counters and flags.
//!
//! Rust's atomics take a memory ordering. The simulator models every atomic as
//! sequentially consistent (`Ordering::SeqCst`), the strongest ordering.
//!
//! Every schedule (the panel under the run): one outcome, `COUNTER = 6`, in every execution.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn add_three() {
    for _ in 0..3 {
        COUNTER.fetch_add(1, Ordering::SeqCst);
    }
}

fn main() {
    let a = thread::spawn(add_three);
    let b = thread::spawn(add_three);
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(COUNTER.load(Ordering::SeqCst), 6);
}
