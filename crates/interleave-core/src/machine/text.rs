//! Strings made while the program runs: `format!(…)` (and `n.to_string()`). A string is
//! a value: the number of a text. Numbers below `RUNTIME` are the program's own texts
//! (`program.messages`: literals, names); a made string is numbered by the thread that
//! made it, as vectors are (`RUNTIME | thread << 32 | n`), so two threads making strings
//! in either order make the same numbers. A `String` is never changed after it is made
//! (pushing onto one is not simulated), so a moved one stays where it was made and any
//! thread may read it by its number. Every made string counts against
//! `Limits::max_heap_values`, one value per 8 bytes of text and one for itself. The
//! tables live in the machine (`Machine::texts`, by thread), not in each `Thread`: a
//! thread's size is copied with every state the explorer keeps, and a program that makes
//! no string should not pay for it (a `Vec` of them in each thread, 24 bytes, cost the
//! 4×4 lost update's exploration 30 %).
//!
//! Conflict rule: none. Making a string touches only the thread's own table.

use super::output::{format, Heap};
use super::{End, Flow, Limit, Machine};
use crate::program::{Local, Operand, Value};
use crate::trace::ThreadId;

/// Where made strings' numbers start.
pub const RUNTIME: Value = 1 << 62;

impl Heap for Machine {
    fn text(&self, v: Value) -> Option<&str> {
        Machine::text(self, v)
    }

    fn vector(&self, v: Value) -> Option<&[Value]> {
        let (owner, i) = self.vec_at(v).ok()?;
        Some(&self.threads[owner].vecs[i])
    }
}

impl Machine {
    /// What the mutex `m` holds in words, where a number would not say it: its vector's
    /// elements (`[1, 2]`), or `true` / `false`.
    pub fn mutex_shown(&self, m: crate::program::MutexId) -> Option<String> {
        let v = self.mutexes.get(m.index())?.value;
        if let Some(b) = self.shown_bool(&self.program.mutexes[m.index()].name, v) {
            return Some(b);
        }
        let &(_, hole) = self.program.vector_mutexes.iter().find(|(x, _)| *x == m)?;
        Some(format(&std::format!("{{{hole}}}"), &[v], self))
    }

    /// A message `v` of channel `ch` as `{:?}` prints it: a number, a quoted string, a
    /// tuple… (what the program's `channel_holes` say the channel carries).
    pub fn message_shown(&self, ch: crate::trace::ChanId, v: Value) -> String {
        let made_at = self.channels.get(ch.0 as usize).map(|c| c.made_at);
        let hole = self
            .program
            .channel_holes
            .iter()
            .find(|(f, pc, _)| Some((*f, *pc)) == made_at)
            .map(|(_, _, h)| h.as_str());
        match hole {
            Some(h) => format(&std::format!("{{{h}}}"), &[v], self),
            None => v.to_string(),
        }
    }

    /// `true` / `false` for a value of the static, atomic or mutex `name` if it holds a
    /// `bool`.
    pub fn shown_bool(&self, name: &str, v: Value) -> Option<String> {
        self.program
            .bools
            .iter()
            .any(|b| b == name)
            .then(|| (v != 0).to_string())
    }

    /// Every static, atomic and mutex whose value a number would not say, with it in
    /// words: a `bool`'s `true` / `false`, a locked vector's elements.
    pub fn shown_values(&self) -> Vec<(String, String)> {
        let p = &self.program;
        let plain = p
            .vars
            .iter()
            .zip(&self.vars)
            .chain(p.atomics.iter().zip(&self.atomics))
            .filter_map(|(d, &v)| Some((d.name.clone(), self.shown_bool(&d.name, v)?)));
        let mutexes = (0..p.mutexes.len()).filter_map(|i| {
            let m = crate::program::MutexId(i as u32);
            Some((p.mutexes[i].name.clone(), self.mutex_shown(m)?))
        });
        plain.chain(mutexes).collect()
    }

    /// The text a string's value numbers: one of the program's texts or a made one.
    pub fn text(&self, v: Value) -> Option<&str> {
        if v & RUNTIME == 0 {
            let i = usize::try_from(v).ok()?;
            return self.program.messages.get(i).map(String::as_str);
        }
        let owner = ((v & !RUNTIME) >> 32) as usize;
        let n = (v & 0xffff_ffff) as usize;
        self.texts.get(owner)?.get(n).map(String::as_str)
    }

    /// `format!(template, args…)`: a new string; `dst` = its number.
    pub(super) fn make_text(
        &mut self,
        t: ThreadId,
        msg: u32,
        args: &[Operand],
        dst: Local,
    ) -> Flow {
        let values: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
        let text = format(&self.program.messages[msg as usize], &values, self);
        let cost = text.len().div_ceil(8) + 1;
        if self.heap_values + cost > self.limits.max_heap_values as usize {
            return Flow::End(End::Limit(Limit::Heap));
        }
        self.heap_values += cost;
        let i = t.0 as usize;
        if self.texts.len() <= i {
            self.texts.resize_with(i + 1, Vec::new);
        }
        let texts = &mut self.texts[i];
        texts.push(text);
        let id = RUNTIME | (i64::from(t.0) << 32) | (texts.len() - 1) as i64;
        self.set_local(t, dst, id);
        Flow::Next
    }
}
