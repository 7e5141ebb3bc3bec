// Shape of: the std docs' examples of `Option::map`, `Option::ok_or`, `Option::filter`,
// `Option::and_then`, `Result::ok`, `Result::map_err` and `unwrap_or_else` (on numbers),
// with `for &x in v` and a function returning `Option`, computed by a spawned thread.
// Expect: runs
use std::thread;

fn first_even(v: &[i32]) -> Option<i32> {
    for &x in v {
        if x % 2 == 0 {
            return Some(x);
        }
    }
    None
}

fn half(x: i32) -> Option<i32> {
    if x % 2 == 0 { Some(x / 2) } else { None }
}

fn parse(n: i32) -> Result<i32, String> {
    if n >= 0 {
        Ok(n)
    } else {
        Err(format!("{n} is negative"))
    }
}

fn main() {
    let x = Some("foo");
    println!("{:?}", x.ok_or(0));
    let h = thread::spawn(|| {
        let found = first_even(&[3, 5, 8]).map(|x| x * 10).unwrap_or(-1);
        let none = first_even(&[1, 3]).and_then(half).unwrap_or_else(|| 99);
        let big = Some(12).filter(|x| *x > 10).is_some_and(|x| x % 2 == 0);
        let err = parse(-4).map_err(|e| format!("bad: {e}")).err();
        let ok = parse(6).ok().and_then(half);
        println!("{found} {none} {big} {err:?} {ok:?}");
        found
    });
    println!("{}", h.join().unwrap());
}
