// Shape of: the std docs of `std::thread` (`let result = thread::spawn(…).join();` tested
// with `is_ok()` / `is_err()`; a panicking child is left out here because its message goes
// to stderr, see the semantics tests), of `JoinHandle::join` (`Ok(42)`), and of
// `Receiver::recv` (`Err(RecvError)` once every sender is gone), each `Result` kept in a
// variable and printed with `{:?}`.
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn main() {
    let result = thread::spawn(|| {
        println!("child");
    })
    .join();
    assert!(result.is_ok());

    let computation = thread::spawn(|| 42);
    let r = computation.join();
    println!("{r:?}");

    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        tx.send(5).unwrap();
    });
    let first = rx.recv();
    let second = rx.recv();
    println!("{first:?} {second:?}");
}
