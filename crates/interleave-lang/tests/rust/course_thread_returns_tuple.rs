// Shape of: the std docs of `JoinHandle<T>` with `T` a tuple (each thread returns its
// number and a result; main reads them with `.0`/`.1` and by destructuring, and prints a
// tuple with `dbg!`).
// Expect: runs
use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 1..=2 {
        handles.push(thread::spawn(move || (i, format!("{}", i * 10))));
    }
    for h in handles {
        let pair = h.join().unwrap();
        println!("{} -> {}", pair.0, pair.1);
        let (n, text) = pair;
        dbg!((n, text));
    }
}
