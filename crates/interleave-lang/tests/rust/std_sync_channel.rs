// Shape of: the std docs of `std::sync::mpsc::sync_channel` (a buffer of one: the first
// send does not wait, the thread's waits until main receives).
// Expect: runs
use std::sync::mpsc::sync_channel;
use std::thread;

fn main() {
    let (sender, receiver) = sync_channel(1);

    sender.send(1).unwrap();

    thread::spawn(move || {
        sender.send(2).unwrap();
    });

    assert_eq!(receiver.recv().unwrap(), 1);
    assert_eq!(receiver.recv().unwrap(), 2);
    println!("both received");
}
