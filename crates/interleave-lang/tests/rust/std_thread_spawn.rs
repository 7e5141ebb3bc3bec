// Shape of: the std docs of `std::thread::spawn` (a thread returns a value through its
// JoinHandle).
// Expect: runs
use std::thread;

fn main() {
    let computation = thread::spawn(|| {
        42
    });

    let result = computation.join().unwrap();
    println!("{result}");
}
