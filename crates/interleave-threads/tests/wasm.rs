//! The workload in a real browser. Under the nightly atomics build this runs the shared-memory
//! module; the pool itself is exercised end to end by the Playwright tests (it needs a
//! cross-origin isolated page and a module worker, which the test runner does not give).
#![cfg(target_arch = "wasm32")]

use interleave_threads::*;
use wasm_bindgen_test::*;

#[cfg(not(target_feature = "atomics"))]
wasm_bindgen_test_configure!(run_in_browser);

const FRAME: Frame = Frame {
    width: 40,
    height: 30,
    max_iter: 100,
};

#[wasm_bindgen_test]
fn serial_render_is_deterministic_in_the_browser() {
    let a = render_serial(FRAME);
    let b = render_serial(FRAME);
    assert_eq!(a, b);
    assert!(total_iterations(&a) > 0);
}

#[wasm_bindgen_test]
fn rows_match_the_native_reference_value() {
    // Float arithmetic is IEEE in both targets: the same frame gives the same work.
    // The native unit test `row_matches_the_reference_value` pins the same number.
    assert_eq!(row_iterations(FRAME, 15), 3142);
}

/// Only the atomics build has a pool: start two Web Workers and render on them. This runs in
/// a dedicated worker because rayon blocks while it waits, which a page's main thread may not.
#[cfg(target_feature = "atomics")]
mod pool {
    use super::*;
    use wasm_bindgen_futures::JsFuture;

    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    #[wasm_bindgen_test]
    async fn two_web_workers_render_what_one_thread_renders() {
        JsFuture::from(init_thread_pool(2))
            .await
            .expect("thread pool starts (the test server is cross-origin isolated)");
        let frame = Frame {
            width: 200,
            height: 120,
            max_iter: 300,
        };
        let parallel = render_parallel(frame);
        assert_eq!(
            total_iterations(&parallel),
            total_iterations(&render_serial(frame))
        );
        assert!(parallel.iter().all(|r| r.worker.is_some()));
        // The Real threads view's runner: two pool threads take rows from one counter.
        let clock = || js_sys::Date::now();
        let one = run(Workload::Mandelbrot(frame), 1, &clock);
        let two = run(Workload::Mandelbrot(frame), 2, &clock);
        assert_eq!(one.checksum, two.checksum);
        assert_eq!(one.pixels, two.pixels);
        let mut workers: Vec<u32> = two.pieces.iter().map(|p| p.worker).collect();
        workers.sort_unstable();
        workers.dedup();
        assert!(
            !workers.is_empty() && workers.iter().all(|&w| w < 2),
            "{workers:?}"
        );
    }
}
