// Shape of: The Rust Programming Language, listing 16-15, with a `Vec` behind the lock
// instead of a number (each of ten threads pushes its number through a temporary guard;
// main prints how many arrived and the vector in the order they did).
// Expect: runs
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let mut handles = vec![];

    for i in 0..4 {
        let arrivals = Arc::clone(&arrivals);
        let handle = thread::spawn(move || {
            arrivals.lock().unwrap().push(i);
        });
        handles.push(handle);
    }

    for handle in handles {
        handle.join().unwrap();
    }

    let arrivals = arrivals.lock().unwrap();
    println!("Arrived: {}", arrivals.len());
    println!("Order: {:?}", *arrivals);
}
