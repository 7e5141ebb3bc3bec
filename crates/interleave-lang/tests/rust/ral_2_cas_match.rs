// Shape of: Rust Atomics and Locks, chapter 2, "Compare-and-Exchange Operations" (the
// increment loop as the book writes it: `match` on the compare-exchange, retrying with the
// value it saw).
// Expect: runs
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::Relaxed;
use std::thread;

fn increment(a: &AtomicU32) {
    let mut current = a.load(Relaxed);
    loop {
        let new = current + 1;
        match a.compare_exchange(current, new, Relaxed, Relaxed) {
            Ok(_) => return,
            Err(v) => current = v,
        }
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn main() {
    let t = thread::spawn(|| increment(&COUNTER));
    increment(&COUNTER);
    t.join().unwrap();
    println!("{}", COUNTER.load(Relaxed));
}
