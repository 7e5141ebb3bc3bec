// Shape of: The Rust Programming Language, listings 16-6 to 16-8 (one value sent from a
// spawned thread and received in main).
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let val = 42;
        tx.send(val).unwrap();
    });

    let received = rx.recv().unwrap();
    println!("Got: {received}");
}
