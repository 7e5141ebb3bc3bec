//! An ASCII picture of a run: one lane per core, one column per tick. Golden tests review
//! runs as these pictures, and the CLI prints them.
//!
//! In a lane: a thread's symbol where it ran a step, `~` where the core paid a context
//! switch, `.` where it was idle. Symbols: `M` main, `1`–`9` then `a`–`z` for T1…T35, `*`
//! beyond. Below the lanes: a legend and the outcome.

use crate::explain::thread_name;
use crate::machine::End;
use crate::run::Run;
use crate::trace::{EventKind, ThreadId};
use std::fmt::Write;

pub fn symbol(t: ThreadId) -> char {
    match t.0 {
        0 => 'M',
        n @ 1..=9 => char::from(b'0' + n as u8),
        n @ 10..=35 => char::from(b'a' + (n - 10) as u8),
        _ => '*',
    }
}

/// Renders at most `max_ticks` columns (the rest is summarised).
pub fn render(run: &Run, max_ticks: u64) -> String {
    let end = run.end_tick();
    let width = end.min(max_ticks) as usize;
    let cores = run.settings.cores as usize;
    let mut lanes = vec![vec!['.'; width]; cores];
    for e in &run.events {
        let (Some(core), true) = (e.core, (e.tick as usize) < width) else {
            continue;
        };
        let cell = &mut lanes[core as usize][e.tick as usize];
        match e.kind {
            EventKind::Step { .. } => *cell = symbol(e.thread),
            EventKind::Switch => *cell = '~',
            _ => {}
        }
    }
    let mut out = String::new();
    for (i, lane) in lanes.iter().enumerate() {
        let lane: String = lane.iter().collect();
        let more = if end > max_ticks { "…" } else { "" };
        let _ = writeln!(out, "core {i:<2}|{lane}|{more}");
    }
    let state = run.state_at(end);
    let legend: Vec<String> = state
        .threads
        .iter()
        .map(|th| format!("{} {}", symbol(th.id), thread_name(&state, th.id)))
        .collect();
    let _ = writeln!(out, "threads: {}", legend.join(", "));
    out.push_str(&summary(run));
    out
}

/// The outcome in a few lines: how it ended, final values, panics, races, deadlock.
pub fn summary(run: &Run) -> String {
    let o = &run.outcome;
    let state = run.state_at(run.end_tick());
    let mut out = String::new();
    let end = match &o.end {
        End::Finished { stopped: 0 } => "main returned".to_string(),
        End::Finished { stopped } => {
            format!("main returned; {stopped} other thread(s) were still running and stopped with the process")
        }
        End::MainPanicked => "main panicked; the process ended".into(),
        End::Deadlock => "deadlock".into(),
        End::Limit(_) => "stopped".into(),
        End::ScheduleMismatch(_) => "the replay stopped".into(),
    };
    let count = |n: u64, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let _ = write!(
        out,
        "end: {end} after {}, {}",
        count(o.ticks, "tick"),
        count(o.steps, "step")
    );
    match &o.end {
        End::Limit(l) => {
            let _ = write!(out, ": {}", l.words(&run.settings.limits));
        }
        End::ScheduleMismatch(e) => {
            let _ = write!(out, ": {e}");
        }
        _ => {}
    }
    out.push('\n');
    let values = o.final_values();
    if !values.is_empty() {
        let _ = writeln!(out, "final: {}", values.join(", "));
    }
    if !o.output.is_empty() {
        let _ = writeln!(out, "output (in the order printed, by thread):");
        for p in &o.output {
            let body = p.text.strip_suffix('\n').unwrap_or(&p.text);
            // A print of several lines (`dbg!` of a vector) shows as its lines, each
            // under the thread that printed it.
            let lines: Vec<&str> = body.split('\n').collect();
            for (i, line) in lines.iter().enumerate() {
                let last = i + 1 == lines.len();
                let _ = writeln!(
                    out,
                    "  {} | {}{}{}",
                    symbol(p.thread),
                    terminal_safe(line),
                    if !last || p.text.ends_with('\n') {
                        ""
                    } else {
                        "  (no newline)"
                    },
                    if last && p.err { "  (stderr)" } else { "" }
                );
            }
        }
    }
    for p in &o.panics {
        let _ = writeln!(
            out,
            "panic in {} at {}: {}",
            thread_name(&state, p.thread),
            crate::explain::panic_place(p),
            p.message
        );
    }
    for r in &o.races {
        let kind = |w: bool| if w { "write" } else { "read" };
        // A scenario's ops know their source line; a program built by hand may not (0).
        let place =
            |a: &crate::race::Access| match crate::snapshot::source_line(&state, a.func, a.pc) {
                0 => format!(
                    "(op {} of {}) at tick {}",
                    a.pc,
                    run.program.function(a.func).name,
                    a.tick
                ),
                line => format!("at line {line} (tick {})", a.tick),
            };
        let _ = writeln!(
            out,
            "data race on `{}`: {} by {} {} and {} by {} {}, with nothing ordering them",
            run.program.vars[r.var.index()].name,
            kind(r.earlier.write),
            thread_name(&state, r.earlier.thread),
            place(&r.earlier),
            kind(r.later.write),
            thread_name(&state, r.later.thread),
            place(&r.later),
        );
    }
    if o.races_dropped > 0 {
        let _ = writeln!(
            out,
            "({} more race occurrences not listed: the report limit was hit)",
            o.races_dropped
        );
    }
    if let Some(d) = &o.deadlock {
        let _ = writeln!(out, "{}", d.explanation);
    }
    out
}

/// What a core did over a stretch of ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    /// Ran steps of this thread.
    Run(ThreadId),
    /// Paid a context switch onto this thread.
    Switch(ThreadId),
}

/// `[start, end)` ticks on one core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub start: u64,
    pub end: u64,
    pub kind: SegmentKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// The time slice ended and the thread went back to the ready queue.
    Preempt,
    /// The thread blocked (lock, channel, join, sleep, I/O…).
    Block,
    /// The later access of a data race ran here.
    Race,
    /// A store here overwrote another thread's write it had not seen (see `lost`).
    Lost,
    /// Following a witness, the thread paused here for its turn.
    Pause,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    pub tick: u64,
    pub core: u16,
    pub kind: MarkKind,
}

/// A run as a Gantt chart: per core, maximal segments; marks where threads left a core.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lanes {
    pub cores: Vec<Vec<Segment>>,
    pub marks: Vec<Mark>,
    pub end: u64,
    /// Core-ticks spent running steps (not switching, not idle).
    pub busy: u64,
}

impl Lanes {
    /// Makespan in ticks.
    pub fn makespan(&self) -> u64 {
        self.end
    }

    /// Busy core-ticks over available core-ticks, 0..=1.
    pub fn utilisation(&self) -> f64 {
        let avail = self.end * self.cores.len() as u64;
        if avail == 0 {
            0.0
        } else {
            self.busy as f64 / avail as f64
        }
    }
}

pub fn lanes(run: &Run) -> Lanes {
    let mut cores: Vec<Vec<Segment>> = vec![Vec::new(); run.settings.cores as usize];
    let mut marks = Vec::new();
    let mut busy = 0;
    for e in &run.events {
        let Some(core) = e.core else { continue };
        let kind = match e.kind {
            EventKind::Step { .. } => {
                busy += 1;
                SegmentKind::Run(e.thread)
            }
            EventKind::Switch => SegmentKind::Switch(e.thread),
            EventKind::Preempt | EventKind::Block(_) => {
                marks.push(Mark {
                    tick: e.tick,
                    core,
                    kind: match e.kind {
                        EventKind::Preempt => MarkKind::Preempt,
                        EventKind::Block(crate::trace::BlockReason::Turn) => MarkKind::Pause,
                        _ => MarkKind::Block,
                    },
                });
                continue;
            }
            _ => continue,
        };
        let lane = &mut cores[core as usize];
        match lane.last_mut() {
            Some(s) if s.kind == kind && s.end == e.tick => s.end = e.tick + 1,
            Some(s) if s.kind == kind && s.end > e.tick => {}
            _ => lane.push(Segment {
                start: e.tick,
                end: e.tick + 1,
                kind,
            }),
        }
    }
    let mut lanes = Lanes {
        cores,
        marks,
        end: run.end_tick(),
        busy,
    };
    for r in &run.outcome.races {
        if let Some(core) = lanes.core_of(r.later.thread, r.later.tick) {
            lanes.marks.push(Mark {
                tick: r.later.tick,
                core,
                kind: MarkKind::Race,
            });
        }
    }
    lanes
}

impl Lanes {
    /// The core that ran `thread` at `tick`, if one did.
    pub fn core_of(&self, thread: ThreadId, tick: u64) -> Option<u16> {
        self.cores
            .iter()
            .position(|lane| {
                let i = lane.partition_point(|s| s.end <= tick);
                lane.get(i)
                    .is_some_and(|s| s.start <= tick && s.kind == SegmentKind::Run(thread))
            })
            .map(|c| c as u16)
    }

    /// Marks every lost update's overwriting store.
    pub fn mark_lost(&mut self, loads: &crate::lost::Loads) {
        for l in &loads.lost {
            if let Some(core) = l.by.core {
                self.marks.push(Mark {
                    tick: l.by.tick,
                    core,
                    kind: MarkKind::Lost,
                });
            }
        }
    }
}

/// Printed text for a terminal: control characters escaped (`\u{1b}`, `\t`), so what a
/// program prints cannot retitle, clear or recolour the terminal; the rest as it is.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
