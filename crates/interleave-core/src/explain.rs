//! Plain-English names and explanations: thread names, why a thread waits, the deadlock
//! cycle. The UI and CLI show these strings; they never derive semantics themselves.

use crate::machine::{Machine, Panic, TaskState, ThreadState};
use crate::trace::{BlockReason, ChanId, TaskId, ThreadId};

/// One link of a wait-for chain: `thread` waits (for `reason`) on `on`.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WaitLink {
    pub thread: ThreadId,
    pub reason: BlockReason,
    /// The thread(s) that could end the wait (owner, joined thread, sender holders…).
    pub on: Vec<ThreadId>,
}

/// Why nothing can run again.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Deadlock {
    /// A wait-for cycle (last link waits on the first thread), if there is one.
    pub cycle: Vec<WaitLink>,
    /// Every blocked thread and what it waits for.
    pub stuck: Vec<WaitLink>,
    /// The whole story in words.
    pub explanation: String,
}

pub fn thread_name(m: &Machine, t: ThreadId) -> String {
    let th = m.thread(t);
    if t == ThreadId(0) {
        "main".into()
    } else if th.is_event_loop {
        format!("T{} (event loop)", t.0)
    } else if let Some(n) = th.name.and_then(|n| m.text(n)) {
        format!("T{} ({n:?})", t.0)
    } else {
        let name = &m.program.function(th.ctx.func).name;
        // Closures are named `{closure@main:4}` by the language: say it in words.
        match name
            .strip_prefix("{closure@")
            .and_then(|r| r.strip_suffix('}'))
            .and_then(|r| r.rsplit_once(':'))
        {
            Some((_, line)) => format!("T{} (closure, line {line})", t.0),
            None => format!("T{} ({name})", t.0),
        }
    }
}

/// Where a panic happened: "line 5, tick 148", or only the tick where the line is unknown.
pub fn panic_place(p: &Panic) -> String {
    match p.line {
        0 => format!("tick {}", p.tick),
        line => format!("line {line}, tick {}", p.tick),
    }
}

/// The source line of the op that made channel `ch`, or 0 when the program has no lines.
pub fn channel_line(m: &Machine, ch: ChanId) -> u32 {
    m.channels.get(ch.0 as usize).map_or(0, |c| {
        let (func, pc) = c.made_at;
        m.program.line(func, pc)
    })
}

/// "channel #1 (made at line 3)": its number, and where the program made it.
pub fn channel_name(m: &Machine, ch: ChanId) -> String {
    match channel_line(m, ch) {
        0 => format!("channel #{}", ch.0),
        line => format!("channel #{} (made at line {line})", ch.0),
    }
}

/// "task #1 (fetch)": its number and the async fn it runs.
pub fn task_name(m: &Machine, t: TaskId) -> String {
    match m.tasks.get(t.0 as usize) {
        Some(task) => format!("task #{} ({})", t.0, m.program.function(task.ctx.func).name),
        None => format!("task #{}", t.0),
    }
}

/// Whether `ch` is a rendezvous (`sync_channel(0)`): a send waits for a receiver, not
/// for room.
pub fn is_rendezvous(m: &Machine, ch: ChanId) -> bool {
    m.channels
        .get(ch.0 as usize)
        .is_some_and(|c| c.cap == Some(0))
}

/// The wait-for link of a blocked thread.
pub fn wait_link(m: &Machine, thread: ThreadId, reason: BlockReason) -> WaitLink {
    WaitLink {
        thread,
        reason,
        on: waits_on(m, thread, reason),
    }
}

fn waits_on(m: &Machine, thread: ThreadId, reason: BlockReason) -> Vec<ThreadId> {
    match reason {
        BlockReason::Mutex(mx) => {
            let s = &m.mutexes[mx.index()];
            match s.owner {
                Some(o) => vec![o],
                // A reader behind a waiting writer waits for that writer; a writer, for
                // the readers.
                None if s.read_waiters.contains(&thread) => {
                    s.waiters.front().copied().into_iter().collect()
                }
                None => s.readers.clone(),
            }
        }
        BlockReason::Join(u) => vec![u],
        BlockReason::Recv(ch) => {
            let mut s = m.channels[ch.0 as usize].senders.clone();
            s.sort();
            s.dedup();
            s
        }
        BlockReason::Send(ch) => m.channels[ch.0 as usize].receiver.into_iter().collect(),
        BlockReason::Task(_) => m.event_loop.into_iter().collect(),
        BlockReason::Once(o) => match m.onces[o.index()].stage {
            crate::machine::OnceStage::Running(u) => vec![u],
            _ => Vec::new(),
        },
        BlockReason::Turn => match m.gate_next() {
            Some(crate::trace::Action::Run(u)) => vec![u],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// "waits for mutex `A`, held by T2 (worker)" and friends.
pub fn describe_wait(m: &Machine, link: &WaitLink) -> String {
    let names = |ts: &[ThreadId]| {
        ts.iter()
            .map(|&t| thread_name(m, t))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let exited = |t: ThreadId| matches!(m.thread(t).state, ThreadState::Exited { .. });
    match link.reason {
        BlockReason::Mutex(mx) if m.program.rwlocks.contains(&mx) => {
            let name = &m.program.mutexes[mx.index()].name;
            let s = &m.mutexes[mx.index()];
            let reading = s.read_waiters.contains(&link.thread);
            let how = if reading { "read" } else { "write" };
            match s.owner {
                Some(o) => format!(
                    "waits to {how}-lock `{name}`, write-locked by {}",
                    thread_name(m, o)
                ),
                None if reading => format!(
                    "waits to read-lock `{name}` behind {}, who waits to write-lock it (a waiting writer goes first)",
                    names(&link.on)
                ),
                None => format!(
                    "waits to write-lock `{name}`, read-locked by {}",
                    names(&link.on)
                ),
            }
        }
        BlockReason::Mutex(mx) => {
            let name = &m.program.mutexes[mx.index()].name;
            match link.on.first() {
                Some(&o) if exited(o) => format!(
                    "waits for mutex `{name}`, held by {}, which exited without unlocking it",
                    thread_name(m, o)
                ),
                Some(&o) => format!("waits for mutex `{name}`, held by {}", thread_name(m, o)),
                None => format!("waits for mutex `{name}`"),
            }
        }
        BlockReason::Join(u) => format!("waits to join {}", thread_name(m, u)),
        BlockReason::Recv(ch) => format!(
            "waits to receive on {}, whose senders are held by {}",
            channel_name(m, ch),
            names(&link.on)
        ),
        BlockReason::Send(ch) => format!(
            "waits to send on {} {}, whose receiver is held by {}",
            if is_rendezvous(m, ch) {
                "rendezvous"
            } else {
                "full"
            },
            channel_name(m, ch),
            names(&link.on)
        ),
        BlockReason::Task(task) => format!("waits for async {}", task_name(m, task)),
        BlockReason::Barrier(b) => {
            let d = &m.program.barriers[b.index()];
            format!(
                "waits at barrier `{}` for {} thread(s) in all to arrive ({} so far)",
                d.name,
                d.init,
                m.barriers[b.index()].waiting.len()
            )
        }
        BlockReason::Park => "is parked, waiting for another thread to unpark it".into(),
        BlockReason::Once(o) => format!(
            "waits for the initialiser of `{}` that another thread runs",
            m.program.onces[o.index()].name
        ),
        BlockReason::Condvar(c) => format!(
            "waits on condvar `{}` for a notify_one/notify_all (a notification sent before it waited is lost)",
            m.program.condvars[c.index()].name
        ),
        BlockReason::Sleep { until } => format!("sleeps until tick {until}"),
        BlockReason::BlockingIo { until } => format!("is blocked in I/O until tick {until}"),
        BlockReason::Turn => match link.on.first() {
            Some(&u) => format!(
                "pauses for its turn: the schedule being followed runs {} first",
                thread_name(m, u)
            ),
            None => "pauses for its turn in the schedule being followed".into(),
        },
        BlockReason::EventLoopIdle => {
            let io = m.tasks.iter().filter_map(|t| match t.state {
                TaskState::AwaitingIo { until } => Some(until),
                _ => None,
            });
            match io.min() {
                Some(at) => format!(
                    "is the event loop, idle until an awaited I/O completes (first at tick {at})"
                ),
                None => "is the event loop, idle: its tasks wait only on each other".into(),
            }
        }
    }
}

/// Builds the deadlock report of a machine in which nothing can run.
pub fn deadlock(m: &Machine) -> Deadlock {
    let stuck: Vec<WaitLink> = m
        .threads
        .iter()
        .filter_map(|th| match th.state {
            ThreadState::Blocked(reason) => Some(WaitLink {
                thread: th.id,
                reason,
                on: waits_on(m, th.id, reason),
            }),
            _ => None,
        })
        .collect();
    let cycle = find_cycle(&stuck);
    let mut explanation = String::new();
    if cycle.is_empty() {
        explanation.push_str("Deadlock: no thread can ever run again.");
    } else {
        let names: Vec<String> = cycle.iter().map(|l| thread_name(m, l.thread)).collect();
        explanation.push_str(&match names.as_slice() {
            [one] => format!("Deadlock: {one} waits for itself."),
            _ => format!(
                "Deadlock: {} wait for each other in a cycle.",
                names.join(" and ")
            ),
        });
    }
    for link in &stuck {
        explanation.push_str(&format!(
            "\n- {} {}.",
            thread_name(m, link.thread),
            describe_wait(m, link)
        ));
    }
    Deadlock {
        cycle,
        stuck,
        explanation,
    }
}

/// The first wait-for cycle, following the lowest-numbered successor that leads back.
pub fn find_cycle(stuck: &[WaitLink]) -> Vec<WaitLink> {
    let link = |t: ThreadId| stuck.iter().find(|l| l.thread == t);
    for start in stuck {
        // Depth-first search from `start`, path kept explicitly.
        let mut path: Vec<(ThreadId, usize)> = vec![(start.thread, 0)];
        while let Some(&(t, next)) = path.last() {
            let succ = link(t).and_then(|l| l.on.get(next).copied());
            match succ {
                None => {
                    path.pop();
                    if let Some(last) = path.last_mut() {
                        last.1 += 1;
                    }
                }
                Some(s) if s == start.thread => {
                    return path.iter().filter_map(|&(t, _)| link(t).cloned()).collect();
                }
                Some(s) if path.iter().any(|&(p, _)| p == s) || link(s).is_none() => {
                    path.last_mut().expect("path is non-empty").1 += 1;
                }
                Some(s) => path.push((s, 0)),
            }
        }
    }
    Vec::new()
}
