// Shape of: Rust Atomics and Locks, chapter 2, "Stop Flag" (a background thread works until
// main sets an atomic flag).
// Expect: runs
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::Relaxed;
use std::thread;
use std::time::Duration;

static STOP: AtomicBool = AtomicBool::new(false);

fn some_work() {
    thread::sleep(Duration::from_millis(1));
}

fn main() {
    let background_thread = thread::spawn(|| {
        while !STOP.load(Relaxed) {
            some_work();
        }
    });

    thread::sleep(Duration::from_millis(3));
    STOP.store(true, Relaxed);
    background_thread.join().unwrap();
    println!("stopped");
}
