// Shape of: The Rust Programming Language, listing 16-1 (a spawned thread and main print
// in turn, sleeping between prints; main does not wait, so the spawned thread may be cut
// short).
// Expect: runs
use std::thread;
use std::time::Duration;

fn main() {
    thread::spawn(|| {
        for i in 1..4 {
            println!("spawned thread says {i}");
            thread::sleep(Duration::from_millis(1));
        }
    });

    for i in 1..3 {
        println!("main thread says {i}");
        thread::sleep(Duration::from_millis(1));
    }
}
