//! title: Deadlock fixed by lock ordering
//! settings: cores=2 quantum=3 switch=1 policy=rr
//! expect: end=finished outcomes=ok:A=2,B=2
//! predict: end
//!
//! Both threads now lock `A` before `B`. Whoever gets `A` first can always get `B` as
//! well, because nobody holds `B` while waiting for `A`. A wait-for cycle is impossible,
//! so no schedule deadlocks.
//!
//! Lock ordering is the usual cure: pick one global order for your locks and always
//! acquire them in that order.
//!
//! Every schedule (the panel under the run, or `interleave explore preset:lock-ordering`):
//! one outcome, `A = 2` and `B = 2`. No schedule deadlocks.
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
    let mut a = A.lock().unwrap();
    work(2);
    let mut b = B.lock().unwrap();
    *a += 1;
    *b += 1;
}

fn main() {
    let l = thread::spawn(left);
    let r = thread::spawn(right);
    l.join().unwrap();
    r.join().unwrap();
}
