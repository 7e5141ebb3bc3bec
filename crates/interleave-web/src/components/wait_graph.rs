//! The live wait-for graph: who waits on whom, and why; a cycle is drawn in red.

use crate::palette::thread_colour;
use interleave_core::snapshot::Snapshot;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub snapshot: Rc<Snapshot>,
}

#[function_component(WaitGraph)]
pub fn wait_graph(props: &Props) -> Html {
    let s = &props.snapshot;
    // Threads that wait or are waited on, placed on a circle.
    let mut nodes: Vec<_> = s.waits.iter().flat_map(|e| [e.from, e.to]).collect();
    nodes.sort();
    nodes.dedup();
    let deadlocked = !s.cycle.is_empty();
    let (w, h, r) = (320.0, 220.0, 80.0);
    let pos = |i: usize| {
        let a = std::f64::consts::TAU * i as f64 / nodes.len().max(1) as f64
            - std::f64::consts::FRAC_PI_2;
        (w / 2.0 + r * a.cos(), h / 2.0 + r * a.sin())
    };
    let at = |t| {
        nodes
            .iter()
            .position(|&n| n == t)
            .map(pos)
            .unwrap_or((0.0, 0.0))
    };
    let name = |t: interleave_core::trace::ThreadId| {
        if t.0 == 0 {
            "main".to_string()
        } else {
            format!("T{}", t.0)
        }
    };
    let edges = s.waits.iter().map(|e| {
        let ((x1, y1), (x2, y2)) = (at(e.from), at(e.to));
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        // Two threads waiting on each other: bend both edges apart so labels do not collide.
        let mutual = s.waits.iter().any(|o| o.from == e.to && o.to == e.from);
        let bend = if mutual { 28.0 } else { 0.0 };
        let (cx, cy) = ((x1 + x2) / 2.0 - dy / len * bend, (y1 + y2) / 2.0 + dx / len * bend);
        // Start and stop at the circles so the arrowhead shows.
        let toward = |(fx, fy): (f64, f64), (tx, ty): (f64, f64), d: f64| {
            let (vx, vy) = (tx - fx, ty - fy);
            let l = (vx * vx + vy * vy).sqrt().max(1.0);
            (fx + vx / l * d, fy + vy / l * d)
        };
        let (sx, sy) = toward((x1, y1), (cx, cy), 18.0);
        let (ex, ey) = toward((x2, y2), (cx, cy), 20.0);
        let (lx, ly) = (0.25 * sx + 0.5 * cx + 0.25 * ex, 0.25 * sy + 0.5 * cy + 0.25 * ey);
        let class = if e.in_cycle { "edge cycle" } else { "edge" };
        html! {
            <g class={class}>
                <path d={format!("M {sx:.1} {sy:.1} Q {cx:.1} {cy:.1} {ex:.1} {ey:.1}")} fill="none"
                      marker-end={if e.in_cycle { "url(#arrow-cycle)" } else { "url(#arrow)" }} />
                <text x={format!("{lx:.1}")} y={format!("{:.1}", ly - 4.0)} text-anchor="middle">{ &e.resource }</text>
            </g>
        }
    });
    let circles = nodes.iter().enumerate().map(|(i, &t)| {
        let (x, y) = pos(i);
        let in_cycle = s.cycle.contains(&t);
        html! {
            <g class={classes!("node", in_cycle.then_some("cycle"))}>
                <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="17" fill={thread_colour(t)} />
                <text x={format!("{x:.1}")} y={format!("{:.1}", y + 4.0)} text-anchor="middle">{ name(t) }</text>
            </g>
        }
    });
    html! {
        <section class={classes!("panel", "wait-graph", deadlocked.then_some("deadlocked"))}
                 data-testid="wait-graph" data-edges={s.waits.len().to_string()}
                 data-cycle={s.cycle.iter().map(|t| t.0.to_string()).collect::<Vec<_>>().join(",")}
                 aria-labelledby="graph-title">
            <h2 id="graph-title">{ "Who waits for whom" }</h2>
            if s.waits.is_empty() {
                <p class="muted">{ "Nobody waits on another thread right now." }</p>
            } else {
                <svg viewBox={format!("0 0 {w} {h}")} role="img"
                     aria-label={if deadlocked { "Wait-for graph with a cycle: deadlock" } else { "Wait-for graph" }}>
                    <defs>
                        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" /></marker>
                        <marker id="arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead cycle" /></marker>
                    </defs>
                    { for edges }
                    { for circles }
                </svg>
                if deadlocked { <p class="error"><strong>{ "A cycle: " }</strong>{ "each thread in red waits for the next; none can move unless another gives way." }</p> }
            }
        </section>
    }
}
