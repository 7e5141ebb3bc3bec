// Shape of: Rust Atomics and Locks ch. 1, "Condition Variables" (a consumer waits on a
// condvar for items a producer adds under the same mutex; here the items are a count
// in a `static Mutex`, and the consumer takes three).
// Expect: runs
use std::sync::{Condvar, Mutex};
use std::thread;

static QUEUE: Mutex<i64> = Mutex::new(0);
static NOT_EMPTY: Condvar = Condvar::new();

fn main() {
    let consumer = thread::spawn(|| {
        let mut taken = 0;
        while taken < 3 {
            let mut q = QUEUE.lock().unwrap();
            while *q == 0 {
                q = NOT_EMPTY.wait(q).unwrap();
            }
            *q -= 1;
            taken += 1;
        }
        println!("took {}", taken);
    });
    for _ in 0..3 {
        *QUEUE.lock().unwrap() += 1;
        NOT_EMPTY.notify_one();
    }
    consumer.join().unwrap();
}
