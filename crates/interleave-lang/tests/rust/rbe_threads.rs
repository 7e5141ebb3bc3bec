// Shape of: Rust by Example, "Threads" (children spawned in a loop, kept in a Vec, each
// printing its number; main joins them all).
// Expect: runs
use std::thread;

static NTHREADS: u32 = 3;

fn main() {
    let mut children = vec![];

    for i in 0..NTHREADS {
        children.push(thread::spawn(move || {
            println!("this is thread number {}", i);
        }));
    }

    for child in children {
        let _ = child.join();
    }
}
