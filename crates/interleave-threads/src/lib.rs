//! Real CPU-bound work split across real threads, so the page can show true parallelism.
//!
//! The same functions run natively (rayon on OS threads), in the stable wasm build (one
//! thread) and in the nightly atomics build inside a dedicated Web Worker, where
//! `initThreadPool` gives rayon a pool of Web Workers sharing one wasm memory.
//! Nothing here reads a clock: the caller times a run, so results stay comparable.

use rayon::prelude::*;

#[cfg(target_feature = "atomics")]
pub use wasm_bindgen_rayon::init_thread_pool;

/// The size of one Mandelbrot render: the demo workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub max_iter: u32,
}

/// One row of the render: how much work it was and which pool worker computed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub iterations: u64,
    /// The rayon worker index, or `None` when the row ran outside any pool.
    pub worker: Option<usize>,
}

/// Iterations spent on one row of the Mandelbrot set over [-2, 1] x [-1.2, 1.2].
pub fn row_iterations(frame: Frame, y: u32) -> u64 {
    let ci = -1.2 + 2.4 * f64::from(y) / f64::from(frame.height.max(1));
    (0..frame.width)
        .map(|x| {
            let cr = -2.0 + 3.0 * f64::from(x) / f64::from(frame.width.max(1));
            let (mut zr, mut zi, mut n) = (0.0f64, 0.0f64, 0u32);
            while n < frame.max_iter && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n += 1;
            }
            u64::from(n)
        })
        .sum()
}

/// Renders every row on the calling thread.
pub fn render_serial(frame: Frame) -> Vec<Row> {
    (0..frame.height)
        .map(|y| Row {
            iterations: row_iterations(frame, y),
            worker: None,
        })
        .collect()
}

/// Renders rows in parallel on the current rayon pool, one row per task.
pub fn render_parallel(frame: Frame) -> Vec<Row> {
    (0..frame.height)
        .into_par_iter()
        .map(|y| Row {
            iterations: row_iterations(frame, y),
            worker: rayon::current_thread_index(),
        })
        .collect()
}

/// Total work of a render: equal for serial and parallel runs of the same frame.
pub fn total_iterations(rows: &[Row]) -> u64 {
    rows.iter().map(|r| r.iterations).sum()
}

/// How many distinct pool workers computed at least one row.
pub fn distinct_workers(rows: &[Row]) -> usize {
    let mut seen: Vec<usize> = rows.iter().filter_map(|r| r.worker).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len()
}

#[cfg(target_arch = "wasm32")]
mod web {
    //! The JS face of the workloads, called from `www/threads-worker.js`.
    use super::*;
    use wasm_bindgen::prelude::*;

    /// The result of one render, readable from JavaScript.
    #[wasm_bindgen]
    pub struct Render {
        rows: Vec<Row>,
    }

    #[wasm_bindgen]
    impl Render {
        /// Total iterations, as f64 (exact below 2^53, far above any frame we allow).
        #[wasm_bindgen(getter, js_name = totalIterations)]
        pub fn total_iterations(&self) -> f64 {
            total_iterations(&self.rows) as f64
        }

        #[wasm_bindgen(getter, js_name = distinctWorkers)]
        pub fn distinct_workers(&self) -> u32 {
            distinct_workers(&self.rows) as u32
        }

        /// The worker index of every row, -1 where no pool worker ran it.
        #[wasm_bindgen(getter, js_name = rowWorkers)]
        pub fn row_workers(&self) -> Vec<i32> {
            self.rows
                .iter()
                .map(|r| r.worker.map_or(-1, |w| w as i32))
                .collect()
        }
    }

    /// Largest frame side we accept from JS: bounds the work a message can ask for.
    const MAX_SIDE: u32 = 4096;
    const MAX_ITER: u32 = 100_000;

    fn frame(width: u32, height: u32, max_iter: u32) -> Result<Frame, JsError> {
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(JsError::new(&format!(
                "frame {width}x{height} is outside 1..={MAX_SIDE} on a side"
            )));
        }
        if max_iter == 0 || max_iter > MAX_ITER {
            return Err(JsError::new(&format!(
                "max_iter {max_iter} is outside 1..={MAX_ITER}"
            )));
        }
        Ok(Frame {
            width,
            height,
            max_iter,
        })
    }

    #[wasm_bindgen(js_name = renderSerial)]
    pub fn render_serial_js(width: u32, height: u32, max_iter: u32) -> Result<Render, JsError> {
        Ok(Render {
            rows: render_serial(frame(width, height, max_iter)?),
        })
    }

    /// Parallel render; only call after `initThreadPool` resolved (else rayon cannot spawn).
    #[wasm_bindgen(js_name = renderParallel)]
    pub fn render_parallel_js(width: u32, height: u32, max_iter: u32) -> Result<Render, JsError> {
        Ok(Render {
            rows: render_parallel(frame(width, height, max_iter)?),
        })
    }

    /// Whether this module was built with wasm atomics (shared memory).
    #[wasm_bindgen(js_name = builtWithAtomics)]
    pub fn built_with_atomics() -> bool {
        cfg!(target_feature = "atomics")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        width: 64,
        height: 48,
        max_iter: 200,
    };

    #[test]
    fn parallel_render_equals_serial_render() {
        let serial = render_serial(FRAME);
        let parallel = render_parallel(FRAME);
        assert_eq!(total_iterations(&serial), total_iterations(&parallel));
        let serial_rows: Vec<u64> = serial.iter().map(|r| r.iterations).collect();
        let parallel_rows: Vec<u64> = parallel.iter().map(|r| r.iterations).collect();
        assert_eq!(serial_rows, parallel_rows, "rows come back in order");
    }

    #[test]
    fn serial_rows_have_no_worker_and_parallel_rows_do() {
        assert_eq!(distinct_workers(&render_serial(FRAME)), 0);
        let parallel = render_parallel(FRAME);
        assert!(parallel.iter().all(|r| r.worker.is_some()));
        assert!(distinct_workers(&parallel) >= 1);
    }

    #[test]
    fn row_matches_the_reference_value() {
        // The wasm test of the same frame asserts the same number: same work on every target.
        let frame = Frame {
            width: 40,
            height: 30,
            max_iter: 100,
        };
        assert_eq!(row_iterations(frame, 15), 3142);
    }

    #[test]
    fn rows_inside_the_set_cost_max_iter_per_pixel() {
        // The middle row crosses the main cardioid, so it must hit the cap on some pixels;
        // the top row lies mostly outside and escapes fast.
        let middle = row_iterations(FRAME, FRAME.height / 2);
        let top = row_iterations(FRAME, 0);
        assert!(middle > top * 5, "middle {middle} vs top {top}");
        assert!(middle <= u64::from(FRAME.width) * u64::from(FRAME.max_iter));
    }
}
