// Shape of: the std docs of `Condvar::wait_while` (a pending flag; the waiter sleeps
// while the closure says the work is still pending).
// Expect: runs
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(true), Condvar::new()));
    let pair2 = Arc::clone(&pair);

    let worker = thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        let mut pending = lock.lock().unwrap();
        *pending = false;
        cvar.notify_one();
    });

    let (lock, cvar) = &*pair;
    let guard = cvar
        .wait_while(lock.lock().unwrap(), |pending| *pending)
        .unwrap();
    println!("pending: {}", *guard as i32);
    drop(guard);
    worker.join().unwrap();
}
