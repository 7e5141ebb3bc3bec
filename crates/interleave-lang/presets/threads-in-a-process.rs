//! title: Threads inside a process
//! settings: cores=2 quantum=3 switch=1 policy=rr
//! expect: end=finished stopped=1 blocks=join outcomes>=ok:PROGRESS=3|ok:PROGRESS=4|ok:PROGRESS=10
//! predict: end
//!
//! A running program is a process: it owns the program's memory. Its threads share that
//! memory (here the atomic `PROGRESS`); each thread has its own stack and its own place in
//! the code.
//!
//! `main` joins `helper`, so it waits for it. It never joins `worker`. When `main` returns,
//! the process exits and every other thread is stopped wherever it is: Rust does not wait
//! for spawned threads unless you join them. The outcome says how many threads were
//! stopped.
//!
//! Every schedule: no single answer. `worker` counts for as long as it runs, so `PROGRESS`
//! can end at 3, or 4, or any larger value, and an execution can be as long as you like: the
//! explorer stops at a bound, says which, and lists the values it reached.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

static PROGRESS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let _worker = thread::spawn(|| loop {
        work(1);
        PROGRESS.fetch_add(1, Ordering::SeqCst);
    });
    let helper = thread::spawn(|| {
        for _ in 0..3 {
            PROGRESS.fetch_add(1, Ordering::SeqCst);
        }
    });
    helper.join().unwrap();
    work(5);
}
