// Shape of: the way courses spawn many threads and add up what they return — an iterator
// chain that spawns (`map` + `collect` into a `Vec` of `JoinHandle`s), and one that joins
// (`into_iter` + `map` + `sum`).
// Expect: runs
use std::thread;

fn main() {
    let handles: Vec<_> = (0..4).map(|i| thread::spawn(move || i * 2)).collect();
    let total: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("total: {total}");
}
