// Shape of: a `bool` behind a lock (a `Mutex<bool>` static and one in an `Arc`, set by a
// thread) and one returned by a function: each prints `true` or `false`.
// Expect: runs
use std::sync::{Arc, Mutex};
use std::thread;

static DONE: Mutex<bool> = Mutex::new(false);

fn ready(n: i32) -> bool {
    n > 2
}

fn main() {
    let flag = Arc::new(Mutex::new(false));
    let f2 = Arc::clone(&flag);
    thread::spawn(move || {
        *f2.lock().unwrap() = true;
    })
    .join()
    .unwrap();
    let g = flag.lock().unwrap();
    let seen = *g;
    println!("{} {seen} {}", *g, ready(3));
    drop(g);
    let d = DONE.lock().unwrap();
    println!("{}", *d);
}
