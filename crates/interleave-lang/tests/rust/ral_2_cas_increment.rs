// Shape of: Rust Atomics and Locks, chapter 2, "Compare-and-Exchange Operations" (a function
// taking `&AtomicU32` increments it with a compare-exchange loop; two threads call it).
// Expect: runs
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::Relaxed;
use std::thread;

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn increment(a: &AtomicU32) {
    let mut current = a.load(Relaxed);
    loop {
        let new = current + 1;
        if let Ok(_) = a.compare_exchange(current, new, Relaxed, Relaxed) {
            return;
        }
        current = a.load(Relaxed);
    }
}

fn main() {
    let t = thread::spawn(|| increment(&COUNTER));
    increment(&COUNTER);
    t.join().unwrap();
    assert_eq!(COUNTER.load(Relaxed), 2);
    println!("{}", COUNTER.load(Relaxed));
}
