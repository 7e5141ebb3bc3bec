//! title: Threads inside a process
//! settings: cores=2 quantum=3 switch=1 policy=rr
//! expect: end=finished stopped=1 blocks=join
//! predict: end
//!
//! A running program is a process: it owns the program's memory. Its threads share that
//! memory (here the atomic `PROGRESS`); each thread has its own stack and its own place in
//! the code.
//!
//! `main` joins `helper`, so it waits for it. It never joins `worker`. When `main` returns,
//! the process exits and every other thread is stopped wherever it is: Rust does not wait
//! for spawned threads unless you join them. The outcome says how many threads were
//! stopped.
static PROGRESS: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let _worker = spawn(|| loop {
        work(1);
        PROGRESS.fetch_add(1, Ordering::SeqCst);
    });
    let helper = spawn(|| {
        for _ in 0..3 {
            PROGRESS.fetch_add(1, Ordering::SeqCst);
        }
    });
    helper.join().unwrap();
    work(5);
}
