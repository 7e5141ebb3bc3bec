// Shape of: the std docs of `Condvar` (a thread sets a flag under the lock and notifies;
// main waits for it), with the wait under an `if` and the guard dropped by hand before
// the join: the guard given to `wait` in the branch comes back, and one `drop` releases
// it once.
// Expect: runs
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);
    let h = thread::spawn(move || {
        let (lock, cvar) = &*pair2;
        let mut started = lock.lock().unwrap();
        *started = true;
        cvar.notify_one();
    });
    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    if !*started {
        started = cvar.wait(started).unwrap();
    }
    println!("started: {}", *started);
    drop(started);
    h.join().unwrap();
}
