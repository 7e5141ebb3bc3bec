//! Shows whether real threads are available on this page and runs the real-threads check.

use crate::state::{CheckResult, CheckStatus, ThreadsStatus};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub threads: ThreadsStatus,
    pub check: CheckStatus,
    pub on_run_check: Callback<()>,
}

#[function_component(ThreadsPanel)]
pub fn threads_panel(props: &Props) -> Html {
    let status = match &props.threads {
        ThreadsStatus::Starting => html! {
            <p class="status" data-testid="threads-status" data-mode="starting">
                { "Starting the real-threads worker…" }
            </p>
        },
        ThreadsStatus::Failed(msg) => html! {
            <p class="status error" data-testid="threads-status" data-mode="failed">
                { format!("Real threads are unavailable: {msg}") }
            </p>
        },
        ThreadsStatus::Ready(info) if info.workers > 0 => html! {
            <p class="status ok" data-testid="threads-status" data-mode="threads"
               data-workers={info.workers.to_string()} data-isolated={info.isolated.to_string()}>
                { format!("Real threads available: this page is cross-origin isolated and runs a pool of {} Web Worker threads ({} logical cores reported).", info.workers, info.cores) }
            </p>
        },
        ThreadsStatus::Ready(info) => html! {
            <p class="status fallback" data-testid="threads-status" data-mode="single"
               data-workers="0" data-isolated={info.isolated.to_string()}>
                <strong>{ "Single-thread mode. " }</strong>
                { info.fallback_reason.clone().unwrap_or_else(|| "Real threads are not available here.".into()) }
            </p>
        },
    };
    let ready = matches!(props.threads, ThreadsStatus::Ready(_));
    let running = props.check == CheckStatus::Running;
    let onclick = props.on_run_check.reform(|_: MouseEvent| ());
    html! {
        <section class="panel threads-panel" aria-labelledby="threads-title">
            <h2 id="threads-title">{ "Real threads on this machine" }</h2>
            { status }
            <button data-testid="run-check" disabled={!ready || running} {onclick}>
                { if running { "Running…" } else { "Run the threads check" } }
            </button>
            { check_view(&props.check) }
        </section>
    }
}

fn check_view(check: &CheckStatus) -> Html {
    match check {
        CheckStatus::Idle => html! {},
        CheckStatus::Running => {
            html! { <p aria-live="polite">{ "Rendering a Mandelbrot frame…" }</p> }
        }
        CheckStatus::Failed(msg) => html! {
            <p class="error" data-testid="check-error" role="alert">{ format!("The check failed: {msg}") }</p>
        },
        CheckStatus::Done(r) => result_view(r),
    }
}

fn result_view(r: &CheckResult) -> Html {
    let serial = format!(
        "1 thread: {:.0} iterations in {:.0} ms.",
        r.serial_total, r.serial_ms
    );
    let (parallel, workers, parallel_total) = match &r.parallel {
        Some(p) => (
            format!(
                " {} workers: {:.0} iterations in {:.0} ms ({:.2}× faster); {}.",
                p.distinct_workers,
                p.total,
                p.ms,
                r.serial_ms / p.ms.max(0.001),
                if r.agrees() {
                    "the results agree"
                } else {
                    "THE RESULTS DIFFER"
                }
            ),
            p.distinct_workers,
            p.total.to_string(),
        ),
        None => (
            " (no parallel run in single-thread mode)".to_string(),
            0,
            String::new(),
        ),
    };
    html! {
        <p data-testid="check-result" aria-live="polite"
           data-serial-total={r.serial_total.to_string()}
           data-parallel-total={parallel_total}
           data-distinct-workers={workers.to_string()}
           data-agrees={r.agrees().to_string()}>
            { serial }{ parallel }
        </p>
    }
}
