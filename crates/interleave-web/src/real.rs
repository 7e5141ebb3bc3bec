//! The Real threads view's data: which workload, how many threads, the measured runs, and
//! what the simulator predicts for the same shape of work. Pure and native-tested; the worker
//! bridge (`threads.rs`) fills it from real runs.

use crate::sim::{UiSettings, UI_MAX_CORES};
use interleave_core::run::simulate;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Workload {
    /// A 640x480 Mandelbrot frame, one chunk per row: no serial part.
    Mandelbrot,
    /// This percentage of the work runs first on one thread, the rest in 1-unit chunks.
    Amdahl(u32),
}

/// The choices offered, in order.
pub const WORKLOADS: [Workload; 4] = [
    Workload::Mandelbrot,
    Workload::Amdahl(10),
    Workload::Amdahl(25),
    Workload::Amdahl(50),
];

impl Workload {
    pub fn key(self) -> String {
        match self {
            Workload::Mandelbrot => "mandelbrot".into(),
            Workload::Amdahl(p) => format!("amdahl-{p}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Workload> {
        WORKLOADS.iter().copied().find(|w| w.key() == key)
    }

    pub fn label(self) -> String {
        match self {
            Workload::Mandelbrot => "Mandelbrot fractal (all parallel)".into(),
            Workload::Amdahl(p) => format!("Amdahl: {p}% serial, then parallel"),
        }
    }

    /// The worker's name for it and its serial percentage.
    pub fn wire(self) -> (&'static str, u32) {
        match self {
            Workload::Mandelbrot => ("mandelbrot", 0),
            Workload::Amdahl(p) => ("amdahl", p),
        }
    }
}

/// One timed piece of a run (times in ms from the run's start).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Piece {
    pub worker: u32,
    pub start: f64,
    pub end: f64,
    pub serial: bool,
}

/// One measured run.
#[derive(Clone, Debug, PartialEq)]
pub struct RealRun {
    pub workload: Workload,
    pub threads: u32,
    pub wall_ms: f64,
    /// Decimal (u64 does not fit a JS number).
    pub checksum: String,
    pub pieces: Vec<Piece>,
    /// Mandelbrot: iterations per pixel, 640 per row.
    pub pixels: Rc<Vec<u32>>,
    /// The simulator's speedup for this thread count, from the 1-thread run's shape of work;
    /// filled in once, when the run is recorded (it compiles and simulates a scenario).
    pub predicted: Option<f64>,
}

impl RealRun {
    /// Pool threads that ran at least one piece, in order.
    pub fn workers(&self) -> Vec<u32> {
        let mut w: Vec<u32> = self.pieces.iter().map(|p| p.worker).collect();
        w.sort_unstable();
        w.dedup();
        w
    }

    /// The most pieces in progress at one moment: 1 for one thread, and at least 2 once
    /// workers really computed at the same time. Pieces that only touch (one ends as the
    /// next starts) do not count as overlapping.
    pub fn most_at_once(&self) -> u32 {
        // The most overlap begins where some piece starts: count the pieces in progress at
        // each start. Quadratic, but a run has a few hundred pieces, and it needs no sort
        // (whose code would cost the page kilobytes).
        self.pieces
            .iter()
            .map(|p| {
                let at = p.start;
                self.pieces
                    .iter()
                    .filter(|q| q.start <= at && at < q.end)
                    .count() as u32
            })
            .max()
            .unwrap_or(0)
    }

    /// Whether no other piece ran while a serial piece did: the serial part finished
    /// before the parallel chunks started, as an Amdahl workload requires.
    pub fn serial_ran_alone(&self) -> bool {
        self.pieces.iter().filter(|s| s.serial).all(|s| {
            self.pieces
                .iter()
                .filter(|p| !std::ptr::eq(*p, s))
                .all(|p| p.end <= s.start || p.start >= s.end)
        })
    }

    /// (serial ms, parallel ms) of work: what the simulator is given.
    pub fn shape(&self) -> (f64, f64) {
        self.pieces.iter().fold((0.0, 0.0), |(s, p), x| {
            let d = (x.end - x.start).max(0.0);
            if x.serial {
                (s + d, p)
            } else {
                (s, p + d)
            }
        })
    }
}

/// Rounds per measurement: each round runs 1 thread, then the chosen count, back to back,
/// so both see the same conditions; the figures are medians over the rounds.
pub const ROUNDS: u32 = 5;

/// The thread counts to run, in order, for a measurement of `threads` threads.
pub fn plan(threads: u32) -> Vec<u32> {
    (0..ROUNDS)
        .flat_map(|_| {
            if threads > 1 {
                vec![1, threads]
            } else {
                vec![1]
            }
        })
        .collect()
}

/// One measured wall time.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub workload: Workload,
    pub threads: u32,
    pub wall_ms: f64,
    pub checksum: String,
}

/// The view's state inside [`crate::state::AppState`].
#[derive(Clone, Debug, PartialEq)]
pub struct RealState {
    pub workload: Workload,
    pub threads: u32,
    /// Runs asked for and not answered yet.
    pub pending: u32,
    /// The latest run per (workload, thread count): its pictures and prediction.
    pub runs: Vec<Rc<RealRun>>,
    /// The wall times of the latest measurement of each workload, in the order they ran.
    pub samples: Vec<Sample>,
    pub error: Option<String>,
}

impl Default for RealState {
    fn default() -> Self {
        RealState {
            workload: Workload::Mandelbrot,
            threads: 1,
            pending: 0,
            runs: Vec::new(),
            samples: Vec::new(),
            error: None,
        }
    }
}

/// The middle value (the mean of the two middle ones for an even count). By counting, not
/// sorting: a measurement has a handful of values, and sort code costs the page kilobytes.
fn median(xs: &[f64]) -> f64 {
    let n = xs.len();
    // The value of rank k (0-based) in sorted order.
    let rank = |k: usize| {
        xs.iter().copied().find(|&x| {
            let below = xs.iter().filter(|&&y| y < x).count();
            let equal = xs.iter().filter(|&&y| y == x).count();
            below <= k && k < below + equal
        })
    };
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => rank(n / 2).unwrap_or(f64::NAN),
        _ => (rank(n / 2 - 1).unwrap_or(f64::NAN) + rank(n / 2).unwrap_or(f64::NAN)) / 2.0,
    }
}

impl RealState {
    pub fn latest(&self, workload: Workload, threads: u32) -> Option<&Rc<RealRun>> {
        self.runs
            .iter()
            .find(|r| r.workload == workload && r.threads == threads)
    }

    /// A new measurement of `workload` starts: its earlier samples are dropped.
    pub fn start(&mut self, workload: Workload, runs: u32) {
        if self.pending == 0 {
            self.samples.retain(|s| s.workload != workload);
        }
        self.pending += runs;
        self.error = None;
    }

    pub fn record(&mut self, mut run: RealRun) {
        self.samples.push(Sample {
            workload: run.workload,
            threads: run.threads,
            wall_ms: run.wall_ms,
            checksum: run.checksum.clone(),
        });
        self.runs
            .retain(|r| !(r.workload == run.workload && r.threads == run.threads));
        if run.threads == 1 {
            // A new baseline: the predictions of that workload's other runs follow it.
            let (serial, parallel) = run.shape();
            run.predicted = predicted_speedup(serial, parallel, 1);
            for r in self.runs.iter_mut().filter(|r| r.workload == run.workload) {
                let mut updated = (**r).clone();
                updated.predicted = predicted_speedup(serial, parallel, r.threads);
                *r = Rc::new(updated);
            }
        } else {
            run.predicted = self.latest(run.workload, 1).and_then(|base| {
                let (serial, parallel) = base.shape();
                predicted_speedup(serial, parallel, run.threads)
            });
        }
        self.runs.push(Rc::new(run));
        self.pending = self.pending.saturating_sub(1);
    }

    fn times(&self, threads: u32) -> Vec<f64> {
        self.samples
            .iter()
            .filter(|s| s.workload == self.workload && s.threads == threads)
            .map(|s| s.wall_ms)
            .collect()
    }

    /// The 1-thread wall times of the current choice's measurement: median, lowest,
    /// highest, and how many.
    pub fn baseline(&self) -> Option<Spread> {
        Spread::of(&self.times(1))
    }

    /// The measured comparison for the current choice, once a round of each ran.
    pub fn comparison(&self) -> Option<Comparison> {
        if self.threads < 2 {
            return None;
        }
        let (base, many) = (self.times(1), self.times(self.threads));
        let (b, m) = (Spread::of(&base)?, Spread::of(&many)?);
        // Each round's speedup: its own 1-thread time over its own N-thread time.
        let per_round: Vec<f64> = base
            .iter()
            .zip(&many)
            .map(|(b, m)| b / m.max(1e-6))
            .collect();
        let speedup = b.median / m.median.max(1e-6);
        let low = per_round.iter().copied().fold(f64::INFINITY, f64::min);
        let high = per_round.iter().copied().fold(0.0, f64::max);
        let checksums: Vec<&String> = self
            .samples
            .iter()
            .filter(|s| s.workload == self.workload)
            .map(|s| &s.checksum)
            .collect();
        Some(Comparison {
            threads: self.threads,
            base: b,
            many: m,
            speedup,
            low,
            high,
            efficiency: speedup / f64::from(self.threads.max(1)),
            predicted: self
                .latest(self.workload, self.threads)
                .and_then(|r| r.predicted),
            same_result: checksums.windows(2).all(|w| w[0] == w[1]),
        })
    }
}

/// Wall times of one thread count over the rounds of a measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub low: f64,
    pub high: f64,
    pub runs: usize,
}

impl Spread {
    fn of(xs: &[f64]) -> Option<Spread> {
        (!xs.is_empty()).then(|| Spread {
            median: median(xs),
            low: xs.iter().copied().fold(f64::INFINITY, f64::min),
            high: xs.iter().copied().fold(0.0, f64::max),
            runs: xs.len(),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub threads: u32,
    pub base: Spread,
    pub many: Spread,
    /// Median 1-thread time over median N-thread time.
    pub speedup: f64,
    /// The lowest and highest speedup of a single round.
    pub low: f64,
    pub high: f64,
    pub efficiency: f64,
    /// `None` when the simulator could not run the model (should not happen).
    pub predicted: Option<f64>,
    /// Every run of the measurement computed the same result.
    pub same_result: bool,
}

/// Ticks the measured work is scaled to in the model.
const MODEL_TICKS: f64 = 2000.0;

/// The model the simulator runs: `serial` ticks on main, then `threads` workers sharing
/// `parallel` ticks equally, joined by main.
pub fn model_scenario(serial: u64, parallel: u64, threads: u32) -> String {
    let mut src = String::new();
    let n = u64::from(threads.max(1));
    for i in 0..n {
        let share = parallel / n + u64::from(i < parallel % n);
        src.push_str(&format!("fn part{i}() {{\n    work({share});\n}}\n\n"));
    }
    src.push_str("fn main() {\n");
    if serial > 0 {
        src.push_str(&format!("    work({serial});\n"));
    }
    for i in 0..n {
        src.push_str(&format!("    let h{i} = spawn(part{i});\n"));
    }
    for i in 0..n {
        src.push_str(&format!("    h{i}.join().unwrap();\n"));
    }
    src.push_str("}\n");
    src
}

fn model_makespan(serial: u64, parallel: u64, threads: u32) -> Option<u64> {
    let compiled = interleave_lang::compile(&model_scenario(serial, parallel, threads)).ok()?;
    let settings = UiSettings::default().to_core(threads.clamp(1, UI_MAX_CORES));
    let run = simulate(compiled.program, &settings).ok()?;
    Some(run.end_tick())
}

/// The speedup the simulator predicts on `threads` virtual cores for work measured as
/// `serial_ms` that must run alone and `parallel_ms` that can be split.
pub fn predicted_speedup(serial_ms: f64, parallel_ms: f64, threads: u32) -> Option<f64> {
    let total = serial_ms + parallel_ms;
    if total.is_nan() || total <= 0.0 || !total.is_finite() {
        return None;
    }
    let serial = (serial_ms / total * MODEL_TICKS).round() as u64;
    let parallel = (MODEL_TICKS as u64).saturating_sub(serial);
    let one = model_makespan(serial, parallel, 1)?;
    let many = model_makespan(serial, parallel, threads)?;
    Some(one as f64 / many.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simulator_predicts_amdahls_law() {
        // All parallel: close to n (spawn and join cost a few ticks).
        let p = predicted_speedup(0.0, 100.0, 4).unwrap();
        assert!((3.8..=4.0).contains(&p), "{p}");
        // 25% serial on 2 cores: 1 / (0.25 + 0.75 / 2) = 1.6.
        let p = predicted_speedup(25.0, 75.0, 2).unwrap();
        assert!((1.55..=1.61).contains(&p), "{p}");
        // 50% serial can never reach 2x.
        let p = predicted_speedup(50.0, 50.0, 16).unwrap();
        assert!(p < 2.0 && p > 1.8, "{p}");
        assert_eq!(predicted_speedup(0.0, 0.0, 2), None);
        assert!((predicted_speedup(10.0, 90.0, 1).unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_model_is_a_valid_scenario() {
        let src = model_scenario(5, 11, 3);
        assert!(src.contains("work(4)") && src.contains("work(3)"), "{src}");
        assert!(interleave_lang::compile(&src).is_ok());
    }

    fn run(w: Workload, threads: u32, ms: f64, checksum: &str) -> RealRun {
        RealRun {
            workload: w,
            threads,
            wall_ms: ms,
            checksum: checksum.into(),
            pieces: vec![
                Piece {
                    worker: 0,
                    start: 0.0,
                    end: ms / 4.0,
                    serial: matches!(w, Workload::Amdahl(_)),
                },
                Piece {
                    worker: 1,
                    start: ms / 4.0,
                    end: ms,
                    serial: false,
                },
            ],
            pixels: Rc::default(),
            predicted: None,
        }
    }

    #[test]
    fn the_median_counts_ranks() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[5.0, 5.0, 1.0]), 5.0);
        assert_eq!(median(&[7.0]), 7.0);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn a_measurement_interleaves_rounds_and_reports_medians_and_spread() {
        assert_eq!(plan(1), vec![1; ROUNDS as usize]);
        assert_eq!(plan(2)[..4], [1, 2, 1, 2]);
        assert_eq!(plan(4).len(), 2 * ROUNDS as usize);
        let mut s = RealState {
            threads: 2,
            ..RealState::default()
        };
        s.start(Workload::Mandelbrot, 6);
        s.record(run(Workload::Mandelbrot, 1, 90.0, "42"));
        assert_eq!(s.comparison(), None, "a baseline, not yet a round");
        // Rounds: 1 thread then 2, three times; one noisy 2-thread run.
        s.record(run(Workload::Mandelbrot, 2, 50.0, "42"));
        for (one, two) in [(100.0, 80.0), (95.0, 48.0)] {
            s.record(run(Workload::Mandelbrot, 1, one, "42"));
            s.record(run(Workload::Mandelbrot, 2, two, "42"));
        }
        let c = s.comparison().unwrap();
        assert_eq!((c.base.median, c.many.median), (95.0, 50.0));
        assert_eq!((c.base.runs, c.many.runs), (3, 3));
        assert!((c.speedup - 1.9).abs() < 1e-9, "{}", c.speedup);
        assert!((c.low - 1.25).abs() < 1e-9 && (c.high - 95.0 / 48.0).abs() < 1e-9);
        let p = c
            .predicted
            .expect("a baseline that came second still predicts");
        assert!((1.9..=2.0).contains(&p), "{p}");
        assert!(c.same_result);
        assert_eq!(s.pending, 0);
        // A run that computed something else is caught.
        s.record(run(Workload::Mandelbrot, 2, 45.0, "41"));
        assert!(!s.comparison().unwrap().same_result);
        // A new measurement starts afresh.
        s.start(Workload::Mandelbrot, 2);
        assert_eq!(s.comparison(), None);
        assert_eq!(s.baseline(), None);
        // One thread only: a baseline, no comparison.
        s.threads = 1;
        s.record(run(Workload::Mandelbrot, 1, 70.0, "42"));
        assert_eq!(s.comparison(), None);
        assert_eq!(s.baseline().unwrap().median, 70.0);
    }

    fn piece(worker: u32, start: f64, end: f64, serial: bool) -> Piece {
        Piece {
            worker,
            start,
            end,
            serial,
        }
    }

    #[test]
    fn pieces_at_once_count_only_real_overlap() {
        let mut r = run(Workload::Mandelbrot, 2, 10.0, "1");
        assert_eq!(r.most_at_once(), 1, "one piece ends as the next starts");
        r.pieces = vec![
            piece(0, 0.0, 4.0, false),
            piece(1, 1.0, 3.0, false),
            piece(2, 2.0, 5.0, false),
            piece(0, 4.0, 6.0, false),
        ];
        assert_eq!(r.most_at_once(), 3, "three in progress at 2.5 ms");
        r.pieces = vec![piece(0, 0.0, 1.0, false), piece(1, 2.0, 3.0, false)];
        assert_eq!(r.most_at_once(), 1, "two workers, one after the other");
        r.pieces.clear();
        assert_eq!(r.most_at_once(), 0);
    }

    #[test]
    fn a_serial_piece_runs_alone_or_the_run_says_not() {
        let mut r = run(Workload::Amdahl(50), 2, 10.0, "1");
        assert!(r.serial_ran_alone());
        r.pieces.push(piece(1, 2.0, 3.0, false));
        assert!(
            !r.serial_ran_alone(),
            "a chunk started during the serial part"
        );
        r.pieces = vec![piece(0, 0.0, 1.0, false), piece(1, 0.5, 2.0, false)];
        assert!(r.serial_ran_alone(), "no serial piece: nothing to check");
    }

    #[test]
    fn workload_keys_round_trip() {
        for w in WORKLOADS {
            assert_eq!(Workload::from_key(&w.key()), Some(w));
        }
    }
}
