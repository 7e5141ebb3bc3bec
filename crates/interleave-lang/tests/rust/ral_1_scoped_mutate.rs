// Shape of: Rust Atomics and Locks, chapter 1, "Scoped Threads" (a scoped thread that
// pushes to a borrowed vector while another reads it: rustc refuses the second borrow).
// Expect: error[E0499]
use std::thread;

fn main() {
    let mut numbers = vec![1, 2, 3];

    thread::scope(|s| {
        s.spawn(|| {
            numbers.push(1);
        });
        s.spawn(|| {
            numbers.push(2);
        });
    });
}
