//! title: Concurrency versus parallelism
//! settings: cores=1 quantum=10 switch=0 policy=rr
//! expect: end=finished ticks=58 ticks@2=52 bursts=2..6 outcomes=ok:
//! predict: ticks
//!
//! Concurrency is about dealing with several tasks at once; parallelism is about doing
//! several at the same instant. Each thread here computes in short bursts, then waits 10
//! ticks (a sleep, or a wait for a disk or the network), three times over. A burst is its
//! `work(2)` plus the steps of the loop and of the `sleep` call itself, since every step
//! costs the core a tick: 5 or 6 ticks, as the timeline shows (2 for the last one, which
//! only leaves the loop).
//!
//! On one core the two threads are concurrent: while one sleeps, which costs no CPU, the
//! other computes. Each thread spends most of its time asleep, and both finish in 58
//! ticks, with no parallelism at all: one thread's sleeps overlap the other's bursts.
//!
//! Now try two cores: 52 ticks. It helps only a little: these threads mostly wait, and the
//! overlap came from concurrency already. Parallelism pays off for work that keeps the CPU
//! busy.
//!
//! Every schedule: one outcome, the program finishes. The explorer leaves durations out, so
//! it cannot say how long anything takes: the 58 and 52 ticks are what the timed simulator
//! shows for these settings.
use std::thread;
use std::time::Duration;

fn task() {
    for _ in 0..3 {
        work(2);
        thread::sleep(Duration::from_millis(10));
    }
}

fn main() {
    let a = thread::spawn(task);
    let b = thread::spawn(task);
    a.join().unwrap();
    b.join().unwrap();
}
