// Shape of: Rust by Example, "if let" and "mpsc channels": `if let Some(v)` on what
// `recv()` returns, which is a `Result` — rustc refuses the mismatched pattern.
// Expect: error[E0308]
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        tx.send(1).unwrap();
    });
    if let Some(v) = rx.recv() {
        println!("got {v}");
    }
}
