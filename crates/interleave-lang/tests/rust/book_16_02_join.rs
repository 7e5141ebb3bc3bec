// Shape of: The Rust Programming Language, listing 16-2 (the same, with the spawned
// thread's handle joined at the end, so it always finishes).
// Expect: runs
use std::thread;
use std::time::Duration;

fn main() {
    let handle = thread::spawn(|| {
        for i in 1..4 {
            println!("from the spawned thread: {i}");
            thread::sleep(Duration::from_millis(1));
        }
    });

    for i in 1..3 {
        println!("from main: {i}");
        thread::sleep(Duration::from_millis(1));
    }

    handle.join().unwrap();
}
