//! title: The lost update, fixed with a Mutex
//! settings: cores=1 quantum=4 switch=0 policy=rr
//! expect: end=finished race=no value:COUNTER=6 lost=0 all-random:value:COUNTER=6 outcomes=ok:COUNTER=6
//! predict: value COUNTER
//!
//! A `Mutex` lets one thread at a time into the code that uses the counter. `lock()` waits
//! while another thread holds the lock, then returns a guard; reading and writing through
//! the guard (`*g`) is safe because no other thread can hold it at the same time.
//!
//! The guard unlocks the mutex when it goes out of scope: here at the end of the statement
//! `*COUNTER.lock().unwrap() += 1;`. So you cannot forget to unlock. That is what the guard
//! prevents: a forgotten unlock. It does not prevent deadlocks (see "Deadlock with two
//! locks").
//!
//! Every schedule now gives 6: explore them in the panel under the run (or
//! `interleave explore preset:mutex-fix`).
use std::sync::Mutex;
use std::thread;

static COUNTER: Mutex<i64> = Mutex::new(0);

fn add_three() {
    for _ in 0..3 {
        *COUNTER.lock().unwrap() += 1;
    }
}

fn main() {
    let a = thread::spawn(add_three);
    let b = thread::spawn(add_three);
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(*COUNTER.lock().unwrap(), 6);
}
