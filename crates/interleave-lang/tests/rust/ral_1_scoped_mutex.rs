// Shape of: Rust Atomics and Locks, chapter 1, "Locking: Mutexes" (scoped threads each add
// to a local Mutex many times; after the scope every addition is there).
// Expect: runs
use std::sync::Mutex;
use std::thread;

fn main() {
    let n = Mutex::new(0);
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                let mut guard = n.lock().unwrap();
                for _ in 0..10 {
                    *guard += 1;
                }
            });
        }
    });
    assert_eq!(*n.lock().unwrap(), 30);
    println!("{}", *n.lock().unwrap());
}
