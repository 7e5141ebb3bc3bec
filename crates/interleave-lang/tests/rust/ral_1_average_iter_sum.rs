// Shape of: Rust Atomics and Locks ch. 1, "Threads in Rust", as the book writes it (a
// thread takes ownership of the numbers, adds them up with `iter().sum()` and returns
// their average; `main` gets it from `join`).
// Expect: runs
use std::thread;

fn main() {
    let numbers = Vec::from_iter(0..=1000);
    let t = thread::spawn(move || {
        let len = numbers.len();
        let sum = numbers.iter().sum::<usize>();
        sum / len
    });
    let average = t.join().unwrap();
    println!("average: {average}");
}
