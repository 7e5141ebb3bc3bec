// Shape of: The Rust Programming Language, section 3.2 ("The Tuple Type": `x.0`, `x.1`),
// reading a field a two-part tuple sent from a thread does not have: rustc says so.
// Expect: error[E0609]
use std::thread;

fn main() {
    let h = thread::spawn(|| (500, 6));
    let x = h.join().unwrap();
    println!("{} {}", x.0, x.2);
}
