// Shape of: The Rust Programming Language, listing 16-11 (the sender cloned so two threads
// send into one channel; what main receives interleaves them).
// Expect: runs
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();

    let tx1 = tx.clone();
    thread::spawn(move || {
        for v in 1..3 {
            tx1.send(v).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
    });

    thread::spawn(move || {
        for v in 1..3 {
            tx.send(v * 100).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
    });

    for received in rx {
        println!("Got: {received}");
    }
}
