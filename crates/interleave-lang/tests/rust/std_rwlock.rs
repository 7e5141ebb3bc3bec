// Shape of: the std docs of `std::sync::RwLock` (many readers at once, or one writer),
// with the readers in threads: each sees the value before or after the write. Each reader
// takes a second read lock while holding one, which std warns may deadlock behind a
// waiting writer: the explorer lists that schedule too.
// Expect: runs
use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let lock = Arc::new(RwLock::new(5));
    let mut readers = Vec::new();
    for _ in 0..2 {
        let lock = Arc::clone(&lock);
        readers.push(thread::spawn(move || {
            let r1 = lock.read().unwrap();
            let r2 = lock.read().unwrap();
            println!("read {} {}", *r1, *r2);
        }));
    }
    {
        let mut w = lock.write().unwrap();
        *w += 1;
        assert_eq!(*w, 6);
    }
    for r in readers {
        r.join().unwrap();
    }
}
