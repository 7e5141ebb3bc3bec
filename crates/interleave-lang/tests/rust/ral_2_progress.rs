// Shape of: Rust Atomics and Locks, chapter 2, "Progress Reporting" (a scoped background
// thread processes items and stores how many are done in a local atomic; main reads it).
// Expect: runs
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::Relaxed;
use std::thread;
use std::time::Duration;

fn process_item() {
    thread::sleep(Duration::from_millis(1));
}

fn main() {
    let num_done = AtomicUsize::new(0);

    thread::scope(|s| {
        s.spawn(|| {
            for i in 0..3 {
                process_item();
                num_done.store(i + 1, Relaxed);
            }
        });

        for _ in 0..2 {
            let n = num_done.load(Relaxed);
            if n == 3 {
                break;
            }
            thread::sleep(Duration::from_millis(1));
        }
    });

    println!("Done: {}", num_done.load(Relaxed));
}
