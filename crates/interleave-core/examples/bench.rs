//! `cargo run --release -p interleave-core --example bench`: engine speed on the standard
//! heavy workload (16 cores, 64 threads, mixed operations). Prints `figure` lines; run by
//! `cargo xtask bench`.

use interleave_core::run::{simulate, simulate_into};
use interleave_core::settings::Settings;
use interleave_core::trace::NullSink;
use interleave_core::workload::heavy_mix;
use std::sync::Arc;
use std::time::Instant;

fn main() {
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
}
