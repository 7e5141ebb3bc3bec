// Shape of: the std docs of `ThreadId`, with a mistake: printing it with `{}` (rustc: E0277,
// a `ThreadId` has `Debug` only).
// Expect: error[E0277]
use std::thread;
fn main() {
    println!("{}", thread::current().id());
}
