// Shape of: Rust Atomics and Locks ch. 1, "Thread Parking" (a consumer parks when the
// queue is empty; the producer adds an item and unparks it; an unpark that comes before
// the park is not lost, so nothing is missed — here the queue is a count in a Mutex).
// Expect: runs
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

fn main() {
    let queue = Mutex::new(0);
    thread::scope(|s| {
        let t = s.spawn(|| {
            let mut taken = 0;
            while taken < 3 {
                let mut q = queue.lock().unwrap();
                if *q > 0 {
                    *q -= 1;
                    taken += 1;
                    drop(q);
                    println!("took item {}", taken);
                } else {
                    drop(q);
                    thread::park();
                }
            }
        });
        for _ in 0..3 {
            *queue.lock().unwrap() += 1;
            t.thread().unpark();
            thread::sleep(Duration::from_millis(10));
        }
    });
    println!("all taken");
}
