// Shape of: the same chain without `move`: each thread's closure borrows the `map`
// closure's `i`, which is gone when that closure returns — rustc refuses it.
// Expect: error[E0373]
use std::thread;

fn main() {
    let handles: Vec<_> = (0..4).map(|i| thread::spawn(|| i * 2)).collect();
    let total: i32 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("total: {total}");
}
