// Shape of: The Rust Programming Language, listing 6-5 (`plus_one` matching on
// `Option<i32>`: `None => None`, `Some(i) => Some(i + 1)`), its results printed by a
// thread of their own.
// Expect: runs
use std::thread;

fn plus_one(x: Option<i32>) -> Option<i32> {
    match x {
        None => None,
        Some(i) => Some(i + 1),
    }
}

fn main() {
    let five = Some(5);
    let six = plus_one(five);
    let none = plus_one(None);
    let h = thread::spawn(move || {
        println!("{six:?} {none:?}");
    });
    h.join().unwrap();
}
