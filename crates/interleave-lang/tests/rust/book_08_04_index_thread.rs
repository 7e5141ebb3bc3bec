// Shape of: The Rust Programming Language, listing 8-4 (reading a vector's element by
// index, `&v[2]`), with the vector then moved into a thread that sums it by index and
// returns the sum through its `JoinHandle`.
// Expect: runs
use std::thread;

fn main() {
    let v = vec![1, 2, 3, 4, 5];

    let third: &i32 = &v[2];
    println!("The third element is {third}");

    let handle = thread::spawn(move || {
        let mut sum = 0;
        for i in 0..v.len() {
            sum += v[i];
        }
        sum
    });
    println!("The sum is {}", handle.join().unwrap());
}
