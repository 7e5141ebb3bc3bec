// Shape of: Rust Atomics and Locks, chapter 1, "Reference Counting" (an `Arc` cloned so
// two threads share one value, here an atomic counter).
// Expect: runs
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

fn main() {
    let a = Arc::new(AtomicUsize::new(0));
    let b = a.clone();

    let t1 = thread::spawn(move || {
        b.fetch_add(1, Ordering::Relaxed);
    });
    let c = Arc::clone(&a);
    let t2 = thread::spawn(move || {
        c.fetch_add(2, Ordering::Relaxed);
    });

    t1.join().unwrap();
    t2.join().unwrap();
    println!("{} with {} owner", a.load(Ordering::Relaxed), Arc::strong_count(&a));
}
