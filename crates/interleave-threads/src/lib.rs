//! Real CPU-bound work split across real threads, so the page can show true parallelism.
//!
//! The same functions run natively (rayon on OS threads), in the stable wasm build (one
//! thread) and in the nightly atomics build inside a dedicated Web Worker, where
//! `initThreadPool` gives rayon a pool of Web Workers sharing one wasm memory.
//! The core functions read no clock: `run` times pieces with the `now` its caller passes (in
//! the browser, `performance.timeOrigin + performance.now()`, one axis for every worker).

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
    row_pixels(frame, y).into_iter().map(u64::from).sum()
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

/// A workload of the Real threads view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// A Mandelbrot frame; one chunk per row. No serial part: it scales with the threads.
    Mandelbrot(Frame),
    /// `serial_percent` units of work that must run first on one thread (the parallel part
    /// needs their result), then the other units as independent chunks: Amdahl's law.
    Amdahl { serial_percent: u32 },
}

/// Units of the Amdahl workload; one unit is [`UNIT_STEPS`] steps of a hash chain.
pub const AMDAHL_UNITS: u32 = 100;
pub const UNIT_STEPS: u32 = 2_000_000;

/// One timed piece of a run: which pool thread ran it, when (in the caller's clock).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece {
    /// The rayon pool thread index (0 when run outside the pool).
    pub worker: u32,
    pub start: f64,
    pub end: f64,
    /// The serial part of an Amdahl run.
    pub serial: bool,
}

/// The result of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Equal for every thread count: the proof the parallel run computed the same thing.
    pub checksum: u64,
    pub pieces: Vec<Piece>,
    pub start: f64,
    pub end: f64,
    /// Mandelbrot only: iterations per pixel, row by row.
    pub pixels: Vec<u32>,
}

/// A chain of `steps` xorshift steps from `seed`: CPU work whose result cannot be guessed.
pub fn hash_chain(seed: u64, steps: u32) -> u64 {
    let mut x = seed | 1;
    for _ in 0..steps {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

/// Iterations of every pixel of one row.
pub fn row_pixels(frame: Frame, y: u32) -> Vec<u32> {
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
            n
        })
        .collect()
}

/// Runs `chunks` chunks on `threads` threads that each take the next chunk when free (a
/// shared counter: dynamic load balancing). One thread runs on the caller, without the pool.
fn run_chunks<T: Send>(
    chunks: usize,
    threads: usize,
    now: &(dyn Fn() -> f64 + Sync),
    work: &(dyn Fn(usize) -> T + Sync),
) -> Vec<(usize, T, Piece)> {
    let timed = |i: usize| {
        let start = now();
        let value = work(i);
        let worker = rayon::current_thread_index().unwrap_or(0) as u32;
        (
            i,
            value,
            Piece {
                worker,
                start,
                end: now(),
                serial: false,
            },
        )
    };
    if threads <= 1 {
        return (0..chunks).map(timed).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(chunks));
    rayon::scope(|s| {
        for _ in 0..threads {
            s.spawn(|_| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= chunks {
                        break;
                    }
                    mine.push(timed(i));
                }
                done.lock().unwrap_or_else(|e| e.into_inner()).extend(mine);
            });
        }
    });
    let mut out = done.into_inner().unwrap_or_else(|e| e.into_inner());
    out.sort_by_key(|c| c.0);
    out
}

/// Runs a workload on `threads` threads (1 = on the calling thread), timing every piece
/// with `now` (milliseconds on one clock shared by all threads).
pub fn run(workload: Workload, threads: usize, now: &(dyn Fn() -> f64 + Sync)) -> Report {
    let start = now();
    // Pieces stay in chunk order (row order for the fractal), the serial piece first.
    let (checksum, pieces, pixels) = match workload {
        Workload::Mandelbrot(frame) => {
            let rows = run_chunks(frame.height as usize, threads, now, &|y| {
                row_pixels(frame, y as u32)
            });
            let checksum = rows
                .iter()
                .flat_map(|r| r.1.iter())
                .map(|&n| u64::from(n))
                .sum();
            let pieces = rows.iter().map(|r| r.2).collect();
            let pixels = rows.into_iter().flat_map(|r| r.1).collect();
            (checksum, pieces, pixels)
        }
        Workload::Amdahl { serial_percent } => {
            let serial_units = serial_percent.min(AMDAHL_UNITS);
            let t0 = now();
            let seed = hash_chain(0x5eed, serial_units * UNIT_STEPS);
            let serial = Piece {
                worker: rayon::current_thread_index().unwrap_or(0) as u32,
                start: t0,
                end: now(),
                serial: true,
            };
            let parallel = (AMDAHL_UNITS - serial_units) as usize;
            let chunks = run_chunks(parallel, threads, now, &|i| {
                hash_chain(seed ^ (i as u64 + 1), UNIT_STEPS)
            });
            let checksum = chunks.iter().fold(seed, |a, c| a.wrapping_add(c.1));
            let mut pieces = vec![serial];
            pieces.extend(chunks.iter().map(|c| c.2));
            (checksum, pieces, Vec::new())
        }
    };
    Report {
        checksum,
        pieces,
        start,
        end: now(),
        pixels,
    }
}

#[cfg(target_arch = "wasm32")]
mod web {
    //! The JS face of the workloads, called from `www/threads-worker.js`.
    use super::*;
    use wasm_bindgen::prelude::*;

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

    #[wasm_bindgen(
        inline_js = "export function wall_ms() { return performance.timeOrigin + performance.now(); }"
    )]
    extern "C" {
        /// Milliseconds on one clock for every worker (each has its own `performance.now()`
        /// origin; adding `timeOrigin` puts them on the same axis).
        fn wall_ms() -> f64;
    }

    /// One run of a workload, readable from JavaScript.
    #[wasm_bindgen]
    pub struct RunReport {
        report: Report,
    }

    #[wasm_bindgen]
    impl RunReport {
        #[wasm_bindgen(getter)]
        pub fn checksum(&self) -> String {
            self.report.checksum.to_string()
        }
        #[wasm_bindgen(getter, js_name = wallMs)]
        pub fn wall_ms(&self) -> f64 {
            self.report.end - self.report.start
        }
        /// Flat: worker, start, end, serial (0/1) per piece; times from the run's start.
        #[wasm_bindgen(getter)]
        pub fn pieces(&self) -> Vec<f64> {
            let t0 = self.report.start;
            self.report
                .pieces
                .iter()
                .flat_map(|p| {
                    [
                        f64::from(p.worker),
                        p.start - t0,
                        p.end - t0,
                        f64::from(u8::from(p.serial)),
                    ]
                })
                .collect()
        }
        #[wasm_bindgen(getter)]
        pub fn pixels(&self) -> Vec<u32> {
            self.report.pixels.clone()
        }
    }

    /// Runs `mandelbrot` (a 640x480 frame) or `amdahl` on `threads` threads; more than one
    /// only after `initThreadPool` resolved.
    #[wasm_bindgen(js_name = runWorkload)]
    pub fn run_workload(
        kind: &str,
        serial_percent: u32,
        threads: u32,
    ) -> Result<RunReport, JsError> {
        let workload = match kind {
            "mandelbrot" => Workload::Mandelbrot(frame(640, 480, 2000)?),
            "amdahl" if serial_percent <= 100 => Workload::Amdahl { serial_percent },
            _ => {
                return Err(JsError::new(&format!(
                    "unknown workload {kind:?} ({serial_percent}% serial)"
                )))
            }
        };
        if threads == 0 || threads > 256 {
            return Err(JsError::new(&format!(
                "{threads} threads is outside 1..=256"
            )));
        }
        Ok(RunReport {
            report: run(workload, threads as usize, &wall_ms),
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

    fn clock() -> f64 {
        use std::sync::OnceLock;
        static T0: OnceLock<std::time::Instant> = OnceLock::new();
        T0.get_or_init(std::time::Instant::now)
            .elapsed()
            .as_secs_f64()
            * 1000.0
    }

    #[test]
    fn every_thread_count_computes_the_same_result() {
        let small = Workload::Mandelbrot(FRAME);
        let one = run(small, 1, &clock);
        assert_eq!(one.checksum, total_iterations(&render_serial(FRAME)));
        assert_eq!(one.pixels.len(), (FRAME.width * FRAME.height) as usize);
        for n in [2, 3, 4] {
            let r = run(small, n, &clock);
            assert_eq!(r.checksum, one.checksum, "{n} threads");
            assert_eq!(r.pixels, one.pixels, "{n} threads: pixels in row order");
            assert_eq!(r.pieces.len(), FRAME.height as usize);
        }
    }

    #[test]
    fn the_amdahl_workload_has_one_serial_piece_then_chunks() {
        let w = Workload::Amdahl { serial_percent: 25 };
        let one = run(w, 1, &clock);
        let two = run(w, 2, &clock);
        assert_eq!(one.checksum, two.checksum);
        for r in [&one, &two] {
            assert_eq!(r.pieces.len(), 1 + 75);
            assert_eq!(r.pieces.iter().filter(|p| p.serial).count(), 1);
            let serial = r.pieces.iter().find(|p| p.serial).unwrap();
            assert!(r
                .pieces
                .iter()
                .filter(|p| !p.serial)
                .all(|p| p.start >= serial.end));
            assert!(r
                .pieces
                .iter()
                .all(|p| p.start >= r.start && p.end <= r.end));
        }
        assert_ne!(
            one.checksum,
            run(Workload::Amdahl { serial_percent: 30 }, 1, &clock).checksum
        );
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
