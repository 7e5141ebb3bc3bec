// Shape of: the worker-queue example courses write with `Arc<Mutex<Vec<T>>>` (the Rust
// Book's chapter 21 thread pool in miniature): each worker takes jobs with `while let
// Some(job) = queue.lock().unwrap().pop()`. Rust keeps the temporary guard for the whole
// body, so a worker holds the queue's lock while it works; `let job = …pop();` drops it.
// Expect: runs
use std::sync::{Arc, Mutex};
use std::thread;

fn locked(q: &Mutex<Vec<i32>>) -> bool {
    if let Ok(_g) = q.try_lock() {
        false
    } else {
        true
    }
}

fn main() {
    let queue = Arc::new(Mutex::new(vec![1, 2, 3]));
    let mut handles = Vec::new();
    for id in 0..2 {
        let queue = Arc::clone(&queue);
        handles.push(thread::spawn(move || {
            while let Some(job) = queue.lock().unwrap().pop() {
                println!("worker {id} runs job {job}, queue locked: {}", locked(&queue));
            }
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
    let left = queue.lock().unwrap().pop();
    println!("{left:?}, queue locked: {}", locked(&queue));
}
