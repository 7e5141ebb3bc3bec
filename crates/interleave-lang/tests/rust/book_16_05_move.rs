// Shape of: The Rust Programming Language, listing 16-5 (`move` gives the vector to the
// thread, which reads it).
// Expect: runs
use std::thread;

fn main() {
    let v = vec![7, 8, 9];

    let handle = thread::spawn(move || {
        for x in v {
            println!("got {x}");
        }
    });

    handle.join().unwrap();
}
