// Shape of: Rust Atomics and Locks, chapter 1, "Scoped Threads" (main changes a vector while
// a scoped thread still borrows it to read: rustc refuses).
// Expect: error[E0502]
use std::thread;

fn main() {
    let mut numbers = vec![1, 2, 3];
    thread::scope(|s| {
        s.spawn(|| {
            println!("length: {}", numbers.len());
        });
        numbers.push(4);
    });
    println!("{}", numbers.len());
}
