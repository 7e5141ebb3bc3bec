// Shape of: The Rust Programming Language, listings 16-6 to 16-8 with the book's
// `String` (a string made in a thread is sent through a channel and printed by main).
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let val = String::from("hello");
        tx.send(val).unwrap();
    });

    let received = rx.recv().unwrap();
    println!("Got: {received}");
}
