// Shape of: the std docs of `Mutex::into_inner`, with a mistake: taking the value out of a
// `static` mutex (rustc: E0507, a static cannot be moved out of).
// Expect: error[E0507]
use std::sync::Mutex;

static TOTAL: Mutex<i32> = Mutex::new(0);

fn main() {
    *TOTAL.lock().unwrap() += 1;
    let total = TOTAL.into_inner().unwrap();
    println!("{}", total);
}
