//! The trace's packing, tested on every kind of event.

use super::*;

/// One event of every kind, with payloads at and beyond every packing boundary.
fn every_kind() -> Vec<EventKind> {
    use EventKind as K;
    let values = [
        0,
        1,
        -1,
        i32::MAX as Value,
        i32::MIN as Value,
        1 << 31,
        Value::MIN,
    ];
    let mut kinds = vec![
        K::Step { pc: 0 },
        K::Step { pc: u32::MAX },
        K::Dispatch,
        K::Preempt,
        K::Switch,
        K::Wake,
        K::Acquire(MutexId(3)),
        K::TryLockFailed(MutexId(u32::MAX)),
        K::Release(MutexId(0)),
        K::AcquireRead(MutexId(7)),
        K::OnceStart(OnceId(0)),
        K::ParkToken(ThreadId(2)),
        K::Unpark(ThreadId(u32::MAX)),
        K::OnceDone(OnceId(u32::MAX)),
        K::OnceSeen(OnceId(9)),
        K::OnceEmpty(OnceId(4)),
        K::ReleaseRead(MutexId(u32::MAX)),
        K::Notify {
            condvar: CondvarId(4),
            woken: 0,
        },
        K::Notify {
            condvar: CondvarId(0),
            woken: u32::MAX,
        },
        K::ChanNew {
            chan: ChanId(2),
            cap: None,
        },
        K::ChanNew {
            chan: ChanId(2),
            cap: Some(0),
        },
        K::ChanNew {
            chan: ChanId(2),
            cap: Some(u32::MAX),
        },
        K::SendDisconnected(ChanId(1)),
        K::RecvDisconnected(ChanId(1)),
        K::RecvEmpty(ChanId(3)),
        K::SendersGone(ChanId(1)),
        K::ReceiverGone(ChanId(1)),
        K::Spawn(ThreadId(7)),
        K::Exit { panicked: false },
        K::Exit { panicked: true },
        K::ProcessExit { stopped: 9 },
        K::IoStart {
            until: u64::MAX,
            blocking: true,
        },
        K::IoStart {
            until: 5,
            blocking: false,
        },
        K::IoDone { blocking: true },
        K::IoDone { blocking: false },
        K::SpawnTask(TaskId(1)),
        K::Poll(TaskId(1)),
        K::Suspend(TaskId(1)),
        K::TaskWake(TaskId(1)),
        K::TaskDone(TaskId(1)),
        K::AssertFailed { msg: 4 },
        K::Panic,
        K::Print { index: 0 },
        K::Print { index: u32::MAX },
    ];
    for reason in [
        BlockReason::Mutex(MutexId(1)),
        BlockReason::Join(ThreadId(2)),
        BlockReason::Recv(ChanId(3)),
        BlockReason::Send(ChanId(4)),
        BlockReason::Sleep { until: 10 },
        BlockReason::BlockingIo { until: 11 },
        BlockReason::Task(TaskId(5)),
        BlockReason::EventLoopIdle,
        BlockReason::Turn,
        BlockReason::Barrier(BarrierId(3)),
        BlockReason::Condvar(CondvarId(2)),
        BlockReason::Once(OnceId(1)),
        BlockReason::Park,
    ] {
        kinds.push(K::Block(reason));
    }
    for value in values {
        kinds.extend([
            K::Load {
                var: VarId(1),
                value,
            },
            K::Store {
                var: VarId(1),
                value,
            },
            K::AtomicLoad {
                atomic: AtomicId(0),
                value,
            },
            K::AtomicStore {
                atomic: AtomicId(0),
                value,
            },
            K::MutexRead {
                mutex: MutexId(0),
                value,
            },
            K::MutexWrite {
                mutex: MutexId(0),
                value,
            },
            K::Send {
                chan: ChanId(0),
                value,
            },
            K::Recv {
                chan: ChanId(0),
                value,
            },
            K::AtomicCas {
                atomic: AtomicId(1),
                old: value,
                new: value.wrapping_neg(),
                ok: value == 0,
            },
        ]);
        for op in [RmwOp::FetchAdd, RmwOp::FetchSub, RmwOp::Swap] {
            kinds.push(K::AtomicRmw {
                atomic: AtomicId(2),
                op,
                old: value,
                new: value.wrapping_add(1),
            });
        }
    }
    kinds
}

#[test]
fn a_trace_gives_back_exactly_the_events_pushed() {
    let mut events = Vec::new();
    let ticks = [0, 1, 1, 7, u32::MAX as u64 - 1, u32::MAX as u64, u64::MAX];
    for (i, &tick) in ticks.iter().enumerate() {
        for (j, kind) in every_kind().into_iter().enumerate() {
            let core = [
                None,
                Some(0),
                Some(63),
                Some(254),
                Some(255),
                Some(u16::MAX),
            ];
            let thread = [0, 1, u16::MAX as u32 - 1, u16::MAX as u32, u32::MAX];
            let task = [None, None, Some(TaskId(0))];
            events.push(Event {
                tick,
                core: core[(i + j) % core.len()],
                thread: ThreadId(thread[j % thread.len()]),
                task: task[j % task.len()],
                kind,
            });
        }
    }
    let trace: Trace = events.iter().copied().collect();
    assert_eq!(trace.len(), events.len());
    assert_eq!(trace.to_vec(), events);
    for (i, e) in events.iter().enumerate() {
        assert_eq!(trace.get(i), Some(*e), "event {i}");
    }
    assert_eq!(trace.get(events.len()), None);
    let mid = events.len() / 3..events.len() / 2;
    assert_eq!(trace.range(mid.clone()).collect::<Vec<_>>(), events[mid]);
    assert_eq!(trace.range(5..usize::MAX).len(), events.len() - 5);
    // Ordinary events are packed: only timer deadlines (2 I/O starts, 2 timed blocks)
    // are kept whole.
    let ordinary: Trace = every_kind()
        .into_iter()
        .map(|kind| Event {
            tick: 5,
            core: Some(1),
            thread: ThreadId(2),
            task: None,
            kind,
        })
        .collect();
    assert_eq!(ordinary.spilled.len(), 4);
    for tick in [
        0,
        1,
        2,
        8,
        u32::MAX as u64 - 1,
        u32::MAX as u64,
        u64::MAX - 1,
        u64::MAX,
    ] {
        let want = events.partition_point(|e| e.tick < tick);
        assert_eq!(trace.first_at(tick), want, "first_at({tick})");
    }
    let r = trace.first_at(1)..trace.first_at(2);
    assert!(trace.range(r).all(|e| e.tick == 1));
}

#[test]
fn a_long_trace_spans_chunks() {
    // Runs of events by one core and thread (as a step and its effect are), with
    // fields narrow and wide, over enough ticks to fill several chunks.
    let mut events = Vec::new();
    let mut x: u64 = 1;
    while events.len() < 1_200_000 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let tick = events.len() as u64 / 7;
        let thread = ThreadId((x >> 40) as u32 % 3 * 30_000);
        let core = [Some(0), Some(1), None][(x >> 20) as usize % 3];
        let value = (x >> 8) as Value >> (x % 64);
        for kind in [
            EventKind::Step {
                pc: (x >> 33) as u32 % 70_000,
            },
            EventKind::Store {
                var: VarId(1),
                value,
            },
            EventKind::AtomicRmw {
                atomic: AtomicId(0),
                op: RmwOp::FetchAdd,
                old: value,
                new: value.wrapping_add(1),
            },
        ] {
            events.push(Event {
                tick,
                core,
                thread,
                task: None,
                kind,
            });
        }
    }
    let trace: Trace = events.iter().copied().collect();
    assert!(trace.sealed.len() >= 2, "{} chunks", trace.sealed.len());
    assert!(trace.spilled.is_empty());
    assert_eq!(trace.to_vec(), events);
    for i in (0..events.len()).step_by(9_973).chain([events.len() - 1]) {
        assert_eq!(trace.get(i), Some(events[i]), "event {i}");
        let r = i.saturating_sub(20)..i + 20;
        let want = &events[r.start..r.end.min(events.len())];
        assert_eq!(trace.range(r).collect::<Vec<_>>(), want);
    }
    // Around each chunk boundary: the tick that starts there reads back whole.
    for c in 1..=trace.sealed.len() {
        let tick = trace
            .ticks
            .iter()
            .find(|t| t.offset >> CHUNK_BITS >= c)
            .expect("a tick after the boundary")
            .tick;
        let r = trace.first_at(tick - 1)..trace.first_at(tick + 1);
        assert_eq!(trace.range(r.clone()).collect::<Vec<_>>(), events[r]);
    }
}

#[test]
fn pushing_a_tick_at_a_time_makes_the_same_trace_as_pushing_events() {
    // Ticks with events and without (the machine opens every tick it runs), a last
    // tick without any, and enough events to fill several chunks.
    let mut by_event = Trace::default();
    let mut by_tick = Trace::default();
    let mut events = 0;
    for tick in 0..400_000u64 {
        by_tick.start_tick(tick);
        for i in 0..(tick % 5 + tick % 3) % 4 {
            let e = Event {
                tick,
                core: [Some(0), None, Some(126), Some(127)][(tick % 4) as usize],
                thread: ThreadId(i as u32 * 40_000),
                task: (tick % 11 == 0).then_some(TaskId(1)),
                kind: EventKind::Load {
                    var: VarId(tick as u32),
                    value: -(tick as Value) << (i * 20),
                },
            };
            by_event.push(e);
            by_tick.push_in_tick(e);
            events += 1;
        }
    }
    by_tick.start_tick(400_000);
    by_tick.start_tick(400_001);
    by_tick.shrink_to_fit();
    by_event.shrink_to_fit();
    assert!(by_tick.sealed.len() >= 2, "{} chunks", by_tick.sealed.len());
    assert_eq!(by_tick.len(), events);
    assert_eq!(by_tick, by_event);
    assert_eq!(by_tick.to_vec(), by_event.to_vec());
    assert_eq!(by_tick.first_at(399_999), by_event.first_at(399_999));
    assert_eq!(by_tick.first_at(400_001), events);
}
