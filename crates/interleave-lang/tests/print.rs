//! The formatter (idempotent, keeps comments and meaning) and the Rust view (every race-free
//! preset compiles with rustc and, where it finishes, runs with its assertions holding; the
//! racy one fails with exactly the error we show).

use interleave_core::program::Program;
use interleave_lang::print::{format, rust_view};
use interleave_lang::{compile, presets};
use std::process::Command;

mod common;
use common::{build, runs_ok};

/// The program without source lines (formatting moves lines, not meaning).
fn meaning(src: &str) -> Program {
    let mut p = (*compile(src).expect("compiles").program).clone();
    for f in &mut p.functions {
        f.lines.iter_mut().for_each(|l| *l = 0);
        // Closures are named after their line: `{closure@main:4}`.
        if let Some(i) = f.name.rfind(':') {
            f.name.truncate(i);
        }
    }
    p
}

fn comment_count(s: &str) -> usize {
    s.matches("//").count()
}

#[test]
fn formatting_every_preset_is_idempotent_and_keeps_comments_and_meaning() {
    for p in presets::all() {
        let once = format(p.source).unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
        let twice = format(&once).unwrap();
        assert_eq!(once, twice, "{}: formatting is idempotent", p.name);
        assert_eq!(
            meaning(&once),
            meaning(p.source),
            "{}: same program",
            p.name
        );
        assert_eq!(
            comment_count(&once),
            comment_count(p.source),
            "{}: comments kept",
            p.name
        );
    }
}

#[test]
fn formatting_normalises_layout() {
    let messy =
        "static   X:usize=0;\nfn main(){let  mut a=1+2*3;if a>1{X+=a;}else{a-=1;}  // note\n}";
    let want = "static X: usize = 0;\n\nfn main() {\n    let mut a = 1 + 2 * 3;\n    if a > 1 {\n        X += a;\n    } else {\n        a -= 1;\n    }  // note\n}\n";
    assert_eq!(format(messy).unwrap(), want);
    // Parentheses that matter are kept, and only those.
    let f = format("fn main() { let x = (1 + 2) * 3; let y = 1 + (2 * 3); let z = 10 - (4 - 3); }")
        .unwrap();
    assert!(f.contains("let x = (1 + 2) * 3;"), "{f}");
    assert!(f.contains("let y = 1 + 2 * 3;"), "{f}");
    assert!(f.contains("let z = 10 - (4 - 3);"), "{f}");
    // Errors come back as diagnostics; nothing is formatted.
    assert!(format("fn main() { let = ; }").is_err());
}

#[test]
fn formatting_edited_presets_round_trips_whenever_they_parse() {
    let mut tried = 0;
    for p in presets::all() {
        let lines: Vec<&str> = p.source.lines().collect();
        for skip in 0..lines.len() {
            let mut edited: Vec<&str> = lines.clone();
            edited.remove(skip);
            let src = edited.join("\n");
            tried += 1;
            if let Ok(once) = format(&src) {
                assert_eq!(
                    format(&once).unwrap(),
                    once,
                    "{} without line {skip}",
                    p.name
                );
                if let Ok(c) = compile(&src) {
                    let _ = c;
                    assert_eq!(
                        meaning(&once),
                        meaning(&src),
                        "{} without line {skip}",
                        p.name
                    );
                }
            }
        }
    }
    assert!(tried > 300, "{tried}");
}

#[test]
fn the_rust_view_of_every_preset_compiles_with_rustc_or_fails_as_we_say() {
    for p in presets::all() {
        let view = rust_view(p.source).unwrap();
        let (bin, out) = build(&p.name.replace('-', "_"), &view.code);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match &view.refused {
            Some(refusal) => {
                assert!(
                    !out.status.success(),
                    "{}: rustc accepted racy code",
                    p.name
                );
                let shown = refusal.error.trim_start_matches("error");
                assert!(
                    stderr.contains(shown),
                    "{}: we show `{}` but rustc says:\n{stderr}",
                    p.name,
                    refusal.error
                );
                assert!(p.expect.iter().any(|e| e == "race=yes"), "{}", p.name);
            }
            None => {
                assert!(
                    out.status.success(),
                    "{}: the Rust view does not compile:\n{stderr}\n{}",
                    p.name,
                    view.code
                );
                // Safe Rust refuses a data race: a racy preset compiles only because it
                // says `unsafe` (a `static mut`), the programmer's promise it breaks.
                assert!(
                    !p.expect.iter().any(|e| e == "race=yes") || p.source.contains("unsafe {"),
                    "{}: racy but accepted without `unsafe`",
                    p.name
                );
                // Run the ones that finish in the simulator: real threads, same assertions.
                if p.expect.iter().any(|e| e == "end=finished") {
                    assert!(runs_ok(&bin), "{}: the real program failed or hung", p.name);
                }
            }
        }
    }
}

#[test]
fn what_the_simulator_accepts_rustc_accepts_and_runs_to_the_same_end() {
    // Results dropped with `let _`, a guard dropped on some paths, moves in both arms of an
    // `if`, drop-then-break, a sender cloned per iteration; then tasks awaited and blocked
    // on, `return` holding a guard, `try_lock`, `compare_exchange`, a rendezvous channel and
    // `while let`. The simulator finishes each, rustc compiles its Rust view, and the real
    // program finishes too.
    for (name, src) in [
        ("moves_and_results", MOVES_AND_RESULTS),
        ("constructs", CONSTRUCTS),
        ("returns", RETURNS),
        ("uses", USES),
    ] {
        let compiled = interleave_lang::compile(src).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        let run = interleave_core::run::simulate(
            compiled.program,
            &interleave_core::settings::Settings::default(),
        )
        .unwrap();
        assert_eq!(
            run.outcome.end,
            interleave_core::machine::End::Finished { stopped: 0 },
            "{name}: {:?}",
            run.outcome.panics
        );
        let view = rust_view(src).unwrap();
        assert!(view.refused.is_none(), "{name}");
        let (bin, out) = build(name, &view.code);
        assert!(
            out.status.success(),
            "{name}: rustc refuses what the simulator accepts:\n{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            view.code
        );
        assert!(runs_ok(&bin), "{name}: the real program failed or hung");
    }
}

// Threads that return values (Rust Atomics and Locks, chapter 1's `join` returning the
// closure's value), one computed under a lock.
const RETURNS: &str = "use std::sync::Mutex;
use std::thread;

static M: Mutex<i64> = Mutex::new(4);

fn main() {
    let t = thread::spawn(|| {
        let x = 5;
        x * 2
    });
    let u = thread::spawn(|| {
        let g = M.lock().unwrap();
        *g + 1
    });
    let w = thread::spawn(|| 7);
    let v = t.join().unwrap();
    assert_eq!(v, 10);
    assert_eq!(u.join().unwrap() + w.join().unwrap(), 12);
    println!(\"{v}\");
}
";

// A program's own `use` lines, nested and grouped: the Rust view keeps them and adds
// nothing they import already (a second import of a name is E0252), and formatting keeps
// them (it used to drop them).
const USES: &str = "use std::sync::{Mutex, atomic::{AtomicUsize, Ordering}};
use std::thread::{self};
use std::time::Duration;

static M: Mutex<i64> = Mutex::new(0);
static N: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let h = thread::spawn(|| {
        N.fetch_add(1, Ordering::SeqCst);
        thread::sleep(Duration::from_millis(1));
    });
    h.join().unwrap();
    *M.lock().unwrap() += 1;
    assert_eq!(N.load(Ordering::SeqCst), 1);
}
";

#[test]
fn formatting_keeps_the_use_lines() {
    let text = interleave_lang::print::format(USES).unwrap();
    assert!(text.starts_with(
        "use std::sync::{Mutex, atomic::{AtomicUsize, Ordering}};\nuse std::thread::{self};\nuse std::time::Duration;\n\nstatic M"
    ), "{text}");
    assert_eq!(
        interleave_lang::print::format(&text).unwrap(),
        text,
        "idempotent"
    );
}

const MOVES_AND_RESULTS: &str = "static M: Mutex<i64> = Mutex::new(0);
static SUM: AtomicUsize = AtomicUsize::new(0);

fn main() {
    let h = spawn(|| {
        assert!(false);
    });
    let _ = h.join();
    let c = 0;
    {
        let mut g = M.lock().unwrap();
        *g += 1;
        if c == 1 {
            drop(g);
        }
    }
    drop(M.lock().unwrap());
    let (tx, rx) = channel();
    for i in 0..3 {
        let tx = tx.clone();
        spawn(move || {
            tx.send(i).unwrap();
        });
    }
    if c == 1 {
        drop(tx);
    } else {
        drop(tx);
    }
    for v in rx.iter() {
        SUM.fetch_add(v, Ordering::SeqCst);
    }
    let _ = rx.recv();
    let g = M.lock().unwrap();
    let mut i = 0;
    while i < 3 {
        i += 1;
        if i == 2 {
            drop(g);
            break;
        }
    }
    let mut g = M.lock().unwrap();
    *g += 10;
    assert_eq!(*g, 11);
    assert_eq!(SUM.load(Ordering::SeqCst), 3);
}
";

const CONSTRUCTS: &str = "static M: Mutex<i64> = Mutex::new(0);
static N: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);

async fn fetch(ms: i64) {
    work(1);
    io(ms).await;
    DONE.fetch_add(1, Ordering::SeqCst);
}

async fn both() {
    let a = spawn_task(fetch(3));
    let b = spawn_task(fetch(2));
    a.await;
    b.await;
}

fn helper(x: i64) {
    let mut g = M.lock().unwrap();
    if x > 1 {
        return;
    }
    *g += x;
}

fn main() {
    let t = spawn_task(both());
    block_on(t);
    assert_eq!(DONE.load(Ordering::SeqCst), 2);
    helper(1);
    helper(5);
    if let Ok(mut g) = M.try_lock() {
        *g += 1;
    }
    let ok = N.compare_exchange(0, 7).is_ok();
    assert!(ok);
    assert_ne!(N.load(Ordering::SeqCst), 0);
    let (tx, rx) = sync_channel(0);
    let tx2 = tx.clone();
    let p = spawn(move || {
        tx.send(1).unwrap();
        sleep(2);
        blocking_io(1);
    });
    let q = spawn(move || {
        tx2.send(2).unwrap();
    });
    let mut sum = 0;
    while let Ok(v) = rx.recv() {
        sum += v;
    }
    p.join().unwrap();
    q.join().unwrap();
    assert_eq!(sum, 3);
    *M.lock().unwrap() += 10;
    println!(\"{}\", sum);
    assert_eq!(*M.lock().unwrap(), 12);
}
";

/// What a real run prints is one of the outputs the explorer says are possible: the same
/// program, compiled by rustc from its Rust view and run several times, against the
/// explorer's outcomes (each carries what it printed).
#[test]
fn what_rustc_s_program_prints_is_an_output_the_explorer_finds() {
    const PRINTS: &str = "use std::thread;
use std::time::Duration;

fn main() {
    let handle = thread::spawn(|| {
        for i in 1..4 {
            println!(\"hi number {i} from the spawned thread!\");
            thread::sleep(Duration::from_millis(1));
        }
    });
    for i in 1..3 {
        println!(\"hi number {} from the main thread!\", i);
        thread::sleep(Duration::from_millis(1));
    }
    handle.join().unwrap();
    eprintln!(\"done\");
}
";
    let compiled = interleave_lang::compile(PRINTS).unwrap_or_else(|d| panic!("{d:?}"));
    let report = interleave_core::explore::explore(
        compiled.program,
        &interleave_core::explore::Options::default(),
    )
    .unwrap();
    assert!(report.complete());
    let possible: Vec<&str> = report
        .outcomes
        .iter()
        .map(|o| o.key.output.as_str())
        .collect();
    // Three spawned lines and two of main's, in any interleaving that keeps each
    // thread's order: 10 outputs.
    assert_eq!(possible.len(), 10, "{possible:#?}");
    let view = rust_view(PRINTS).unwrap();
    assert!(view.refused.is_none());
    let (bin, out) = build("prints", &view.code);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stderr),
        view.code
    );
    for _ in 0..5 {
        let real = Command::new(&bin).output().expect("runs");
        assert!(real.status.success());
        // The explorer's output is standard output and error as one stream; the real
        // program's stderr holds only the final line, so the two join in that order.
        let text =
            String::from_utf8(real.stdout).unwrap() + &String::from_utf8(real.stderr).unwrap();
        assert!(
            possible.contains(&text.as_str()),
            "the real program printed an output the explorer says is impossible:\n{text}"
        );
    }
}

/// Found by `cargo xtask fuzz`: each of these once changed (or broke) the program it
/// formatted. Formatting keeps the meaning, and formatting again changes nothing.
#[test]
fn formatting_keeps_parens_that_matter_and_one_element_tuples() {
    for (src, want) in [
        (
            "fn main() {\n    let v = (-5i64).abs();\n}\n",
            "let v = (-5).abs();",
        ),
        (
            "fn f(x: u32) -> u64 {\n    x as u32 as u64\n}\nfn main() {\n    let y = f(3);\n}\n",
            "x as u32 as u64",
        ),
        (
            "fn main() {\n    let t = (1,);\n    let u = (2 + 3) * 4;\n}\n",
            "let t = (1,);",
        ),
        // `&&x` is two borrows in front of a value.
        (
            "fn main() {\n    let x = 1;\n    let r = &(&x);\n}\n",
            "let r = &&x;",
        ),
        // A comment after `break;` stays on its line.
        (
            "fn main() {\n    loop {\n        break // done\n    }\n}\n",
            "break;  // done",
        ),
        // A `match` statement ends at its `}`: the parenthesised closure after it is a
        // statement of its own, not a call.
        (
            "fn main() {\n    match 1 {\n        _ => {}\n    }\n    (|| 2);\n}\n",
            "}\n    || 2;",
        ),
    ] {
        let once = interleave_lang::print::format(src).unwrap();
        assert!(once.contains(want), "{src} formatted to:\n{once}");
        assert_eq!(interleave_lang::print::format(&once).unwrap(), once);
    }
    // A `match` on an operator's left keeps parentheses (else it would start a statement).
    let once = interleave_lang::print::format(
        "fn main() {\n    let b = (match 1 { _ => true }) || false;\n}\n",
    )
    .unwrap();
    assert!(once.contains("let b = (match 1 {"), "{once}");
    // A formatted program over the size limit is refused, not produced.
    let big = format!("fn main() {{\n{}}}\n", "let x=1;\n".repeat(19_990));
    assert!(big.len() <= interleave_lang::parser::MAX_SOURCE_BYTES);
    assert!(interleave_lang::print::format(&big).is_err());
}
