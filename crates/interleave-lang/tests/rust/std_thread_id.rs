// Shape of: the std docs of `thread::current` and `ThreadId` (each thread asks for its own
// id; ids are unique, main's first), with `thread::yield_now` from the std docs of
// `yield_now` (a hint to let another thread run).
// Expect: runs
use std::thread;

fn main() {
    let main_id = thread::current().id();
    let h = thread::spawn(move || {
        let me = thread::current().id();
        thread::yield_now();
        println!("spawned {:?}, same as main: {}", me, (me == main_id) as i32);
    });
    let spawned = h.thread().id();
    h.join().unwrap();
    println!("main {:?}, joined {:?}", main_id, spawned);
}
