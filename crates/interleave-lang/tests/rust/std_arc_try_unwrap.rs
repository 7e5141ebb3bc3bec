// Shape of: the std docs of `Arc::try_unwrap` and `Mutex::into_inner` (after joining every
// thread, main holds the last reference, so it can take the counter out of the `Arc` and
// the `Mutex` without locking).
// Expect: runs
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let mut handles = vec![];
    for _ in 0..3 {
        let counter = Arc::clone(&counter);
        let handle = thread::spawn(move || {
            let mut num = counter.lock().unwrap();
            *num += 1;
        });
        handles.push(handle);
    }
    for handle in handles {
        handle.join().unwrap();
    }
    let total = Arc::try_unwrap(counter).unwrap().into_inner().unwrap();
    println!("Result: {}", total);
}
