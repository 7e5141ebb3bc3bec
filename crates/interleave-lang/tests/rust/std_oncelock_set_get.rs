// Shape of: the std docs of `OnceLock` (a static cell: `get()` is `None` until written,
// a thread initialises it with `get_or_init`, `set` fails once it holds a value), with
// the main thread racing the worker to `set` it.
// Expect: runs
use std::sync::OnceLock;
use std::thread;

static CELL: OnceLock<usize> = OnceLock::new();

fn main() {
    assert!(CELL.get().is_none());
    let worker = thread::spawn(|| {
        let value = CELL.get_or_init(|| 12345);
        println!("worker sees {value}");
    });
    match CELL.set(7) {
        Ok(()) => println!("main set it"),
        Err(v) => println!("already set; {v} was not stored"),
    }
    worker.join().unwrap();
    println!("{:?}", CELL.get());
}
