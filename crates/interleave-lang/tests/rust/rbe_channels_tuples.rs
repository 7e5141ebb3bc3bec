// Shape of: Rust by Example, "Channels" (each worker sends on a cloned sender, main
// collects), with each message a tuple `(id, result)`: main takes the tuples apart in
// its `for` over the receiver and prints one whole with `{:?}`.
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();
    for id in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || {
            let square = id * id;
            tx.send((id, square, square % 2 == 0)).unwrap();
        });
    }
    drop(tx);
    let mut total = 0;
    for (id, square, even) in rx {
        println!("worker {id}: {square} (even: {even})");
        total += square;
    }
    let summary = (total, String::from("done"));
    println!("{:?}", summary);
}
