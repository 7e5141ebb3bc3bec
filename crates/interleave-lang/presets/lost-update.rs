//! title: The lost update
//! settings: cores=1 quantum=4 switch=0 policy=rr
//! expect: end=assertion-failed race=yes explore=finds-failure
//!
//! `COUNTER += 1` looks like one step, but the core does three: load the value, add 1,
//! store the result. If a thread is preempted between its load and its store, another
//! thread can store in between, and one of the two increments is lost. The final value
//! is less than 6 and the assertion fails.
//!
//! This is a data race: two threads access the same memory, at least one writes, and
//! nothing orders the accesses. The simulator reports the two statements involved. A
//! race can be there even in runs that happen to print the right answer.
//!
//! Safe Rust does not compile this: a plain `static` cannot be modified, and using a
//! `static mut` needs `unsafe` precisely because of data races. The fixes are a `Mutex` or
//! an atomic (see the next two presets).
static COUNTER: usize = 0;

fn main() {
    let a = spawn(|| for _ in 0..3 { COUNTER += 1; });
    let b = spawn(|| for _ in 0..3 { COUNTER += 1; });
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(COUNTER, 6);
}
