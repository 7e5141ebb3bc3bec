// Shape of: the std docs of `std::sync::Once` (a one-time global initialisation with
// `call_once`) and of `OnceLock::get_or_init` (a value set once, by whichever thread
// comes first; every thread then sees that one).
// Expect: runs
use std::sync::{Once, OnceLock};
use std::thread;

static INIT: Once = Once::new();
static CONFIG: OnceLock<u64> = OnceLock::new();

fn setup() {
    INIT.call_once(|| {
        println!("initialising");
    });
}

fn main() {
    let mut handles = Vec::new();
    for i in 0..2 {
        handles.push(thread::spawn(move || {
            setup();
            let c = CONFIG.get_or_init(|| 40 + i);
            println!("thread {} sees {}", i, c);
        }));
    }
    for h in handles {
        h.join().unwrap();
    }
}
