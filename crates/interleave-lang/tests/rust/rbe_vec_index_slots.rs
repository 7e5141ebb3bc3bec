// Shape of: Rust by Example, "Vectors" (`vec![0; n]`, reading and writing by index,
// `len`), with the values coming from threads: each worker sends its result on a channel
// and main writes it into the worker's slot.
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let mut results = vec![0; 4];
    let (tx, rx) = mpsc::channel();
    for i in 0..4 {
        let tx = tx.clone();
        thread::spawn(move || {
            tx.send(i * 10 + 1).unwrap();
        });
    }
    drop(tx);
    for value in rx {
        let slot = value / 10;
        results[slot] += value;
    }
    for i in 0..results.len() {
        println!("slot {i}: {}", results[i]);
    }
}
