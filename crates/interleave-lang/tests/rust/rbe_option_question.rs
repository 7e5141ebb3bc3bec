// Shape of: Rust by Example, "Error handling: Unpacking options with `?`" and "Option &
// unwrap" (a function returning `Option` that returns early with `?`, `match` on
// `Some`/`None`, `unwrap_or`), each lookup done by its own thread.
// Expect: runs
use std::thread;

fn find(ages: &[i32], limit: i32) -> Option<usize> {
    let mut i = 0;
    for age in ages {
        if *age > limit {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn age_after(ages: &[i32], limit: i32) -> Option<i32> {
    let i = find(ages, limit)?;
    Some(ages[i] + 1)
}

fn main() {
    let mut handles = Vec::new();
    for limit in [20, 40, 60] {
        handles.push(thread::spawn(move || {
            let ages = vec![12, 35, 51];
            let next = age_after(&ages, limit);
            match next {
                Some(a) => println!("over {limit}: next birthday {a}"),
                None => println!("over {limit}: nobody"),
            }
            next.unwrap_or(0)
        }));
    }
    let mut total = 0;
    for h in handles {
        total += h.join().unwrap();
    }
    println!("total = {total}");
}
