//! The timeline: one lane per core, one colour per thread, marks where a thread left a core,
//! raced or lost an update, and lanes for what waits off the cores (I/O in flight, the event
//! loop's queue), drawn on a canvas (fast on long traces). A cursor to drag to any tick;
//! zoom (Ctrl+wheel, pinch, W/S, the buttons) and pan (Shift+wheel, A/D, the minimap); in
//! predict mode the future is covered until the run is revealed.

use crate::palette::thread_colour;
use crate::svg::axis_step;
use interleave_core::timeline::{Lanes, MarkKind, SegmentKind};
use interleave_core::waits::{Bar, Waits};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, PointerEvent, WheelEvent};
use yew::prelude::*;

pub const LANE_PX: f64 = 22.0;
const GAP_PX: f64 = 4.0;
const LABEL_PX: f64 = 56.0;
/// One row of an I/O or queue lane.
const ROW_PX: f64 = 9.0;
/// Most rows drawn per wait lane (more overlap is drawn on the last row).
const MAX_ROWS: u32 = 6;
const AXIS_PX: f64 = 16.0;
const MINIMAP_PX: f64 = 14.0;

#[derive(Properties)]
pub struct Props {
    pub lanes: Rc<Lanes>,
    pub waits: Rc<Waits>,
    /// Ticks of the longest run shown (compared runs share a scale).
    pub span: u64,
    /// The visible ticks `[start, end)`.
    pub view: (u64, u64),
    pub tick: u64,
    /// Predict mode: cover what lies after the cursor.
    pub hide_future: bool,
    pub on_seek: Callback<u64>,
    /// Zoom by a factor (< 1 in) around a tick.
    pub on_zoom: Callback<(f64, f64)>,
    /// Move the view by this many ticks.
    pub on_pan: Callback<f64>,
    /// Show these ticks (an empty range: the whole run).
    pub on_show: Callback<(u64, u64)>,
    pub label: AttrValue,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.lanes, &o.lanes)
            && Rc::ptr_eq(&self.waits, &o.waits)
            && (self.span, self.view, self.tick, self.hide_future)
                == (o.span, o.view, o.tick, o.hide_future)
            && self.label == o.label
    }
}

/// Rows drawn for a wait lane with `rows` rows (0 when it has no bars).
fn rows_shown(rows: u32) -> u32 {
    rows.min(MAX_ROWS)
}

/// Pixel height of the lanes (cores, then waits), without the axis.
fn lanes_height(lanes: &Lanes, waits: &Waits) -> f64 {
    let cores = lanes.cores.len() as f64 * (LANE_PX + GAP_PX);
    let waits: f64 = [waits.io_rows, waits.queued_rows]
        .iter()
        .filter(|&&r| r > 0)
        .map(|&r| f64::from(rows_shown(r)) * ROW_PX + GAP_PX * 2.0)
        .sum();
    cores + waits
}

struct Geometry {
    view: (u64, u64),
    plot_w: f64,
}

impl Geometry {
    fn x(&self, t: f64) -> f64 {
        let (a, b) = self.view;
        LABEL_PX + (t - a as f64) / (b - a).max(1) as f64 * self.plot_w
    }
}

fn draw_bars(
    ctx: &CanvasRenderingContext2d,
    g: &Geometry,
    bars: &[Bar],
    top: f64,
    rows: u32,
    fill: &dyn Fn(&Bar) -> String,
) {
    let (a, b) = g.view;
    for bar in bars
        .iter()
        .filter(|x| x.end.max(x.start + 1) > a && x.start < b)
    {
        let row = bar.row.min(rows_shown(rows).saturating_sub(1));
        let x0 = g.x(bar.start.max(a) as f64);
        let x1 = g.x(bar.end.max(bar.start + 1).min(b) as f64);
        ctx.set_fill_style_str(&fill(bar));
        ctx.fill_rect(
            x0,
            top + f64::from(row) * ROW_PX + 1.0,
            (x1 - x0 - 0.5).max(1.5),
            ROW_PX - 2.0,
        );
    }
}

fn draw(canvas: &HtmlCanvasElement, lanes: &Lanes, waits: &Waits, view: (u64, u64)) {
    let css_w = f64::from(canvas.client_width().max(100));
    let css_h = lanes_height(lanes, waits) + AXIS_PX;
    let Some((ctx, theme)) = crate::components::canvas::prepare(canvas, css_w, css_h) else {
        return;
    };
    let (fg, muted, lane_bg) = theme.lane_colours();
    let err = theme.var("--err", "#b3261e");
    let g = Geometry {
        view,
        plot_w: (css_w - LABEL_PX).max(10.0),
    };
    let (a, b) = view;
    ctx.set_font("12px system-ui, sans-serif");
    for (i, lane) in lanes.cores.iter().enumerate() {
        let y = i as f64 * (LANE_PX + GAP_PX);
        ctx.set_fill_style_str(&lane_bg);
        ctx.fill_rect(LABEL_PX, y, g.plot_w, LANE_PX);
        ctx.set_fill_style_str(&fg);
        let _ = ctx.fill_text(&format!("core {i}"), 2.0, y + LANE_PX * 0.7);
        let first = lane.partition_point(|s| s.end <= a);
        for seg in lane[first..].iter().take_while(|s| s.start < b) {
            let x0 = g.x(seg.start.max(a) as f64);
            let x1 = g.x(seg.end.min(b) as f64);
            let w = (x1 - x0).max(1.0);
            match seg.kind {
                SegmentKind::Run(t) => {
                    ctx.set_fill_style_str(&thread_colour(t));
                    ctx.fill_rect(x0, y, w, LANE_PX);
                    if w > 22.0 {
                        ctx.set_fill_style_str("#fff");
                        let label = if t.0 == 0 {
                            "M".to_string()
                        } else {
                            format!("T{}", t.0)
                        };
                        let _ = ctx.fill_text(&label, x0 + 3.0, y + LANE_PX * 0.7);
                    }
                }
                SegmentKind::Switch(_) => {
                    ctx.set_fill_style_str(&muted);
                    ctx.fill_rect(x0, y + LANE_PX * 0.35, w, LANE_PX * 0.3);
                }
            }
        }
    }
    for m in lanes.marks.iter().filter(|m| a <= m.tick && m.tick <= b) {
        let y = f64::from(m.core) * (LANE_PX + GAP_PX);
        let mx = g.x(m.tick as f64);
        ctx.begin_path();
        match m.kind {
            // A small triangle on top: the slice ended.
            MarkKind::Preempt => {
                ctx.set_fill_style_str(&fg);
                ctx.move_to(mx - 4.0, y);
                ctx.line_to(mx + 4.0, y);
                ctx.line_to(mx, y + 6.0);
                ctx.fill();
            }
            // Two bars under the lane: the thread paused for its turn in a witness.
            MarkKind::Pause => {
                ctx.set_fill_style_str(&theme.var("--accent", "#3b5bdb"));
                ctx.fill_rect(mx - 3.5, y + LANE_PX - 7.0, 2.5, 7.0);
                ctx.fill_rect(mx + 1.0, y + LANE_PX - 7.0, 2.5, 7.0);
            }
            // A bar under the lane: the thread blocked.
            MarkKind::Block => {
                ctx.set_fill_style_str(&err);
                ctx.fill_rect(mx - 1.5, y + LANE_PX - 4.0, 3.0, 4.0);
            }
            // A diamond mid-lane: the later access of a data race.
            MarkKind::Race => {
                ctx.set_fill_style_str(&err);
                let c = y + LANE_PX / 2.0;
                ctx.move_to(mx, c - 6.0);
                ctx.line_to(mx + 6.0, c);
                ctx.line_to(mx, c + 6.0);
                ctx.line_to(mx - 6.0, c);
                ctx.fill();
                ctx.set_stroke_style_str("#fff");
                ctx.set_line_width(1.0);
                ctx.stroke();
            }
            // A cross: a store that lost another thread's update.
            MarkKind::Lost => {
                ctx.set_stroke_style_str(&fg);
                ctx.set_line_width(5.0);
                let c = y + LANE_PX / 2.0;
                ctx.move_to(mx - 5.0, c - 5.0);
                ctx.line_to(mx + 5.0, c + 5.0);
                ctx.move_to(mx + 5.0, c - 5.0);
                ctx.line_to(mx - 5.0, c + 5.0);
                ctx.stroke();
                ctx.begin_path();
                ctx.set_stroke_style_str(&err);
                ctx.set_line_width(2.5);
                ctx.move_to(mx - 5.0, c - 5.0);
                ctx.line_to(mx + 5.0, c + 5.0);
                ctx.move_to(mx + 5.0, c - 5.0);
                ctx.line_to(mx - 5.0, c + 5.0);
                ctx.stroke();
            }
        }
    }
    // Lanes for what waits off the cores.
    let mut y = lanes.cores.len() as f64 * (LANE_PX + GAP_PX);
    let wait_lanes: [(&str, &[Bar], u32, bool); 2] = [
        ("I/O", &waits.io, waits.io_rows, true),
        ("queued", &waits.queued, waits.queued_rows, false),
    ];
    for (label, bars, rows, io) in wait_lanes {
        if rows == 0 {
            continue;
        }
        y += GAP_PX;
        let h = f64::from(rows_shown(rows)) * ROW_PX;
        ctx.set_fill_style_str(&lane_bg);
        ctx.fill_rect(LABEL_PX, y, g.plot_w, h);
        ctx.set_fill_style_str(&fg);
        let _ = ctx.fill_text(label, 2.0, y + h.min(LANE_PX) * 0.7);
        let fill = |bar: &Bar| {
            if io {
                thread_colour(bar.thread)
            } else {
                muted.clone()
            }
        };
        draw_bars(&ctx, &g, bars, y, rows, &fill);
        y += h + GAP_PX;
    }
    // Axis.
    ctx.set_fill_style_str(&muted);
    let step = axis_step(b - a, (g.plot_w / 90.0).max(2.0) as u64);
    let mut t = a.div_ceil(step) * step;
    while t <= b {
        let label = t.to_string();
        let tx = (g.x(t as f64) - 3.0 * label.len() as f64)
            .clamp(LABEL_PX, css_w - 7.0 * label.len() as f64);
        let _ = ctx.fill_text(&label, tx, y + 12.0);
        t += step;
    }
}

/// The minimap: how busy the cores are over the whole run, one column per pixel.
fn draw_minimap(canvas: &HtmlCanvasElement, lanes: &Lanes, span: u64) {
    let css_w = f64::from(canvas.client_width().max(100));
    let Some((ctx, theme)) = crate::components::canvas::prepare(canvas, css_w, MINIMAP_PX) else {
        return;
    };
    let (_, _, lane_bg) = theme.lane_colours();
    let accent = theme.var("--accent", "#3b5bdb");
    let plot_w = (css_w - LABEL_PX).max(10.0);
    let cols = plot_w as usize;
    let mut busy = vec![0u64; cols.max(1)];
    let per_col = span.max(1) as f64 / cols.max(1) as f64;
    for lane in &lanes.cores {
        for s in lane {
            if let SegmentKind::Run(_) = s.kind {
                let c0 = (s.start as f64 / per_col) as usize;
                let c1 = ((s.end as f64 / per_col).ceil() as usize).min(cols);
                for b in &mut busy[c0.min(cols.saturating_sub(1))..c1.max(c0 + 1).min(cols)] {
                    *b += 1;
                }
            }
        }
    }
    let most = busy.iter().copied().max().unwrap_or(1).max(1) as f64;
    ctx.set_fill_style_str(&lane_bg);
    ctx.fill_rect(LABEL_PX, 0.0, plot_w, MINIMAP_PX);
    ctx.set_fill_style_str(&accent);
    for (c, &n) in busy.iter().enumerate() {
        if n > 0 {
            let h = (n as f64 / most * (MINIMAP_PX - 2.0)).max(1.0);
            ctx.fill_rect(LABEL_PX + c as f64, MINIMAP_PX - 1.0 - h, 1.0, h);
        }
    }
}

/// Where a pointer is, as a tick of `view`, given the chart element.
fn tick_at(el: &web_sys::Element, client_x: f64, view: (u64, u64)) -> f64 {
    let rect = el.get_bounding_client_rect();
    let plot_w = (rect.width() - LABEL_PX).max(1.0);
    let f = ((client_x - rect.left() - LABEL_PX) / plot_w).clamp(0.0, 1.0);
    view.0 as f64 + f * (view.1 - view.0) as f64
}

/// The live values the native wheel listener needs (it is attached once).
struct Live {
    view: (u64, u64),
    on_zoom: Callback<(f64, f64)>,
    on_pan: Callback<f64>,
}

#[function_component(Gantt)]
pub fn gantt(props: &Props) -> Html {
    let canvas = use_node_ref();
    let minimap = use_node_ref();
    let wrapper = use_node_ref();
    let dragging = use_mut_ref(|| false);
    // Pointers down (id, x): two of them pinch.
    let pointers = use_mut_ref(Vec::<(i32, f64)>::new);
    let live = use_mut_ref(|| Live {
        view: props.view,
        on_zoom: props.on_zoom.clone(),
        on_pan: props.on_pan.clone(),
    });
    {
        let mut l = live.borrow_mut();
        l.view = props.view;
        l.on_zoom = props.on_zoom.clone();
        l.on_pan = props.on_pan.clone();
    }
    let zoomed = props.view != (0, props.span.max(1));
    {
        let (canvas, minimap) = (canvas.clone(), minimap.clone());
        let (lanes, waits) = (Rc::clone(&props.lanes), Rc::clone(&props.waits));
        let (view, span) = (props.view, props.span);
        use_effect_with(
            (Rc::as_ptr(&props.lanes) as usize, view, span, zoomed),
            move |_| {
                let redraw = move || {
                    if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                        draw(&c, &lanes, &waits, view);
                    }
                    if let Some(c) = minimap.cast::<HtmlCanvasElement>() {
                        draw_minimap(&c, &lanes, span);
                    }
                };
                redraw();
                // Redraw on resize (a theme change re-keys this component instead).
                let listener = Closure::<dyn Fn()>::new(redraw);
                let window = web_sys::window();
                if let Some(w) = &window {
                    let _ = w.add_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
                move || {
                    if let Some(w) = window {
                        let _ = w.remove_event_listener_with_callback(
                            "resize",
                            listener.as_ref().unchecked_ref(),
                        );
                    }
                }
            },
        );
    }
    // Ctrl+wheel (and a trackpad's pinch) zooms, Shift+wheel or a sideways wheel pans; a
    // plain wheel scrolls the page as everywhere else. Not passive, so it can keep the page
    // from zooming or scrolling too.
    {
        let (wrapper, live) = (wrapper.clone(), live.clone());
        use_effect_with((), move |_| {
            let el = wrapper.cast::<web_sys::Element>();
            let listener = Closure::<dyn Fn(WheelEvent)>::new(move |e: WheelEvent| {
                let Some(el) = e
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                else {
                    return;
                };
                let l = live.borrow();
                let (dx, dy) = (e.delta_x(), e.delta_y());
                if e.ctrl_key() || e.meta_key() {
                    e.prevent_default();
                    let at = tick_at(&el, f64::from(e.client_x()), l.view);
                    l.on_zoom.emit(((dy * 0.01).clamp(-1.0, 1.0).exp(), at));
                } else if e.shift_key() || dx.abs() > dy.abs() {
                    e.prevent_default();
                    let px = if dx.abs() > dy.abs() { dx } else { dy };
                    let width = el.get_bounding_client_rect().width() - LABEL_PX;
                    let ticks = px / width.max(1.0) * (l.view.1 - l.view.0) as f64;
                    l.on_pan.emit(ticks);
                }
            });
            let options = web_sys::AddEventListenerOptions::new();
            options.set_passive(false);
            if let Some(el) = &el {
                let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
                    "wheel",
                    listener.as_ref().unchecked_ref(),
                    &options,
                );
            }
            move || {
                if let Some(el) = el {
                    let _ = el.remove_event_listener_with_callback(
                        "wheel",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let view = props.view;
    let onpointerdown = {
        let (dragging, pointers, wrapper) = (dragging.clone(), pointers.clone(), wrapper.clone());
        let on_seek = props.on_seek.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(el) = wrapper.cast::<web_sys::Element>() else {
                return;
            };
            let _ = el.set_pointer_capture(e.pointer_id());
            let mut ps = pointers.borrow_mut();
            ps.retain(|p| p.0 != e.pointer_id());
            ps.push((e.pointer_id(), f64::from(e.client_x())));
            if ps.len() == 1 {
                *dragging.borrow_mut() = true;
                on_seek.emit(tick_at(&el, f64::from(e.client_x()), view).round() as u64);
            } else {
                *dragging.borrow_mut() = false;
            }
        })
    };
    let onpointermove = {
        let (dragging, pointers, wrapper) = (dragging.clone(), pointers.clone(), wrapper.clone());
        let (on_seek, on_zoom) = (props.on_seek.clone(), props.on_zoom.clone());
        Callback::from(move |e: PointerEvent| {
            let Some(el) = wrapper.cast::<web_sys::Element>() else {
                return;
            };
            let x = f64::from(e.client_x());
            let mut ps = pointers.borrow_mut();
            if ps.len() == 2 {
                // A pinch: the spread between two fingers scales the view around them.
                let before = (ps[0].1 - ps[1].1).abs();
                if let Some(p) = ps.iter_mut().find(|p| p.0 == e.pointer_id()) {
                    p.1 = x;
                }
                let after = (ps[0].1 - ps[1].1).abs();
                if before > 4.0 && after > 4.0 {
                    let mid = tick_at(&el, (ps[0].1 + ps[1].1) / 2.0, view);
                    on_zoom.emit((before / after, mid));
                }
            } else if *dragging.borrow() {
                on_seek.emit(tick_at(&el, x, view).round() as u64);
            }
        })
    };
    let onpointerup = {
        let (dragging, pointers) = (dragging.clone(), pointers.clone());
        Callback::from(move |e: PointerEvent| {
            pointers.borrow_mut().retain(|p| p.0 != e.pointer_id());
            *dragging.borrow_mut() = false;
        })
    };
    let onkeydown = {
        let (on_zoom, on_pan, on_show) = (
            props.on_zoom.clone(),
            props.on_pan.clone(),
            props.on_show.clone(),
        );
        let tick = props.tick as f64;
        Callback::from(move |e: KeyboardEvent| {
            let width = (view.1 - view.0) as f64;
            match e.key().as_str() {
                "w" | "W" => on_zoom.emit((0.5, tick)),
                "s" | "S" => on_zoom.emit((2.0, tick)),
                "a" | "A" => on_pan.emit(-width / 4.0),
                "d" | "D" => on_pan.emit(width / 4.0),
                "0" => on_show.emit((0, 0)),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let on_minimap = {
        let (on_show, span, minimap) = (props.on_show.clone(), props.span, minimap.clone());
        Callback::from(move |e: PointerEvent| {
            if e.buttons() == 0 && e.type_() != "pointerdown" {
                return;
            }
            let Some(el) = minimap.cast::<web_sys::Element>() else {
                return;
            };
            let centre = tick_at(&el, f64::from(e.client_x()), (0, span.max(1)));
            let half = (view.1 - view.0) as f64 / 2.0;
            let start = (centre - half).clamp(0.0, (span as f64 - 2.0 * half).max(0.0));
            on_show.emit((start.round() as u64, (start + 2.0 * half).round() as u64));
        })
    };
    let zoom_button = |label: &'static str, title: &'static str, id: &'static str, factor: f64| {
        let on_zoom = props.on_zoom.clone();
        let at = props.tick as f64;
        html! {
            <button class="icon" data-testid={id} aria-label={title} {title}
                    onclick={Callback::from(move |_: MouseEvent| on_zoom.emit((factor, at)))}>{ label }</button>
        }
    };
    let on_fit = props.on_show.reform(|_: MouseEvent| (0, 0));

    let count = |k: MarkKind| {
        props
            .lanes
            .marks
            .iter()
            .filter(|m| m.kind == k)
            .count()
            .to_string()
    };
    let height = lanes_height(&props.lanes, &props.waits);
    let width_ticks = (view.1 - view.0).max(1) as f64;
    let frac = (props.tick as f64 - view.0 as f64) / width_ticks;
    let in_view = (0.0..=1.0).contains(&frac);
    let at = |f: f64| format!("calc({LABEL_PX}px + (100% - {LABEL_PX}px) * {f:.5})");
    let cursor_style = format!(
        "left: {}; height: {height:.0}px{}",
        at(frac.clamp(0.0, 1.0)),
        if in_view { "" } else { "; display: none" }
    );
    let curtain = (props.hide_future && frac < 1.0).then(|| {
        let style = format!(
            "left: {}; height: {height:.0}px",
            at(frac.clamp(0.0, 1.0))
        );
        html! { <div class="gantt-future" data-testid="future" {style}><span>{ "The rest is hidden until you play it (predict mode)" }</span></div> }
    });
    let span = props.span.max(1) as f64;
    let mini_box = format!(
        "left: {}; width: calc((100% - {LABEL_PX}px) * {:.5})",
        at(view.0 as f64 / span),
        (view.1 - view.0) as f64 / span
    );
    let mini_curtain = format!("left: {}", at(props.tick as f64 / span));
    html! {
        <div class="gantt-wrap">
            <div class="gantt-tools">
                { zoom_button("−", "Zoom out", "zoom-out", 2.0) }
                { zoom_button("+", "Zoom in", "zoom-in", 0.5) }
                <button class="icon" data-testid="zoom-fit" aria-label="Show the whole run" title="Show the whole run"
                        disabled={!zoomed} onclick={on_fit}>{ "⤢" }</button>
                <span class="muted hint">{ format!("ticks {}–{}", view.0, view.1) }</span>
            </div>
            <div class="gantt" ref={wrapper} data-testid="gantt" data-tick={props.tick.to_string()}
                 data-span={props.span.to_string()} data-view={format!("{},{}", view.0, view.1)}
                 data-races={count(MarkKind::Race)} data-lost={count(MarkKind::Lost)}
                 data-pauses={count(MarkKind::Pause)}
                 tabindex="0" role="group" aria-label={format!("{} Drag to move the cursor; W and S zoom, A and D move.", props.label)}
                 style={format!("height: {:.0}px", height + AXIS_PX)}
                 {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}
                 {onkeydown}>
                <canvas ref={canvas} role="img" aria-label={props.label.clone()}
                        style={format!("height: {:.0}px", height + AXIS_PX)}></canvas>
                { for curtain }
                <div class="gantt-cursor" style={cursor_style}></div>
            </div>
            if zoomed {
                <div class="minimap" data-testid="minimap"
                     onpointerdown={on_minimap.clone()} onpointermove={on_minimap}>
                    <canvas ref={minimap} aria-hidden="true" style={format!("height: {MINIMAP_PX}px")}></canvas>
                    <div class="minimap-view" style={mini_box}></div>
                    if props.hide_future { <div class="minimap-future" style={mini_curtain}></div> }
                </div>
            }
        </div>
    }
}
