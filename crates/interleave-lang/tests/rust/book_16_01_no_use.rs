// Shape of: the Rust Book, listing 16-1, with its first line left out (rustc: E0433, the
// `thread` module is not in scope without `use std::thread;`).
// Expect: error[E0433]
use std::time::Duration;

fn main() {
    thread::spawn(|| {
        for i in 1..5 {
            println!("hi number {i} from the spawned thread!");
            thread::sleep(Duration::from_millis(1));
        }
    });
}
