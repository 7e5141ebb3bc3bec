//! `mpsc` channels: bounded, unbounded and rendezvous; send, receive, blocking on either
//! side, sender handles cloned and dropped, disconnection. Its conflict rule for the
//! explorer is `touches`.

use super::access::{Accesses, Object};
use super::*;

#[derive(Clone, Debug)]
pub struct Channel {
    pub id: ChanId,
    /// `None`: unbounded; `Some(0)`: rendezvous.
    pub cap: Option<u32>,
    pub buffer: VecDeque<Value>,
    /// One entry per sender handle, naming the thread that holds it.
    pub senders: Vec<ThreadId>,
    pub receiver: Option<ThreadId>,
    pub recv_waiters: VecDeque<ThreadId>,
    /// Blocked senders with the message each is trying to send.
    pub send_waiters: VecDeque<(ThreadId, Value)>,
    /// For each buffered message, its sender's past at the send: a recv acquires that
    /// message's send only, not later ones.
    pub(super) stamps: VecDeque<VClock>,
    /// The op that made it (function, op index): its source line names it for people.
    pub made_at: (FnId, u32),
}

impl Machine {
    pub(super) fn chan(&self, t: ThreadId, o: Operand) -> Result<ChanId, String> {
        self.chan_id(self.operand(t, o))
    }

    /// The channel a handle's value names.
    pub(super) fn chan_id(&self, v: Value) -> Result<ChanId, String> {
        if v >= 0 && (v as usize) < self.channels.len() {
            Ok(ChanId(v as u32))
        } else {
            Err(format!("{v} is not a channel"))
        }
    }

    pub(super) fn send(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: ChanId,
        v: Value,
        ok: Slot,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let i = ch.0 as usize;
        if self.channels[i].receiver.is_none() {
            self.set_slot(t, ok, 0);
            self.emit(sink, c, t, EventKind::SendDisconnected(ch));
            return Flow::Next;
        }
        self.set_slot(t, ok, 1);
        if let Some(&r) = self.channels[i].recv_waiters.front() {
            if self.in_recv_timeout(r) {
                // It runs its `recv_timeout` again and takes the message from the buffer.
                self.channels[i].recv_waiters.pop_front();
                self.cancel_timeout(r, sink);
            }
        }
        if let Some(r) = self.channels[i].recv_waiters.pop_front() {
            // Hand the message straight to a waiting receiver.
            self.emit(sink, c, t, EventKind::Send { chan: ch, value: v });
            self.deliver(t, r, ch, v, sink);
            return Flow::Next;
        }
        let chan = &self.channels[i];
        let room = match chan.cap {
            None => true,
            Some(k) => chan.buffer.len() < k as usize,
        };
        if room {
            if chan.buffer.len() >= self.limits.max_buffered as usize {
                return Flow::End(End::Limit(Limit::Buffered));
            }
            self.buffer_message(t, ch, v);
            self.emit(sink, c, t, EventKind::Send { chan: ch, value: v });
            Flow::Next
        } else {
            self.channels[i].send_waiters.push_back((t, v));
            self.ctx_mut(t).pc += 1;
            Flow::Block(BlockReason::Send(ch))
        }
    }

    /// Sets the `ok` result of the blocking op a woken thread was in (its pc is past it).
    pub(super) fn complete_ok(&mut self, t: ThreadId, ok: bool) {
        let ctx = self.ctx(t);
        let at = ctx.pc - 1;
        let slot = match self.code.ins[(ctx.start + at) as usize] {
            Ins::Recv { ok, .. } | Ins::Send { ok, .. } => ok,
            Ins::Op => match self.program.function(ctx.func).body[at as usize] {
                Op::Join { ok: Some(l), .. } => l.0,
                _ => NO_SLOT,
            },
            _ => NO_SLOT,
        };
        self.set_slot(t, slot, ok as Value);
    }

    /// Puts `sender`'s message in the buffer, stamped with the sender's past (a release).
    pub(super) fn buffer_message(&mut self, sender: ThreadId, ch: ChanId, v: Value) {
        let mut stamp = self.spare_clocks.0.pop().unwrap_or_default();
        self.threads[sender.0 as usize]
            .clock
            .release_into(sender, &mut stamp);
        let chan = &mut self.channels[ch.0 as usize];
        chan.buffer.push_back(v);
        chan.stamps.push_back(stamp);
    }

    /// A hand-over (a message, or a mutex passed to its first waiter): `to` acquires
    /// `from`'s past, which `from` releases.
    pub(super) fn hand_over_clock(&mut self, from: ThreadId, to: ThreadId) {
        debug_assert_ne!(from, to, "a blocked thread never trades with itself");
        let (f, t) = (from.0 as usize, to.0 as usize);
        let (sender, receiver) = if f < t {
            let (a, b) = self.threads.split_at_mut(t);
            (&mut a[f], &mut b[0])
        } else {
            let (a, b) = self.threads.split_at_mut(f);
            (&mut b[0], &mut a[t])
        };
        receiver.clock.join(&sender.clock);
        sender.clock.tick(from);
    }

    /// Completes a blocked receiver's `recv` with `v` from `sender` (its pc is already past
    /// the Recv op).
    pub(super) fn deliver(
        &mut self,
        sender: ThreadId,
        r: ThreadId,
        ch: ChanId,
        v: Value,
        sink: &mut impl Sink,
    ) {
        let ctx = self.ctx(r);
        if let Ins::Recv { dst, .. } = self.code.ins[(ctx.start + ctx.pc - 1) as usize] {
            self.set_slot(r, dst, v);
        }
        self.complete_ok(r, true);
        self.hand_over_clock(sender, r);
        self.emit(sink, None, r, EventKind::Recv { chan: ch, value: v });
        self.make_ready(r, sink);
    }

    pub(super) fn recv(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: ChanId,
        dst: Slot,
        ok: Slot,
        sink: &mut impl Sink,
    ) -> Flow {
        self.receive(t, core, ch, (dst, ok), true, sink)
    }

    /// `rx.try_recv()`: a message if one is there (or a sender waits to hand one over),
    /// else at once `ok` = 0 (empty) or -1 (empty and every sender gone).
    pub(super) fn try_recv(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: Value,
        (dst, ok): (Local, Local),
        sink: &mut impl Sink,
    ) -> Flow {
        match self.chan_id(ch) {
            Ok(ch) => self.receive(t, core, ch, (dst.0, ok.0), false, sink),
            Err(e) => Flow::Panic(e, false),
        }
    }

    /// `rx.recv_timeout(d)` (see `Op::RecvTimeout`): the result of `try_recv` once a
    /// message is there, every sender is gone or the timer fired; else it blocks, its pc
    /// left at the op, with a timer `ticks` from now.
    pub(super) fn recv_timeout(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: Value,
        ticks: Value,
        slots: (Local, Local),
        sink: &mut impl Sink,
    ) -> Flow {
        let ch = match self.chan_id(ch) {
            Ok(ch) => ch,
            Err(e) => return Flow::Panic(e, false),
        };
        let timed_out = std::mem::take(&mut self.threads[t.0 as usize].timed_out);
        let c = &self.channels[ch.0 as usize];
        let settled = !c.buffer.is_empty() || !c.send_waiters.is_empty() || c.senders.is_empty();
        if settled || timed_out || ticks <= 0 || c.receiver != Some(t) {
            return self.receive(t, core, ch, (slots.0 .0, slots.1 .0), false, sink);
        }
        let d = match ticks_within(&self.limits, ticks) {
            Ok(d) => d,
            Err(f) => return f,
        };
        self.channels[ch.0 as usize].recv_waiters.push_back(t);
        // As a sleep's: the ticks after this one.
        self.add_timer(self.now + 1 + d, Timer::Wake(t));
        Flow::Block(BlockReason::Recv(ch))
    }

    /// Whether `t` is blocked in a `recv_timeout` (its pc still at the op).
    fn in_recv_timeout(&self, t: ThreadId) -> bool {
        let ctx = self.ctx(t);
        matches!(
            self.program.function(ctx.func).body.get(ctx.pc as usize),
            Some(Op::RecvTimeout { .. })
        )
    }

    /// A `recv_timeout` waiter is woken before its timer: the timer goes.
    fn cancel_timeout(&mut self, t: ThreadId, sink: &mut impl Sink) {
        self.timers
            .retain(|std::cmp::Reverse((_, _, timer))| *timer != Timer::Wake(t));
        self.make_ready(t, sink);
    }

    /// A `Timer::Wake` fires: a sleeper wakes; a `recv_timeout` waiter leaves the channel's
    /// queue and runs its op again, which reports the timeout.
    pub(crate) fn wake_timer(&mut self, t: ThreadId, sink: &mut impl Sink) {
        if let ThreadState::Blocked(BlockReason::Recv(ch)) = self.thread(t).state {
            self.channels[ch.0 as usize]
                .recv_waiters
                .retain(|&r| r != t);
            self.threads[t.0 as usize].timed_out = true;
        }
        self.make_ready(t, sink);
    }

    /// `recv` (`wait`: blocks while empty) or `try_recv`.
    fn receive(
        &mut self,
        t: ThreadId,
        core: u16,
        ch: ChanId,
        (dst, ok): (Slot, Slot),
        wait: bool,
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        let i = ch.0 as usize;
        if self.channels[i].receiver != Some(t) {
            return Flow::Panic(
                "received on a channel whose receiver this thread does not hold".into(),
                false,
            );
        }
        let taken = if let Some(v) = self.channels[i].buffer.pop_front() {
            let stamp = self.channels[i]
                .stamps
                .pop_front()
                .expect("every buffered message has a stamp");
            self.threads[t.0 as usize].clock.join(&stamp);
            self.spare_clocks.0.push(stamp);
            // A slot opened: the first blocked sender's message moves into the buffer.
            if let Some((s, sv)) = self.channels[i].send_waiters.pop_front() {
                self.buffer_message(s, ch, sv);
                self.emit(
                    sink,
                    None,
                    s,
                    EventKind::Send {
                        chan: ch,
                        value: sv,
                    },
                );
                self.make_ready(s, sink);
            }
            Some(v)
        } else if let Some((s, sv)) = self.channels[i].send_waiters.pop_front() {
            // Rendezvous: take the message straight from the blocked sender.
            self.hand_over_clock(s, t);
            self.emit(
                sink,
                None,
                s,
                EventKind::Send {
                    chan: ch,
                    value: sv,
                },
            );
            self.make_ready(s, sink);
            Some(sv)
        } else {
            None
        };
        match taken {
            Some(v) => {
                self.set_slot(t, dst, v);
                self.set_slot(t, ok, 1);
                self.emit(sink, c, t, EventKind::Recv { chan: ch, value: v });
                Flow::Next
            }
            None if self.channels[i].senders.is_empty() => {
                self.set_slot(t, ok, if wait { 0 } else { -1 });
                self.emit(sink, c, t, EventKind::RecvDisconnected(ch));
                Flow::Next
            }
            None if !wait => {
                self.set_slot(t, ok, 0);
                self.emit(sink, c, t, EventKind::RecvEmpty(ch));
                Flow::Next
            }
            None => {
                self.channels[i].recv_waiters.push_back(t);
                self.ctx_mut(t).pc += 1;
                Flow::Block(BlockReason::Recv(ch))
            }
        }
    }

    pub(super) fn drop_sender(
        &mut self,
        t: ThreadId,
        ch: ChanId,
        index: usize,
        sink: &mut impl Sink,
    ) {
        let chan = &mut self.channels[ch.0 as usize];
        chan.senders.swap_remove(index);
        if !chan.senders.is_empty() {
            return;
        }
        self.emit(sink, None, t, EventKind::SendersGone(ch));
        // Receivers waiting on an empty channel now get Err(RecvError).
        while let Some(r) = self.channels[ch.0 as usize].recv_waiters.pop_front() {
            if self.in_recv_timeout(r) {
                self.cancel_timeout(r, sink);
                continue;
            }
            self.complete_ok(r, false);
            self.emit(sink, None, r, EventKind::RecvDisconnected(ch));
            self.make_ready(r, sink);
        }
    }

    pub(super) fn drop_receiver(&mut self, t: ThreadId, ch: ChanId, sink: &mut impl Sink) {
        let chan = &mut self.channels[ch.0 as usize];
        chan.receiver = None;
        chan.buffer.clear();
        self.spare_clocks.0.extend(chan.stamps.drain(..));
        self.emit(sink, None, t, EventKind::ReceiverGone(ch));
        // Blocked senders now get Err(SendError).
        while let Some((s, _)) = self.channels[ch.0 as usize].send_waiters.pop_front() {
            self.complete_ok(s, false);
            self.emit(sink, None, s, EventKind::SendDisconnected(ch));
            self.make_ready(s, sink);
        }
    }

    /// `mpsc::channel()` / `sync_channel(cap)`: both handles held by `t`.
    pub(super) fn chan_new(
        &mut self,
        t: ThreadId,
        core: u16,
        cap: Option<u32>,
        (tx, rx): (Local, Local),
        sink: &mut impl Sink,
    ) -> Flow {
        let c = Some(core);
        if self.channels.len() >= self.limits.max_channels as usize {
            return Flow::End(End::Limit(Limit::Channels));
        }
        if cap.is_some_and(|k| k > self.limits.max_channel_capacity) {
            return Flow::End(End::Limit(Limit::ChannelCapacity));
        }
        let id = ChanId(self.channels.len() as u32);
        let made_at = {
            let ctx = self.ctx(t);
            (ctx.func, ctx.pc)
        };
        self.channels.push(Channel {
            made_at,
            id,
            cap,
            buffer: VecDeque::new(),
            senders: vec![t],
            receiver: Some(t),
            recv_waiters: VecDeque::new(),
            send_waiters: VecDeque::new(),
            stamps: VecDeque::new(),
        });
        self.set_local(t, tx, id.0 as Value);
        self.set_local(t, rx, id.0 as Value);
        self.emit(sink, c, t, EventKind::ChanNew { chan: id, cap });
        Flow::Next
    }

    /// `tx.clone()`: one more sender handle, held by `t`.
    pub(super) fn clone_sender(&mut self, t: ThreadId, chan: Operand) -> Flow {
        match self.chan(t, chan) {
            Ok(ch) if self.channels[ch.0 as usize].senders.contains(&t) => {
                self.channels[ch.0 as usize].senders.push(t);
                Flow::Next
            }
            Ok(_) => Flow::Panic("cloned a sender this thread does not hold".into(), false),
            Err(e) => Flow::Panic(e, false),
        }
    }

    /// `drop(tx)` / `drop(rx)`.
    pub(super) fn drop_handle(
        &mut self,
        t: ThreadId,
        chan: Operand,
        side: Side,
        sink: &mut impl Sink,
    ) -> Flow {
        let ch = match self.chan(t, chan) {
            Ok(ch) => ch,
            Err(e) => return Flow::Panic(e, false),
        };
        match side {
            Side::Arc => unreachable!("an `Arc` is dropped by `arc_drop` (see `exec`)"),
            Side::Sender => match self.channels[ch.0 as usize]
                .senders
                .iter()
                .position(|&s| s == t)
            {
                Some(i) => self.drop_sender(t, ch, i, sink),
                None => {
                    return Flow::Panic("dropped a sender this thread does not hold".into(), false)
                }
            },
            Side::Receiver => {
                if self.channels[ch.0 as usize].receiver != Some(t) {
                    return Flow::Panic(
                        "dropped a receiver this thread does not hold".into(),
                        false,
                    );
                }
                self.drop_receiver(t, ch, sink);
            }
        }
        Flow::Next
    }
}

/// Conflict rule: sending, receiving, waiting on either side, and the last sender or the
/// receiver going away all write the channel; creating one writes the table of channels
/// too (its number depends on the order).
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    match *kind {
        EventKind::ChanNew { chan, .. } => {
            acc.add(Object::ChannelTable, true);
            acc.add(Object::Channel(chan.0), true);
        }
        EventKind::Send { chan, .. }
        | EventKind::Recv { chan, .. }
        | EventKind::SendDisconnected(chan)
        | EventKind::RecvDisconnected(chan)
        | EventKind::RecvEmpty(chan)
        | EventKind::SendersGone(chan)
        | EventKind::ReceiverGone(chan)
        | EventKind::Block(BlockReason::Recv(chan))
        | EventKind::Block(BlockReason::Send(chan)) => acc.add(Object::Channel(chan.0), true),
        _ => {}
    }
}

/// The rest of the rule, for what makes no event: cloning or dropping a handle writes the
/// channel (which drop is the last depends on the order), as does moving one into a
/// spawned thread (see `thread::touches_op`) or dropping those a thread holds as it exits
/// (see [`held_by`]).
pub(crate) fn touches_op(m: &Machine, t: ThreadId, op: &Op, acc: &mut Accesses) {
    if let Op::CloneSender { chan }
    | Op::DropHandle {
        chan,
        side: Side::Sender | Side::Receiver,
    } = op
    {
        touches_handle(m.operand(t, *chan), acc);
    }
}

/// A handle (a channel's number) is cloned, dropped or moved: that writes its channel.
pub(crate) fn touches_handle(handle: Value, acc: &mut Accesses) {
    if let Ok(c) = u32::try_from(handle) {
        acc.add(Object::Channel(c), true);
    }
}

/// The channels `t` holds a handle of: its exit drops them.
pub(crate) fn held_by(m: &Machine, t: ThreadId) -> Vec<u32> {
    m.channels
        .iter()
        .filter(|c| c.receiver == Some(t) || c.senders.contains(&t))
        .map(|c| c.id.0)
        .collect()
}
