//! title: Blocking calls on the event loop
//! settings: cores=1 quantum=3 switch=0 policy=rr
//! expect: end=finished ticks=79 value:DONE=3 io-overlap=1 blocks=io outcomes=ok:DONE=3
//! predict: ticks
//!
//! The same three requests as in "An async event loop", but each makes a blocking call
//! instead of awaiting. A blocking call holds the whole thread until it returns, and here
//! that thread is the event loop: no other task can run while one waits. The waits no
//! longer overlap (the I/O lanes show one at a time), and the three requests take 79 ticks
//! instead of 35.
//!
//! In async code, never block the event loop: await I/O instead, or move blocking work to
//! a thread of its own.
//!
//! Every schedule: `DONE = 3` in every execution. Blocking changes how long the requests
//! take, not what they compute.
static DONE: AtomicUsize = AtomicUsize::new(0);

async fn fetch(ms: i64) {
    work(1);
    blocking_io(ms); // blocks the event-loop thread: every other task waits too
    work(1);
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
