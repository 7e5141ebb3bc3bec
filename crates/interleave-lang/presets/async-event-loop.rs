//! title: An async event loop
//! settings: cores=1 quantum=3 switch=0 policy=rr
//! expect: end=finished ticks=35 value:DONE=3 io-overlap=3 lesson:blocking-calls:ticks=79 outcomes=ok:DONE=3
//! predict: ticks
//!
//! Async code is often used for API calls, which spend most of their time waiting for an
//! answer. Three requests run as tasks on one event-loop thread. When a task reaches
//! `.await` on I/O, it is suspended and the loop runs another task; when the answer
//! arrives, the task's waker puts it back in the loop's queue.
//!
//! The three 20-tick waits overlap: the I/O lanes under the core show all three in flight
//! at once. So all three requests are done by tick 35, on a single thread, where waiting
//! for them one after another takes 79 ticks (the next lesson). The loop thread sleeps (off
//! the core) while every task is waiting.
//!
//! Compare "Blocking calls on the event loop".
//!
//! Every schedule (the panel under the run): one outcome, `DONE = 3`. The explorer lets the
//! answers arrive in any order, after any delay, as a real network can: whatever the order,
//! all three requests finish. The 35 ticks are this run's timing, not a promise; timing never
//! orders anything.
static DONE: AtomicUsize = AtomicUsize::new(0);

async fn fetch(ms: i64) {
    work(1); // prepare the request
    io(ms).await; // wait for the answer: the event loop runs other tasks meanwhile
    work(1); // handle the answer
    DONE.fetch_add(1, Ordering::SeqCst);
}

fn main() {
    let a = spawn_task(fetch(20));
    let b = spawn_task(fetch(20));
    let c = spawn_task(fetch(20));
    block_on(a);
    block_on(b);
    block_on(c);
    assert_eq!(DONE.load(Ordering::SeqCst), 3);
}
