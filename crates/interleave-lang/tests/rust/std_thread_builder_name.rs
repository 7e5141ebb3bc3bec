// Shape of: the std docs of `thread::Builder` and `Thread::name` (a thread spawned with a
// name sees it through `thread::current()`; an unnamed thread has none; main is "main").
// Expect: runs
use std::thread;

fn main() {
    let worker = thread::Builder::new()
        .name("worker".to_string())
        .spawn(|| {
            let me = thread::current();
            println!("hello from {:?}", me.name());
        })
        .unwrap();
    let plain = thread::spawn(|| {
        println!("and from {}", thread::current().name().unwrap_or("an unnamed thread"));
    });
    println!("main is {}", thread::current().name().unwrap());
    worker.join().unwrap();
    plain.join().unwrap();
}
