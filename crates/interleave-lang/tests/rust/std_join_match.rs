// Shape of: the std docs of `JoinHandle::join` and `mpsc::Receiver::recv` (the `Result`s
// matched: a thread that panics is seen as `Err`, a closed channel ends the loop).
// Expect: runs
use std::sync::mpsc;
use std::thread;

const WORKERS: i32 = 2;

fn main() {
    let (tx, rx) = mpsc::channel();
    let mut handles = Vec::new();
    for id in 0..WORKERS {
        let tx = tx.clone();
        handles.push(thread::spawn(move || {
            tx.send(id * 10).unwrap();
            id
        }));
    }
    drop(tx);
    loop {
        match rx.recv() {
            Ok(v) => println!("got {v}"),
            Err(_) => break,
        }
    }
    for h in handles {
        match h.join() {
            Ok(id) => println!("worker {id} done"),
            Err(_) => println!("a worker panicked"),
        }
    }
}
