//! What a step touches, for the explorer's dependency relation (see
//! `explore::dependency`): objects, each read or written. Each primitive's file says
//! which of its operations touch what, in its `touches` rule.

/// A thing steps may share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Object {
    Var(u32),
    Atomic(u32),
    Mutex(u32),
    Channel(u32),
    /// Which number the next channel gets.
    ChannelTable,
    Thread(u32),
    /// Which number the next thread gets.
    ThreadTable,
    /// An `Arc`'s strong references.
    Arc(u32),
    /// Which number the next `Arc` gets.
    ArcTable,
    EventLoop,
    /// Standard output and error: what is printed, in order.
    Output,
    /// The whole process (it ends, or a panic unwinds further than the rules follow).
    Everything,
}

/// The accesses of one step: objects, each read or written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accesses(Vec<(Object, bool)>);

impl Accesses {
    pub(crate) fn add(&mut self, object: Object, write: bool) {
        match self.0.iter_mut().find(|(o, _)| *o == object) {
            Some((_, w)) => *w |= write,
            None => self.0.push((object, write)),
        }
    }

    /// The two steps may be swapped: nothing one writes, the other touches.
    pub fn independent(&self, other: &Accesses) -> bool {
        !self.0.iter().any(|&(a, wa)| {
            other.0.iter().any(|&(b, wb)| {
                a == Object::Everything || b == Object::Everything || (a == b && (wa || wb))
            })
        })
    }
}
