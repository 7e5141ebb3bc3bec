//! title: The lost update
//! settings: cores=1 quantum=4 switch=0 policy=rr
//! expect: end=assertion-failed race=yes value:COUNTER=5 lost=1 some-random:value:COUNTER=6 all-random:race=yes outcomes=panic:COUNTER=2|panic:COUNTER=3|panic:COUNTER=4|panic:COUNTER=5|ok:COUNTER=6 preemptions:panic:COUNTER=2=4 share<:ok:COUNTER=6=0.1
//! predict: value COUNTER
//!
//! `COUNTER += 1` looks like one step, but the core does three: load the value, add 1,
//! store the result. If a thread is preempted between its load and its store, another
//! thread can store in between, and the first thread's store then overwrites it with a
//! value computed from the old one: an increment is lost.
//!
//! In this run (one core, round robin, quantum 4) that happens once: the final value is 5,
//! not 6, and the assertion fails. The narration and the timeline point at the store that
//! loses the increment, and each thread shows the value it loaded. Other schedules lose a
//! different number of increments, or none: press "New random schedule" a few times, and
//! some runs end with 6.
//!
//! Either way this is a data race: two threads access the same memory, at least one
//! writes, and nothing orders the accesses. The simulator reports it in every run, with
//! the two statements involved, even in runs that happen to print the right answer.
//!
//! Safe Rust does not compile this: a plain `static` cannot be modified (rustc's E0594),
//! so the counter is a `static mut`, and every use of it needs `unsafe` precisely because
//! of data races: `unsafe` is the programmer's promise that no two threads touch it at
//! once, and this program breaks that promise. The fixes are a `Mutex` or an atomic (see
//! the next two lessons), which need no `unsafe`.
//!
//! Every schedule (the panel under the run): `COUNTER` can end at any value from 2 to 6, and
//! only a small share of executions end with 6. Click `COUNTER = 2` to watch the worst case:
//! it needs four preemptions, each at the worst moment.
use std::thread;

static mut COUNTER: usize = 0;

fn add_three() {
    for _ in 0..3 {
        unsafe { COUNTER += 1; }
    }
}

fn main() {
    let a = thread::spawn(add_three);
    let b = thread::spawn(add_three);
    a.join().unwrap();
    b.join().unwrap();
    unsafe {
        let total = COUNTER;
        assert_eq!(total, 6);
    }
}
