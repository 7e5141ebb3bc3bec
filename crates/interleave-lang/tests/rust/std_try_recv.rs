// Shape of: the std docs of `Receiver::try_recv` (a loop that polls a channel without
// blocking: a message, `Empty` — do something else, here sleep — or `Disconnected` once
// every sender is gone). Under any schedule the sender may be starved while main polls:
// the explorer lists those runs as never ending, which a fair OS would not keep up.
// Expect: runs
use std::sync::mpsc::{self, TryRecvError};
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        for i in 1..=2 {
            tx.send(i).unwrap();
        }
    });
    loop {
        match rx.try_recv() {
            Ok(v) => println!("got {}", v),
            Err(TryRecvError::Empty) => {
                thread::sleep(Duration::from_millis(1));
            }
            Err(TryRecvError::Disconnected) => break,
        }
    }
    worker.join().unwrap();
    println!("done");
}
