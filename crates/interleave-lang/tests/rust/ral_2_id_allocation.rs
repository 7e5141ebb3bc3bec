// Shape of: Rust Atomics and Locks, chapter 2, "Example: ID Allocation" (a function returns
// the next id from a `fetch_add` on a static atomic; two threads take ids).
// Expect: runs
use std::sync::atomic::AtomicU32;
use std::sync::atomic::Ordering::Relaxed;
use std::thread;

static NEXT_ID: AtomicU32 = AtomicU32::new(0);

fn allocate_new_id() -> u32 {
    NEXT_ID.fetch_add(1, Relaxed)
}

fn main() {
    let t = thread::spawn(|| {
        let id = allocate_new_id();
        println!("thread got {id}");
    });
    let id = allocate_new_id();
    println!("main got {id}");
    t.join().unwrap();
}
