//! title: Deadlock with two locks
//! settings: cores=2 quantum=3 switch=1 policy=rr
//! expect: end=deadlock cycle=2 blocks=mutex outcomes=ok:A=2,B=2|deadlock:A=0,B=0 preemptions:deadlock:A=0,B=0=1
//! predict: end
//!
//! `left` locks `A` then `B`; `right` locks `B` then `A`. If each takes its first lock
//! before the other takes its second, each waits forever for a lock the other holds. No
//! thread can ever run again: a deadlock. The simulator names the cycle.
//!
//! Both threads use guards that unlock at the end of their scope. That prevents forgetting
//! to unlock; it does not prevent this deadlock, which comes from taking the locks in
//! opposite orders. (A common claim is that Rust's scoped locks prevent deadlocks. They do
//! not: Rust rules out data races at compile time, not deadlocks.)
//!
//! The fix is to take locks in one agreed order everywhere: see "Deadlock fixed by lock
//! ordering".
//!
//! Every schedule (the panel under the run): two outcomes. Most executions finish with
//! `A = 2` and `B = 2`; some deadlock. Click the deadlock to watch the one preemption that
//! causes it.
use std::sync::Mutex;
use std::thread;

static A: Mutex<i64> = Mutex::new(0);
static B: Mutex<i64> = Mutex::new(0);

fn left() {
    let mut a = A.lock().unwrap();
    work(2);
    let mut b = B.lock().unwrap();
    *a += 1;
    *b += 1;
}

fn right() {
    let mut b = B.lock().unwrap();
    work(2);
    let mut a = A.lock().unwrap();
    *a += 1;
    *b += 1;
}

fn main() {
    let l = thread::spawn(left);
    let r = thread::spawn(right);
    l.join().unwrap();
    r.join().unwrap();
}
