// Shape of: The Rust Programming Language, listings 8-15 and 8-18 (`s.push_str` written as
// `s += "bar"`, and `let s3 = s1 + &s2;`, which moves `s1`), with the joined `String` sent
// to a thread that prints it.
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let mut s = String::from("foo");
    s += "bar";
    let s1 = String::from("Hello, ");
    let s2 = String::from("world!");
    let s3 = s1 + &s2; // note s1 has been moved here and can no longer be used

    let (tx, rx) = mpsc::channel();
    let printer = thread::spawn(move || {
        for msg in rx {
            println!("{msg}");
        }
    });
    tx.send(s).unwrap();
    tx.send(s3).unwrap();
    drop(tx);
    printer.join().unwrap();
}
