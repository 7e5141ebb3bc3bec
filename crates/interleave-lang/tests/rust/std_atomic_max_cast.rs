// Shape of: the std docs' integer constants and `as` (a value computed from `u32::MAX` by
// a thread, widened to `u64` for the sum).
// Expect: runs
use std::thread;

fn widen(x: u32) -> u64 {
    x as u64
}

fn main() {
    let t = thread::spawn(|| widen(u32::MAX) + 1);
    let total = t.join().unwrap();
    println!("{total}");
}
