// Shape of: the std docs of `std::sync::Barrier` (threads print, wait at a barrier for all
// of them, then print again: every "before" comes before every "after").
// Expect: runs
use std::sync::{Arc, Barrier};
use std::thread;

const N: usize = 3;

fn main() {
    let mut handles = Vec::with_capacity(N);
    let barrier = Arc::new(Barrier::new(N));
    for _ in 0..N {
        let c = Arc::clone(&barrier);
        handles.push(thread::spawn(move || {
            println!("before wait");
            c.wait();
            println!("after wait");
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }
}
