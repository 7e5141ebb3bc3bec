// Shape of: the std docs of `Receiver::recv_timeout` (a message sent in time is received;
// when none comes before the timeout, `Err(RecvTimeoutError::Timeout)`; once every sender
// is gone, `Err(RecvTimeoutError::Disconnected)`).
// Expect: runs
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        tx.send(1).unwrap();
        thread::sleep(Duration::from_millis(600));
        tx.send(2).unwrap();
    });
    for _ in 0..4 {
        match rx.recv_timeout(Duration::from_millis(400)) {
            Ok(v) => println!("got {v}"),
            Err(RecvTimeoutError::Timeout) => println!("timed out"),
            Err(RecvTimeoutError::Disconnected) => println!("disconnected"),
        }
    }
}
