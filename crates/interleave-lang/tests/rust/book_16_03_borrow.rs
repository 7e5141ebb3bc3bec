// Shape of: The Rust Programming Language, listing 16-3 (a closure without `move` uses a
// vector of main's: rustc refuses, the thread might outlive it).
// Expect: error[E0373]
use std::thread;

fn main() {
    let v = vec![4, 5, 6];

    let handle = thread::spawn(|| {
        println!("the vector: {v:?}");
    });

    handle.join().unwrap();
}
