// Shape of: the std docs of `Receiver::try_recv`, with a `match` that forgets that every
// sender can be gone (rustc: E0004, `Err(TryRecvError::Disconnected)` not covered).
// Expect: error[E0004]
use std::sync::mpsc::{self, TryRecvError};
fn main() {
    let (tx, rx) = mpsc::channel::<i32>();
    drop(tx);
    match rx.try_recv() {
        Ok(v) => println!("{}", v),
        Err(TryRecvError::Empty) => println!("empty"),
    }
}
