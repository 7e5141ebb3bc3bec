// Shape of: The Rust Programming Language, listing 16-10 (a thread sends several
// `String`s, main receives them by iterating over the receiver), with the strings made at
// run time by `to_string()` and `format!`.
// Expect: runs
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        for n in 1..4 {
            let val = n.to_string();
            tx.send(val).unwrap();
            thread::sleep(Duration::from_millis(1));
        }
        tx.send(format!("{} done", true)).unwrap();
    });

    for received in rx {
        println!("Got: {received}");
    }
}
