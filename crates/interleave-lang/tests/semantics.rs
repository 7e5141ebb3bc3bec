//! What each construct does when it runs, checked through the simulator's outcome.

use interleave_core::machine::End;
use interleave_core::run::{simulate, Run};
use interleave_core::settings::Settings;
use interleave_core::trace::EventKind;

fn run(src: &str, cores: u32) -> Run {
    let c = interleave_lang::compile(src).unwrap_or_else(|d| panic!("{d:?}"));
    let s = Settings {
        cores,
        quantum_ticks: 3,
        switch_cost_ticks: 0,
        ..Settings::default()
    };
    simulate(c.program, &s).unwrap()
}

fn val(r: &Run, name: &str) -> i64 {
    let o = &r.outcome;
    o.vars
        .iter()
        .chain(&o.atomics)
        .chain(&o.mutexes)
        .find(|(n, _)| n == name)
        .unwrap()
        .1
}

/// The run ended with `main` returning and no thread left behind; else its panics.
fn assert_finished(r: &Run, what: &str) {
    assert_eq!(
        r.outcome.end,
        End::Finished { stopped: 0 },
        "{what} {:?}",
        r.outcome.panics
    );
}

/// How many times a mutex was acquired and released in the run.
fn locks_and_unlocks(r: &Run) -> (usize, usize) {
    let count = |f: fn(&EventKind) -> bool| r.events.iter().filter(|e| f(&e.kind)).count();
    (
        count(|k| matches!(k, EventKind::Acquire(_))),
        count(|k| matches!(k, EventKind::Release(_))),
    )
}

fn line_of_release(r: &Run) -> Vec<u32> {
    r.events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Release(_)))
        .map(|e| {
            let st = r.state_at(e.tick);
            let func = r.program.function(st.ctx(e.thread).func);
            // The op that released is the one before the current pc (or the current op).
            let pc = st.ctx(e.thread).pc as usize;
            func.lines[pc.min(func.lines.len() - 1)]
        })
        .collect()
}

#[test]
fn a_guard_is_released_at_the_end_of_its_scope() {
    let r = run(
        "static M: Mutex<i64> = Mutex::new(0);
fn main() {
    {
        let mut g = M.lock().unwrap();
        *g += 1;
        work(3);
    }
    work(1);
}",
        1,
    );
    let releases: Vec<_> = r
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Release(_)))
        .collect();
    assert_eq!(releases.len(), 1);
    assert_eq!(val(&r, "M"), 1);
    assert!(!line_of_release(&r).is_empty());
}

#[test]
fn break_continue_return_and_drop_release_guards() {
    let r = run(
        "static M: Mutex<i64> = Mutex::new(0);
fn once() {
    let mut g = M.lock().unwrap();
    *g += 1;
    return;
}
fn main() {
    loop {
        let mut g = M.lock().unwrap();
        *g += 10;
        break;
    }
    for i in 0..2 {
        let mut g = M.lock().unwrap();
        *g += 100;
        continue;
    }
    once();
    let mut g = M.lock().unwrap();
    *g += 1000;
    drop(g);
    drop(M.lock().unwrap());
    *M.lock().unwrap() += 10000;
    let v = *M.lock().unwrap();
    assert_eq!(v, 11211);
}",
        1,
    );
    assert_finished(&r, "");
    let (locks, unlocks) = locks_and_unlocks(&r);
    assert_eq!(locks, unlocks, "every lock is released");
    assert_eq!(locks, 8);
}

#[test]
fn ranges_loops_and_conditions() {
    let r = run(
        "static OUT: usize = 0;
static SIDE: AtomicUsize = AtomicUsize::new(0);
fn main() {
    let mut s = 0;
    for i in 0..4 { s += i; }
    for i in 1..=3 { s += 10 * i; }
    for i in 5..5 { s += 1000; }
    let mut n = 0;
    while n < 3 { n += 1; }
    let mut k = 0;
    loop { k += 1; if k == 4 { break; } }
    if s > 60 && n == 3 { s += 1; } else if false { s += 2; } else { s += 3; }
    if false && SIDE.fetch_add(1, Ordering::SeqCst) == 0 { s += 100; }
    if true || SIDE.fetch_add(1, Ordering::SeqCst) == 0 { s += 0; }
    OUT = s * 100 + n * 10 + k;
}",
        1,
    );
    // 0+1+2+3 = 6, +10+20+30 = 66, +1 (66 > 60) = 67.
    assert_eq!(val(&r, "OUT"), 6734);
    assert_eq!(val(&r, "SIDE"), 0, "`&&` and `||` short-circuit");
}

#[test]
fn a_channel_closes_when_every_sender_is_dropped() {
    let r = run(
        "static GOT: usize = 0;
fn main() {
    let (tx, rx) = channel();
    let tx2 = tx.clone();
    let a = spawn(move || { tx.send(1).unwrap(); });
    let b = spawn(move || { tx2.send(2).unwrap(); });
    let mut sum = 0;
    for v in rx { sum += v; }
    a.join().unwrap();
    b.join().unwrap();
    GOT = sum;
}",
        2,
    );
    assert_eq!(r.outcome.end, End::Finished { stopped: 0 });
    assert_eq!(val(&r, "GOT"), 3);
}

#[test]
fn keeping_a_sender_while_receiving_everything_deadlocks_with_an_explanation() {
    let r = run(
        "fn main() {
    let (tx, rx) = channel();
    let tx2 = tx.clone();
    let a = spawn(move || { tx2.send(1).unwrap(); });
    for v in rx { work(1); }
    a.join().unwrap();
}",
        2,
    );
    assert_eq!(r.outcome.end, End::Deadlock);
    let text = r.outcome.deadlock.unwrap().explanation;
    assert!(
        text.contains(
            "main waits to receive on channel #0 (made at line 2), whose senders are held by main"
        ),
        "{text}"
    );
}

#[test]
fn recv_unwrap_on_a_closed_channel_panics_like_rust() {
    let r = run(
        "fn main() {
    let (tx, rx) = channel();
    drop(tx);
    let v = rx.recv().unwrap();
}",
        1,
    );
    assert_eq!(r.outcome.end, End::MainPanicked);
    assert!(
        r.outcome.panics[0].message.contains("RecvError"),
        "{:?}",
        r.outcome.panics
    );
}

#[test]
fn arithmetic_that_overflows_panics_at_its_line_as_cargo_run_does() {
    // 21! does not fit in an i64: a debug build panics at the multiplication, and so does
    // the simulator, instead of going on with a wrapped value.
    let r = run(
        "static F: Mutex<i64> = Mutex::new(1);
fn factorial() {
    let mut i = 1;
    while i <= 25 {
        let mut g = F.lock().unwrap();
        *g = *g * i;
        i += 1;
    }
}
fn main() {
    let h = spawn(move || factorial());
    assert!(h.join().is_err());
}",
        1,
    );
    assert_finished(&r, "a panicked thread, joined");
    let p = &r.outcome.panics[0];
    assert_eq!(p.message, "attempt to multiply with overflow");
    assert_eq!(p.line, 6, "the line of `*g = *g * i`");
    let m = r.state_at(r.end_tick());
    // The panic poisoned the mutex, whose value is still 20!, the last one that fitted.
    assert!(m.mutexes[0].poisoned);
    assert_eq!(val(&r, "F"), 2_432_902_008_176_640_000);
    // `+=` on a counter, the other path.
    let r = run(
        "static C: Mutex<i64> = Mutex::new(9223372036854775806);
fn main() {
    for _ in 0..2 {
        *C.lock().unwrap() += 1;
    }
}",
        1,
    );
    assert_eq!(r.outcome.end, End::MainPanicked);
    assert_eq!(r.outcome.panics[0].message, "attempt to add with overflow");
    assert_eq!(val(&r, "C"), i64::MAX);
}

#[test]
fn a_negative_literal_is_a_constant_and_negating_a_value_is_a_step() {
    let steps = |src: &str| {
        let r = run(src, 1);
        assert_finished(&r, src);
        r.outcome.steps
    };
    let positive = steps("fn main() { let x = 5; let y = x * 2; assert_eq!(y, 10); }");
    let negative = steps("fn main() { let x = -5; let y = x * -2; assert_eq!(y, 10); }");
    assert_eq!(negative, positive);
    let negated = steps("fn main() { let x = 5; let y = -x * 2; assert_eq!(y, -10); }");
    assert_eq!(negated, positive + 1);
}

#[test]
fn assert_eq_reports_both_values() {
    let r = run("static X: usize = 4;\nfn main() { assert_eq!(X, 6); }", 1);
    let msg = &r.outcome.panics[0].message;
    assert!(
        msg.contains("assertion `left == right` failed")
            && msg.contains("left: 4")
            && msg.contains("right: 6"),
        "{msg}"
    );
}

#[test]
fn async_fns_await_io_and_other_async_fns() {
    let r = run(
        "static DONE: AtomicUsize = AtomicUsize::new(0);
async fn step(t: i64) { io(t).await; DONE.fetch_add(1, Ordering::SeqCst); }
async fn both() { step(5).await; step(5).await; }
async fn waiter() { let t = spawn_task(both()); t.await; DONE.fetch_add(10, Ordering::SeqCst); }
fn main() {
    let w = spawn_task(waiter());
    block_on(w);
    assert_eq!(DONE.load(Ordering::SeqCst), 12);
}",
        1,
    );
    assert_finished(&r, "");
    assert!(
        r.outcome.ticks >= 10,
        "the two awaits run one after the other"
    );
}

#[test]
fn spawned_closures_capture_values_by_copy() {
    let r = run(
        "static A: AtomicUsize = AtomicUsize::new(0);
fn add(n: i64) { A.fetch_add(n, Ordering::SeqCst); }
fn main() {
    let mut hs = 0;
    let n = 5;
    let h = spawn(move || add(n));
    let m = 7;
    let h2 = spawn(move || { add(m); add(n); });
    h.join().unwrap();
    h2.join().unwrap();
}",
        2,
    );
    assert_eq!(val(&r, "A"), 17);
}

fn races_on_one_core_fifo(src: &str) -> Vec<interleave_core::race::Race> {
    let c = interleave_lang::compile(src).unwrap_or_else(|d| panic!("{d:?}"));
    let s = Settings {
        cores: 1,
        policy: interleave_core::settings::PolicyKind::Fifo,
        ..Settings::default()
    };
    let r = simulate(c.program, &s).unwrap();
    assert_finished(&r, "");
    r.outcome.races
}

#[test]
fn two_atomic_loads_do_not_order_the_threads_that_make_them() {
    // FIFO on one core: `a` runs to its end before `b` starts. A load acquires but does
    // not release, so `b`'s load does not make `a`'s write happen before `b`'s read.
    let races = races_on_one_core_fifo(
        "static FLAG: AtomicUsize = AtomicUsize::new(0);
static DATA: usize = 0;
fn main() {
    let a = spawn(|| { DATA = 1; FLAG.load(Ordering::SeqCst); });
    let b = spawn(|| { FLAG.load(Ordering::SeqCst); let v = DATA; });
    a.join().unwrap();
    b.join().unwrap();
}",
    );
    assert_eq!(races.len(), 1, "{races:#?}");
    assert!(races[0].earlier.write && !races[0].later.write);
}

#[test]
fn a_store_then_a_load_that_sees_it_publishes_the_data() {
    let src = "static FLAG: AtomicUsize = AtomicUsize::new(0);
static DATA: usize = 0;
fn main() {
    let a = spawn(|| { DATA = 1; FLAG.store(1, Ordering::SeqCst); });
    let b = spawn(|| { while FLAG.load(Ordering::SeqCst) == 0 { work(1); } let v = DATA; });
    a.join().unwrap();
    b.join().unwrap();
}";
    assert!(races_on_one_core_fifo(src).is_empty());
    let c = interleave_lang::compile(src).unwrap();
    for seed in 0..20 {
        let s = Settings {
            cores: 2,
            policy: interleave_core::settings::PolicyKind::Random,
            seed,
            ..Settings::default()
        };
        let r = simulate(c.program.clone(), &s).unwrap();
        assert_eq!(r.outcome.end, End::Finished { stopped: 0 }, "seed {seed}");
        assert!(
            r.outcome.races.is_empty(),
            "seed {seed}: {:#?}",
            r.outcome.races
        );
    }
}

#[test]
fn a_message_carries_the_senders_past_up_to_its_send_only() {
    // `a` sends 1, writes DATA, sends 2, all before `b` runs. Receiving 1 does not order
    // the write before `b`'s read: a race. Receiving 2 first does.
    let body = |reads_after: &str| {
        format!(
            "static DATA: usize = 0;
fn main() {{
    let (tx, rx) = channel();
    let a = spawn(move || {{ tx.send(1).unwrap(); DATA = 1; tx.send(2).unwrap(); }});
    let b = spawn(move || {{ {reads_after} }});
    a.join().unwrap();
    b.join().unwrap();
}}"
        )
    };
    let races = races_on_one_core_fifo(&body("rx.recv().unwrap(); let v = DATA;"));
    assert_eq!(races.len(), 1, "{races:#?}");
    let races = races_on_one_core_fifo(&body(
        "rx.recv().unwrap(); rx.recv().unwrap(); let v = DATA;",
    ));
    assert!(races.is_empty(), "{races:#?}");
}

#[test]
fn let_underscore_drops_a_result_and_drop_releases_a_temporary_guard() {
    // As in Rust: `let _ = h.join();` waits and ignores the thread's panic, `let _ =
    // rx.recv();` ignores the error, and `drop(M.lock().unwrap());` unlocks at once.
    let r = run(
        "static M: Mutex<i64> = Mutex::new(0);
static DONE: usize = 0;
fn main() {
    let h = spawn(|| { assert!(false); });
    let _ = h.join();
    let (tx, rx) = channel();
    drop(tx);
    let _ = rx.recv();
    drop(M.lock().unwrap());
    let mut g = M.lock().unwrap();
    *g += 1;
    drop(g);
    DONE = 1;
}",
        2,
    );
    assert_finished(&r, "");
    assert_eq!(
        r.outcome.panics.len(),
        1,
        "only the spawned thread panicked"
    );
    assert_eq!((val(&r, "M"), val(&r, "DONE")), (1, 1));
    let (locks, unlocks) = locks_and_unlocks(&r);
    assert_eq!((locks, unlocks), (2, 2), "each lock released once");
}

#[test]
fn a_sender_stuck_on_a_rendezvous_is_not_called_full() {
    // `sync_channel(0)` has no buffer: a send waits for a receiver, not for room.
    let r = run(
        "fn main() {
    let (tx, rx) = sync_channel(0);
    let (tx2, rx2) = sync_channel(0);
    let a = spawn(move || { tx.send(1).unwrap(); let v = rx2.recv().unwrap(); });
    tx2.send(2).unwrap();
    let v = rx.recv().unwrap();
    a.join().unwrap();
}",
        2,
    );
    assert_eq!(r.outcome.end, End::Deadlock);
    let text = r.outcome.deadlock.unwrap().explanation;
    assert!(
        text.contains("waits to send on rendezvous channel #0 (made at line 2)"),
        "{text}"
    );
    assert!(
        text.contains("waits to send on rendezvous channel #1 (made at line 3)"),
        "{text}"
    );
    assert!(!text.contains("full"), "{text}");
}

#[test]
fn a_guard_dropped_on_some_paths_is_unlocked_at_its_scope_end_on_the_others() {
    // Rust's drop flags: the guard is dropped where `drop` ran, and at the `}` elsewhere.
    for (c, loop_exit) in [(0, 0), (1, 0), (0, 2), (1, 2)] {
        let src = format!(
            "static M: Mutex<i64> = Mutex::new(0);
fn main() {{
    let c = {c};
    {{
        let mut g = M.lock().unwrap();
        *g += 1;
        if c == 1 {{ drop(g); }} else {{ work(1); }}
        work(1);
    }}
    {{
        let g = M.lock().unwrap();
        let mut i = 0;
        while i < 3 {{
            i += 1;
            if i == {loop_exit} {{ drop(g); break; }}
        }}
    }}
    let mut g = M.lock().unwrap();
    *g += 10;
}}"
        );
        let r = run(&src, 1);
        assert_finished(&r, &format!("c={c} exit={loop_exit}"));
        assert_eq!(val(&r, "M"), 11);
        let (locks, unlocks) = locks_and_unlocks(&r);
        assert_eq!(
            (locks, unlocks),
            (3, 3),
            "c={c} exit={loop_exit}: each released once"
        );
    }
}

#[test]
fn a_handle_moved_in_both_arms_of_an_if_is_fine_and_gone_after() {
    let ok = "fn main() {
    let (tx, rx) = channel();
    let c = 1;
    if c == 1 { drop(tx); } else { drop(tx); }
    let h = spawn(|| work(1));
    if c == 1 { h.join().unwrap(); } else { h.join().unwrap(); }
}";
    assert!(interleave_lang::compile(ok).is_ok());
    let bad = "fn main() {
    let (tx, rx) = channel();
    let c = 1;
    if c == 1 { drop(tx); }
    tx.send(1).unwrap();
}";
    let Err(e) = interleave_lang::compile(bad) else {
        panic!("a send after a drop on one path must not compile");
    };
    assert!(
        e[0].message.contains("borrow of moved value: `tx`"),
        "{e:?}"
    );
    assert_eq!(e[0].code, Some("E0382"));
}

/// The text a run printed, all threads together, in order.
fn printed(r: &Run) -> String {
    r.outcome.output.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn println_prints_integers_in_every_hole_form_in_order() {
    let r = run(
        "use std::thread;\n\
         static X: i64 = 5;\n\
         fn main() {\n\
             let a = 7;\n\
             println!(\"a = {}, X = {:?}, again {0}\", a, X);\n\
             println!(\"inline {a} and {{braces}}\");\n\
             print!(\"no newline \");\n\
             eprintln!(\"to stderr {}\", a + 1);\n\
             println!();\n\
         }\n",
        1,
    );
    assert_finished(&r, "printing");
    assert_eq!(
        printed(&r),
        "a = 7, X = 5, again 7\ninline 7 and {braces}\nno newline to stderr 8\n\n"
    );
    let errs: Vec<bool> = r.outcome.output.iter().map(|p| p.err).collect();
    assert_eq!(errs, [false, false, false, true, false]);
}

#[test]
fn each_thread_prints_in_the_order_the_schedule_gives() {
    let r = run(
        "use std::thread;\n\
         fn main() {\n\
             let h = thread::spawn(|| { for i in 1..4 { println!(\"T {i}\"); } });\n\
             for i in 1..3 { println!(\"M {i}\"); }\n\
             h.join().unwrap();\n\
         }\n",
        2,
    );
    assert_finished(&r, "two printers");
    let lines: Vec<&str> = r.outcome.output.iter().map(|p| p.text.trim_end()).collect();
    let mine = |who: &str| -> Vec<&str> {
        lines
            .iter()
            .copied()
            .filter(|l| l.starts_with(who))
            .collect()
    };
    // Each thread's own lines keep their order; ticks never go backwards.
    assert_eq!(mine("T"), ["T 1", "T 2", "T 3"]);
    assert_eq!(mine("M"), ["M 1", "M 2"]);
    assert!(r.outcome.output.windows(2).all(|w| w[0].tick <= w[1].tick));
}

#[test]
fn a_program_that_prints_forever_stops_at_the_output_limit() {
    let r = run("fn main() { loop { println!(\"again\"); } }\n", 1);
    assert_eq!(
        r.outcome.end,
        End::Limit(interleave_core::machine::Limit::Output)
    );
    assert!(printed(&r).len() <= 65_536);
}

#[test]
fn durations_become_ticks_at_one_millisecond_per_tick() {
    // One thread sleeps; the run's end tells how long. Every unit against the same scale.
    let ticks = |d: &str| {
        let src = format!(
            "use std::thread;\nuse std::time::Duration;\nfn main() {{ thread::sleep({d}); }}\n"
        );
        run(&src, 1).outcome.ticks
    };
    let ms = ticks("Duration::from_millis(7)");
    assert_eq!(ticks("Duration::from_secs(2)") - ms, 2000 - 7);
    assert_eq!(ticks("Duration::from_micros(7000)"), ms);
    // Less than a tick rounds up to one, never down to none.
    assert_eq!(
        ticks("Duration::from_micros(1)"),
        ticks("Duration::from_millis(1)")
    );
    assert_eq!(
        ticks("Duration::from_nanos(1_500_000)"),
        ticks("Duration::from_millis(2)")
    );
    // A computed duration scales the same way.
    let computed = |s: i64| {
        let src = format!(
            "use std::thread;\nuse std::time::Duration;\nfn main() {{ let s = {s}; thread::sleep(Duration::from_secs(s)); }}\n"
        );
        run(&src, 1).outcome.ticks
    };
    assert_eq!(computed(3) - computed(1), 2000);
}

#[test]
fn a_thread_returns_its_closure_s_value_to_the_joiner() {
    let r = run(
        "use std::thread;\n\
         static X: AtomicUsize = AtomicUsize::new(3);\n\
         fn main() {\n\
             let t = thread::spawn(|| { let a = X.load(Ordering::SeqCst); a * 10 });\n\
             let s = thread::spawn(|| 4);\n\
             let v = t.join().unwrap() + s.join().unwrap();\n\
             assert_eq!(v, 34);\n\
             println!(\"{v}\");\n\
         }\n",
        2,
    );
    assert_finished(&r, "returned values");
    assert_eq!(printed(&r), "34\n");
}

#[test]
fn a_parenthesised_tail_is_still_the_thread_s_value() {
    let r = run(
        "use std::thread;\n\
         fn main() {\n\
             let t = thread::spawn(|| { let x = 3; (x * 2) });\n\
             assert_eq!(t.join().unwrap(), 6);\n\
         }\n",
        1,
    );
    assert_finished(&r, "a parenthesised tail");
}

#[test]
fn printing_nothing_forever_still_meets_the_output_limit() {
    let r = run("fn main() { loop { print!(\"\"); } }\n", 1);
    assert_eq!(
        r.outcome.end,
        End::Limit(interleave_core::machine::Limit::Output)
    );
    assert!(r.outcome.output.len() <= 65_536);
}

/// A string literal is a `&'static str`, which is `Copy`: sending it leaves it usable, as
/// rustc allows; an owned `String` moves into the channel, and using it after is E0382.
#[test]
fn a_str_literal_is_copied_by_send_and_a_string_is_moved() {
    let copied = "use std::sync::mpsc;
fn main() {
    let (tx, rx) = mpsc::channel();
    let greeting = \"hi\";
    tx.send(greeting).unwrap();
    println!(\"{greeting} {}\", rx.recv().unwrap());
}";
    assert!(interleave_lang::compile(copied).is_ok());
    let moved = copied.replace("\"hi\";", "String::from(\"hi\");");
    let Err(e) = interleave_lang::compile(&moved) else {
        panic!("a String used after it was sent must not compile");
    };
    assert_eq!(e[0].code, Some("E0382"), "{e:?}");
}

#[test]
fn rwlock_readers_share_the_lock_and_a_writer_behind_ones_own_read_lock_waits_for_itself() {
    // Two threads on two cores read at once: both hold a read lock at the same time.
    let r = run(
        "use std::sync::RwLock;
use std::thread;
static R: RwLock<i64> = RwLock::new(7);
fn main() {
    let a = thread::spawn(|| { let g = R.read().unwrap(); let _x = *g; let _y = *g; });
    let b = thread::spawn(|| { let g = R.read().unwrap(); let _x = *g; let _y = *g; });
    a.join().unwrap();
    b.join().unwrap();
}
",
        3,
    );
    assert_finished(&r, "two readers");
    let (mut holding, mut most) = (0, 0);
    for e in &r.events {
        match e.kind {
            EventKind::AcquireRead(_) => holding += 1,
            EventKind::ReleaseRead(_) => holding -= 1,
            _ => {}
        }
        most = most.max(holding);
    }
    assert_eq!(most, 2, "both readers hold the lock at once");
    // A write lock taken while this thread holds a read lock never comes: std may
    // deadlock here, and the explanation says the thread waits for itself.
    let r = run(
        "use std::sync::RwLock;
static R: RwLock<i64> = RwLock::new(0);
fn main() {
    let r = R.read().unwrap();
    let w = R.write().unwrap();
}
",
        1,
    );
    assert_eq!(r.outcome.end, End::Deadlock);
    let d = interleave_core::explain::deadlock(&r.state_at(r.end_tick()));
    assert!(
        d.explanation
            .starts_with("Deadlock: main waits for itself."),
        "{}",
        d.explanation
    );
}

#[test]
fn strings_made_at_run_time_print_as_made_and_are_bounded() {
    // A thread's `format!` result travels through `join`, a channel and a `Vec`, and
    // reads the same everywhere; the explorer tells apart runs that made other texts.
    let r = run(
        "use std::sync::mpsc;
use std::thread;
fn main() {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        let x = 6 * 7;
        tx.send(x.to_string()).unwrap();
        format!(\"{x:?} from {}\", \"T1\")
    });
    let mut all = vec![h.join().unwrap()];
    all.push(rx.recv().unwrap());
    println!(\"{} / {:?}\", all[0], all[1]);
}
",
        2,
    );
    assert_finished(&r, "strings");
    assert_eq!(printed(&r), "42 from T1 / \"42\"\n");
    // A loop that makes strings forever stops at the heap limit, in words.
    let r = run(
        "fn main() { let mut i = 0; loop { i += 1; let s = format!(\"{i}\"); } }\n",
        1,
    );
    assert_eq!(
        r.outcome.end,
        End::Limit(interleave_core::machine::Limit::Heap)
    );
}

#[test]
fn recv_timeout_waits_at_most_its_duration_and_tells_timeout_from_disconnection() {
    // The sender waits `wait` ms before sending; the receiver gives up after 50 ms.
    let src = |wait: u32| {
        format!(
            "use std::sync::mpsc;
use std::thread;
use std::time::Duration;
fn main() {{
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {{
        thread::sleep(Duration::from_millis({wait}));
        tx.send(7).unwrap();
    }});
    match rx.recv_timeout(Duration::from_millis(50)) {{
        Ok(v) => println!(\"got {{v}}\"),
        Err(mpsc::RecvTimeoutError::Timeout) => println!(\"timeout\"),
        Err(mpsc::RecvTimeoutError::Disconnected) => println!(\"gone\"),
    }}
    if let Ok(v) = rx.recv_timeout(Duration::from_secs(1)) {{
        println!(\"then {{v}}\");
    }}
    println!(\"{{}}\", rx.recv_timeout(Duration::from_millis(5)).is_err());
}}
"
        )
    };
    let r = run(&src(10), 2);
    assert_finished(&r, "in time");
    assert_eq!(printed(&r), "got 7\ntrue\n");
    let r = run(&src(200), 2);
    assert_finished(&r, "late");
    assert_eq!(printed(&r), "timeout\nthen 7\ntrue\n");
    // It waited its 50 ms, then the 1 s wait ended when the message came at 200 ms.
    assert!((200..400).contains(&r.outcome.ticks), "{}", r.outcome.ticks);
    // The explorer finds both, and that a starved sender may miss even the 1 s wait (any
    // timeout may fire before the message comes); no "gone" (it disconnects only after
    // sending).
    let c = interleave_lang::compile(&src(10)).unwrap();
    let report =
        interleave_core::explore::explore(c.program, &interleave_core::explore::Options::default())
            .unwrap();
    assert!(report.complete());
    let mut outputs: Vec<&str> = report
        .outcomes
        .iter()
        .map(|o| o.key.output.as_str())
        .collect();
    outputs.sort();
    outputs.dedup();
    assert_eq!(
        outputs,
        [
            "got 7\ntrue\n",
            "timeout\nfalse\n",
            "timeout\nthen 7\ntrue\n",
            "timeout\ntrue\n"
        ]
    );
}

#[test]
fn the_tick_scale_sets_how_long_a_duration_is_and_rounds_up() {
    use interleave_lang::compile::time::Scale;
    let ticks = |d: &str, tick: &str| {
        let src = format!(
            "use std::thread;\nuse std::time::Duration;\nfn main() {{ thread::sleep({d}); }}\n"
        );
        let c = interleave_lang::compile_with(&src, Scale::parse(tick).unwrap()).unwrap();
        let s = Settings {
            cores: 1,
            switch_cost_ticks: 0,
            ..Settings::default()
        };
        simulate(c.program, &s).unwrap().outcome.ticks
    };
    // One op, then the sleep: the run's length minus that of a zero sleep.
    let slept = |d: &str, tick: &str| ticks(d, tick) - ticks("Duration::from_millis(0)", tick);
    assert_eq!(slept("Duration::from_millis(1)", "1ms"), 1);
    assert_eq!(slept("Duration::from_millis(1)", "100us"), 10);
    assert_eq!(slept("Duration::from_micros(250)", "100us"), 3);
    assert_eq!(slept("Duration::from_secs(2)", "100ms"), 20);
    assert_eq!(slept("Duration::from_millis(1)", "1s"), 1);
    assert_eq!(slept("Duration::from_nanos(1)", "1us"), 1);
}

#[test]
fn a_channel_shows_its_messages_as_the_program_would_print_them() {
    // Main sends three strings and a tuple channel's message, then stops before
    // receiving: the memory panel's view of the buffers.
    let r = run(
        "use std::sync::mpsc;
use std::thread;
use std::time::Duration;
fn main() {
    let (tx, rx) = mpsc::channel();
    let (ptx, prx) = mpsc::channel();
    let (ntx, nrx) = mpsc::channel();
    tx.send(String::from(\"hi\")).unwrap();
    tx.send(\"from\".to_string()).unwrap();
    tx.send(format!(\"the {}\", \"thread\")).unwrap();
    ptx.send((7, true)).unwrap();
    ntx.send(3).unwrap();
    thread::sleep(Duration::from_millis(50));
    println!(\"{} {:?} {}\", rx.recv().unwrap(), prx.recv().unwrap(), nrx.recv().unwrap());
}
",
        1,
    );
    assert_finished(&r, "channels");
    let asleep = r.end_tick() - 10;
    let snap = interleave_core::snapshot::Snapshot::of(&r.state_at(asleep));
    let shown: Vec<Vec<String>> = snap.channels.iter().map(|c| c.shown.clone()).collect();
    assert_eq!(
        shown,
        [
            vec!["\"hi\"", "\"from\"", "\"the thread\""],
            vec!["(7, true)"],
            vec!["3"]
        ]
    );
}

#[test]
fn options_and_results_are_values_a_function_returns_and_question_mark_returns_early() {
    let r = run(
        "use std::thread;\n\
         fn largest(v: &[i32]) -> Option<i32> {\n\
             let mut best = None;\n\
             for x in v {\n\
                 let bigger = match best { Some(b) => *x > b, None => true };\n\
                 if bigger { best = Some(*x); }\n\
             }\n\
             best\n\
         }\n\
         fn level(n: i32) -> Result<i32, String> {\n\
             if n > 10 { return Err(format!(\"{n} is too high\")); }\n\
             Ok(n * 2)\n\
         }\n\
         fn both(a: i32, b: i32) -> Result<i32, String> {\n\
             let x = level(a)?;\n\
             println!(\"first was fine\");\n\
             Ok(x + level(b)?)\n\
         }\n\
         fn main() {\n\
             let h = thread::spawn(|| largest(&[4, 9, 2]).unwrap_or(0));\n\
             println!(\"{:?} {:?}\", largest(&vec![]), both(1, 2));\n\
             println!(\"{:?}\", both(11, 1));\n\
             let e = both(1, 12);\n\
             if let Err(why) = e { println!(\"no: {why}\"); }\n\
             let none: Option<bool> = None;\n\
             println!(\"{} {} {}\", none.is_some(), Some(true).unwrap(), h.join().unwrap());\n\
         }\n",
        2,
    );
    assert_finished(&r, "options and results");
    assert_eq!(
        printed(&r),
        "first was fine\nNone Ok(6)\nErr(\"11 is too high\")\nfirst was fine\nno: 12 is too high\nfalse true 9\n"
    );
}

#[test]
fn unwrap_and_expect_of_none_or_err_panic_with_std_s_messages() {
    for (body, want) in [
        (
            "let x: Option<i32> = None; x.unwrap();",
            "called `Option::unwrap()` on a `None` value",
        ),
        (
            "let x: Option<i32> = None; x.expect(\"need {one}\");",
            "need {one}",
        ),
        (
            "let r: Result<i32, String> = Err(String::from(\"boom\")); r.unwrap();",
            "called `Result::unwrap()` on an `Err` value: \"boom\"",
        ),
        (
            "let r: Result<(), (i32, bool)> = Err((7, true)); r.expect(\"bad\");",
            "bad: (7, true)",
        ),
        (
            "let n = 4; panic!(\"n = {} and {n}\", n + 1);",
            "n = 5 and 4",
        ),
        ("panic!();", "explicit panic"),
        // An assertion's own message keeps its arguments, as std prints it.
        (
            "let x = 3; assert_eq!(x + 1, 2, \"x was {}\", x);",
            "assertion `left == right` failed: x was 3\n  left: 4\n right: 2",
        ),
        (
            "let x = 3; assert!(x < 1, \"{x} is not below {}\", 1);",
            "3 is not below 1",
        ),
        ("todo!();", "not yet implemented"),
        (
            "unreachable!(\"at {}\", 3);",
            "internal error: entered unreachable code: at 3",
        ),
    ] {
        let src = format!("fn main() {{ {body} }}\n");
        let r = run(&src, 1);
        assert_eq!(r.outcome.panics.len(), 1, "{body}");
        assert_eq!(r.outcome.panics[0].message, want, "{body}");
    }
}

#[test]
fn arithmetic_on_a_written_integer_type_panics_where_a_debug_build_does() {
    for (src, want) in [
        // A `Mutex<u8>` at 255, `+= 1`: the add overflows (3 steps, as an `i64`'s).
        (
            "use std::sync::Mutex;\nstatic T: Mutex<u8> = Mutex::new(255);\nfn main() { let mut g = T.lock().unwrap(); *g += 1; }\n",
            "attempt to add with overflow",
        ),
        // `len() - 1` of an empty vector: a `usize` below zero.
        (
            "fn main() { let v: Vec<i32> = Vec::new(); let last = v.len() - 1; println!(\"{last}\"); }\n",
            "attempt to subtract with overflow",
        ),
        // A parameter's type, and a `static` `u32` times itself.
        (
            "fn left(total: u32, sold: u32) -> u32 { total - sold }\nfn main() { let n = left(3, 5); println!(\"{n}\"); }\n",
            "attempt to subtract with overflow",
        ),
        (
            "static X: u32 = 70000;\nfn main() { let y = X * X; println!(\"{y}\"); }\n",
            "attempt to multiply with overflow",
        ),
        (
            "fn main() { let x: i8 = -100; let y = x - 100; println!(\"{y}\"); }\n",
            "attempt to subtract with overflow",
        ),
    ] {
        let r = run(src, 1);
        assert_eq!(r.outcome.panics.len(), 1, "{src}");
        assert_eq!(r.outcome.panics[0].message, want, "{src}");
    }
    // In range, and where no type is written (an `i64` here), nothing panics.
    let r = run(
        "static X: u32 = 65535;\nfn main() { let a: u8 = 200; let b = a + 55; let c = X * X; let d = 4000000000 * 2; println!(\"{b} {c} {d}\"); }\n",
        1,
    );
    assert_finished(&r, "in range");
    assert_eq!(printed(&r), "255 4294836225 8000000000\n");
}

#[test]
fn channel_ends_are_dropped_where_their_scope_ends_as_rustc_drops_them() {
    // A sender cloned in a loop's body, in a block, in a `match` arm, passed to a
    // function, before a `break` or a `return`: each is gone at its scope's end, so the
    // receiving loop ends (it reported a deadlock: the clones kept the channel open).
    let r = run(
        "use std::sync::mpsc;\n\
         fn give(tx: mpsc::Sender<i32>, v: i32) { tx.send(v).unwrap(); }\n\
         fn lend(tx: &mpsc::Sender<i32>) -> i32 { let t = tx.clone(); t.send(5).unwrap(); 1 }\n\
         fn early(tx: &mpsc::Sender<i32>) -> i32 { let t = tx.clone(); if t.send(6).is_ok() { return 2; } 3 }\n\
         fn main() {\n\
             let (tx, rx) = mpsc::channel();\n\
             for i in 0..3 { let t = tx.clone(); t.send(i).unwrap(); }\n\
             { let a = tx.clone(); let b = a; give(b, 3); }\n\
             match 1 { 1 => { let t = tx.clone(); t.send(4).unwrap(); } _ => {} }\n\
             let n = lend(&tx) + early(&tx);\n\
             loop { let t = tx.clone(); t.send(7).unwrap(); break; }\n\
             drop(tx);\n\
             let mut sum = 0;\n\
             for v in rx { sum += v; }\n\
             println!(\"{sum} {n}\");\n\
         }\n",
        1,
    );
    assert_finished(&r, "every clone dropped");
    assert_eq!(printed(&r), "28 3\n");
}

#[test]
fn if_and_match_are_values_of_any_type_with_guards() {
    let r = run(
        r#"
fn larger(a: i32, b: i32) -> i32 {
    if a > b { a } else { b }
}
fn size(n: i32) -> &'static str {
    match n {
        x if x < 0 => "negative",
        0 => "zero",
        x if x < 10 => "small",
        _ => "large",
    }
}
fn main() {
    let c = 3;
    let s = if c > 2 { "big" } else { "small" };
    let o = match c { 3 => Some(3), _ => None };
    let b = if c == 3 { true } else { false };
    let none: Option<i32> = None;
    let g = match none { Some(x) if x > 0 => x, Some(_) => 1, None => 2 };
    println!("{} {s} {:?} {b} {g} {} {} {}", larger(2, 9), o, size(-1), size(0), size(50));
}
"#,
        1,
    );
    assert_finished(&r, "if/match values");
    assert_eq!(printed(&r), "9 big Some(3) true 2 negative zero large\n");
}

#[test]
fn option_and_result_combinators_run_as_their_matches() {
    let r = run(
        r#"
fn half(x: i32) -> Option<i32> {
    if x % 2 == 0 { Some(x / 2) } else { None }
}
fn parse(n: i32) -> Result<i32, String> {
    if n >= 0 { Ok(n) } else { Err(format!("{n} is negative")) }
}
fn main() {
    let a = Some(4).map(|x| x * 2);
    let b = Some(6).and_then(half).and_then(half);
    let c: Option<i32> = None;
    let d = c.unwrap_or_else(|| 7);
    let e = parse(-1).map_err(|e| format!("bad: {e}")).err();
    let f = parse(5).ok().filter(|x| *x > 9).is_none();
    let g = Some(2).ok_or("none");
    let h = parse(-3).unwrap_or_default();
    println!("{a:?} {b:?} {d} {e:?} {f} {g:?} {h}");
}
"#,
        1,
    );
    assert_finished(&r, "combinators");
    assert_eq!(
        printed(&r),
        "Some(8) None 7 Some(\"bad: -1 is negative\") true Ok(2) 0\n"
    );
}

#[test]
fn string_escapes_are_rust_s() {
    let r = run(
        r#"fn main() { println!("a\tb\\c\"d\u{e9}\x41\r\0|\
        continued"); }"#,
        1,
    );
    assert_eq!(printed(&r), "a\tb\\c\"d\u{e9}A\r\0|continued\n");
}

/// A `while let`, `match` or `if let` keeps its scrutinee's temporary guard to its end (a
/// worker holds the queue's lock while it works); a `let` drops it at its `;`. The same
/// program under rustc (edition 2024) prints the same (see the corpus).
#[test]
fn a_scrutinee_s_temporary_guard_lives_as_long_as_rust_keeps_it() {
    let r = run(
        r#"
use std::sync::Mutex;
fn locked(q: &Mutex<Vec<i32>>) -> bool {
    if let Ok(_g) = q.try_lock() { false } else { true }
}
fn main() {
    let q = Mutex::new(vec![1, 2]);
    while let Some(job) = q.lock().unwrap().pop() {
        println!("while let {job}: {}", locked(&q));
        if job == 2 { continue; }
    }
    let last = q.lock().unwrap().pop();
    println!("let {last:?}: {}", locked(&q));
    q.lock().unwrap().push(7);
    match q.lock().unwrap().pop() {
        Some(x) => println!("match {x}: {}", locked(&q)),
        None => println!("empty"),
    }
    q.lock().unwrap().push(8);
    if let Some(x) = q.lock().unwrap().pop() {
        println!("if let {x}: {}", locked(&q));
    }
    let v = if let Some(x) = q.lock().unwrap().pop() { x } else { println!("else: {}", locked(&q)); 0 };
    println!("{v}: {}", locked(&q));
}
"#,
        1,
    );
    assert_finished(&r, "held temporaries");
    assert_eq!(
        printed(&r),
        "while let 2: true\nwhile let 1: true\nlet None: false\nmatch 7: true\nif let 8: true\nelse: false\n0: false\n"
    );
    let (locks, unlocks) = locks_and_unlocks(&r);
    assert_eq!(locks, unlocks, "every lock taken is given back");
}

/// `h.join()`, `rx.recv()` and `tx.send(v)` kept as values print as std prints them
/// (the same program under rustc prints the same), and `unwrap` of the error panics with
/// std's message.
#[test]
fn results_of_join_recv_and_send_are_values() {
    let r = run(
        r#"
use std::sync::mpsc;
use std::thread;
fn main() {
    let h = thread::spawn(|| {});
    let r = h.join();
    println!("{:?} {}", r, r.is_ok());
    let bad = thread::spawn(|| { panic!("no"); }).join();
    println!("{bad:?}");
    let (tx, rx) = mpsc::channel();
    let sent = tx.send(true);
    println!("{sent:?} {:?}", rx.recv());
    drop(rx);
    let lost = tx.send(false);
    println!("{lost:?}");
    let (tx2, rx2) = mpsc::channel::<i32>();
    drop(tx2);
    let got = rx2.recv();
    println!("{:?}", got);
    got.unwrap();
}
"#,
        1,
    );
    assert_eq!(
        printed(&r),
        "Ok(()) true\nErr(Any { .. })\nOk(()) Ok(true)\nErr(SendError { .. })\nErr(RecvError)\n"
    );
    let msgs: Vec<&str> = r
        .outcome
        .panics
        .iter()
        .map(|p| p.message.as_str())
        .collect();
    assert!(
        msgs.contains(&"called `Result::unwrap()` on an `Err` value: RecvError"),
        "{msgs:?}"
    );
}

/// `-9223372036854775808` is `i64::MIN` (its digits alone do not fit, and are refused
/// alone); `-x` of the smallest value of its type panics with rustc's "negate" message.
#[test]
fn the_smallest_literal_reads_and_negating_it_overflows_as_rustc_says() {
    for (src, printed_first, msg) in [
        (
            "fn main() { let a = -9223372036854775808; let b = i64::MIN; println!(\"{}\", a == b); let c = -b; println!(\"{c}\"); }",
            "true\n",
            "attempt to negate with overflow",
        ),
        (
            "fn main() { let a: i8 = -128; println!(\"{a}\"); let b = -a; println!(\"{b}\"); }",
            "-128\n",
            "attempt to negate with overflow",
        ),
        (
            "fn main() { let a = i64::MIN; println!(\"{a}\"); let b = a - 1; println!(\"{b}\"); }",
            "-9223372036854775808\n",
            "attempt to subtract with overflow",
        ),
    ] {
        let r = run(src, 1);
        assert_eq!(printed(&r), printed_first, "{src}");
        let msgs: Vec<&str> = r.outcome.panics.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(msgs, [msg], "{src}");
    }
    assert!(interleave_lang::compile("fn main() { let a = 5 - 9223372036854775808; }").is_err());
}

/// Strings compare by their text, whoever made them (a literal, `format!`, a `String`
/// sent from another thread); a string against a number is rustc's E0308.
#[test]
fn strings_compare_by_their_text() {
    let r = run(
        r#"
use std::sync::mpsc;
use std::thread;
fn main() {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        tx.send(String::from("quit")).unwrap();
    });
    let got = rx.recv().unwrap();
    let made = format!("qu{}", "it");
    println!("{} {} {} {}", got == "quit", made == got, got != made, "a" == "b");
}
"#,
        2,
    );
    assert_eq!(printed(&r), "true true false false\n");
    let Err(diags) = interleave_lang::compile("fn main() { let s = \"a\"; let b = s == 1; }")
    else {
        panic!("a string against a number compiled");
    };
    assert!(diags.iter().any(|d| d.code == Some("E0308")), "{diags:?}");
}

/// `s1 + &s2` and `s += "…"` make the joined `String` (E0369 for `&str + &str`), and a
/// thread that receives before the sends are compiled still gets strings, not numbers.
#[test]
fn strings_join_with_plus_and_a_receiver_learns_what_comes_later() {
    let r = run(
        r#"
use std::sync::mpsc;
use std::thread;
fn main() {
    let (tx, rx) = mpsc::channel();
    let printer = thread::spawn(move || {
        for msg in rx {
            println!("{msg}");
        }
    });
    let mut s = String::from("foo");
    s += "bar";
    let s1 = String::from("Hello, ");
    let s3 = s1 + &s;
    tx.send(s3).unwrap();
    drop(tx);
    printer.join().unwrap();
}
"#,
        2,
    );
    assert_eq!(printed(&r), "Hello, foobar\n");
    let Err(diags) = interleave_lang::compile("fn main() { let a = \"x\"; let b = a + \"y\"; }")
    else {
        panic!("&str + &str compiled");
    };
    assert!(diags.iter().any(|d| d.code == Some("E0369")), "{diags:?}");
}
