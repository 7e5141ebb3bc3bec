// Shape of: the std docs of `thread::Builder::name` with names made at run time
// (`format!("worker-{i}")`), each thread printing `thread::current().name()`.
// Expect: runs
use std::thread;

fn main() {
    let mut handles = vec![];
    for i in 1..=2 {
        let h = thread::Builder::new()
            .name(format!("worker-{i}"))
            .spawn(|| {
                let me = thread::current();
                println!("I am {}", me.name().unwrap());
            })
            .unwrap();
        handles.push(h);
    }
    for h in handles {
        h.join().unwrap();
    }
}
