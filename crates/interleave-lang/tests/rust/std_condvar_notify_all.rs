// Shape of: the std docs of `Condvar::notify_all` (several threads wait for one flag;
// one notification wakes them all).
// Expect: runs
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

fn main() {
    let pair = Arc::new((Mutex::new(0), Condvar::new()));
    let mut handles = vec![];
    for i in 0..2 {
        let pair = Arc::clone(&pair);
        handles.push(thread::spawn(move || {
            let (lock, cvar) = &*pair;
            let mut go = lock.lock().unwrap();
            while *go == 0 {
                go = cvar.wait(go).unwrap();
            }
            println!("waiter {} goes", i);
        }));
    }
    let (lock, cvar) = &*pair;
    *lock.lock().unwrap() = 1;
    cvar.notify_all();
    for h in handles {
        h.join().unwrap();
    }
}
