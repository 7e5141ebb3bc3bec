//! The explorer's outcome sets against loom 0.7's, on the classic sequentially consistent
//! programs: each is written twice, as a scenario and as a loom model, and both must give
//! the same set of outcomes. Loom explores every interleaving of its atomics, locks and
//! channels (with SeqCst orderings, as here); it stops at the first deadlock with a panic,
//! so for the lock programs the comparison is "can it deadlock". Loom does not follow a
//! spin that never lets the other thread run (its yields deprioritise the spinner); the
//! explorer reports such a schedule as "never ends", which is left out of the comparison
//! and checked on its own.

use interleave_core::explore::{explore, EndKind, Options};
use std::collections::BTreeSet;
use std::sync::{Arc as StdArc, Mutex as StdMutex};

/// The explorer's outcomes as "NAME=V" of one static (or "deadlock" / "panic"); never-ends
/// left out, and whether one was seen.
fn explored(src: &str, name: &str) -> (BTreeSet<String>, bool) {
    let program = interleave_lang::compile(src)
        .unwrap_or_else(|d| panic!("the scenario compiles: {d:?}"))
        .program;
    let r = explore(program, &Options::default()).unwrap();
    assert!(r.complete(), "explored in full: {} states", r.states);
    let mut set = BTreeSet::new();
    let mut never = false;
    for o in &r.outcomes {
        match o.key.end {
            EndKind::Ok => {
                let v = o
                    .key
                    .values
                    .iter()
                    .find(|(n, _)| n == name)
                    .expect("the static")
                    .1;
                set.insert(format!("{name}={v}"));
            }
            EndKind::Deadlock => {
                set.insert("deadlock".into());
            }
            EndKind::Panic => {
                set.insert("panic".into());
            }
            EndKind::NeverEnds => never = true,
        }
    }
    (set, never)
}

/// Loom's outcomes: every execution's result, collected across the model's runs.
fn loomed(model: impl Fn() -> String + Send + Sync + 'static) -> BTreeSet<String> {
    let seen = StdArc::new(StdMutex::new(BTreeSet::new()));
    let out = StdArc::clone(&seen);
    loom::model(move || {
        let r = model();
        out.lock().unwrap().insert(r);
    });
    let set = seen.lock().unwrap().clone();
    set
}

/// The lock programs loom is asked about, by name: (opposite order, dining).
fn lock_model(name: &str) -> Box<dyn Fn() + Send + Sync> {
    use loom::sync::{Arc, Mutex};
    match name {
        "opposite" | "ordered" => {
            let opposite = name == "opposite";
            Box::new(move || {
                let a = Arc::new(Mutex::new(0));
                let b = Arc::new(Mutex::new(0));
                let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
                let l = loom::thread::spawn(move || {
                    let _x = a2.lock().unwrap();
                    let _y = b2.lock().unwrap();
                });
                let r = loom::thread::spawn(move || {
                    let (first, then) = if opposite { (&b, &a) } else { (&a, &b) };
                    let _x = first.lock().unwrap();
                    let _y = then.lock().unwrap();
                });
                l.join().unwrap();
                r.join().unwrap();
            })
        }
        "dining" => Box::new(|| {
            let forks: Vec<_> = (0..3).map(|_| Arc::new(Mutex::new(()))).collect();
            let hs: Vec<_> = (0..3)
                .map(|i| {
                    let (l, r) = (Arc::clone(&forks[i]), Arc::clone(&forks[(i + 1) % 3]));
                    loom::thread::spawn(move || {
                        let _l = l.lock().unwrap();
                        let _r = r.lock().unwrap();
                    })
                })
                .collect();
            for h in hs {
                h.join().unwrap();
            }
        }),
        "condvar_if" | "condvar_while" => {
            let recheck = name == "condvar_while";
            Box::new(move || {
                use loom::sync::Condvar;
                let pair = Arc::new((Mutex::new(false), Condvar::new()));
                let pair2 = Arc::clone(&pair);
                let t = loom::thread::spawn(move || {
                    let (lock, cvar) = &*pair2;
                    *lock.lock().unwrap() = true;
                    cvar.notify_one();
                });
                let (lock, cvar) = &*pair;
                let mut started = lock.lock().unwrap();
                if recheck {
                    while !*started {
                        started = cvar.wait(started).unwrap();
                    }
                } else {
                    started = cvar.wait(started).unwrap();
                }
                drop(started);
                t.join().unwrap();
            })
        }
        other => panic!("no lock model {other}"),
    }
}

/// Whether loom finds a deadlock. Loom aborts the process on the first one (its panic
/// cannot unwind out of the model), so the model runs in a child process: this test
/// binary again, running only `lock_model_probe` with the model's name.
fn loom_deadlocks(name: &str) -> bool {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "lock_model_probe",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("INTERLEAVE_LOOM_MODEL", name)
        .output()
        .expect("the test binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() {
        return false;
    }
    assert!(
        err.to_lowercase().contains("deadlock"),
        "{name}: loom failed otherwise: {err}"
    );
    true
}

/// Runs one lock model under loom when a parent test asks (see `loom_deadlocks`); on its
/// own, loom checks that taking the locks in one order cannot deadlock.
#[test]
fn lock_model_probe() {
    let name = std::env::var("INTERLEAVE_LOOM_MODEL").unwrap_or_else(|_| "ordered".into());
    loom::model(lock_model(&name));
}

#[test]
fn lost_update_with_a_load_and_a_store() {
    let (ours, _) = explored(
        "static X: AtomicUsize = AtomicUsize::new(0);
fn inc() {
    for _ in 0..2 {
        let v = X.load(Ordering::SeqCst);
        X.store(v + 1, Ordering::SeqCst);
    }
}
fn main() {
    let a = spawn(inc);
    let b = spawn(inc);
    a.join().unwrap();
    b.join().unwrap();
}
",
        "X",
    );
    let theirs = loomed(|| {
        use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use loom::sync::Arc;
        let x = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let x = Arc::clone(&x);
                loom::thread::spawn(move || {
                    for _ in 0..2 {
                        let v = x.load(SeqCst);
                        x.store(v + 1, SeqCst);
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        format!("X={}", x.load(SeqCst))
    });
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 3, "2, 3 and 4: {ours:?}");
}

#[test]
fn compare_exchange_loop_loses_nothing() {
    let (ours, _) = explored(
        "static X: AtomicUsize = AtomicUsize::new(0);
fn inc() {
    loop {
        let v = X.load(Ordering::SeqCst);
        if X.compare_exchange(v, v + 1, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            break;
        }
    }
}
fn main() {
    let a = spawn(inc);
    let b = spawn(inc);
    a.join().unwrap();
    b.join().unwrap();
}
",
        "X",
    );
    let theirs = loomed(|| {
        use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use loom::sync::Arc;
        let x = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let x = Arc::clone(&x);
                loom::thread::spawn(move || loop {
                    let v = x.load(SeqCst);
                    if x.compare_exchange(v, v + 1, SeqCst, SeqCst).is_ok() {
                        break;
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        format!("X={}", x.load(SeqCst))
    });
    assert_eq!(ours, theirs);
    assert_eq!(ours, BTreeSet::from(["X=2".to_string()]));
}

#[test]
fn check_then_act_lets_both_in() {
    let (ours, _) = explored(
        "static TAKEN: AtomicUsize = AtomicUsize::new(0);
static ENTERED: AtomicUsize = AtomicUsize::new(0);
fn try_enter() {
    if TAKEN.load(Ordering::SeqCst) == 0 {
        TAKEN.store(1, Ordering::SeqCst);
        ENTERED.fetch_add(1, Ordering::SeqCst);
    }
}
fn main() {
    let a = spawn(try_enter);
    let b = spawn(try_enter);
    a.join().unwrap();
    b.join().unwrap();
}
",
        "ENTERED",
    );
    let theirs = loomed(|| {
        use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use loom::sync::Arc;
        let taken = Arc::new(AtomicUsize::new(0));
        let entered = Arc::new(AtomicUsize::new(0));
        let hs: Vec<_> = (0..2)
            .map(|_| {
                let (t, e) = (Arc::clone(&taken), Arc::clone(&entered));
                loom::thread::spawn(move || {
                    if t.load(SeqCst) == 0 {
                        t.store(1, SeqCst);
                        e.fetch_add(1, SeqCst);
                    }
                })
            })
            .collect();
        for h in hs {
            h.join().unwrap();
        }
        format!("ENTERED={}", entered.load(SeqCst))
    });
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 2, "one or both: {ours:?}");
}

#[test]
fn opposite_lock_order_can_deadlock_and_one_order_cannot() {
    for opposite in [true, false] {
        let second = if opposite { ("B", "A") } else { ("A", "B") };
        let src = format!(
            "static A: Mutex<i64> = Mutex::new(0);
static B: Mutex<i64> = Mutex::new(0);
fn left() {{
    let mut a = A.lock().unwrap();
    let mut b = B.lock().unwrap();
    *a += 1;
    *b += 1;
}}
fn right() {{
    let mut x = {}.lock().unwrap();
    let mut y = {}.lock().unwrap();
    *x += 1;
    *y += 1;
}}
fn main() {{
    let l = spawn(left);
    let r = spawn(right);
    l.join().unwrap();
    r.join().unwrap();
}}
",
            second.0, second.1
        );
        let (ours, _) = explored(&src, "A");
        let theirs = loom_deadlocks(if opposite { "opposite" } else { "ordered" });
        assert_eq!(
            ours.contains("deadlock"),
            theirs,
            "opposite order: {opposite}"
        );
        assert_eq!(theirs, opposite);
    }
}

#[test]
fn two_producers_on_one_channel_arrive_in_either_order() {
    let (ours, _) = explored(
        "static ORDER: AtomicUsize = AtomicUsize::new(0);
fn main() {
    let (tx, rx) = channel();
    let tx2 = tx.clone();
    let p = spawn(move || { tx.send(1).unwrap(); });
    let q = spawn(move || { tx2.send(2).unwrap(); });
    let a = rx.recv().unwrap();
    let b = rx.recv().unwrap();
    ORDER.store(a * 10 + b, Ordering::SeqCst);
    p.join().unwrap();
    q.join().unwrap();
}
",
        "ORDER",
    );
    let theirs = loomed(|| {
        let (tx, rx) = loom::sync::mpsc::channel();
        let tx2 = tx.clone();
        let p = loom::thread::spawn(move || tx.send(1).unwrap());
        let q = loom::thread::spawn(move || tx2.send(2).unwrap());
        let a = rx.recv().unwrap();
        let b = rx.recv().unwrap();
        p.join().unwrap();
        q.join().unwrap();
        format!("ORDER={}", a * 10 + b)
    });
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 2, "{ours:?}");
}

#[test]
fn three_dining_philosophers_can_deadlock() {
    let (ours, _) = explored(
        "static F0: Mutex<i64> = Mutex::new(0);
static F1: Mutex<i64> = Mutex::new(0);
static F2: Mutex<i64> = Mutex::new(0);
fn main() {
    let p0 = spawn(|| { let _l = F0.lock().unwrap(); let _r = F1.lock().unwrap(); });
    let p1 = spawn(|| { let _l = F1.lock().unwrap(); let _r = F2.lock().unwrap(); });
    let p2 = spawn(|| { let _l = F2.lock().unwrap(); let _r = F0.lock().unwrap(); });
    p0.join().unwrap();
    p1.join().unwrap();
    p2.join().unwrap();
}
",
        "F0",
    );
    let theirs = loom_deadlocks("dining");
    assert!(theirs && ours.contains("deadlock"), "{ours:?}");
}

#[test]
fn a_message_passed_through_a_flag_is_always_seen() {
    let (ours, never) = explored(
        "static DATA: AtomicUsize = AtomicUsize::new(0);
static FLAG: AtomicUsize = AtomicUsize::new(0);
static SEEN: AtomicUsize = AtomicUsize::new(0);
fn main() {
    let w = spawn(|| {
        DATA.store(1, Ordering::SeqCst);
        FLAG.store(1, Ordering::SeqCst);
    });
    let r = spawn(|| {
        while FLAG.load(Ordering::SeqCst) == 0 {}
        SEEN.store(DATA.load(Ordering::SeqCst) + 10, Ordering::SeqCst);
    });
    w.join().unwrap();
    r.join().unwrap();
}
",
        "SEEN",
    );
    let theirs = loomed(|| {
        use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        use loom::sync::Arc;
        let data = Arc::new(AtomicUsize::new(0));
        let flag = Arc::new(AtomicUsize::new(0));
        let (d, f) = (Arc::clone(&data), Arc::clone(&flag));
        let w = loom::thread::spawn(move || {
            d.store(1, SeqCst);
            f.store(1, SeqCst);
        });
        let r = loom::thread::spawn(move || {
            while flag.load(SeqCst) == 0 {
                loom::thread::yield_now();
            }
            data.load(SeqCst) + 10
        });
        w.join().unwrap();
        let seen = r.join().unwrap();
        format!("SEEN={seen}")
    });
    assert_eq!(ours, theirs);
    assert_eq!(ours, BTreeSet::from(["SEEN=11".to_string()]));
    assert!(
        never,
        "a spin that never lets the writer run can go on forever"
    );
}

#[test]
fn a_condvar_wait_without_a_recheck_can_miss_its_notification() {
    for recheck in [false, true] {
        let wait = if recheck {
            "while !*started {\n        started = cvar.wait(started).unwrap();\n    }"
        } else {
            "started = cvar.wait(started).unwrap();"
        };
        let src = format!(
            "use std::sync::{{Arc, Condvar, Mutex}};
use std::thread;
static DONE: usize = 0;
fn main() {{
    let pair = Arc::new((Mutex::new(false), Condvar::new()));
    let pair2 = Arc::clone(&pair);
    let t = thread::spawn(move || {{
        let (lock, cvar) = &*pair2;
        *lock.lock().unwrap() = true;
        cvar.notify_one();
    }});
    let (lock, cvar) = &*pair;
    let mut started = lock.lock().unwrap();
    {wait}
    drop(started);
    t.join().unwrap();
}}
"
        );
        let (ours, _) = explored(&src, "DONE");
        let theirs = loom_deadlocks(if recheck {
            "condvar_while"
        } else {
            "condvar_if"
        });
        assert_eq!(ours.contains("deadlock"), theirs, "recheck: {recheck}");
        assert_eq!(theirs, !recheck);
    }
}

#[test]
fn a_vector_behind_a_lock_ends_in_every_order_its_pushes_can_take() {
    // Guarded vector ops are thread-local to the explorer (the lock orders them): the
    // contents loom sees at the end must be exactly the explorer's.
    let program = interleave_lang::compile(
        "use std::sync::{Arc, Mutex};
use std::thread;
fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let a = Arc::clone(&log);
    let b = Arc::clone(&log);
    let t1 = thread::spawn(move || {
        a.lock().unwrap().push(1);
    });
    let t2 = thread::spawn(move || {
        let mut g = b.lock().unwrap();
        let n = g.len();
        g.push(10 + n);
    });
    log.lock().unwrap().push(0);
    t1.join().unwrap();
    t2.join().unwrap();
}
",
    )
    .unwrap_or_else(|d| panic!("{d:?}"))
    .program;
    let r = explore(program, &Options::default()).unwrap();
    assert!(r.complete());
    let ours: BTreeSet<String> = r
        .outcomes
        .iter()
        .map(|o| format!("{:?}", o.key.shown))
        .collect();
    let theirs = loomed(|| {
        use loom::sync::{Arc, Mutex};
        let log = Arc::new(Mutex::new(Vec::new()));
        let (a, b) = (Arc::clone(&log), Arc::clone(&log));
        let t1 = loom::thread::spawn(move || a.lock().unwrap().push(1));
        let t2 = loom::thread::spawn(move || {
            let mut g = b.lock().unwrap();
            let n = g.len();
            g.push(10 + n);
        });
        log.lock().unwrap().push(0);
        t1.join().unwrap();
        t2.join().unwrap();
        let v = log.lock().unwrap().clone();
        format!("{:?}", [("log".to_string(), format!("{v:?}"))])
    });
    assert_eq!(ours, theirs);
    assert_eq!(ours.len(), 6, "{ours:?}");
}
