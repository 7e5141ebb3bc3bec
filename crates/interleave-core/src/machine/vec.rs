//! `Vec<T>`: a growable array of values (numbers, thread handles). A vector belongs to one
//! thread at a time — the compiler moves it into a spawned thread, as Rust does — so its
//! ops are the thread's own business: they touch nothing another thread may touch, and
//! the explorer never schedules around them. Vectors are numbered per creating thread
//! (`thread << 32 | n`), so two threads making vectors in either order make the same
//! numbers. Every element counts against `Limits::max_heap_values`.

use super::{End, Flow, Limit, Machine};
use crate::program::{Local, Operand, Value};
use crate::trace::ThreadId;

impl Machine {
    /// The vector a value names: (the thread that made it, its index there).
    pub(super) fn vec_at(&self, v: Value) -> Result<(usize, usize), String> {
        let (owner, i) = ((v >> 32) as usize, (v & 0xffff_ffff) as usize);
        match self.threads.get(owner) {
            Some(th) if v >= 0 && i < th.vecs.len() => Ok((owner, i)),
            _ => Err(format!("{v} is not a vector")),
        }
    }

    fn heap_room(&mut self, n: usize) -> Result<(), Flow> {
        if self.heap_values + n > self.limits.max_heap_values as usize {
            return Err(Flow::End(End::Limit(Limit::Heap)));
        }
        self.heap_values += n;
        Ok(())
    }

    /// `Vec::new()`.
    pub(super) fn vec_new(&mut self, t: ThreadId, dst: Local) -> Flow {
        if let Err(f) = self.heap_room(1) {
            return f;
        }
        let vecs = &mut self.threads[t.0 as usize].vecs;
        vecs.push(Vec::new());
        let id = (i64::from(t.0) << 32) | (vecs.len() - 1) as i64;
        self.set_local(t, dst, id);
        Flow::Next
    }

    /// `v.push(x)`.
    pub(super) fn vec_push(&mut self, t: ThreadId, vec: Operand, src: Operand) -> Flow {
        let (o, i) = match self.vec_at(self.operand(t, vec)) {
            Ok(at) => at,
            Err(e) => return Flow::Panic(e, false),
        };
        if let Err(f) = self.heap_room(1) {
            return f;
        }
        let x = self.operand(t, src);
        self.threads[o].vecs[i].push(x);
        Flow::Next
    }

    /// `v.pop()`.
    pub(super) fn vec_pop(&mut self, t: ThreadId, vec: Operand, dst: Local, ok: Local) -> Flow {
        match self.vec_at(self.operand(t, vec)) {
            Ok((o, i)) => {
                let x = self.threads[o].vecs[i].pop();
                self.set_local(t, dst, x.unwrap_or(0));
                self.set_local(t, ok, Value::from(x.is_some()));
                Flow::Next
            }
            Err(e) => Flow::Panic(e, false),
        }
    }

    /// `v.len()`.
    pub(super) fn vec_len(&mut self, t: ThreadId, vec: Operand, dst: Local) -> Flow {
        match self.vec_at(self.operand(t, vec)) {
            Ok((o, i)) => {
                let n = self.threads[o].vecs[i].len() as Value;
                self.set_local(t, dst, n);
                Flow::Next
            }
            Err(e) => Flow::Panic(e, false),
        }
    }

    /// `v[i]` (`set`: `v[i] = x`), panicking as Rust does past the end.
    pub(super) fn vec_index(
        &mut self,
        t: ThreadId,
        vec: Operand,
        index: Operand,
        access: Result<Local, Operand>,
    ) -> Flow {
        let (o, i) = match self.vec_at(self.operand(t, vec)) {
            Ok(at) => at,
            Err(e) => return Flow::Panic(e, false),
        };
        let k = self.operand(t, index);
        let len = self.threads[o].vecs[i].len();
        let Some(k) = usize::try_from(k).ok().filter(|&k| k < len) else {
            return Flow::Panic(
                format!("index out of bounds: the len is {len} but the index is {k}"),
                false,
            );
        };
        match access {
            Ok(dst) => {
                let x = self.threads[o].vecs[i][k];
                self.set_local(t, dst, x);
            }
            Err(src) => {
                let x = self.operand(t, src);
                self.threads[o].vecs[i][k] = x;
            }
        }
        Flow::Next
    }
}
