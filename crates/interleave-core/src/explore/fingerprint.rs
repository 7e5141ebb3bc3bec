//! A machine state as 16 bytes: everything that decides its future under the explorer's
//! steps, hashed to 128 bits.
//!
//! What counts: how the run ended, each thread's state (without times), function,
//! position and the locals it may still read (see `live`; not its constants), each task's, the event loop's queue in order,
//! every shared value, each mutex's owner, waiters and poison, each channel's buffer and
//! handles, the panics so far (by thread and message) and the output so far (not who
//! printed it). What does not: time, timers'
//! due ticks, the cores, the ready queue's order (the explorer picks any ready thread),
//! vector clocks and race reports.
//!
//! The hash: the state is written as a sequence of 64-bit words, then SplitMix64's
//! finaliser is folded over them in two lanes with different seeds, each word mixed into
//! both. Two different states share a fingerprint with a probability of about 2⁻¹²⁸ per
//! pair, so for n states about n²/2¹²⁹: for a billion states, under 10⁻²¹. A collision
//! would merge two states, and the exploration would miss what lies only behind the second.

use super::live::Live;
use crate::machine::{Machine, OnceStage, TaskState, ThreadState};
use crate::trace::{BlockReason, ThreadId};

/// SplitMix64's finaliser: every input bit affects every output bit.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Words in, 128 bits out.
#[derive(Clone, Copy)]
pub struct Hasher {
    a: u64,
    b: u64,
    n: u64,
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher {
            a: 0x243f_6a88_85a3_08d3,
            b: 0x1319_8a2e_0370_7344,
            n: 0,
        }
    }

    pub fn word(&mut self, w: u64) {
        self.n += 1;
        self.a = mix(self.a ^ w).wrapping_add(self.n);
        self.b = mix(self.b.rotate_left(29) ^ w ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(3);
    }

    pub fn words(&mut self, ws: impl IntoIterator<Item = u64>) {
        for w in ws {
            self.word(w);
        }
    }

    pub fn finish(self) -> u128 {
        let a = mix(self.a ^ self.n);
        let b = mix(self.b ^ self.n.rotate_left(32));
        (u128::from(a) << 64) | u128::from(b)
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}

fn reason_words(r: BlockReason) -> [u64; 2] {
    match r {
        BlockReason::Mutex(m) => [1, m.0.into()],
        BlockReason::Join(t) => [2, t.0.into()],
        BlockReason::Recv(c) => [3, c.0.into()],
        BlockReason::Send(c) => [4, c.0.into()],
        BlockReason::Task(t) => [5, t.0.into()],
        // Durations do not count: the explorer ends sleeps and I/O when it chooses.
        BlockReason::Sleep { .. } => [6, 0],
        BlockReason::BlockingIo { .. } => [7, 0],
        BlockReason::EventLoopIdle => [8, 0],
        BlockReason::Turn => [9, 0],
        BlockReason::Barrier(b) => [10, b.0.into()],
        BlockReason::Condvar(c) => [11, c.0.into()],
        BlockReason::Once(o) => [12, o.0.into()],
        BlockReason::Park => [13, 0],
    }
}

/// A wait in one word, without the thread it waits for (a join's is renamed by
/// `symmetry`, which uses this).
pub(super) fn reason_word(r: BlockReason) -> u64 {
    match r {
        BlockReason::Join(_) => 2,
        r => {
            let [a, b] = reason_words(r);
            a | (b << 8)
        }
    }
}

fn thread_state_words(s: ThreadState) -> [u64; 3] {
    match s {
        ThreadState::Ready | ThreadState::Running { .. } => [1, 0, 0],
        ThreadState::Blocked(r) => {
            let [a, b] = reason_words(r);
            [2, a, b]
        }
        ThreadState::Exited { panicked } => [3, panicked.into(), 0],
    }
}

fn task_state_words(s: TaskState) -> [u64; 2] {
    match s {
        TaskState::Queued => [1, 0],
        TaskState::Polling => [2, 0],
        TaskState::AwaitingIo { .. } => [3, 0],
        TaskState::AwaitingTask(t) => [4, t.0.into()],
        TaskState::Done => [5, 0],
    }
}

fn ctx_words(h: &mut Hasher, m: &Machine, ctx: &crate::machine::Ctx, live: Option<&Live>) {
    let locals = m.program.function(ctx.func).locals as usize;
    h.words([ctx.func.0.into(), ctx.pc.into(), ctx.work_left]);
    match live.and_then(|l| l.at(ctx.func, ctx.pc)) {
        Some(which) => {
            h.word(which.len() as u64);
            h.words(
                which
                    .iter()
                    .map(|&l| ctx.locals.get(l as usize).map_or(0, |&v| v as u64)),
            );
        }
        None => {
            h.word(locals as u64);
            h.words(
                ctx.locals[..locals.min(ctx.locals.len())]
                    .iter()
                    .map(|&v| v as u64),
            );
        }
    }
}

/// The fingerprint of everything that decides `m`'s future, counting only the locals
/// `live` says may still be read.
pub fn of(m: &Machine, live: &Live) -> u128 {
    let live = Some(live);
    let mut h = Hasher::new();
    end_words(&mut h, m);
    h.word(m.threads.len() as u64);
    for t in &m.threads {
        h.words(thread_state_words(t.state));
        h.words([
            t.is_event_loop.into(),
            t.current_task.map_or(u64::MAX, |k| k.0.into()),
            t.parent.map_or(u64::MAX, |p| p.0.into()),
            t.result as u64,
        ]);
        if !matches!(t.state, ThreadState::Exited { .. }) {
            ctx_words(&mut h, m, &t.ctx, live);
        }
    }
    h.word(m.tasks.len() as u64);
    for t in &m.tasks {
        h.words(task_state_words(t.state));
        if t.state != TaskState::Done {
            ctx_words(&mut h, m, &t.ctx, live);
        }
    }
    h.word(m.task_queue.len() as u64);
    h.words(m.task_queue.iter().map(|t| u64::from(t.0)));
    h.word(m.event_loop.map_or(u64::MAX, |t| t.0.into()));
    h.words(m.vars.iter().map(|&v| v as u64));
    h.words(m.atomics.iter().map(|&v| v as u64));
    for x in &m.mutexes {
        h.words([
            x.value as u64,
            x.owner.map_or(u64::MAX, |o| o.0.into()),
            x.poisoned.into(),
            x.waiters.len() as u64,
        ]);
        h.words(x.waiters.iter().map(|w| u64::from(w.0)));
    }
    h.word(m.channels.len() as u64);
    for c in &m.channels {
        h.words([
            c.cap.map_or(u64::MAX, u64::from),
            c.buffer.len() as u64,
            c.senders.len() as u64,
            c.receiver.map_or(u64::MAX, |r| r.0.into()),
            c.recv_waiters.len() as u64,
            c.send_waiters.len() as u64,
        ]);
        h.words(c.buffer.iter().map(|&v| v as u64));
        h.words(c.senders.iter().map(|s| u64::from(s.0)));
        h.words(c.recv_waiters.iter().map(|s| u64::from(s.0)));
        for &(s, v) in &c.send_waiters {
            h.words([s.0.into(), v as u64]);
        }
    }
    for b in &m.barriers {
        h.word(b.waiting.len() as u64);
        h.words(b.waiting.iter().map(|t| u64::from(t.0)));
    }
    for o in &m.onces {
        h.words([
            match o.stage {
                OnceStage::New => 0,
                OnceStage::Running(t) => 1 + (u64::from(t.0) << 8),
                OnceStage::Done => 2,
                OnceStage::Poisoned => 3,
            },
            o.value as u64,
            o.waiters.len() as u64,
        ]);
        h.words(o.waiters.iter().map(|t| u64::from(t.0)));
    }
    for c in &m.condvars {
        h.word(c.waiting.len() as u64);
        h.words(c.waiting.iter().map(|t| u64::from(t.0)));
        h.word(c.mutex.map_or(0, |m| u64::from(m.0) + 1));
    }
    h.word(m.arcs.len() as u64);
    for a in &m.arcs {
        h.word(a.holders.len() as u64);
        h.words(a.holders.iter().map(|t| u64::from(t.0)));
    }
    // Vectors, wherever they moved: (length, elements) per vector, per thread.
    for t in &m.threads {
        h.word(u64::from(t.park_token) | u64::from(t.timed_out) << 1);
        h.words([
            t.name.map_or(0, |n| n as u64 + 1),
            t.next_name.map_or(0, |n| n as u64 + 1),
        ]);
        h.word(t.vecs.len() as u64);
        for v in &t.vecs {
            h.word(v.len() as u64);
            h.words(v.iter().map(|&x| x as u64));
        }
    }
    // Strings made so far, per thread that made them (see `machine/text.rs`).
    h.word(m.texts.len() as u64);
    for made in &m.texts {
        h.word(made.len() as u64);
        for s in made {
            h.word(s.len() as u64);
            h.words(s.bytes().map(u64::from));
        }
    }
    h.word(m.panics.len() as u64);
    for p in &m.panics {
        h.word(p.thread.0.into());
        h.words(p.message.bytes().map(u64::from));
    }
    output_words(&mut h, m);
    h.finish()
}

/// How the run ended, if it has (`symmetry` keys it the same way).
pub(super) fn end_words(h: &mut Hasher, m: &Machine) {
    match &m.end {
        None => h.word(0),
        Some(e) => {
            h.word(1);
            h.words(format!("{e:?}").bytes().map(u64::from));
        }
    }
}

/// What was printed so far, not by whom: no future depends on that.
pub(super) fn output_words(h: &mut Hasher, m: &Machine) {
    h.word(m.output.len() as u64);
    for p in &m.output {
        h.word(p.err.into());
        h.words(p.text.bytes().map(u64::from));
    }
}

/// The part of thread `t`'s state that a loop of local ops can change: its position and
/// locals. The same value twice in a row of local ops means the loop never ends.
pub fn local(m: &Machine, t: ThreadId) -> u128 {
    let mut h = Hasher::new();
    ctx_words(&mut h, m, m.ctx(t), None);
    h.finish()
}
