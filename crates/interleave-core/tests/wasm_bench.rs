//! The heavy-mix benchmark in headless Chromium: run by `cargo xtask bench` (release), it
//! prints a `figure` line. Not part of `cargo xtask test` (a timing is not a pass/fail).
#![cfg(target_arch = "wasm32")]

use interleave_core::run::{simulate, simulate_into};
use interleave_core::settings::Settings;
use interleave_core::trace::NullSink;
use interleave_core::workload::heavy_mix;
use std::sync::Arc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn heavy_mix_steps_per_second() {
    let program = Arc::new(heavy_mix(32, 2_000));
    let settings = Settings {
        cores: 16,
        quantum_ticks: 5,
        switch_cost_ticks: 1,
        ..Settings::default()
    };
    let (mut best, mut best_bare) = (f64::MAX, f64::MAX);
    let mut steps = 0;
    // The best of eight: single runs on a shared machine vary by a quarter.
    for _ in 0..8 {
        let t = js_sys::Date::now();
        let run = simulate(Arc::clone(&program), &settings).expect("valid");
        best = best.min((js_sys::Date::now() - t) / 1000.0);
        steps = run.outcome.steps;
        drop(run);
        let t = js_sys::Date::now();
        simulate_into(Arc::clone(&program), &settings, &mut NullSink).expect("valid");
        best_bare = best_bare.min((js_sys::Date::now() - t) / 1000.0);
    }
    assert!(steps > 0);
    console_log!(
        "figure core.steps_per_s.wasm {:.0} steps/s",
        steps as f64 / best
    );
    console_log!(
        "figure core.steps_per_s.wasm_unrecorded {:.0} steps/s",
        steps as f64 / best_bare
    );
}

/// The explorer on the 3x3 lost update in the browser: states and executions per second,
/// as natively (executions are counted over the state graph, not run one by one).
#[wasm_bindgen_test]
fn explorer_states_per_second() {
    use interleave_core::explore::{explore, Options};
    let program = Arc::new(interleave_core::workload::lost_update(3, 3));
    let mut best = f64::MAX;
    let (mut states, mut executions) = (0, 0);
    for _ in 0..5 {
        let t = js_sys::Date::now();
        let r = explore(Arc::clone(&program), &Options::default()).expect("valid");
        best = best.min((js_sys::Date::now() - t) / 1000.0);
        assert!(r.complete());
        states = r.states;
        executions = r.executions;
    }
    console_log!(
        "figure explore.states_per_s.wasm {:.0} states/s",
        states as f64 / best
    );
    console_log!(
        "figure explore.executions_per_s.wasm {:.0} executions/s (counted; lost update 3x3)",
        executions as f64 / best
    );
}
