// Shape of: The Rust Programming Language, listing 16-12 (a Mutex in one thread: lock, write
// through the guard, the guard drops at the end of its scope).
// Expect: runs
use std::sync::Mutex;

fn main() {
    let m = Mutex::new(5);

    {
        let mut num = m.lock().unwrap();
        *num = 6;
    }

    println!("m = {}", *m.lock().unwrap());
}
