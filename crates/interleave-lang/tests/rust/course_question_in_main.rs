// Shape of: The Rust Programming Language, section 9.2 ("Where The ? Operator Can Be
// Used"): `?` in a `main` that returns `()` — rustc refuses it.
// Expect: error[E0277]
use std::thread;

fn half(n: i32) -> Option<i32> {
    if n % 2 == 0 {
        Some(n / 2)
    } else {
        None
    }
}

fn main() {
    let h = thread::spawn(|| 8);
    let n = h.join().unwrap();
    let x = half(n)?;
    println!("{x}");
}
