//! A run as Chrome Trace Event JSON, the format Perfetto and `chrome://tracing` open.
//!
//! One process ("Interleave"), one track per core (named "core 0", "core 1", …), one slice per
//! stretch a core spent running a thread (named after the thread) or switching to one, and an
//! instant event where a thread was preempted or blocked. One tick is shown as one
//! millisecond, so Perfetto's time axis reads in ticks.
//!
//! The JSON is written by hand (a few kinds of object, strings escaped per RFC 8259): a JSON
//! library would cost the page more than this file. Tests parse the output with serde_json.

use crate::explain::thread_name;
use crate::run::Run;
use crate::timeline::{Lanes, MarkKind, SegmentKind};
use crate::trace::ThreadId;
use std::fmt::Write;

/// Microseconds per tick in the exported trace at the default tick (1 ms of a `Duration`).
pub const US_PER_TICK: u64 = 1000;

/// Appends `s` as a JSON string literal.
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The Chrome Trace Event JSON of `run` (whose Gantt lanes are `lanes`), titled `title`,
/// a tick lasting `us_per_tick` microseconds (the length of a tick of a `Duration`).
pub fn chrome_trace(run: &Run, lanes: &Lanes, title: &str, us_per_tick: u64) -> String {
    let last = run.state_at(run.end_tick());
    let names: Vec<String> = last
        .threads
        .iter()
        .map(|t| thread_name(&last, t.id))
        .collect();
    let name = |t: ThreadId| {
        names
            .get(t.0 as usize)
            .cloned()
            .unwrap_or_else(|| format!("T{}", t.0))
    };
    let mut out = String::with_capacity(64 + 96 * lanes.cores.iter().map(Vec::len).sum::<usize>());
    out.push_str("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"title\":");
    json_string(&mut out, title);
    let _ = write!(
        out,
        ",\"cores\":{},\"ticks\":{},\"quantum\":{},\"switch_cost\":{},\"seed\":{}}},\"traceEvents\":[",
        lanes.cores.len(),
        lanes.end,
        run.settings.quantum_ticks,
        run.settings.switch_cost_ticks,
        run.settings.seed
    );
    out.push_str(
        "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"Interleave\"}}",
    );
    for core in 0..lanes.cores.len() {
        let _ = write!(
            out,
            ",{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":{core},\"args\":{{\"name\":\"core {core}\"}}}}\
             ,{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":{core},\"args\":{{\"sort_index\":{core}}}}}"
        );
    }
    for (core, segments) in lanes.cores.iter().enumerate() {
        for s in segments {
            let (label, cat, thread) = match s.kind {
                SegmentKind::Run(t) => (name(t), "run", t),
                SegmentKind::Switch(t) => (format!("switch to {}", name(t)), "switch", t),
            };
            out.push_str(",{\"name\":");
            json_string(&mut out, &label);
            let _ = write!(
                out,
                ",\"cat\":\"{cat}\",\"ph\":\"X\",\"pid\":1,\"tid\":{core},\"ts\":{},\"dur\":{},\"args\":{{\"thread\":",
                s.start * us_per_tick,
                (s.end - s.start) * us_per_tick
            );
            json_string(&mut out, &name(thread));
            let _ = write!(out, ",\"ticks\":{}}}}}", s.end - s.start);
        }
    }
    for m in &lanes.marks {
        let what = match m.kind {
            MarkKind::Preempt => "preempted",
            MarkKind::Block => "blocked",
            MarkKind::Race => "data race",
            MarkKind::Lost => "update lost",
            MarkKind::Pause => "paused for its turn",
        };
        let _ = write!(
            out,
            ",{{\"name\":\"{what}\",\"cat\":\"{what}\",\"ph\":\"i\",\"s\":\"t\",\"pid\":1,\"tid\":{},\"ts\":{}}}",
            m.core,
            m.tick * us_per_tick
        );
    }
    out.push_str("]}");
    out
}
