// Shape of: The Rust Programming Language, listing 16-10 (several values sent with pauses,
// main receives by iterating over the receiver until the sender is gone).
// Expect: runs
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        for v in 1..4 {
            tx.send(v * 10).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
    });

    for received in rx {
        println!("Got: {received}");
    }
}
