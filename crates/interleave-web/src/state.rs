//! The page's UI state and the one reducer that changes it (`reduce`: state + action → state).
//!
//! Kept free of `web_sys` so it is tested natively.

use std::rc::Rc;
use yew::Reducible;

/// What the real-threads worker told us about this page's ability to run threads.
#[derive(Clone, Debug, PartialEq)]
pub enum ThreadsStatus {
    /// The worker is loading the threaded module.
    Starting,
    Ready(ThreadsInfo),
    /// The worker could not start at all (the message says why).
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadsInfo {
    /// `crossOriginIsolated` as the worker saw it.
    pub isolated: bool,
    /// `navigator.hardwareConcurrency`.
    pub cores: u32,
    /// Rayon pool size; 0 means single-thread fallback.
    pub workers: u32,
    /// Why there is no pool, in plain words, when `workers == 0`.
    pub fallback_reason: Option<String>,
}

/// The outcome of one run of the real-threads check.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckResult {
    pub serial_total: f64,
    pub serial_ms: f64,
    /// `None` in single-thread mode.
    pub parallel: Option<ParallelResult>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParallelResult {
    pub total: f64,
    pub ms: f64,
    pub distinct_workers: u32,
}

impl CheckResult {
    /// True when the parallel run computed exactly what the serial run computed.
    pub fn agrees(&self) -> bool {
        self.parallel
            .as_ref()
            .is_none_or(|p| p.total == self.serial_total)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum CheckStatus {
    Idle,
    Running,
    Done(CheckResult),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub threads: ThreadsStatus,
    pub check: CheckStatus,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            threads: ThreadsStatus::Starting,
            check: CheckStatus::Idle,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    ThreadsReady(ThreadsInfo),
    ThreadsFailed(String),
    CheckStarted,
    CheckFinished(CheckResult),
    CheckFailed(String),
}

/// The reducer: every UI state change goes through here.
pub fn reduce(state: &AppState, action: Action) -> AppState {
    let mut next = state.clone();
    match action {
        Action::ThreadsReady(info) => next.threads = ThreadsStatus::Ready(info),
        Action::ThreadsFailed(msg) => {
            next.threads = ThreadsStatus::Failed(msg);
            if next.check == CheckStatus::Running {
                next.check = CheckStatus::Failed("the threads worker stopped".into());
            }
        }
        Action::CheckStarted => {
            // Only one check at a time, and only once the worker is up.
            if matches!(next.threads, ThreadsStatus::Ready(_)) && next.check != CheckStatus::Running
            {
                next.check = CheckStatus::Running;
            }
        }
        Action::CheckFinished(result) => next.check = CheckStatus::Done(result),
        Action::CheckFailed(msg) => next.check = CheckStatus::Failed(msg),
    }
    next
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(reduce(&self, action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready(workers: u32) -> AppState {
        reduce(
            &AppState::default(),
            Action::ThreadsReady(ThreadsInfo {
                isolated: workers > 0,
                cores: 2,
                workers,
                fallback_reason: None,
            }),
        )
    }

    #[test]
    fn a_check_cannot_start_before_the_worker_is_ready() {
        let s = reduce(&AppState::default(), Action::CheckStarted);
        assert_eq!(s.check, CheckStatus::Idle);
        let s = reduce(&ready(2), Action::CheckStarted);
        assert_eq!(s.check, CheckStatus::Running);
    }

    #[test]
    fn a_dying_worker_fails_the_running_check_with_a_reason() {
        let s = reduce(&ready(2), Action::CheckStarted);
        let s = reduce(&s, Action::ThreadsFailed("boom".into()));
        assert_eq!(s.threads, ThreadsStatus::Failed("boom".into()));
        assert!(matches!(s.check, CheckStatus::Failed(ref m) if m.contains("stopped")));
    }

    #[test]
    fn agreement_compares_parallel_with_serial_totals() {
        let mut r = CheckResult {
            serial_total: 10.0,
            serial_ms: 1.0,
            parallel: None,
        };
        assert!(
            r.agrees(),
            "single-thread mode has nothing to disagree with"
        );
        r.parallel = Some(ParallelResult {
            total: 10.0,
            ms: 0.5,
            distinct_workers: 2,
        });
        assert!(r.agrees());
        r.parallel.as_mut().unwrap().total = 11.0;
        assert!(!r.agrees());
    }
}
