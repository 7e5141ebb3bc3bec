//! The timeline: one lane per core, one colour per thread, drawn on a canvas (fast on long
//! traces), with a cursor you can drag to any tick.

use crate::palette::thread_colour;
use interleave_core::timeline::{Lanes, MarkKind, SegmentKind};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, PointerEvent};
use yew::prelude::*;

pub const LANE_PX: f64 = 22.0;
const GAP_PX: f64 = 4.0;
const LABEL_PX: f64 = 56.0;

#[derive(Properties)]
pub struct Props {
    pub lanes: Rc<Lanes>,
    /// Ticks shown (the longest run, so compared runs share a scale).
    pub span: u64,
    pub tick: u64,
    pub on_seek: Callback<u64>,
    pub label: AttrValue,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.lanes, &o.lanes)
            && self.span == o.span
            && self.tick == o.tick
            && self.label == o.label
    }
}

fn draw(canvas: &HtmlCanvasElement, lanes: &Lanes, span: u64) {
    let css_w = f64::from(canvas.client_width().max(100));
    let n = lanes.cores.len() as f64;
    let css_h = n * (LANE_PX + GAP_PX) + 16.0;
    let Some((ctx, theme)) = crate::components::canvas::prepare(canvas, css_w, css_h) else {
        return;
    };
    let (fg, muted, lane_bg) = theme.lane_colours();
    let plot_w = (css_w - LABEL_PX).max(10.0);
    let span = span.max(1) as f64;
    let x = |t: u64| LABEL_PX + t as f64 / span * plot_w;
    ctx.set_font("12px system-ui, sans-serif");
    for (i, lane) in lanes.cores.iter().enumerate() {
        let y = i as f64 * (LANE_PX + GAP_PX);
        ctx.set_fill_style_str(&lane_bg);
        ctx.fill_rect(LABEL_PX, y, plot_w, LANE_PX);
        ctx.set_fill_style_str(&fg);
        let _ = ctx.fill_text(&format!("core {i}"), 2.0, y + LANE_PX * 0.7);
        for seg in lane {
            let (x0, x1) = (x(seg.start), x(seg.end));
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
    // Marks: a small triangle on top for a preemption, a bar below for a block.
    for m in &lanes.marks {
        let y = f64::from(m.core) * (LANE_PX + GAP_PX);
        let mx = x(m.tick);
        match m.kind {
            MarkKind::Preempt => {
                ctx.set_fill_style_str(&fg);
                ctx.begin_path();
                ctx.move_to(mx - 3.0, y);
                ctx.line_to(mx + 3.0, y);
                ctx.line_to(mx, y + 5.0);
                ctx.fill();
            }
            MarkKind::Block => {
                ctx.set_fill_style_str(&theme.var("--err", "#b3261e"));
                ctx.fill_rect(mx - 1.0, y + LANE_PX - 3.0, 2.0, 3.0);
            }
            MarkKind::Race | MarkKind::Lost => {
                ctx.set_fill_style_str(&theme.var("--err", "#b3261e"));
                ctx.fill_rect(mx - 2.0, y + LANE_PX / 2.0 - 2.0, 4.0, 4.0);
            }
        }
    }
    // Axis: a few tick labels.
    ctx.set_fill_style_str(&muted);
    let y = n * (LANE_PX + GAP_PX) + 10.0;
    for k in 0..=4u64 {
        let t = (span as u64) * k / 4;
        let label = t.to_string();
        let tx =
            (x(t) - 3.0 * label.len() as f64).clamp(LABEL_PX, css_w - 8.0 * label.len() as f64);
        let _ = ctx.fill_text(&label, tx, y);
    }
}

#[function_component(Gantt)]
pub fn gantt(props: &Props) -> Html {
    let canvas = use_node_ref();
    let dragging = use_mut_ref(|| false);
    {
        let canvas = canvas.clone();
        let lanes = Rc::clone(&props.lanes);
        let span = props.span;
        use_effect_with((Rc::as_ptr(&props.lanes) as usize, span), move |_| {
            let redraw = {
                let canvas = canvas.clone();
                move || {
                    if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                        draw(&c, &lanes, span);
                    }
                }
            };
            redraw();
            // Redraw on resize (and theme changes, which come with a resize of nothing:
            // the app re-keys this component instead).
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(redraw);
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ =
                    w.add_event_listener_with_callback("resize", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "resize",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let wrapper = use_node_ref();
    let to_tick = {
        let span = props.span;
        let wrapper = wrapper.clone();
        // Yew delegates events, so `current_target` is not this element: use the ref.
        move |e: &PointerEvent| -> Option<u64> {
            let target = wrapper.cast::<web_sys::Element>()?;
            let rect = target.get_bounding_client_rect();
            let plot_w = (rect.width() - LABEL_PX).max(1.0);
            let f = ((f64::from(e.client_x()) - rect.left() - LABEL_PX) / plot_w).clamp(0.0, 1.0);
            Some((f * span as f64).round() as u64)
        }
    };
    let onpointerdown = {
        let dragging = dragging.clone();
        let on_seek = props.on_seek.clone();
        let to_tick = to_tick.clone();
        let wrapper = wrapper.clone();
        Callback::from(move |e: PointerEvent| {
            *dragging.borrow_mut() = true;
            if let Some(t) = wrapper.cast::<web_sys::Element>() {
                let _ = t.set_pointer_capture(e.pointer_id());
            }
            if let Some(tick) = to_tick(&e) {
                on_seek.emit(tick);
            }
        })
    };
    let onpointermove = {
        let dragging = dragging.clone();
        let on_seek = props.on_seek.clone();
        Callback::from(move |e: PointerEvent| {
            if *dragging.borrow() {
                if let Some(tick) = to_tick(&e) {
                    on_seek.emit(tick);
                }
            }
        })
    };
    let onpointerup = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let n = props.lanes.cores.len() as f64;
    let height = n * (LANE_PX + GAP_PX) + 16.0;
    let frac = props.tick as f64 / props.span.max(1) as f64;
    let cursor_style = format!(
        "left: calc({LABEL_PX}px + (100% - {LABEL_PX}px) * {frac:.5}); height: {:.0}px",
        n * (LANE_PX + GAP_PX)
    );
    html! {
        <div class="gantt" ref={wrapper} data-testid="gantt" data-tick={props.tick.to_string()}
             data-span={props.span.to_string()}
             style={format!("height: {height:.0}px")}
             {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
            <canvas ref={canvas} role="img" aria-label={props.label.clone()}
                    style={format!("height: {height:.0}px")}></canvas>
            <div class="gantt-cursor" style={cursor_style}></div>
        </div>
    }
}
