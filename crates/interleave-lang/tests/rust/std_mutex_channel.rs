// Shape of: the std docs of `std::sync::Mutex` (threads increment shared data under the
// lock; the one that makes it reach N tells main through a channel).
// Expect: runs
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;

static N: i32 = 3;

fn main() {
    let data = Arc::new(Mutex::new(0));
    let (tx, rx) = channel();
    for _ in 0..N {
        let data = Arc::clone(&data);
        let tx = tx.clone();
        thread::spawn(move || {
            let mut data = data.lock().unwrap();
            *data += 1;
            if *data == N {
                tx.send(0).unwrap();
            }
        });
    }

    rx.recv().unwrap();
    println!("all {} done", *data.lock().unwrap());
}
