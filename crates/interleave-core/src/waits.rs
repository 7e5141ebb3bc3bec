//! What waits off the cores over time, for lanes under the cores' timeline: I/O in flight
//! (awaited by a task, or a thread's blocking call) and the event loop's queue of tasks
//! ready to be polled. Overlapping I/O waits are what an event loop buys: these lanes show
//! them as bars side by side, where the cores' lanes only show idle time.

use crate::run::Run;
use crate::trace::{EventKind, TaskId, ThreadId};

/// Most bars kept per lane kind (a run with more says so: `truncated`).
pub const MAX_BARS: usize = 10_000;

/// `[start, end)` ticks of one wait, on one row of its lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bar {
    pub start: u64,
    pub end: u64,
    /// Rows are assigned so that bars on one row never overlap.
    pub row: u32,
    /// The thread that waits (for a task's I/O: the event loop).
    pub thread: ThreadId,
    /// The task that waits, if a task does.
    pub task: Option<TaskId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Waits {
    /// I/O in flight: awaited (`.await` on I/O, `task` set) or blocking (a thread's call).
    pub io: Vec<Bar>,
    pub io_rows: u32,
    /// Tasks queued on the event loop, from their wake-up (or spawn) to their next poll.
    pub queued: Vec<Bar>,
    pub queued_rows: u32,
    pub truncated: bool,
}

impl Waits {
    pub fn is_empty(&self) -> bool {
        self.io.is_empty() && self.queued.is_empty()
    }

    /// The most I/O waits in flight at once.
    pub fn most_io_at_once(&self) -> u32 {
        self.io_rows
    }
}

/// Greedy rows: each bar takes the lowest row free at its start (bars arrive by start).
fn assign_rows(bars: &mut [Bar]) -> u32 {
    let mut free_at: Vec<u64> = Vec::new();
    for b in bars.iter_mut() {
        let row = match free_at.iter().position(|&end| end <= b.start) {
            Some(r) => r,
            None => {
                free_at.push(0);
                free_at.len() - 1
            }
        };
        free_at[row] = b.end.max(b.start + 1);
        b.row = row as u32;
    }
    free_at.len() as u32
}

pub fn waits(run: &Run) -> Waits {
    let end = run.end_tick();
    let mut w = Waits::default();
    // Tasks queued now: (task, since).
    let mut queued: Vec<(TaskId, u64, ThreadId)> = Vec::new();
    let push = |bars: &mut Vec<Bar>, bar: Bar, truncated: &mut bool| {
        if bars.len() < MAX_BARS {
            bars.push(bar);
        } else {
            *truncated = true;
        }
    };
    for e in &run.events {
        match e.kind {
            EventKind::IoStart { until, blocking } => {
                let bar = Bar {
                    start: e.tick,
                    end: until.min(end),
                    row: 0,
                    thread: e.thread,
                    task: if blocking { None } else { e.task },
                };
                push(&mut w.io, bar, &mut w.truncated);
            }
            EventKind::SpawnTask(t) | EventKind::TaskWake(t)
                if !queued.iter().any(|q| q.0 == t) =>
            {
                queued.push((t, e.tick, e.thread));
            }
            EventKind::Poll(t) => {
                if let Some(i) = queued.iter().position(|q| q.0 == t) {
                    let (task, since, _) = queued.remove(i);
                    let bar = Bar {
                        start: since,
                        end: e.tick,
                        row: 0,
                        thread: e.thread,
                        task: Some(task),
                    };
                    push(&mut w.queued, bar, &mut w.truncated);
                }
            }
            _ => {}
        }
    }
    // Still queued when the run ended.
    for (task, since, thread) in queued {
        let bar = Bar {
            start: since,
            end,
            row: 0,
            thread,
            task: Some(task),
        };
        push(&mut w.queued, bar, &mut w.truncated);
    }
    w.queued.sort_by_key(|b| b.start);
    w.io_rows = assign_rows(&mut w.io);
    w.queued_rows = assign_rows(&mut w.queued);
    w
}
