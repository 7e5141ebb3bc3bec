//! title: Channels: producer and consumer
//! settings: cores=2 quantum=3 switch=1 policy=rr
//! expect: end=finished race=no blocks=send outcomes=ok:
//! predict: end
//!
//! Channels carry values from one thread to another: the producer sends, the consumer
//! receives, and no memory is shared. Each value has one owner at a time; sending moves it.
//!
//! `mpsc::sync_channel(2)` is bounded: it buffers at most 2 messages. The consumer is slower (it
//! works 8 ticks on each value), so the producer fills the buffer and then blocks in `send`
//! until a slot frees up: its core goes idle, and the threads panel says why it waits. (With
//! `mpsc::channel()` the buffer is unbounded and `send` never blocks; with `mpsc::sync_channel(0)`
//! every `send` waits for a matching `recv`.)
//!
//! The consumer's `for v in rx` ends when the channel closes: when every sender has been
//! dropped. The producer's `tx` is dropped when its closure returns. If `main` kept a
//! sender of its own, the loop would wait forever.
//!
//! Every schedule: every execution finishes. No schedule deadlocks, and the consumer's loop
//! always ends, because the producer's sender is dropped when its closure returns.
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::sync_channel(2);
    let producer = thread::spawn(move || {
        for i in 1..=5 {
            tx.send(i).unwrap();
        }
    });
    let mut sum = 0;
    for v in rx {
        sum += v;
        work(8);
    }
    producer.join().unwrap();
    assert_eq!(sum, 15);
}
