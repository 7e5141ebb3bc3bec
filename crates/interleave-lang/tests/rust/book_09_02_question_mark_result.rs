// Shape of: The Rust Programming Language, listing 9-7 ("A Shortcut for Propagating
// Errors: the `?` Operator"), with the error a `String` instead of `io::Error`: two
// workers validate their input, a function chains the checks with `?`, and the main
// thread matches `Ok`/`Err` and prints the `Result`s with `{:?}`.
// Expect: runs
use std::sync::mpsc;
use std::thread;

fn check_level(n: i32) -> Result<i32, String> {
    if n > 10 {
        return Err(format!("level {n} is too high"));
    }
    Ok(n * 2)
}

fn total_level(a: i32, b: i32) -> Result<i32, String> {
    let x = check_level(a)?;
    let y = check_level(b)?;
    Ok(x + y)
}

fn main() {
    let (tx, rx) = mpsc::channel();
    for (a, b) in [(1, 2), (3, 14)] {
        let tx = tx.clone();
        thread::spawn(move || {
            let r = total_level(a, b);
            let ok = r.is_ok();
            match r {
                Ok(v) => tx.send(v).unwrap(),
                Err(e) => println!("rejected: {e}"),
            }
            ok
        });
    }
    drop(tx);
    for v in rx {
        println!("accepted: {v}");
    }
    let r: Result<i32, String> = total_level(2, 2);
    println!("{:?} {:?}", r, total_level(20, 1));
}
