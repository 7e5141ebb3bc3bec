// Shape of: Rust by Example, "Threads" and the std docs of `JoinHandle<T>` (each worker
// builds a `String` with `format!` and returns it; main joins the handles in order and
// prints what each returned).
// Expect: runs
use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 0..3 {
        handles.push(thread::spawn(move || {
            let squared = i * i;
            format!("worker {i}: {i} squared is {squared}")
        }));
    }
    for handle in handles {
        let report = handle.join().unwrap();
        println!("{report}");
    }
}
