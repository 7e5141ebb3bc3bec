// Shape of: a common mistake after the Book's listing 16-15 with a `Vec` (taking the
// vector out of the guard by dereferencing it): rustc refuses to move it out from
// behind the lock.
// Expect: error[E0507]
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let list = Arc::new(Mutex::new(vec![1, 2]));
    let l = Arc::clone(&list);
    let h = thread::spawn(move || {
        l.lock().unwrap().push(3);
    });
    h.join().unwrap();
    let v = *list.lock().unwrap();
    println!("{}", v.len());
}
