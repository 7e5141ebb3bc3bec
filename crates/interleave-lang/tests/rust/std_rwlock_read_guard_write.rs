// Shape of: the std docs of `std::sync::RwLock`, with a mistake: writing through a read
// guard (rustc: E0594; a read lock is shared, so it gives no right to write).
// Expect: error[E0594]
use std::sync::RwLock;

static CONFIG: RwLock<i64> = RwLock::new(1);

fn main() {
    let r = CONFIG.read().unwrap();
    *r += 1;
    println!("{}", *r);
}
