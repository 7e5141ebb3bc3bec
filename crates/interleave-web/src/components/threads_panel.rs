//! The Real threads view: a CPU-bound workload on 1..=N real Web Worker threads, each piece
//! of work timed and drawn per worker, with wall time, speedup, efficiency, and the speedup
//! the simulator predicts for the same shape of work.

use crate::palette::{hsl_to_rgb, thread_colour};
use crate::real::{plan, Comparison, RealRun, RealState, Spread, Workload, ROUNDS, WORKLOADS};
use crate::state::{Action, ThreadsStatus};
use interleave_core::trace::ThreadId;
use std::rc::Rc;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};
use yew::prelude::*;

const LANE_PX: f64 = 22.0;
const GAP_PX: f64 = 4.0;
const LABEL_PX: f64 = 72.0;
/// The Mandelbrot frame the worker renders.
const FRAME_W: u32 = 640;
const FRAME_H: u32 = 480;
const MAX_ITER: u32 = 2000;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub threads: ThreadsStatus,
    pub real: RealState,
    /// The page is inside another site's iframe (never isolated there).
    pub embedded: bool,
    pub full_page: AttrValue,
    pub dispatch: Callback<Action>,
    pub on_run: Callback<(Workload, Vec<u32>)>,
}

/// Pool thread `w`'s colour: the simulator's colour for thread `w + 1`.
fn worker_colour(w: u32) -> String {
    thread_colour(ThreadId(w + 1))
}

/// The per-worker timeline, in the Gantt chart's visual language (lanes, colours, axis).
fn draw_timeline(canvas: &HtmlCanvasElement, run: &RealRun) {
    let workers = run.workers();
    let css_w = f64::from(canvas.client_width().max(200));
    let css_h = workers.len().max(1) as f64 * (LANE_PX + GAP_PX) + 18.0;
    let _ = canvas.style().set_property("height", &format!("{css_h}px"));
    let Some((ctx, theme)) = crate::components::canvas::prepare(canvas, css_w, css_h) else {
        return;
    };
    let (fg, muted, lane_bg) = theme.lane_colours();
    ctx.set_font("12px system-ui, sans-serif");
    let plot = (css_w - LABEL_PX).max(10.0);
    let span = run.wall_ms.max(1e-3);
    let x = |t: f64| LABEL_PX + t / span * plot;
    for (lane, &w) in workers.iter().enumerate() {
        let y = lane as f64 * (LANE_PX + GAP_PX);
        ctx.set_fill_style_str(&lane_bg);
        ctx.fill_rect(LABEL_PX, y, plot, LANE_PX);
        ctx.set_fill_style_str(&fg);
        let _ = ctx.fill_text(&format!("worker {w}"), 2.0, y + LANE_PX * 0.7);
        for p in run.pieces.iter().filter(|p| p.worker == w) {
            let (x0, x1) = (x(p.start), x(p.end));
            ctx.set_fill_style_str(&if p.serial {
                muted.clone()
            } else {
                worker_colour(w)
            });
            // A hair of gap between chunks, so each piece of work shows.
            ctx.fill_rect(x0, y, (x1 - x0 - 0.5).max(1.0), LANE_PX);
        }
    }
    ctx.set_fill_style_str(&muted);
    let y = workers.len() as f64 * (LANE_PX + GAP_PX) + 12.0;
    for i in 0..=4 {
        let t = span * f64::from(i) / 4.0;
        let label = format!("{t:.0} ms");
        let at = if i == 4 { x(t) - 44.0 } else { x(t) - 14.0 };
        let _ = ctx.fill_text(&label, at.max(0.0), y);
    }
}

/// The fractal with every row tinted by the worker that computed it.
fn draw_fractal(canvas: &HtmlCanvasElement, run: &RealRun) {
    if run.pixels.len() != (FRAME_W * FRAME_H) as usize {
        return;
    }
    canvas.set_width(FRAME_W);
    canvas.set_height(FRAME_H);
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    // Pieces come in chunk order, and the fractal's chunks are its rows.
    let mut row_worker = vec![0u32; FRAME_H as usize];
    for (y, p) in run.pieces.iter().enumerate().take(FRAME_H as usize) {
        row_worker[y] = p.worker;
    }
    let hues: Vec<f64> = (0..64)
        .map(|w| crate::palette::hue(ThreadId(w + 1)))
        .collect();
    let mut data = vec![0u8; (FRAME_W * FRAME_H * 4) as usize];
    for (i, &n) in run.pixels.iter().enumerate() {
        let y = i / FRAME_W as usize;
        let hue = hues[(row_worker[y] % 64) as usize];
        let [r, g, b] = if n >= MAX_ITER {
            [12, 12, 18]
        } else {
            let l = 0.25 + 0.6 * (f64::from(n).ln_1p() / f64::from(MAX_ITER).ln_1p());
            hsl_to_rgb(hue, 0.65, l)
        };
        data[i * 4..i * 4 + 4].copy_from_slice(&[r, g, b, 255]);
    }
    if let Ok(img) = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&data), FRAME_W, FRAME_H) {
        let _ = ctx.put_image_data(&img, 0.0, 0.0);
    }
}

#[derive(Properties, PartialEq)]
struct RunProps {
    run: Rc<RealRun>,
}

#[function_component(RunPictures)]
fn run_pictures(p: &RunProps) -> Html {
    let timeline = use_node_ref();
    let fractal = use_node_ref();
    {
        let (timeline, fractal) = (timeline.clone(), fractal.clone());
        use_effect_with(Rc::clone(&p.run), move |run| {
            if let Some(c) = timeline.cast::<HtmlCanvasElement>() {
                draw_timeline(&c, run);
            }
            if let Some(c) = fractal.cast::<HtmlCanvasElement>() {
                draw_fractal(&c, run);
            }
        });
    }
    let run = &p.run;
    let workers = run.workers();
    let at_once = run.most_at_once();
    html! {
        <div class="real-run" data-testid="real-run" data-threads={run.threads.to_string()}
             data-workers={workers.len().to_string()} data-checksum={run.checksum.clone()}
             data-wall-ms={format!("{:.3}", run.wall_ms)} data-at-once={at_once.to_string()}
             data-serial-alone={run.serial_ran_alone().to_string()}>
            <h3>{ format!("{} {}: every piece of work, per worker ({:.0} ms)", run.threads,
                          if run.threads == 1 { "thread" } else { "threads" }, run.wall_ms) }</h3>
            <canvas ref={timeline} class="real-timeline" data-testid="real-timeline"
                    aria-label={format!("Timeline: {} workers ran {} pieces", workers.len(), run.pieces.len())} />
            <p class="muted" data-testid="real-at-once">{ match at_once {
                0 | 1 => "One piece at a time: no two pieces of work overlapped.".to_string(),
                n => format!("At most {n} pieces were in progress at the same moment: that many workers computed at once."),
            } }</p>
            if run.workload == Workload::Mandelbrot {
                <canvas ref={fractal} class="fractal" data-testid="fractal"
                        aria-label="The Mandelbrot set; each row is tinted with the colour of the worker that computed it" />
                <p class="muted">{ "Each row is tinted with the colour of the worker that computed it." }</p>
            } else {
                <p class="muted">{ "Grey: the serial part, which one thread must finish before the parallel chunks can start." }</p>
            }
        </div>
    }
}

/// "120 ms (110–135 over 5 runs)".
fn spread(s: &Spread) -> String {
    if s.runs < 2 {
        format!("{:.0} ms", s.median)
    } else {
        format!(
            "{:.0} ms (median; {:.0}–{:.0} over {} runs)",
            s.median, s.low, s.high, s.runs
        )
    }
}

fn comparison_view(c: &Comparison) -> Html {
    let predicted = c.predicted.map_or("—".to_string(), |p| format!("{p:.2}×"));
    let slow = c.speedup < 1.1;
    html! {
        <>
        <table class="real-figures" data-testid="real-figures" data-speedup={format!("{:.3}", c.speedup)}
               data-base-ms={format!("{:.3}", c.base.median)} data-wall-ms={format!("{:.3}", c.many.median)}
               data-rounds={c.many.runs.min(c.base.runs).to_string()}
               data-predicted={c.predicted.map_or(String::new(), |p| format!("{p:.3}"))}
               data-same-result={c.same_result.to_string()}>
            <tr><th>{ "Wall time, 1 thread" }</th><td>{ spread(&c.base) }</td></tr>
            <tr><th>{ format!("Wall time, {} threads", c.threads) }</th><td>{ spread(&c.many) }</td></tr>
            <tr><th>{ "Speedup over 1 thread" }</th>
                <td><strong>{ format!("{:.2}×", c.speedup) }</strong>
                    if c.many.runs > 1 { { format!(" (single rounds: {:.2}× to {:.2}×)", c.low, c.high) } }</td></tr>
            <tr><th>{ "Efficiency (speedup ÷ threads)" }</th><td>{ format!("{:.0}%", c.efficiency * 100.0) }</td></tr>
            <tr><th>{ format!("Simulator's prediction on {} virtual cores", c.threads) }</th><td>{ predicted }</td></tr>
            <tr><th>{ "Same result as 1 thread" }</th>
                <td class={if c.same_result { "ok" } else { "error" }}>{ if c.same_result { "yes, in every run" } else { "NO: the results differ" } }</td></tr>
        </table>
        <p class="muted" data-testid="real-noise">{ format!(
            "How this was measured: {ROUNDS} rounds, each running 1 thread and then {} threads back to back, so both see the same conditions; the figures are medians, with the range. The browser, other tabs and the operating system share these cores, so a run can be 10% faster or slower than the next, more on a busy machine.", c.threads) }
            if slow { { format!(" Here {} threads were barely faster than one, or slower: the machine was busy, or it has fewer free cores than it reports. Pieces still ran at the same time (see the timeline below); what that bought depends on what else the cores were doing.", c.threads) } }
        </p>
        </>
    }
}

/// What to do where this page cannot have threads: in words, with the way there.
fn no_threads_view(embedded: bool, full_page: &AttrValue) -> Html {
    html! {
        <div class="howto panel" data-testid="threads-howto">
            <h3>{ "To see real threads" }</h3>
            if embedded {
                <p>{ "This copy of Interleave is embedded in another site's page, and browsers never give threads to a page inside another site's frame. " }
                   <a href={full_page.clone()} target="_blank" rel="noopener" data-testid="threads-full-page">{ "Open the full page ↗" }</a>
                   { ", where the same view runs on all your cores (if the site serving Interleave sends the isolation headers, or lets its service worker add them: see its deploy notes)." }</p>
            } else {
                <p>{ "This page is not cross-origin isolated, so the browser withholds the shared memory that threads need. The site serving Interleave must send two headers, " }
                   <code>{ "Cross-Origin-Opener-Policy: same-origin" }</code>{ " and " }<code>{ "Cross-Origin-Embedder-Policy: require-corp" }</code>
                   { ", or serve the page over HTTPS so its service worker can add them. Until then, Run computes the same work on one thread, and there is nothing to compare it with." }</p>
            }
        </div>
    }
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
    let max = match &props.threads {
        ThreadsStatus::Ready(i) if i.workers > 0 => i.workers,
        _ => 1,
    };
    let ready = matches!(props.threads, ThreadsStatus::Ready(_));
    let real = &props.real;
    let busy = real.pending > 0;
    let on_workload = props.dispatch.reform(|e: Event| {
        let key = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::RealWorkload(Workload::from_key(&key).unwrap_or(Workload::Mandelbrot))
    });
    let on_threads = props.dispatch.reform(|e: Event| {
        let n = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .and_then(|s| s.value().parse().ok())
            .unwrap_or(1);
        Action::RealThreads(n)
    });
    let single = max == 1;
    let on_run = {
        let (on_run, workload, threads) = (props.on_run.clone(), real.workload, real.threads);
        Callback::from(move |_: MouseEvent| {
            // Rounds of a fresh 1-thread baseline and the chosen count, back to back (one
            // run where there is only one thread: nothing to compare).
            let counts = if single { vec![1] } else { plan(threads) };
            on_run.emit((workload, counts));
        })
    };
    let shown = real.latest(real.workload, real.threads).cloned();
    html! {
        <section class="panel threads-panel" aria-labelledby="threads-title">
            <h2 id="threads-title">{ "Real threads on this machine" }</h2>
            { status }
            <p class="muted">{ "The simulator shows what a scheduler would do; here the same idea runs for real: work is cut into chunks, and each of your cores' worker threads takes the next chunk when it is free. The work runs in a separate worker, so this page stays responsive." }</p>
            <div class="row real-controls">
                <label>{ "Workload " }
                    <select data-testid="real-workload" onchange={on_workload} disabled={busy}>
                        { for WORKLOADS.iter().map(|w| html! {
                            <option value={w.key()} selected={*w == real.workload}>{ w.label() }</option>
                        }) }
                    </select></label>
                <label>{ "Threads " }
                    <select data-testid="real-threads" onchange={on_threads} disabled={busy || max == 1}>
                        { for (1..=max).map(|n| html! {
                            <option value={n.to_string()} selected={n == real.threads}>{ n.to_string() }</option>
                        }) }
                    </select></label>
                <button data-testid="real-run-button" disabled={!ready || busy} onclick={on_run}>
                    { if busy { format!("Running… ({} to go)", real.pending) } else if single { "Run on one thread".to_string() } else { "Measure".to_string() } }
                </button>
                <span class="pulse" aria-hidden="true" data-busy={busy.to_string()}></span>
            </div>
            if let Some(e) = &real.error {
                <p class="error" role="alert" data-testid="real-error">{ format!("The run failed: {e}") }</p>
            }
            if (ready && single) || matches!(props.threads, ThreadsStatus::Failed(_)) {
                { no_threads_view(props.embedded, &props.full_page) }
            }
            if let Some(c) = real.comparison().filter(|_| !busy) {
                { comparison_view(&c) }
                <p class="muted">{ "The prediction: the simulator runs the measured shape of work (the serial part on one thread, then the parallel part split evenly over the threads) on that many virtual cores. Real runs fall short of it where chunks are uneven, threads start late, or the machine is busy with other work." }</p>
            } else if let Some(b) = real.baseline().filter(|_| !busy && real.threads == 1) {
                <p data-testid="real-baseline">{ format!("1 thread: {}.", spread(&b)) }</p>
            }
            if let Some(run) = shown {
                <RunPictures {run} />
            }
        </section>
    }
}
