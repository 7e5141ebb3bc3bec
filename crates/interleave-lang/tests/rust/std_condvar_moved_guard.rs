// Shape of: the std docs of `std::sync::Condvar`, with a mistake students make: the guard
// given to `wait` is used afterwards instead of the one `wait` gives back (rustc: E0382,
// the guard moved into `wait`).
// Expect: error[E0382]
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);
    thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        *lock.lock().unwrap() = true;
        cvar.notify_one();
    });
    let (lock, cvar) = &*pair;
    let started = lock.lock().unwrap();
    let _again = cvar.wait(started).unwrap();
    println!("started: {}", *started);
}
