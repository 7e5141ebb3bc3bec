// Shape of: Rust Atomics and Locks, chapter 1, "Scoped Threads" (two scoped threads borrow
// a local vector: one reads its length, the other its elements; the scope joins both).
// Expect: runs
use std::thread;

fn main() {
    let numbers = vec![1, 2, 3];

    thread::scope(|s| {
        s.spawn(|| {
            println!("length: {}", numbers.len());
        });
        s.spawn(|| {
            for n in &numbers {
                println!("{n}");
            }
        });
    });
}
