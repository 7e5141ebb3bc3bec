//! The timeline as a standalone SVG file: the Gantt chart's picture (a lane per core, a colour
//! per thread, switches grey, preemptions and blocks marked) with a tick axis and a legend, for
//! slides and handouts. Pure; native-tested.

use crate::palette::thread_colour;
use interleave_core::timeline::{Lanes, MarkKind, SegmentKind};
use interleave_core::trace::ThreadId;
use std::fmt::Write;

const WIDTH: f64 = 960.0;
const LABEL: f64 = 64.0;
const LANE: f64 = 22.0;
const GAP: f64 = 4.0;
const PAD: f64 = 12.0;

/// One chart in the file: its heading and its lanes.
pub struct Pane<'a> {
    pub title: String,
    pub lanes: &'a Lanes,
}

/// Escapes text for SVG content and attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A round tick step (1, 2 or 5 times a power of ten) that puts about `labels` labels on
/// an axis of `span` ticks; the page's timeline uses it too.
pub fn axis_step(span: u64, labels: u64) -> u64 {
    let raw = (span / labels.max(1)).max(1);
    let mag = 10u64.pow(raw.ilog10());
    [1, 2, 5, 10]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(10 * mag)
}

/// The SVG document for `panes` on a shared scale of `span` ticks; `name` names threads.
pub fn timeline(
    title: &str,
    panes: &[Pane],
    span: u64,
    name: &dyn Fn(ThreadId) -> String,
) -> String {
    let span = span.max(1);
    let plot = WIDTH - LABEL - PAD;
    let x = |t: u64| LABEL + plot * t as f64 / span as f64;
    let mut threads: Vec<ThreadId> = Vec::new();
    let mut body = String::new();
    let mut y = PAD + 18.0;
    let _ = write!(
        body,
        "<text x=\"{PAD}\" y=\"{y}\" font-size=\"15\" font-weight=\"bold\">{}</text>",
        xml(title)
    );
    for pane in panes {
        y += 24.0;
        let _ = write!(
            body,
            "<text x=\"{PAD}\" y=\"{y}\" font-size=\"13\">{}</text>",
            xml(&pane.title)
        );
        y += 8.0;
        for (core, segments) in pane.lanes.cores.iter().enumerate() {
            let top = y + core as f64 * (LANE + GAP);
            let _ = write!(
                body,
                "<text x=\"{PAD}\" y=\"{:.1}\" font-size=\"12\">core {core}</text>\
                 <rect x=\"{LABEL}\" y=\"{top:.1}\" width=\"{plot:.1}\" height=\"{LANE}\" fill=\"#f1f1f4\"/>",
                top + LANE * 0.7
            );
            for s in segments {
                let (fill, what, t) = match s.kind {
                    SegmentKind::Run(t) => (thread_colour(t), "runs", t),
                    SegmentKind::Switch(t) => ("#9a9aa6".to_string(), "switches to", t),
                };
                if !threads.contains(&t) {
                    threads.push(t);
                }
                let _ = write!(
                    body,
                    "<rect x=\"{:.2}\" y=\"{top:.1}\" width=\"{:.2}\" height=\"{LANE}\" fill=\"{fill}\">\
                     <title>core {core} {what} {}: ticks {}–{}</title></rect>",
                    x(s.start),
                    (x(s.end) - x(s.start)).max(0.5),
                    xml(&name(t)),
                    s.start,
                    s.end
                );
            }
        }
        for m in &pane.lanes.marks {
            let top = y + f64::from(m.core) * (LANE + GAP);
            let (cy, label, fill) = match m.kind {
                MarkKind::Preempt => (top, "preempted", "#222"),
                MarkKind::Block => (top + LANE, "blocked", "#222"),
                MarkKind::Race => (top + LANE / 2.0, "data race", "#b3261e"),
                MarkKind::Lost => (top + LANE / 2.0, "update lost", "#b3261e"),
                MarkKind::Pause => (top + LANE, "paused for its turn", "#3b5bdb"),
            };
            let _ = write!(
                body,
                "<circle cx=\"{:.2}\" cy=\"{cy:.1}\" r=\"2.5\" fill=\"{fill}\"><title>{label} at tick {}</title></circle>",
                x(m.tick),
                m.tick
            );
        }
        y += pane.lanes.cores.len() as f64 * (LANE + GAP);
        let step = axis_step(span, 8);
        let mut t = 0;
        while t <= span {
            let _ = write!(
                body,
                "<line x1=\"{0:.2}\" x2=\"{0:.2}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#888\"/>\
                 <text x=\"{0:.2}\" y=\"{3:.1}\" font-size=\"10\" text-anchor=\"middle\">{t}</text>",
                x(t),
                y - GAP,
                y + 2.0,
                y + 13.0
            );
            t += step;
        }
        y += 16.0;
    }
    threads.sort();
    y += 10.0;
    let mut lx = PAD;
    for t in threads {
        let label = xml(&name(t));
        let w = 22.0 + 7.0 * label.chars().count() as f64;
        if lx + w > WIDTH - PAD {
            lx = PAD;
            y += 18.0;
        }
        let _ = write!(
            body,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{y:.1}\" font-size=\"12\">{label}</text>",
            y - 10.0,
            thread_colour(t),
            lx + 16.0
        );
        lx += w + 10.0;
    }
    let height = y + PAD;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" \
         viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"system-ui, sans-serif\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>{body}</svg>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{build, UiSettings};

    #[test]
    fn the_svg_draws_every_segment_on_one_scale_with_a_legend() {
        let src = interleave_lang::presets::body(
            interleave_lang::presets::find("time-slicing")
                .unwrap()
                .source,
        );
        let sim = build(src, UiSettings::default(), true, None);
        let main = sim.main.as_ref().unwrap();
        let single = sim.single.as_ref().unwrap();
        let panes = [
            Pane {
                title: "On 1 core".into(),
                lanes: &single.lanes,
            },
            Pane {
                title: "On 2 cores <& \"more\">".into(),
                lanes: &main.lanes,
            },
        ];
        let svg = timeline("time slicing", &panes, sim.end_tick(), &|t| {
            format!("T{}", t.0)
        });
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("On 2 cores &lt;&amp; &quot;more&quot;&gt;"));
        let segments: usize = panes
            .iter()
            .map(|p| p.lanes.cores.iter().map(Vec::len).sum::<usize>())
            .sum();
        assert_eq!(svg.matches("<title>core ").count(), segments);
        // The page's colours, as #rrggbb (which every SVG tool reads).
        assert!(svg.contains(&format!("fill=\"{}\"", thread_colour(ThreadId(1)))));
        assert!(svg.contains(">T1</text>"), "legend");
        // Well formed enough for any reader: every element opened is closed.
        let opened = svg.matches("<rect").count() + svg.matches("<circle").count();
        let closed = svg.matches("</rect>").count()
            + svg.matches("</circle>").count()
            + svg.matches("\"/>").count()
            - svg.matches("<line").count();
        assert_eq!(opened, closed);
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(axis_step(7, 8), 1);
        assert_eq!(axis_step(100, 8), 20);
        assert_eq!(axis_step(400_000, 8), 50_000);
        assert_eq!(axis_step(32, 4), 10);
        assert_eq!(axis_step(1000, 5), 200);
        assert_eq!(axis_step(2_000_000, 8), 500_000);
    }
}
