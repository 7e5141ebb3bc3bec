// Shape of: The Rust Programming Language, listing 16-5 (the thread takes the vector with
// `move` and prints it whole with `{v:?}`).
// Expect: runs
use std::thread;

fn main() {
    let v = vec![1, 2, 3];

    let handle = thread::spawn(move || {
        println!("Here's a vector: {v:?}");
    });

    handle.join().unwrap();
}
