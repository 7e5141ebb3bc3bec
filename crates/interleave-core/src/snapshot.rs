//! What a person sees of a machine at one tick, in words and plain values: the UI and the
//! CLI render these structs and never look at the machine's semantics themselves.

use crate::explain::{self, thread_name, WaitLink};
use crate::machine::{Machine, TaskState, ThreadState};
use crate::program::{MutexId, Pointee, Value};
use crate::race::Race;
use crate::trace::{BlockReason, ThreadId};

/// A thread's state reduced to what a picture needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Running,
    Ready,
    Blocked,
    Exited,
    Panicked,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Ready => "ready",
            Status::Blocked => "blocked",
            Status::Exited => "exited",
            Status::Panicked => "panicked",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct CoreView {
    pub thread: Option<ThreadId>,
    /// Paying a context switch to `thread`.
    pub switching: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreadView {
    pub id: ThreadId,
    pub name: String,
    pub status: Status,
    /// "running on core 1", "ready", "waits for mutex `M`, held by T2 (worker)"…
    pub detail: String,
    /// Source line of the statement it executes next (0 when unknown or exited).
    pub line: u32,
    /// Its named locals in scope (`let v = …`, parameters, loop variables), in order of
    /// declaration, with their values now.
    pub locals: Vec<(String, Value)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MutexView {
    pub name: String,
    /// An `RwLock` (its owner may read "read by T1, T2").
    pub rwlock: bool,
    pub value: Value,
    /// The value as the program sees it: the number, or a vector's elements (`[1, 2]`).
    pub shown: String,
    pub owner: Option<String>,
    pub waiters: Vec<String>,
    pub poisoned: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChannelView {
    pub id: u32,
    /// The source line that made it (0: unknown).
    pub line: u32,
    /// "unbounded", "bounded(2)" or "rendezvous".
    pub kind: String,
    pub buffer: Vec<Value>,
    /// The buffered messages as `{:?}` prints them (`"hi"`, `(1, 2)`), oldest first.
    pub shown: Vec<String>,
    pub senders_alive: usize,
    pub receiver_alive: bool,
    /// Threads blocked in `send`, with the message each holds (as `{:?}` prints it).
    pub sending: Vec<(String, String)>,
    pub receiving: Vec<String>,
}

/// One `Arc`: what it points to and who holds its strong references.
#[derive(Clone, Debug, PartialEq)]
pub struct ArcView {
    pub id: u32,
    /// "Mutex counter", "AtomicUsize hits": the mutex or atomic it points to, by name.
    pub points_to: String,
    /// `Arc::strong_count`: how many references are alive (0 once the last is dropped).
    pub count: usize,
    /// The holder of each reference (thread and name), by thread number.
    pub holders: Vec<(ThreadId, String)>,
    /// The most references it had at once, so far.
    pub peak: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskView {
    pub id: u32,
    pub name: String,
    pub state: String,
    pub line: u32,
}

/// One edge of the wait-for graph: `from` waits on `to` because of `resource`.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitEdge {
    pub from: ThreadId,
    pub to: ThreadId,
    pub resource: String,
    pub in_cycle: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub tick: u64,
    pub cores: Vec<CoreView>,
    pub threads: Vec<ThreadView>,
    pub ready: Vec<ThreadId>,
    pub vars: Vec<(String, Value)>,
    /// Atomics are sequentially consistent (`Ordering::SeqCst`) in the simulator.
    pub atomics: Vec<(String, Value)>,
    pub mutexes: Vec<MutexView>,
    pub channels: Vec<ChannelView>,
    /// The values of `vars`, `atomics` and `mutexes` a number would not say, in words
    /// (`true`, `[1, 2]`).
    pub shown: Vec<(String, String)>,
    pub arcs: Vec<ArcView>,
    /// Condition variables: each with the threads waiting on it, first to wake first.
    pub condvars: Vec<(String, Vec<String>)>,
    pub tasks: Vec<TaskView>,
    pub waits: Vec<WaitEdge>,
    /// Threads in a wait-for cycle (a deadlock once nothing else can run).
    pub cycle: Vec<ThreadId>,
    /// Data races found so far.
    pub races: Vec<RaceView>,
    /// What the threads printed so far, in order.
    pub output: Vec<PrintedView>,
}

/// One print, for the page's output lane.
#[derive(Clone, Debug, PartialEq)]
pub struct PrintedView {
    pub thread: ThreadId,
    pub name: String,
    pub tick: u64,
    pub text: String,
    pub err: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RaceView {
    pub text: String,
    /// Source lines of the earlier and the later access.
    pub lines: (u32, u32),
    /// Further reports between the same two lines (other threads or read/write orders).
    pub more: usize,
}

fn resource_name(m: &Machine, reason: BlockReason) -> String {
    match reason {
        BlockReason::Mutex(mx) => format!("mutex {}", m.program.mutexes[mx.index()].name),
        BlockReason::Join(_) => "join".into(),
        BlockReason::Recv(ch) => format!("recv #{}", ch.0),
        BlockReason::Send(ch) => format!("send #{}", ch.0),
        BlockReason::Task(t) => crate::explain::task_name(m, t),
        BlockReason::Sleep { .. } => "sleep".into(),
        BlockReason::BlockingIo { .. } => "I/O".into(),
        BlockReason::EventLoopIdle => "idle".into(),
        BlockReason::Turn => "its turn".into(),
        BlockReason::Barrier(b) => format!("barrier {}", m.program.barriers[b.index()].name),
        BlockReason::Condvar(c) => format!("condvar {}", m.program.condvars[c.index()].name),
        BlockReason::Once(o) => format!("once {}", m.program.onces[o.index()].name),
        BlockReason::Park => "park".into(),
    }
}

/// The source line of the op at `pc` in `func` (0 where unknown).
pub fn source_line(m: &Machine, func: crate::program::FnId, pc: u32) -> u32 {
    m.program.line(func, pc)
}

/// Where a thread is in its code: its function and the op of the statement it executes
/// next, or `None` when it runs no code (exited, or an event loop between tasks).
fn position(m: &Machine, t: ThreadId) -> Option<(crate::program::FnId, u32)> {
    let th = m.thread(t);
    if matches!(th.state, ThreadState::Exited { .. })
        || (th.is_event_loop && th.current_task.is_none())
    {
        return None;
    }
    let ctx = m.ctx(t);
    // A blocking op moves the pc past itself before the thread blocks (the wait completes
    // it): a blocked thread is still in that statement.
    let waiting = matches!(th.state, ThreadState::Blocked(r) if r != BlockReason::EventLoopIdle);
    let pc = if waiting {
        ctx.pc.saturating_sub(1)
    } else {
        ctx.pc
    };
    Some((ctx.func, pc))
}

/// The source line a thread executes next.
pub fn line_of(m: &Machine, t: ThreadId) -> u32 {
    position(m, t).map_or(0, |(func, pc)| source_line(m, func, pc))
}

/// A thread's named locals in scope now, with their values.
pub fn locals_of(m: &Machine, t: ThreadId) -> Vec<(String, Value)> {
    let Some((func, pc)) = position(m, t) else {
        return Vec::new();
    };
    let ctx = m.ctx(t);
    m.program
        .function(func)
        .names
        .iter()
        .filter(|n| n.from <= pc && pc < n.to)
        .filter_map(|n| Some((n.name.clone(), *ctx.locals.get(n.local.index())?)))
        .fold(Vec::new(), |mut out: Vec<(String, Value)>, (name, v)| {
            // A shadowed name shows its newest binding only, as in the source.
            out.retain(|(n, _)| *n != name);
            out.push((name, v));
            out
        })
}

/// "data race on `COUNTER`: write by T1 (worker) at line 5 and read by T2 (worker) at line 5".
pub fn describe_race(m: &Machine, r: &Race) -> String {
    let kind = |w: bool| if w { "write" } else { "read" };
    let (earlier, later) = race_lines(m, r);
    format!(
        "data race on `{}`: {} by {} at line {} (tick {}) and {} by {} at line {} (tick {}), with nothing ordering them",
        m.program.vars[r.var.index()].name,
        kind(r.earlier.write),
        thread_name(m, r.earlier.thread),
        earlier,
        r.earlier.tick,
        kind(r.later.write),
        thread_name(m, r.later.thread),
        later,
        r.later.tick,
    )
}

/// The two source lines of a race (earlier access first).
pub fn race_lines(m: &Machine, r: &Race) -> (u32, u32) {
    (
        source_line(m, r.earlier.func, r.earlier.pc),
        source_line(m, r.later.func, r.later.pc),
    )
}

/// Race reports grouped by variable and pair of lines: one lesson per pair of statements,
/// however many interleavings of them raced.
fn race_views(m: &Machine) -> Vec<RaceView> {
    let mut out: Vec<(crate::program::VarId, RaceView)> = Vec::new();
    for r in &m.races().races {
        let (a, b) = race_lines(m, r);
        let key = (a.min(b), a.max(b));
        match out.iter_mut().find(|(v, rv)| {
            *v == r.var && (rv.lines.0.min(rv.lines.1), rv.lines.0.max(rv.lines.1)) == key
        }) {
            Some((_, rv)) => rv.more += 1,
            None => out.push((
                r.var,
                RaceView {
                    text: describe_race(m, r),
                    lines: (a, b),
                    more: 0,
                },
            )),
        }
    }
    out.into_iter().map(|(_, rv)| rv).collect()
}

impl Snapshot {
    pub fn of(m: &Machine) -> Snapshot {
        let cores = m
            .cores
            .iter()
            .map(|c| CoreView {
                thread: c.thread,
                switching: c.thread.is_some() && c.switching_left > 0,
            })
            .collect();
        let links: Vec<WaitLink> = m
            .threads
            .iter()
            .filter_map(|th| match th.state {
                ThreadState::Blocked(reason) => Some(explain::wait_link(m, th.id, reason)),
                _ => None,
            })
            .collect();
        let cycle: Vec<ThreadId> = explain::find_cycle(&links)
            .iter()
            .map(|l| l.thread)
            .collect();
        let threads = m
            .threads
            .iter()
            .map(|th| {
                let (status, detail) = match th.state {
                    ThreadState::Running { core } => {
                        let sw = m.cores[core as usize].switching_left > 0;
                        let what = if sw { "switching onto" } else { "running on" };
                        (Status::Running, format!("{what} core {core}"))
                    }
                    ThreadState::Ready => (Status::Ready, "ready, waiting for a core".into()),
                    ThreadState::Blocked(reason) => {
                        let link = explain::wait_link(m, th.id, reason);
                        (Status::Blocked, explain::describe_wait(m, &link))
                    }
                    ThreadState::Exited { panicked: false } => (Status::Exited, "exited".into()),
                    ThreadState::Exited { panicked: true } => (Status::Panicked, "panicked".into()),
                };
                ThreadView {
                    id: th.id,
                    name: thread_name(m, th.id),
                    status,
                    detail,
                    line: line_of(m, th.id),
                    locals: locals_of(m, th.id),
                }
            })
            .collect();
        let cycle_ref = &cycle;
        let waits = links
            .iter()
            .flat_map(|l| {
                let cycle = cycle_ref;
                let in_cycle = cycle.contains(&l.thread);
                l.on.iter().map(move |&to| WaitEdge {
                    from: l.thread,
                    to,
                    resource: resource_name(m, l.reason),
                    in_cycle: in_cycle && cycle.contains(&to),
                })
            })
            .collect();
        let named = |decls: &[crate::program::Decl], values: &[Value]| -> Vec<(String, Value)> {
            decls
                .iter()
                .zip(values)
                .map(|(d, &v)| (d.name.clone(), v))
                .collect()
        };
        let names = |ts: &mut dyn Iterator<Item = ThreadId>| -> Vec<String> {
            ts.map(|t| thread_name(m, t)).collect()
        };
        Snapshot {
            output: m
                .output
                .iter()
                .map(|p| PrintedView {
                    thread: p.thread,
                    name: thread_name(m, p.thread),
                    tick: p.tick,
                    text: p.text.clone(),
                    err: p.err,
                })
                .collect(),
            tick: m.now,
            cores,
            threads,
            ready: m.ready.iter().copied().collect(),
            vars: named(&m.program.vars, &m.vars),
            atomics: named(&m.program.atomics, &m.atomics),
            mutexes: m
                .program
                .mutexes
                .iter()
                .zip(&m.mutexes)
                .enumerate()
                .map(|(i, (d, s))| MutexView {
                    name: d.name.clone(),
                    rwlock: m.program.rwlocks.contains(&MutexId(i as u32)),
                    value: s.value,
                    shown: m
                        .mutex_shown(MutexId(i as u32))
                        .unwrap_or_else(|| s.value.to_string()),
                    owner: match (s.owner, s.readers.as_slice()) {
                        (Some(o), _) => Some(thread_name(m, o)),
                        (None, []) => None,
                        (None, readers) => Some(format!(
                            "read by {}",
                            names(&mut readers.iter().copied()).join(", ")
                        )),
                    },
                    waiters: names(&mut s.waiters.iter().chain(&s.read_waiters).copied()),
                    poisoned: s.poisoned,
                })
                .collect(),
            shown: m.shown_values(),
            channels: m
                .channels
                .iter()
                .map(|c| ChannelView {
                    id: c.id.0,
                    line: crate::explain::channel_line(m, c.id),
                    kind: match c.cap {
                        None => "unbounded".into(),
                        Some(0) => "rendezvous".into(),
                        Some(k) => format!("bounded({k})"),
                    },
                    buffer: c.buffer.iter().copied().collect(),
                    shown: c.buffer.iter().map(|&v| m.message_shown(c.id, v)).collect(),
                    senders_alive: c.senders.len(),
                    receiver_alive: c.receiver.is_some(),
                    sending: c
                        .send_waiters
                        .iter()
                        .map(|&(t, v)| (thread_name(m, t), m.message_shown(c.id, v)))
                        .collect(),
                    receiving: names(&mut c.recv_waiters.iter().copied()),
                })
                .collect(),
            condvars: m
                .program
                .condvars
                .iter()
                .zip(&m.condvars)
                .map(|(d, s)| (d.name.clone(), names(&mut s.waiting.iter().copied())))
                .collect(),
            arcs: m
                .arcs
                .iter()
                .enumerate()
                .map(|(i, a)| ArcView {
                    id: i as u32,
                    points_to: match a.pointee {
                        Pointee::Mutex(x) => format!("Mutex {}", m.program.mutexes[x.index()].name),
                        Pointee::Atomic(x) => {
                            format!("atomic {}", m.program.atomics[x.index()].name)
                        }
                        Pointee::Barrier(x) => {
                            format!("Barrier {}", m.program.barriers[x.index()].name)
                        }
                        Pointee::Condvar(x) => {
                            format!("Condvar {}", m.program.condvars[x.index()].name)
                        }
                        Pointee::MutexCondvar(x, c) => format!(
                            "(mutex {}, Condvar {})",
                            m.program.mutexes[x.index()].name,
                            m.program.condvars[c.index()].name
                        ),
                    },
                    count: a.holders.len(),
                    holders: a.holders.iter().map(|&t| (t, thread_name(m, t))).collect(),
                    peak: a.peak,
                })
                .collect(),
            tasks: m
                .tasks
                .iter()
                .map(|t| TaskView {
                    id: t.id.0,
                    name: m.program.function(t.ctx.func).name.clone(),
                    state: match t.state {
                        TaskState::Queued => "queued on the event loop".into(),
                        TaskState::Polling => "being polled".into(),
                        TaskState::AwaitingIo { until } => {
                            format!("suspended at .await, I/O done at tick {until}")
                        }
                        TaskState::AwaitingTask(o) => {
                            format!("awaits {}", crate::explain::task_name(m, o))
                        }
                        TaskState::Done => "done".into(),
                    },
                    line: {
                        let pc = match t.state {
                            TaskState::Done => None,
                            TaskState::AwaitingIo { .. } | TaskState::AwaitingTask(_) => {
                                Some(t.ctx.pc.saturating_sub(1))
                            }
                            TaskState::Queued | TaskState::Polling => Some(t.ctx.pc),
                        };
                        pc.map_or(0, |pc| source_line(m, t.ctx.func, pc))
                    },
                })
                .collect(),
            waits,
            cycle,
            races: race_views(m),
        }
    }

    /// Busy core-ticks: how many cores run a thread's step right now.
    pub fn busy_cores(&self) -> usize {
        self.cores
            .iter()
            .filter(|c| c.thread.is_some() && !c.switching)
            .count()
    }
}

/// Events in words ([`narrate`] each), except that a condvar `wait` — an unlock and then
/// a block on the condvar by the same thread — is one line: the lock is not given up
/// because a guard was dropped.
pub fn narrate_all(
    m: &Machine,
    events: impl IntoIterator<Item = crate::trace::Event>,
) -> Vec<String> {
    use crate::trace::EventKind as K;
    let mut out = Vec::new();
    let mut held: Option<crate::trace::Event> = None;
    for e in events {
        match (held.take(), e.kind) {
            (Some(r), K::Block(BlockReason::Condvar(c))) if r.thread == e.thread => {
                let K::Release(mx) = r.kind else {
                    unreachable!("only a release is held back")
                };
                out.push(format!(
                    "{} waits on condvar `{}`, which unlocks `{}` until it is woken",
                    thread_name(m, e.thread),
                    m.program.condvars[c.index()].name,
                    m.program.mutexes[mx.index()].name
                ));
                continue;
            }
            (Some(r), _) => out.extend(narrate(m, &r)),
            (None, _) => {}
        }
        if let K::Release(_) = e.kind {
            held = Some(e);
        } else {
            out.extend(narrate(m, &e));
        }
    }
    out.extend(held.and_then(|r| narrate(m, &r)));
    out
}

/// One event in words, for the narration region; `None` for bookkeeping events. `m` is a
/// state of the same run (names only).
pub fn narrate(m: &Machine, e: &crate::trace::Event) -> Option<String> {
    use crate::trace::EventKind as K;
    let who = thread_name(m, e.thread);
    let core = e.core.map(|c| format!(" on core {c}")).unwrap_or_default();
    let p = &m.program;
    let mutex = |mx: crate::program::MutexId| &p.mutexes[mx.index()].name;
    let atomic = |a: crate::program::AtomicId| &p.atomics[a.index()].name;
    let task = |t: crate::trace::TaskId| crate::explain::task_name(m, t);
    Some(match e.kind {
        K::Step { pc } => {
            // The event loop runs its task's code; every other thread its own.
            let func = match e.task {
                Some(task) if m.thread(e.thread).is_event_loop => {
                    m.tasks.get(task.0 as usize)?.ctx.func
                }
                _ => m.thread(e.thread).ctx.func,
            };
            format!(
                "core {} runs {who} at line {}",
                e.core.unwrap_or(0),
                source_line(m, func, pc)
            )
        }
        K::ChanNew { .. } | K::Poll(_) | K::MutexRead { .. } => return None,
        K::Dispatch => format!("{who} is put{core}"),
        K::Preempt => format!("{who}'s time slice ends{core}; it goes back to the ready queue"),
        K::Switch => format!("core {} switches to {who}", e.core.unwrap_or(0)),
        K::Block(reason) => format!("{who} blocks: {}", resource_words(m, reason)),
        K::Wake => format!("{who} wakes up and is ready"),
        K::Acquire(mx) => format!("{who} locks `{}`", mutex(mx)),
        K::ParkToken(_) => format!("{who} parks, but was unparked already: it goes on"),
        K::Unpark(u) => format!("{who} unparks {}", thread_name(m, u)),
        K::OnceStart(o) => format!(
            "{who} runs the initialiser of `{}`",
            p.onces[o.index()].name
        ),
        K::OnceDone(o) => format!("{who} finishes initialising `{}`", p.onces[o.index()].name),
        K::OnceSeen(o) => format!(
            "{who} finds `{}` already initialised",
            p.onces[o.index()].name
        ),
        K::OnceEmpty(o) => format!(
            "{who} finds `{}` not initialised yet: `get()` is `None`",
            p.onces[o.index()].name
        ),
        K::RecvEmpty(ch) => format!("{who} tries to receive: channel #{} is empty", ch.0),
        K::AcquireRead(mx) => format!("{who} takes a read lock of `{}`", mutex(mx)),
        K::ReleaseRead(mx) => format!("{who} gives up its read lock of `{}`", mutex(mx)),
        K::TryLockFailed(mx) => format!("{who} tries `{}`, which is held", mutex(mx)),
        K::Release(mx) => format!("{who} unlocks `{}` (guard dropped)", mutex(mx)),
        K::Notify { condvar, woken } => {
            let name = &p.condvars[condvar.index()].name;
            match woken {
                0 => format!(
                    "{who} notifies `{name}`, but no thread waits: the notification is lost"
                ),
                1 => format!("{who} notifies `{name}`: one waiting thread wakes"),
                n => format!("{who} notifies `{name}`: {n} waiting threads wake"),
            }
        }
        K::Load { var, value } => format!("{who} reads {} = {value}", p.vars[var.index()].name),
        K::Store { var, value } => format!("{who} writes {} = {value}", p.vars[var.index()].name),
        K::AtomicLoad { atomic: a, value } => format!("{who} loads {} = {value}", atomic(a)),
        K::AtomicStore { atomic: a, value } => format!("{who} stores {} = {value}", atomic(a)),
        K::AtomicRmw {
            atomic: a,
            old,
            new,
            ..
        } => {
            format!("{who} atomically changes {} from {old} to {new}", atomic(a))
        }
        K::AtomicCas {
            atomic: a,
            old,
            new,
            ok,
        } => {
            if ok {
                format!("{who} compare-exchanges {}: {old} → {new}", atomic(a))
            } else {
                format!(
                    "{who}'s compare-exchange on {} fails (it is {old})",
                    atomic(a)
                )
            }
        }
        K::MutexWrite { mutex: mx, value } => format!("{who} sets *{} = {value}", mutex(mx)),
        K::Send { chan, value } => format!(
            "{who} sends {} on channel #{}",
            m.message_shown(chan, value),
            chan.0
        ),
        K::Recv { chan, value } => format!(
            "{who} receives {} from channel #{}",
            m.message_shown(chan, value),
            chan.0
        ),
        K::SendDisconnected(ch) => format!("{who}'s send fails: channel #{} has no receiver", ch.0),
        K::RecvDisconnected(ch) => {
            format!("{who}'s recv ends: channel #{} is empty and closed", ch.0)
        }
        K::SendersGone(ch) => format!("channel #{} closes: its last sender was dropped", ch.0),
        K::ReceiverGone(ch) => format!("channel #{}'s receiver was dropped", ch.0),
        K::Spawn(t) => format!("{who} spawns {}", thread_name(m, t)),
        K::Exit { panicked: false } => format!("{who} exits"),
        K::Exit { panicked: true } => format!("{who} panics and exits"),
        K::ProcessExit { stopped: 0 } => "main is done: the process ends".into(),
        K::ProcessExit { stopped } => {
            format!("main is done: the process ends, stopping {stopped} other thread(s)")
        }
        K::IoStart { until, blocking } => {
            if blocking {
                format!("{who} starts blocking I/O until tick {until} and leaves the core")
            } else {
                format!("a task on {who} starts I/O until tick {until}")
            }
        }
        K::IoDone { .. } => format!("I/O completes for {who}"),
        K::SpawnTask(t) => format!("{who} spawns async {}", task(t)),
        K::Suspend(t) => format!("{} suspends at .await; the event loop is free", task(t)),
        K::TaskWake(t) => format!("{}'s waker queues it on the event loop again", task(t)),
        K::TaskDone(t) => format!("{} finishes", task(t)),
        K::AssertFailed { msg } => format!(
            "{who}: assertion failed: {}",
            p.messages.get(msg as usize).map_or("", |s| s.as_str())
        ),
        K::Panic => format!("{who} panics"),
        K::Print { index } => match m.output.get(index as usize) {
            Some(printed) => format!(
                "{who} prints {:?}",
                printed.text.strip_suffix('\n').unwrap_or(&printed.text)
            ),
            None => format!("{who} prints"),
        },
    })
}

fn resource_words(m: &Machine, reason: BlockReason) -> String {
    match reason {
        BlockReason::Mutex(mx) => format!("mutex `{}` is held", m.program.mutexes[mx.index()].name),
        BlockReason::Join(t) => format!("waits for {} to finish", thread_name(m, t)),
        BlockReason::Recv(ch) => format!("channel #{} is empty", ch.0),
        BlockReason::Send(ch) if crate::explain::is_rendezvous(m, ch) => {
            format!("rendezvous channel #{} has no receiver waiting", ch.0)
        }
        BlockReason::Send(ch) => format!("channel #{} is full", ch.0),
        BlockReason::Task(t) => format!("waits for {}", crate::explain::task_name(m, t)),
        BlockReason::Sleep { until } => format!("sleeps until tick {until}"),
        BlockReason::BlockingIo { until } => format!("blocking I/O until tick {until}"),
        BlockReason::EventLoopIdle => "the event loop has no ready task".into(),
        BlockReason::Turn => "pauses for its turn in the schedule being followed".into(),
        BlockReason::Park => "parked until another thread unparks it".into(),
        BlockReason::Once(o) => format!(
            "waits for another thread to finish initialising `{}`",
            m.program.onces[o.index()].name
        ),
        BlockReason::Condvar(c) => format!(
            "waits on condvar `{}` (the mutex is released meanwhile)",
            m.program.condvars[c.index()].name
        ),
        BlockReason::Barrier(b) => {
            let (d, s) = (&m.program.barriers[b.index()], &m.barriers[b.index()]);
            format!(
                "waits at barrier `{}` ({} of {} arrived)",
                d.name,
                s.waiting.len(),
                d.init
            )
        }
    }
}
