// Shape of: the std docs of `std::sync::Condvar` (a `(Mutex<bool>, Condvar)` pair in an
// `Arc`; a thread sets the flag and notifies; main waits in a `while` loop, as a
// condition variable must be waited on).
// Expect: runs
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);

    thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        let mut started = lock.lock().unwrap();
        *started = true;
        cvar.notify_one();
        println!("notified");
    });

    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    while !*started {
        started = cvar.wait(started).unwrap();
    }
    println!("started");
}
