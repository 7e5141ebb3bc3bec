// Shape of: the std docs of `std::sync::atomic::AtomicUsize` (a spin lock: main spins until
// the thread stores 0).
// Expect: runs
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

fn main() {
    let spinlock = Arc::new(AtomicUsize::new(1));

    let spinlock_clone = Arc::clone(&spinlock);
    let thread = thread::spawn(move || {
        spinlock_clone.store(0, Ordering::Release);
    });

    while spinlock.load(Ordering::Acquire) != 0 {}

    thread.join().unwrap();
    println!("unlocked");
}
