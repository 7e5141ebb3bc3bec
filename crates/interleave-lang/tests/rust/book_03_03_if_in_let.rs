// Shape of: The Rust Programming Language, listing 3-3 and 3-5 ("Using `if` in a `let`
// Statement", "Handling Multiple Conditions with `else if`"): `if` as a value, in a
// `let`, in a function's last expression, and a chain of `else if`s giving a `&'static str`.
// Expect: runs
use std::thread;

fn larger(a: i32, b: i32) -> i32 {
    if a > b { a } else { b }
}

fn describe(number: i32) -> &'static str {
    if number % 4 == 0 {
        "divisible by 4"
    } else if number % 3 == 0 {
        "divisible by 3"
    } else if number % 2 == 0 {
        "divisible by 2"
    } else {
        "not divisible by 4, 3, or 2"
    }
}

fn main() {
    let condition = true;
    let number = if condition { 5 } else { 6 };
    println!("The value of number is: {number}");

    let handle = thread::spawn(move || {
        let big = larger(number, 6);
        let even = if big % 2 == 0 { true } else { false };
        println!("{big} is {}; even: {even}", describe(big));
        big
    });
    let big = handle.join().unwrap();
    println!("the thread said {big}");
}
