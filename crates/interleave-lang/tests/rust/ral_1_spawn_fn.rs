// Shape of: Rust Atomics and Locks, chapter 1, "Threads in Rust" (a function spawned twice;
// main prints and joins both).
// Expect: runs
use std::thread;

fn f() {
    println!("Hello from another thread!");
}

fn main() {
    let t1 = thread::spawn(f);
    let t2 = thread::spawn(f);

    println!("Hello from the main thread.");

    t1.join().unwrap();
    t2.join().unwrap();
}
