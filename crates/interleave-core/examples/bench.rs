//! `cargo run --release -p interleave-core --example bench`: engine speed on the standard
//! heavy workload (16 cores, 64 threads, mixed operations). Prints `figure` lines; run by
//! `cargo xtask bench`.

use interleave_core::explore::{explore, Options};
use interleave_core::run::{simulate, simulate_into};
use interleave_core::settings::Settings;
use interleave_core::trace::NullSink;
use interleave_core::workload::{dining, heavy_mix, lost_update};
use std::sync::Arc;
use std::time::Instant;

fn main() {
    // `bench peak THREADS INCREMENTS`: explores one lost update in a fresh process and
    // prints its time and peak memory (what the parent reads for the explorer figures).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("peak") {
        let n: u32 = args[1].parse().expect("threads");
        let k: i64 = args[2].parse().expect("increments");
        let options = Options {
            max_states: 20_000_000,
            ..Options::default()
        };
        let t = Instant::now();
        let r = explore(Arc::new(lost_update(n, k)), &options).expect("valid");
        println!(
            "{} {} {} {} {}",
            t.elapsed().as_secs_f64(),
            peak_bytes(),
            r.states,
            r.complete(),
            r.outcomes.len()
        );
        return;
    }
    let program = Arc::new(heavy_mix(32, 2_000));
    let settings = Settings {
        cores: 16,
        quantum_ticks: 5,
        switch_cost_ticks: 1,
        ..Settings::default()
    };
    // The best of twelve, recorded and unrecorded alternating: on a shared VM single runs
    // vary by a quarter, and with only four the figure moved by as much between calls.
    let mut best_recorded = f64::MAX;
    let mut best_bare = f64::MAX;
    let mut steps = 0;
    let mut events = 0;
    let mut trace_bytes = 0;
    for _ in 0..12 {
        let t = Instant::now();
        let run = simulate(Arc::clone(&program), &settings).expect("valid");
        best_recorded = best_recorded.min(t.elapsed().as_secs_f64());
        steps = run.outcome.steps;
        events = run.events.len();
        trace_bytes = run.events.heap_bytes();
        let t = Instant::now();
        simulate_into(Arc::clone(&program), &settings, &mut NullSink).expect("valid");
        best_bare = best_bare.min(t.elapsed().as_secs_f64());
    }
    println!("figure core.heavy_mix.steps {steps} steps");
    println!("figure core.heavy_mix.events {events} events");
    println!(
        "figure core.trace_bytes_per_event {:.1} bytes",
        trace_bytes as f64 / events as f64
    );
    println!(
        "figure core.steps_per_s.native {:.0} steps/s",
        steps as f64 / best_recorded
    );
    println!(
        "figure core.steps_per_s.native_unrecorded {:.0} steps/s",
        steps as f64 / best_bare
    );
    explorer();
}

/// The explorer on fixed programs: the best of five runs each.
fn explorer() {
    let best = |program: &Arc<interleave_core::program::Program>| {
        let mut best = f64::MAX;
        let mut report = None;
        for _ in 0..5 {
            let t = Instant::now();
            let r = explore(Arc::clone(program), &Options::default()).expect("valid");
            best = best.min(t.elapsed().as_secs_f64());
            report = Some(r);
        }
        (best, report.expect("ran"))
    };
    let (secs, r) = best(&Arc::new(lost_update(3, 3)));
    assert!(r.complete(), "3x3 lost update explored in full");
    println!("figure explore.lost_update_3x3.ms {:.1} ms", secs * 1e3);
    println!("figure explore.lost_update_3x3.states {} states", r.states);
    println!(
        "figure explore.lost_update_3x3.bytes_per_state {} bytes",
        r.bytes_per_state
    );
    // Executions are counted, not run one by one (states are), so the rate is of states.
    println!(
        "figure explore.states_per_s.native {:.0} states/s",
        r.states as f64 / secs
    );
    // Executions are counted over the state graph, not run one by one: this rate is of
    // executions counted, on the 3x3 lost update.
    println!(
        "figure explore.executions_per_s.native {:.0} executions/s (counted; lost update 3x3)",
        r.executions as f64 / secs
    );
    let (secs, r) = best(&Arc::new(dining(5)));
    assert!(r.complete() && r.can(interleave_core::explore::EndKind::Deadlock));
    println!("figure explore.dining_5.ms {:.1} ms", secs * 1e3);
    for (n, k) in [(3, 3), (4, 3), (4, 4)] {
        peak(n, k);
    }
}

/// Runs `bench peak n k` in a child process and prints its figures.
fn peak(n: u32, k: i64) {
    let out = std::process::Command::new(std::env::current_exe().expect("this program"))
        .args(["peak", &n.to_string(), &k.to_string()])
        .output()
        .expect("the child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    if f.len() != 5 {
        println!("figure explore.lost_update_{n}x{k}.ms unknown (the child failed)");
        return;
    }
    let secs: f64 = f[0].parse().unwrap_or(f64::NAN);
    let name = format!("explore.lost_update_{n}x{k}");
    let complete = if f[3] == "true" {
        "complete"
    } else {
        "INCOMPLETE"
    };
    println!(
        "figure {name}.ms {:.0} ms ({complete}, {} states, {} outcomes)",
        secs * 1e3,
        f[2],
        f[4]
    );
    match f[1].parse::<u64>() {
        Ok(b) if b > 0 => println!("figure {name}.peak_mb {:.0} MB", b as f64 / 1048576.0),
        _ => println!("figure {name}.peak_mb unknown (not measured on this system)"),
    }
}

/// The process's peak resident memory in bytes (Linux; 0 elsewhere).
fn peak_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}
