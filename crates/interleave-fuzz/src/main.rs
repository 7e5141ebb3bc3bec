//! `cargo xtask fuzz`: mutated programs (the corpus and the presets, changed token by
//! token, see `mutate`) and mutated share links through every part that reads what a user
//! or a stranger's link gives it. An input fails when it panics, takes more than 5 s, or
//! makes the heap grow by more than 512 MB; the formatter also fails an input when
//! formatting twice differs from formatting once, or when formatting changes whether the
//! program compiles. Each input runs on a thread with wasm's 1 MiB stack.
//!
//! Targets: `compile` (parse, resolve, ownership, lower, and the Rust view), `format`,
//! `link` (encode/decode round trip, and decoding of damaged links), `run` (simulate and
//! explore under small bounds). Deterministic: `--seed S --only N` replays input N.
//!
//! A crash the process cannot survive (a stack overflow aborts) leaves the input in
//! `target/fuzz-inputs/current.rs`; the xtask reports it.

mod mutate;
mod targets;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Counts the heap in use and its peak, and refuses to pass a hard cap (the process then
/// aborts with "memory allocation failed", which the xtask reports with the input).
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The most heap the whole process may hold (a failing input is stopped here).
const HARD_CAP: usize = 1536 << 20;
/// The most an input may add to the heap.
const INPUT_BUDGET: usize = 512 << 20;
/// The longest an input may take.
const INPUT_TIME: Duration = Duration::from_secs(5);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        if now > HARD_CAP {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
            return std::ptr::null_mut();
        }
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: the layout is the caller's, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

struct Args {
    targets: Vec<String>,
    inputs: u64,
    seed: u64,
    only: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        targets: targets::NAMES.iter().map(|s| s.to_string()).collect(),
        inputs: 10_000,
        seed: 1,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--target" => {
                let t = value()?;
                if !targets::NAMES.contains(&t.as_str()) {
                    return Err(format!("unknown target {t:?}: one of {:?}", targets::NAMES));
                }
                a.targets = vec![t];
            }
            "--inputs" => a.inputs = value()?.parse().map_err(|e| format!("--inputs: {e}"))?,
            "--seed" => a.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--only" => a.only = Some(value()?.parse().map_err(|e| format!("--only: {e}"))?),
            _ => return Err(format!("unknown flag {flag:?}")),
        }
    }
    Ok(a)
}

/// The programs inputs are made from: the corpus and the presets.
fn bases(root: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in [
        "crates/interleave-lang/tests/rust",
        "crates/interleave-lang/presets",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            if let Ok(s) = std::fs::read_to_string(&p) {
                out.push(s);
            }
        }
    }
    out
}

/// What one input did wrong.
struct Failure {
    target: &'static str,
    n: u64,
    what: String,
    input: String,
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("interleave-fuzz: {e}");
            std::process::exit(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out_dir = root.join("target/fuzz-inputs");
    let _ = std::fs::create_dir_all(&out_dir);
    let bases = Arc::new(bases(&root));
    assert!(
        !bases.is_empty(),
        "no corpus found under {}",
        root.display()
    );
    // A panic is caught and reported with its input; the default message would repeat it.
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures: Vec<Failure> = Vec::new();
    let mut total = 0;
    for target in targets::NAMES
        .iter()
        .filter(|t| args.targets.iter().any(|a| a == *t))
    {
        let started = Instant::now();
        let (range, count) = match args.only {
            Some(n) => (n..n + 1, 1),
            None => (0..args.inputs, args.inputs),
        };
        let found = run_target(target, range, args.seed, &bases, &out_dir);
        println!(
            "fuzz: {target}: {count} inputs in {:.1} s, {} failing",
            started.elapsed().as_secs_f64(),
            found.len()
        );
        total += count;
        failures.extend(found);
    }
    for f in failures.iter().take(10) {
        let file = out_dir.join(format!("{}-{}.rs", f.target, f.n));
        let _ = std::fs::write(&file, &f.input);
        println!(
            "fuzz: FAILED {} input {} (seed {}): {}\n      input saved to {}; replay: cargo xtask fuzz --target {} --seed {} --only {}",
            f.target,
            f.n,
            args.seed,
            f.what,
            file.display(),
            f.target,
            args.seed,
            f.n
        );
    }
    println!(
        "fuzz: {total} inputs, {} failing (seed {})",
        failures.len(),
        args.seed
    );
    if !failures.is_empty() {
        std::process::exit(1);
    }
}

/// Runs inputs `range` of `target` on a 1 MiB-stack thread, watching each for time.
fn run_target(
    target: &'static str,
    range: std::ops::Range<u64>,
    seed: u64,
    bases: &Arc<Vec<String>>,
    out_dir: &std::path::Path,
) -> Vec<Failure> {
    // The input being run and when it started (before it was made), read together.
    let current: Arc<Mutex<Option<(u64, Instant)>>> = Arc::new(Mutex::new(None));
    let set =
        |c: &Mutex<Option<(u64, Instant)>>, v| *c.lock().unwrap_or_else(|e| e.into_inner()) = v;
    let worker = {
        let (current, bases) = (Arc::clone(&current), Arc::clone(bases));
        let out_dir = out_dir.to_path_buf();
        std::thread::Builder::new()
            .name(format!("fuzz-{target}"))
            .stack_size(1 << 20)
            .spawn(move || {
                let mut found = Vec::new();
                for n in range {
                    set(&current, Some((n, Instant::now())));
                    let input = targets::input(target, &bases, seed, n);
                    // Left behind if the process dies on this input.
                    let _ = std::fs::write(
                        out_dir.join("current.rs"),
                        format!("// target {target}, seed {seed}, input {n}\n{input}"),
                    );
                    let before = IN_USE.load(Ordering::Relaxed);
                    PEAK.store(before, Ordering::Relaxed);
                    let r = std::panic::catch_unwind(|| targets::check(target, &input, n));
                    let grew = PEAK.load(Ordering::Relaxed).saturating_sub(before);
                    let what = match r {
                        Err(p) => Some(format!(
                            "panicked: {}",
                            p.downcast_ref::<String>()
                                .cloned()
                                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                                .unwrap_or_default()
                        )),
                        Ok(Err(why)) => Some(why),
                        Ok(Ok(())) if grew > INPUT_BUDGET => {
                            Some(format!("the heap grew by {} MB", grew >> 20))
                        }
                        Ok(Ok(())) => None,
                    };
                    if let Some(what) = what {
                        found.push(Failure {
                            target,
                            n,
                            what,
                            input,
                        });
                    }
                }
                set(&current, None);
                found
            })
            .expect("a thread")
    };
    loop {
        std::thread::sleep(Duration::from_millis(50));
        if worker.is_finished() {
            // The run ended on its own: no input was left unfinished.
            let _ = std::fs::remove_file(out_dir.join("current.rs"));
            return worker.join().unwrap_or_default();
        }
        let running = *current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, since)) = running {
            if since.elapsed() > INPUT_TIME {
                let input = targets::input(target, bases, seed, n);
                let file = out_dir.join(format!("{target}-{n}.rs"));
                let _ = std::fs::write(&file, &input);
                println!(
                    "fuzz: FAILED {target} input {n} (seed {seed}): still running after {} s\n      input saved to {}; replay: cargo xtask fuzz --target {target} --seed {seed} --only {n}",
                    INPUT_TIME.as_secs(),
                    file.display()
                );
                let _ = std::fs::remove_file(out_dir.join("current.rs"));
                std::process::exit(1);
            }
        }
    }
}
