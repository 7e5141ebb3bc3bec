// Shape of: the std docs of `dbg!` (`let b = dbg!(a * 2) + 1;` prints the file, line,
// column, the expression and its value to standard error, and is the value), in a
// spawned thread and in main.
// Expect: runs
use std::thread;

fn main() {
    let a = 2;
    let handle = thread::spawn(move || {
        let b = dbg!(a * 2) + 1;
        assert_eq!(b, 5);
        b
    });
    let b = handle.join().unwrap();
    dbg!(b);
}
