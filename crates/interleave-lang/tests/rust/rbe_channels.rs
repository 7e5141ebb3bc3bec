// Shape of: Rust by Example, "Channels" (each child sends its id through a cloned sender;
// main receives as many as there are children, then joins them).
// Expect: runs
use std::sync::mpsc::{Receiver, Sender};
use std::sync::mpsc;
use std::thread;

static NTHREADS: i32 = 3;

fn main() {
    let (tx, rx): (Sender<i32>, Receiver<i32>) = mpsc::channel();
    let mut children = Vec::new();

    for id in 0..NTHREADS {
        let thread_tx = tx.clone();
        let child = thread::spawn(move || {
            thread_tx.send(id).unwrap();
            println!("thread {} finished", id);
        });
        children.push(child);
    }

    let mut ids = Vec::new();
    for _ in 0..NTHREADS {
        ids.push(rx.recv().unwrap());
    }

    for child in children {
        child.join().expect("oops! the child thread panicked");
    }

    println!("received {} ids", ids.len());
}
