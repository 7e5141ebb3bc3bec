//! title: Concurrency versus parallelism
//! settings: cores=1 quantum=3 switch=0 policy=rr
//! expect: end=finished ticks<=80
//!
//! Concurrency is about dealing with several tasks at once; parallelism is about doing
//! several at the same instant. Each thread here computes for 2 ticks, then waits 10
//! ticks (a sleep, or a wait for a disk or the network), three times over. On its own, one
//! thread takes about 55 ticks, most of them waiting.
//!
//! On one core the two threads are concurrent: while one waits, which costs no CPU, the
//! other computes. Together they finish in little more than the time of one, not twice
//! it, with no parallelism at all.
//!
//! Now try two cores. It helps only a little: these threads mostly wait, and the overlap
//! came from concurrency already. Parallelism pays off for work that keeps the CPU busy.
fn task() {
    for _ in 0..3 {
        work(2);
        sleep(10);
    }
}

fn main() {
    let a = spawn(task);
    let b = spawn(task);
    a.join().unwrap();
    b.join().unwrap();
}
