// Shape of: Rust Atomics and Locks, chapter 1 (a vector moved into a thread that prints
// it, joined at once).
// Expect: runs
use std::thread;

fn main() {
    let numbers = vec![1, 2, 3];

    thread::spawn(move || {
        for n in &numbers {
            println!("{n}");
        }
    })
    .join()
    .unwrap();
}
