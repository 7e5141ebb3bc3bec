//! title: Dining philosophers
//! settings: cores=3 quantum=3 switch=1 policy=rr
//! expect: end=deadlock cycle=3 outcomes=ok:F0=0,F1=0,F2=0|deadlock:F0=0,F1=0,F2=0 preemptions:deadlock:F0=0,F1=0,F2=0=1 share<:deadlock:F0=0,F1=0,F2=0=0.05
//! predict: end
//!
//! Three philosophers sit at a round table with one fork between each pair. To eat, a
//! philosopher picks up the fork on the left, then the fork on the right. If all three
//! pick up their left fork at once, each waits forever for a right fork that a neighbour
//! holds: a deadlock, with a cycle through all three.
//!
//! The classic fix is lock ordering: number the forks and always take the lower-numbered
//! fork first. Here that means philosopher 2 takes fork 0 before fork 2, which breaks the
//! cycle. Try it: swap the two `lock` lines of `p2` and run again.
//!
//! Every schedule: most executions finish, and a small share deadlock, with every
//! philosopher holding a left fork. A random schedule rarely hits it; the explorer always
//! finds it, and the deadlock's witness needs a single preemption.
use std::sync::Mutex;
use std::thread;

static F0: Mutex<i64> = Mutex::new(0);
static F1: Mutex<i64> = Mutex::new(0);
static F2: Mutex<i64> = Mutex::new(0);

fn main() {
    let p0 = thread::spawn(|| for _ in 0..2 {
        let _left = F0.lock().unwrap();
        work(1);
        let _right = F1.lock().unwrap();
        work(2); // eat
    });
    let p1 = thread::spawn(|| for _ in 0..2 {
        let _left = F1.lock().unwrap();
        work(1);
        let _right = F2.lock().unwrap();
        work(2);
    });
    let p2 = thread::spawn(|| for _ in 0..2 {
        let _left = F2.lock().unwrap();
        work(1);
        let _right = F0.lock().unwrap();
        work(2);
    });
    p0.join().unwrap();
    p1.join().unwrap();
    p2.join().unwrap();
}
