// Shape of: The Rust Programming Language, chapter 19, "Adding Conditionals with Match
// Guards" (`Some(x) if x % 2 == 0 => …`, `None => ()`), and a guard on a number's `match`
// returning a `&str`, each run by a thread of its own.
// Expect: runs
use std::thread;

fn size(n: i32) -> &'static str {
    match n {
        x if x < 0 => "negative",
        0 => "zero",
        x if x < 10 => "small",
        _ => "large",
    }
}

fn main() {
    let mut handles = Vec::new();
    for n in [4, 7] {
        handles.push(thread::spawn(move || {
            let num = Some(n);
            match num {
                Some(x) if x % 2 == 0 => println!("The number {x} is even"),
                Some(x) => println!("The number {x} is odd"),
                None => (),
            }
            println!("{n} is {}", size(n));
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
}
