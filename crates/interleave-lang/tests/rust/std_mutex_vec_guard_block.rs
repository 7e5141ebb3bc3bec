// Shape of: the std docs of `Mutex` (the example that limits a guard's life with a
// block): threads share an `Arc<Mutex<Vec<i32>>>`, each sums the vector under the lock and
// pushes the sum, then adds it to a second mutex through a temporary guard; main pushes
// too and prints both.
// Expect: runs
use std::sync::{Arc, Mutex};
use std::thread;

const N: usize = 2;

fn main() {
    let data_mutex = Arc::new(Mutex::new(vec![1, 2, 3, 4]));
    let res_mutex = Arc::new(Mutex::new(0));
    let mut threads = Vec::with_capacity(N);
    for _ in 0..N {
        let data_mutex_clone = Arc::clone(&data_mutex);
        let res_mutex_clone = Arc::clone(&res_mutex);
        threads.push(thread::spawn(move || {
            let mut data = data_mutex_clone.lock().unwrap();
            let mut result = 0;
            for i in 0..data.len() {
                result += data[i] * 2;
            }
            data.push(result);
            drop(data);
            *res_mutex_clone.lock().unwrap() += result;
        }));
    }
    let mut data = data_mutex.lock().unwrap();
    data.push(5);
    drop(data);
    *res_mutex.lock().unwrap() += 1;
    for t in threads {
        t.join().unwrap();
    }
    let res = res_mutex.lock().unwrap();
    println!("{}", *res);
    println!("{:?}", data_mutex.lock().unwrap());
}
