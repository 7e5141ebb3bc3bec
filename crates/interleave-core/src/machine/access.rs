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
    /// A barrier's waiting threads.
    Barrier(u32),
    /// A condvar's waiting threads.
    Condvar(u32),
    /// A `Once`'s stage and value.
    Once(u32),
    /// A thread's park token.
    Park(u32),
    /// Which number the next `Arc` gets.
    ArcTable,
    EventLoop,
    /// Standard output and error: what is printed, in order.
    Output,
    /// The whole process (it ends, or a panic unwinds further than the rules follow).
    Everything,
}

/// How a step touches an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Read,
    /// A change that commutes with every other `Update` of the object (a reference count
    /// going up or down): two updates in either order leave the same state, and only a
    /// read tells them apart.
    Update,
    Write,
}

/// The accesses of one step: objects, each read, updated or written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accesses(Vec<(Object, Mode)>);

impl Accesses {
    pub(crate) fn add(&mut self, object: Object, write: bool) {
        self.touch(object, if write { Mode::Write } else { Mode::Read });
    }

    /// A commuting change of `object` (see [`Mode::Update`]).
    pub(crate) fn update(&mut self, object: Object) {
        self.touch(object, Mode::Update);
    }

    fn touch(&mut self, object: Object, mode: Mode) {
        match self.0.iter_mut().find(|(o, _)| *o == object) {
            // Two different ways of touching it in one step do not commute with either.
            Some((_, m)) if *m != mode => *m = Mode::Write,
            Some(_) => {}
            None => self.0.push((object, mode)),
        }
    }

    /// The two steps may be swapped: they touch no object in ways that do not commute
    /// (both reading it, or both updating it, do).
    pub fn independent(&self, other: &Accesses) -> bool {
        !self.0.iter().any(|&(a, ma)| {
            other.0.iter().any(|&(b, mb)| {
                a == Object::Everything
                    || b == Object::Everything
                    || (a == b && (ma != mb || ma == Mode::Write))
            })
        })
    }
}
