// Shape of: The Rust Programming Language, listing 16-9 (a `String` used after it was sent:
// it belongs to the receiving side now, so rustc refuses).
// Expect: error[E0382]
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::spawn(move || {
        let val = String::from("hello");
        tx.send(val).unwrap();
        println!("val is {val}");
    });

    let received = rx.recv().unwrap();
    println!("Got: {received}");
}
