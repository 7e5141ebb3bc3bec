// Shape of: a common first attempt after the Book's listing 16-2 with several threads
// (joining a handle by its index in the vector): rustc refuses to move a `JoinHandle`
// out of the vector, since `join` takes it by value.
// Expect: error[E0507]
use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 0..3 {
        handles.push(thread::spawn(move || {
            println!("worker {i}");
        }));
    }
    for i in 0..3 {
        handles[i].join().unwrap();
    }
}
