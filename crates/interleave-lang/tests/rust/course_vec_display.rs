// Shape of: The Rust Programming Language, section 5.2's first try at printing a value
// with `{}` (here the vector of listing 16-5): `Vec` has no `Display`, rustc says to use
// `{:?}`.
// Expect: error[E0277]
use std::thread;

fn main() {
    let v = vec![1, 2, 3];
    let handle = thread::spawn(move || {
        println!("Here's a vector: {}", v);
    });
    handle.join().unwrap();
}
