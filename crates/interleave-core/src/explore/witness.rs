//! Witnesses: the steps of one execution that reaches an outcome, as text a person can
//! copy (`M*2 T1 T2*6 io#0 T1`: who runs how many steps, in order) and read, and the one
//! with the fewest preemptions (a switch away from a thread that could have gone on), as
//! CHESS's iterative preemption bounding finds first: most bugs need one or two.

use super::fingerprint;
use super::step::{self, Action, Stepped};
use super::table::Table;
use crate::code::Code;
use crate::machine::{Machine, ThreadState};
use crate::trace::{TaskId, ThreadId};

fn thread_text(t: ThreadId) -> String {
    if t.0 == 0 {
        "M".into()
    } else {
        format!("T{}", t.0)
    }
}

/// `M*2 T1 T2*6 io#0 T1`: runs of steps by one thread, and I/O completions.
pub fn to_text(actions: &[Action]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < actions.len() {
        let a = actions[i];
        let mut n = 1;
        while i + n < actions.len() && actions[i + n] == a && matches!(a, Action::Run(_)) {
            n += 1;
        }
        out.push(match a {
            Action::Run(t) if n > 1 => format!("{}*{n}", thread_text(t)),
            Action::Run(t) => thread_text(t),
            Action::CompleteIo(k) => format!("io#{}", k.0),
        });
        i += n;
    }
    out.join(" ")
}

/// Reads [`to_text`]'s form back (spaces or commas between items); the error says which
/// item and why.
pub fn parse(text: &str) -> Result<Vec<Action>, String> {
    let mut out = Vec::new();
    for (i, item) in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        let bad = |why: &str| format!("step {} (`{item}`): {why}", i + 1);
        if let Some(k) = item.strip_prefix("io#") {
            let k: u32 = k.parse().map_err(|_| bad("`io#` takes a task number"))?;
            out.push(Action::CompleteIo(TaskId(k)));
            continue;
        }
        let (who, times) = match item.split_once('*') {
            Some((w, n)) => (
                w,
                n.parse::<usize>()
                    .ok()
                    .filter(|&n| (1..=1_000_000).contains(&n))
                    .ok_or_else(|| bad("`*` takes a count from 1 to 1000000"))?,
            ),
            None => (item, 1),
        };
        let t = match who {
            "M" | "main" => ThreadId(0),
            w => ThreadId(
                w.strip_prefix('T')
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| bad("a step is M, T<number>, io#<task>, with *<count>"))?,
            ),
        };
        out.extend(std::iter::repeat_n(Action::Run(t), times));
    }
    Ok(out)
}

/// Whether taking `next` in `m`, after a step by `last`, preempts `last`: it is another
/// thread's step while `last` could still have run.
pub fn is_preemption(m: &Machine, last: Option<ThreadId>, next: Action) -> bool {
    match (last, next) {
        (Some(l), Action::Run(t)) if l != t => {
            m.threads.get(l.0 as usize).map(|th| th.state) == Some(ThreadState::Ready)
                && !step::waits_to_join(m, l)
        }
        _ => false,
    }
}

/// The preemptions along `actions` from `start`.
pub fn preemptions(start: &Machine, code: &Code, actions: &[Action], max_local: u64) -> u32 {
    let mut m = start.clone();
    let mut last = None;
    let mut n = 0;
    for &a in actions {
        n += u32::from(is_preemption(&m, last, a));
        if let Action::Run(t) = a {
            last = Some(t);
        }
        let _ = step::take(&mut m, code, a, max_local);
    }
    n
}

/// For each wanted outcome (by the index `classify` gives an end), an execution with the
/// fewest preemptions, by iterative preemption bounding (CHESS): a depth-first search that
/// allows at most `k` preemptions, for k = 0, 1, 2, … up to `max_bound`; an outcome first
/// reached at bound k needs exactly k. Each search visits (state, last thread) pairs once
/// per fewest preemptions seen, in a table of `max_nodes` entries at most; past that, or
/// past `max_bound`, the outcomes not reached get `None`.
pub fn minimal(
    start: &Machine,
    code: &Code,
    wanted: usize,
    classify: &dyn Fn(&Machine, Stepped) -> Option<usize>,
    options: &super::Options,
    live: &super::live::Live,
) -> Vec<Option<Vec<Action>>> {
    let (max_nodes, max_bound, max_local) = (
        options.max_witness_nodes,
        options
            .max_witness_preemptions
            .min(options.preemption_bound.unwrap_or(u32::MAX)),
        options.max_local_steps,
    );
    struct Frame {
        m: Machine,
        last: Option<ThreadId>,
        used: u32,
        actions: Vec<Action>,
        next: usize,
    }
    let key = |m: &Machine, last: Option<ThreadId>| {
        let fp = fingerprint::of(m, live);
        let mut h = fingerprint::Hasher::new();
        h.words([
            fp as u64,
            (fp >> 64) as u64,
            last.map_or(u64::MAX, |t| t.0.into()),
        ]);
        h.finish()
    };
    let mut found: Vec<Option<Vec<Action>>> = vec![None; wanted];
    let mut left = wanted;
    let mut spent = 0usize;
    for bound in 0..=max_bound {
        if left == 0 || spent >= max_nodes {
            break;
        }
        let mut best = Table::new();
        best.insert(key(start, None), 0);
        let mut stack = vec![Frame {
            m: start.clone(),
            last: None,
            used: 0,
            actions: step::enabled(start),
            next: 0,
        }];
        while let Some(top) = stack.last_mut() {
            if top.next == top.actions.len() {
                stack.pop();
                continue;
            }
            let a = top.actions[top.next];
            top.next += 1;
            let used = top.used + u32::from(is_preemption(&top.m, top.last, a));
            if used > bound {
                continue;
            }
            let last = match a {
                Action::Run(t) => Some(t),
                Action::CompleteIo(_) => top.last,
            };
            let mut m = top.m.clone();
            let stepped = step::take(&mut m, code, a, max_local);
            if let Some(o) = classify(&m, stepped) {
                if found[o].is_none() {
                    let path = stack
                        .iter()
                        .map(|f| f.actions[f.next - 1])
                        .collect::<Vec<_>>();
                    found[o] = Some(path);
                    left -= 1;
                    if left == 0 {
                        return found;
                    }
                }
                continue;
            }
            if stepped != Stepped::Done
                || m.end.is_some()
                || stack.len() as u64 >= options.max_depth
            {
                continue;
            }
            let k = key(&m, last);
            if best.get(k).is_some_and(|b| b <= used) {
                continue;
            }
            if best.len() + spent >= max_nodes {
                return found;
            }
            best.insert(k, used);
            let actions = step::enabled(&m);
            stack.push(Frame {
                m,
                last,
                used,
                actions,
                next: 0,
            });
        }
        spent += best.len();
    }
    found
}

/// `actions` from the start in words, one line per run of steps by one thread: what it
/// did that others could see (`narrate`'s words), and whether the switch to it preempted
/// the thread before.
pub fn narrate(start: &Machine, code: &Code, actions: &[Action], max_local: u64) -> Vec<String> {
    use crate::trace::{EventKind as K, Recorder};
    let mut m = start.clone();
    let mut last: Option<ThreadId> = None;
    let mut lines: Vec<String> = Vec::new();
    for &a in actions {
        let preempted = is_preemption(&m, last, a).then_some(last).flatten();
        let mut rec = Recorder::default();
        step::take_with(&mut m, code, a, max_local, &mut rec);
        let shown = rec.events.iter().filter(|e| {
            !matches!(
                e.kind,
                K::Step { .. } | K::Dispatch | K::Switch | K::Preempt | K::Wake
            )
        });
        let words = crate::snapshot::narrate_all(&m, shown);
        let who = match a {
            Action::Run(t) => crate::explain::thread_name(&m, t),
            Action::CompleteIo(k) => format!("the I/O of {}", crate::explain::task_name(&m, k)),
        };
        let what = if words.is_empty() {
            format!("{who} runs local steps")
        } else {
            words.join("; ")
        };
        let lead = match preempted {
            Some(p) => format!("{} is preempted; ", crate::explain::thread_name(&m, p)),
            None => String::new(),
        };
        let same = matches!((a, last), (Action::Run(t), Some(l)) if t == l);
        match (same, lines.last_mut()) {
            (true, Some(line)) => {
                line.push_str("; ");
                line.push_str(&what);
            }
            _ => lines.push(match a {
                Action::Run(_) => format!("{lead}{what}"),
                Action::CompleteIo(_) => format!("{who} completes; {what}"),
            }),
        }
        if let Action::Run(t) = a {
            last = Some(t);
        }
    }
    lines
}
