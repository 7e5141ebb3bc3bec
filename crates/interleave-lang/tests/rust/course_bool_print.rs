// Shape of: flags as courses print them — a `bool` local, a comparison, `!`, an
// `AtomicBool` static and one behind an `Arc`, captured by a thread: each prints
// `true` or `false`, as Rust prints a `bool`.
// Expect: runs
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    let done = true;
    let flag = Arc::new(AtomicBool::new(false));
    let f2 = Arc::clone(&flag);
    let t = thread::spawn(move || {
        f2.store(true, Ordering::SeqCst);
        println!("in thread: {done}");
    });
    t.join().unwrap();
    READY.store(true, Ordering::SeqCst);
    let n = 5;
    println!("{done} {} {} {:?} {}", n > 3, !done, READY.load(Ordering::SeqCst), flag.load(Ordering::SeqCst));
}
