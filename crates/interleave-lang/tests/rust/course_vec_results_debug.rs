// Shape of: Rust by Example, "Vectors" and the std docs of `dbg!` (a vector printed with
// `{:?}` and with `dbg!`, which pretty-prints it an element a line), filled from the
// values threads return, strings and bools included.
// Expect: runs
use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 0..3 {
        handles.push(thread::spawn(move || i * i));
    }
    let mut squares = Vec::new();
    for h in handles {
        squares.push(h.join().unwrap());
    }
    println!("squares: {:?}", squares);
    let even = vec![squares[0] % 2 == 0, squares[1] % 2 == 0];
    let words = vec![format!("{}", squares[2]), "done".to_string()];
    println!("{even:?} {words:?}");
    dbg!(&squares);
}
