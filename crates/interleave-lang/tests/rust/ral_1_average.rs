// Shape of: Rust Atomics and Locks, chapter 1 (a thread computes from a vector it owns and
// returns the result through its JoinHandle).
// Expect: runs
use std::thread;

fn main() {
    let numbers: Vec<usize> = vec![2, 4, 6, 8];

    let t = thread::spawn(move || {
        let len = numbers.len();
        let mut sum = 0;
        for n in numbers {
            sum += n;
        }
        sum / len
    });

    let average = t.join().unwrap();

    println!("average: {average}");
}
