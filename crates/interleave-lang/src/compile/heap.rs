//! Shared state in locals and the values that live on the heap: `Mutex::new` and the
//! atomics' `new` in a `let`, `Arc::new` / `Rc::new`, `Arc::clone`, `Arc::strong_count`,
//! and `Vec` (`Vec::new()`, `vec![…]`, `push`, `len`, `for x in v`).
//!
//! The simulator numbers its mutexes and atomics when the program is built, so a local
//! `Mutex::new` becomes one of them: that is exact when the `Mutex::new` runs once, which
//! is checked (in `main`, outside loops); elsewhere it is refused with a sentence saying
//! so. An `Arc` is a run-time value (its number), counted by the machine (see the core's
//! `machine/arc.rs`).

use super::*;
use interleave_core::program::Pointee;

/// The atomic types a local may hold.
const ATOMICS: &[&str] = &[
    "AtomicUsize",
    "AtomicIsize",
    "AtomicU64",
    "AtomicI64",
    "AtomicU32",
    "AtomicI32",
    "AtomicU16",
    "AtomicI16",
    "AtomicU8",
    "AtomicI8",
    "AtomicBool",
];

/// A temporary guard to drop once its use is done (`data.lock().unwrap()[i] += 1`): its
/// mutex, and whether it is a read guard.
pub(super) type Held = Option<(MutexId, bool)>;

/// The element type a vector holds, once something was put in it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Elem {
    Unknown,
    /// What was pushed did not compile (already reported): its elements are not checked.
    Broken,
    Int,
    /// `bool`s: numbers 0 and 1, printed `true` / `false`.
    Bool,
    Thread(super::Ret),
    Str,
    Tuple(u16, bool),
}

impl Elem {
    fn of(ty: Ty) -> Option<Elem> {
        match ty {
            Ty::Int => Some(Elem::Int),
            Ty::Thread(r) => Some(Elem::Thread(r)),
            Ty::Tuple(k, c) => Some(Elem::Tuple(k, c)),
            Ty::Str(_) => Some(Elem::Str),
            _ => None,
        }
    }

    pub(super) fn ty(self) -> Ty {
        match self {
            Elem::Thread(r) => Ty::Thread(r),
            Elem::Tuple(k, c) => Ty::Tuple(k, c),
            // Taken out of a vector, a string is owned (as a `Vec<String>`'s are).
            Elem::Str => Ty::Str(true),
            Elem::Int | Elem::Bool | Elem::Unknown | Elem::Broken => Ty::Int,
        }
    }
}

/// Rust's name for a pointer type, as rustc prints it: `Rc<Mutex<i32>>`.
pub(super) fn type_name(ty: Ty, cx: &Cx) -> String {
    let value = |m: MutexId| {
        cx.mutex_types
            .iter()
            .find(|(n, _)| *n == m)
            .map_or("i32", |(_, t)| t.as_str())
    };
    let atomics = &cx.atomic_types;
    let pointee = |p: Pointee| match p {
        Pointee::Mutex(m) => format!("Mutex<{}>", value(m)),
        Pointee::Atomic(a) => atomics
            .iter()
            .find(|(b, _)| *b == a)
            .map_or("AtomicUsize".to_string(), |(_, n)| n.clone()),
        Pointee::Barrier(_) => "Barrier".to_string(),
        Pointee::Condvar(_) => "Condvar".to_string(),
        Pointee::MutexCondvar(m, _) => format!("(Mutex<{}>, Condvar)", value(m)),
    };
    match ty {
        Ty::Arc(p, false) => format!("Arc<{}>", pointee(p)),
        Ty::Arc(p, true) => format!("Rc<{}>", pointee(p)),
        Ty::Mutex(m) => pointee(Pointee::Mutex(m)),
        Ty::Atomic(a) => pointee(Pointee::Atomic(a)),
        Ty::Barrier(b) => pointee(Pointee::Barrier(b)),
        Ty::Condvar(c) => pointee(Pointee::Condvar(c)),
        Ty::Vec(Elem::Str) => "Vec<String>".into(),
        Ty::Vec(Elem::Bool) => "Vec<bool>".into(),
        Ty::Vec(Elem::Thread(r)) => format!("Vec<{}>", type_name(Ty::Thread(r), cx)),
        Ty::Vec(Elem::Tuple(k, c)) => format!("Vec<{}>", type_name(Ty::Tuple(k, c), cx)),
        Ty::Vec(_) => "Vec<i32>".into(),
        Ty::Thread(super::Ret::Unit) => "JoinHandle<()>".into(),
        Ty::Thread(super::Ret::Int) => "JoinHandle<i32>".into(),
        Ty::Thread(super::Ret::Bool) => "JoinHandle<bool>".into(),
        Ty::Thread(super::Ret::Str) => "JoinHandle<String>".into(),
        Ty::Thread(super::Ret::Tuple(k, c)) => {
            format!("JoinHandle<{}>", type_name(Ty::Tuple(k, c), cx))
        }
        Ty::Sum(k, _) => super::sum::type_name(cx, k),
        Ty::Tuple(k, _) => {
            let (parts, bools) = &cx.tuples[k as usize];
            let names: Vec<String> = parts
                .iter()
                .zip(bools)
                .map(|(&t, &b)| if b { "bool".into() } else { type_name(t, cx) })
                .collect();
            if names.len() == 1 {
                format!("({},)", names[0])
            } else {
                format!("({})", names.join(", "))
            }
        }
        Ty::Sender(_) => "Sender<i32>".into(),
        Ty::Receiver(_) => "Receiver<i32>".into(),
        Ty::Str(true) => "String".into(),
        Ty::Str(false) => "&str".into(),
        Ty::Guard(m, true) => format!("RwLockReadGuard<'_, {}>", value(m)),
        Ty::Guard(m, false) if cx.rwlocks.contains(&m) => {
            format!("RwLockWriteGuard<'_, {}>", value(m))
        }
        Ty::Guard(m, false) => format!("MutexGuard<'_, {}>", value(m)),
        Ty::Task => "task".into(),
        Ty::ThreadId => "ThreadId".into(),
        Ty::ThreadRef => "Thread".into(),
        Ty::OptStr => "Option<&str>".into(),
        Ty::Int => "i32".into(),
    }
}

impl FnCx<'_, '_> {
    /// A call of a path this file knows (`Arc::new`, `Vec::new`, …), or `None`.
    pub(super) fn heap_call(
        &mut self,
        callee: &[ast::Ident],
        args: &[Expr],
        span: Span,
    ) -> Option<CResult<(Operand, Ty)>> {
        let n = callee.len();
        let (ty, f) = match n {
            2.. => (callee[n - 2].name.as_str(), callee[n - 1].name.as_str()),
            _ => return None,
        };
        Some(match (ty, f, args) {
            ("Arc" | "Rc", "new", [inner]) => self.arc_new(inner, ty == "Rc"),
            ("Arc" | "Rc", "clone", [a]) => self.arc_clone(a),
            ("Arc" | "Rc", "strong_count", [a]) => self.arc_count(a),
            ("Arc" | "Rc", "try_unwrap" | "into_inner", [a]) => self.arc_unwrap(a, f),
            ("Mutex" | "RwLock", "new", [init]) => self
                .new_mutex(init, span, ty == "RwLock")
                .map(|m| (Operand::Imm(0), Ty::Mutex(m))),
            (t, "new", [init]) if ATOMICS.contains(&t) => self
                .new_atomic(t, init, span)
                .map(|a| (Operand::Imm(0), Ty::Atomic(a))),
            ("Condvar", "new", []) => {
                let name = self.site_name(span);
                self.runs_once("Condvar::new", span)
                    .map(|()| (Operand::Imm(0), Ty::Condvar(self.cx.b.condvar(&name))))
            }
            ("Barrier", "new", [n]) => self
                .new_barrier(n, span)
                .map(|b| (Operand::Imm(0), Ty::Barrier(b))),
            ("Vec", "new" | "with_capacity", _) => self.vec_new(&[]),
            ("String", "from", [s]) => self.string(s),
            ("String", "new", []) => {
                let id = self.cx.b.message("");
                Ok((Operand::Imm(i64::from(id)), Ty::Str(true)))
            }
            _ => return None,
        })
    }

    /// The name the value being made will show under: the `let`'s, else its line.
    fn site_name(&mut self, span: Span) -> String {
        let base = self.naming.take().unwrap_or_else(|| {
            let (line, _) = line_col(self.cx.src, span.start);
            format!("line {line}")
        });
        let taken = |cx: &Cx, n: &str| {
            cx.statics.iter().any(|(s, _, _)| s == n) || cx.local_names.iter().any(|s| s == n)
        };
        let mut name = base.clone();
        let mut k = 2;
        while taken(self.cx, &name) {
            name = format!("{base}#{k}");
            k += 1;
        }
        self.cx.local_names.push(name.clone());
        name
    }

    /// The simulator gives each `Mutex::new` (and atomic `new`) one object: refused where
    /// it could run more than once.
    fn runs_once(&mut self, what: &str, span: Span) -> CResult<()> {
        if self.owner == "main" && self.loops.is_empty() && self.frames.len() == 1 {
            return Ok(());
        }
        self.err(
            span,
            format!("a `{what}` that may run more than once (in a loop, a function or a thread) is not simulated yet"),
            "make it in `main`, outside loops, and share it with `Arc::clone`",
        );
        Err(())
    }

    fn new_mutex(&mut self, value: &Expr, span: Span, rw: bool) -> CResult<MutexId> {
        let init = value;
        self.runs_once(if rw { "RwLock::new" } else { "Mutex::new" }, span)?;
        let name = self.site_name(span);
        let boolean = self.is_bool(init);
        let (v, ty) = self.typed_expr(init)?;
        let vector = match ty {
            Ty::Int => None,
            Ty::Vec(elem) => Some(elem),
            ty => {
                self.err(
                    init.span(),
                    format!("a `Mutex<{}>` is not simulated yet", type_name(ty, self.cx)),
                    "a mutex holds a number, a `bool` or a `Vec` here",
                );
                return Err(());
            }
        };
        let init = if let Operand::Imm(c) = v { c } else { 0 };
        let m = if rw {
            let m = self.cx.b.rwlock(&name, init);
            self.cx.rwlocks.push(m);
            m
        } else {
            self.cx.b.mutex(&name, init)
        };
        if boolean {
            self.cx.mutex_types.push((m, "bool".into()));
        }
        if let Some(elem) = vector {
            self.cx.mutex_vecs.push((m, elem));
            // The vector belongs to the mutex now.
            self.mark_moved(value, value.span());
        }
        if let Operand::Local(_) = v {
            // Not a constant: set before anyone else can see it.
            self.op(Op::Lock { mutex: m })?;
            self.op(Op::MutexStore { mutex: m, src: v })?;
            self.op(Op::Unlock { mutex: m })?;
        }
        Ok(m)
    }

    fn new_atomic(&mut self, ty: &str, init: &Expr, span: Span) -> CResult<AtomicId> {
        self.runs_once(&format!("{ty}::new"), span)?;
        let name = self.site_name(span);
        let v = self.expr(init)?;
        let a = self
            .cx
            .b
            .atomic(&name, if let Operand::Imm(c) = v { c } else { 0 });
        if let Operand::Local(_) = v {
            self.op(Op::AtomicStore { atomic: a, src: v })?;
        }
        self.cx.atomic_types.push((a, ty.to_string()));
        Ok(a)
    }

    /// `Barrier::new(n)`, `n` a number known when the program is built.
    fn new_barrier(&mut self, n: &Expr, span: Span) -> CResult<BarrierId> {
        self.runs_once("Barrier::new", span)?;
        let name = self.site_name(span);
        match self.expr(n)? {
            Operand::Imm(k) if k >= 0 => Ok(self.cx.b.barrier(&name, k)),
            _ => {
                self.err(
                    n.span(),
                    "`Barrier::new` takes a constant here",
                    "`Barrier::new(3)`, or a `const`: `Barrier::new(N)`",
                );
                Err(())
            }
        }
    }

    fn arc_new(&mut self, inner: &Expr, rc: bool) -> CResult<(Operand, Ty)> {
        if let Expr::Tuple(items, span) = inner {
            // `(Mutex::new(…), Condvar::new())`, as std's Condvar examples share them.
            let naming = self.naming.clone();
            let parts = match items.as_slice() {
                [a, b] => (
                    {
                        self.naming = naming.as_ref().map(|n| format!("{n}.0"));
                        self.typed_expr(a)?.1
                    },
                    {
                        self.naming = naming.map(|n| format!("{n}.1"));
                        self.typed_expr(b)?.1
                    },
                ),
                _ => (Ty::Int, Ty::Int),
            };
            let (Ty::Mutex(m), Ty::Condvar(c)) = parts else {
                self.err(
                    *span,
                    "a tuple in an `Arc` is simulated only as `(Mutex::new(…), Condvar::new())`",
                    "share a `Mutex`, an atomic, a `Barrier`, a `Condvar`, or a `(Mutex, Condvar)` pair",
                );
                return Err(());
            };
            let pointee = Pointee::MutexCondvar(m, c);
            let dst = self.temp();
            self.op(Op::ArcNew { dst, pointee })?;
            return Ok((Operand::Local(dst), Ty::Arc(pointee, rc)));
        }
        let pointee = match self.typed_expr(inner)? {
            (_, Ty::Mutex(m)) => Pointee::Mutex(m),
            (_, Ty::Atomic(a)) => Pointee::Atomic(a),
            (_, Ty::Barrier(b)) => Pointee::Barrier(b),
            (_, Ty::Condvar(c)) => Pointee::Condvar(c),
            _ => {
                self.err(
                    inner.span(),
                    format!(
                        "an `{}` of this value is not simulated yet",
                        if rc { "Rc" } else { "Arc" }
                    ),
                    "share a `Mutex::new(…)` or an atomic: `Arc::new(Mutex::new(0))`",
                );
                return Err(());
            }
        };
        let dst = self.temp();
        self.op(Op::ArcNew { dst, pointee })?;
        Ok((Operand::Local(dst), Ty::Arc(pointee, rc)))
    }

    /// `Arc::clone(&a)` / `a.clone()`.
    pub(super) fn arc_clone(&mut self, a: &Expr) -> CResult<(Operand, Ty)> {
        let (h, ty) = self.typed_expr(a)?;
        let Ty::Arc(..) = ty else {
            self.err(a.span(), "expected an `Arc`", "");
            return Err(());
        };
        let dst = self.temp();
        self.op(Op::ArcClone { arc: h, dst })?;
        Ok((Operand::Local(dst), ty))
    }

    /// `Arc::try_unwrap(a)` (used with `.unwrap()`) or `Arc::into_inner(a)`: the value
    /// inside when `a` is the last reference. The `Arc` moves in and is dropped; the
    /// value is the mutex or atomic it pointed to. One more reference panics the thread
    /// (`try_unwrap(…).unwrap()`'s `Err`); `into_inner` gives `None` there, which is not
    /// simulated as a value, so it panics likewise, saying so.
    fn arc_unwrap(&mut self, a: &Expr, how: &str) -> CResult<(Operand, Ty)> {
        let (h, ty) = self.typed_expr(a)?;
        let Ty::Arc(pointee, _) = ty else {
            self.err(a.span(), "expected an `Arc`", "");
            return Err(());
        };
        let inner = match pointee {
            Pointee::Mutex(m) => Ty::Mutex(m),
            Pointee::Atomic(x) => Ty::Atomic(x),
            _ => {
                self.err(
                    a.span(),
                    format!("`Arc::{how}` of this `Arc` is not simulated yet"),
                    "unwrap an `Arc` of a `Mutex` or an atomic",
                );
                return Err(());
            }
        };
        self.mark_moved(unref(a), a.span());
        let count = self.temp();
        self.op(Op::ArcCount { arc: h, dst: count })?;
        let msg = self.cx.b.message(if how == "into_inner" {
            "`Arc::into_inner` returned `None` (another strong reference is alive), which a scenario cannot keep as a value"
        } else {
            "called `Result::unwrap()` on an `Err` value: the `Arc` still has another strong reference"
        });
        self.op(Op::AssertCmp {
            a: Operand::Local(count),
            op: BinOp::Eq,
            b: Operand::Imm(1),
            msg,
        })?;
        self.op(Op::DropHandle {
            chan: h,
            side: Side::Arc,
        })?;
        Ok((Operand::Imm(0), inner))
    }

    fn arc_count(&mut self, a: &Expr) -> CResult<(Operand, Ty)> {
        let (h, ty) = self.typed_expr(a)?;
        let Ty::Arc(..) = ty else {
            self.err(a.span(), "expected an `Arc`", "");
            return Err(());
        };
        let dst = self.temp();
        self.op(Op::ArcCount { arc: h, dst })?;
        Ok((Operand::Local(dst), Ty::Int))
    }

    /// A value that must be a string (`String::from(s)`, `s.to_string()`): the same text.
    pub(super) fn string(&mut self, e: &Expr) -> CResult<(Operand, Ty)> {
        match self.typed_expr(e)? {
            (v, Ty::Str(_)) => Ok((v, Ty::Str(true))),
            _ => {
                self.err(e.span(), "expected a string", "");
                Err(())
            }
        }
    }

    /// What a channel carries, from one of its ends' types (numbers until a string is sent).
    pub(super) fn chan_elem(&self, ty: Ty) -> Elem {
        match ty {
            Ty::Sender(c) | Ty::Receiver(c) => {
                let e = self.cx.chans[c as usize];
                if e == Elem::Unknown {
                    // Guessed a number: a second pass knows what it carries (see `compile_scenario`).
                    self.cx.guessed.set(true);
                }
                e
            }
            _ => Elem::Unknown,
        }
    }

    /// Something of type `ty` is sent on the channel `end` belongs to.
    pub(super) fn chan_carries(&mut self, end: Ty, ty: Ty, at: Span) -> CResult<()> {
        let (Ty::Sender(c) | Ty::Receiver(c)) = end else {
            return Ok(());
        };
        let was = self.cx.chans[c as usize];
        let elem = self.elem(was, ty, at)?;
        self.cx.chans[c as usize] = elem;
        Ok(())
    }

    /// `Vec::new()` or `vec![a, b, …]`.
    pub(super) fn vec_new(&mut self, items: &[Expr]) -> CResult<(Operand, Ty)> {
        let dst = self.temp();
        self.op(Op::VecNew { dst })?;
        let mut elem = Elem::Unknown;
        for e in items {
            let boolean = self.is_bool(e);
            let (v, ty) = self.typed_expr(e)?;
            elem = self.elem(elem, ty, e.span())?;
            if boolean && elem == Elem::Int {
                elem = Elem::Bool;
            }
            self.op(Op::VecPush {
                vec: Operand::Local(dst),
                src: v,
            })?;
        }
        Ok((Operand::Local(dst), Ty::Vec(elem)))
    }

    /// `vec![x; n]`: `n` copies of `x` (a number or a string, which are `Clone`).
    pub(super) fn vec_repeat(&mut self, args: &[Expr], span: Span) -> CResult<(Operand, Ty)> {
        let [x, n] = args else {
            self.err(span, "`vec![x; n]` takes a value and a count", "");
            return Err(());
        };
        let boolean = self.is_bool(x);
        let (v, ty) = self.typed_expr(x)?;
        let elem = match Elem::of(ty) {
            Some(Elem::Int) if boolean => Elem::Bool,
            Some(e @ (Elem::Int | Elem::Str)) => e,
            Some(Elem::Thread(_)) => {
                self.err_code(
                    "E0277",
                    x.span(),
                    format!(
                        "the trait bound `{}: Clone` is not satisfied",
                        type_name(ty, self.cx)
                    ),
                    "a `JoinHandle` cannot be copied: push each one",
                );
                return Err(());
            }
            _ => {
                self.err(
                    x.span(),
                    "a vector of these is not simulated yet",
                    "vectors hold numbers, strings or `JoinHandle`s",
                );
                return Err(());
            }
        };
        let n = self.expr(n)?;
        let (dst, i) = (self.temp(), self.temp());
        self.at(span);
        self.op(Op::VecNew { dst })?;
        self.op(Op::Set {
            dst: i,
            src: Operand::Imm(0),
        })?;
        let (top, end) = (self.f.label(), self.f.label());
        self.f.bind(top);
        self.f.jump_unless(Operand::Local(i), BinOp::Lt, n, end);
        self.op(Op::VecPush {
            vec: Operand::Local(dst),
            src: v,
        })?;
        self.increment(i)?;
        self.f.jump(top);
        self.f.bind(end);
        Ok((Operand::Local(dst), Ty::Vec(elem)))
    }

    /// `i += 1` for a loop's counter.
    pub(super) fn increment(&mut self, i: Local) -> CResult<()> {
        self.op(Op::Bin {
            dst: i,
            op: BinOp::Add,
            a: Operand::Local(i),
            b: Operand::Imm(1),
        })
    }

    /// `v[i] = x` is simulated on vectors of numbers and `bool`s only.
    fn check_in_place(&mut self, elem: Elem, base: &Expr) -> CResult<()> {
        if matches!(elem, Elem::Int | Elem::Bool | Elem::Unknown) {
            return Ok(());
        }
        self.err(
            base.span(),
            "changing a vector's strings or handles in place is not simulated yet",
            "build a new vector with `push`",
        );
        Err(())
    }

    /// `base[…]` of something that is not a vector.
    fn not_indexable(&mut self, base: &Expr, ty: Ty) {
        self.err(
            base.span(),
            format!(
                "cannot index into a value of type `{}`",
                type_name(ty, self.cx)
            ),
            "only a `Vec` is indexed here",
        );
    }

    /// The element type after putting a `ty` into a vector of `elem`s.
    pub(super) fn elem(&mut self, elem: Elem, ty: Ty, at: Span) -> CResult<Elem> {
        match Elem::of(ty) {
            _ if elem == Elem::Broken => Ok(elem),
            // A number where `bool`s are: the compiler does not always know a `bool`.
            Some(Elem::Int) if elem == Elem::Bool => Ok(elem),
            Some(e) if elem == Elem::Unknown || elem == e => Ok(e),
            Some(_) => {
                self.err(
                    at,
                    "mismatched types: a vector holds values of one type (rustc E0308)",
                    "",
                );
                Err(())
            }
            None => {
                self.err(
                    at,
                    "a vector of these is not simulated yet",
                    "vectors hold numbers or `JoinHandle`s",
                );
                Err(())
            }
        }
    }

    /// `v[i]` as a value: a number, or a string to print (a `&String`).
    pub(super) fn index(
        &mut self,
        base: &Expr,
        index: &Expr,
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        if self.guarded_vec(base).is_some() {
            // `g[i]` through a guard (a temporary one is dropped once the element is read).
            let (vec, elem, m, temp) = self.open_guarded(base, false)?;
            let r = self.element(vec, elem, index, span);
            if let Some(read) = temp {
                self.op(unlock(m, read))?;
            }
            return r;
        }
        let (vec, ty) = self.typed_expr(base)?;
        let Ty::Vec(elem) = ty else {
            self.not_indexable(base, ty);
            return Err(());
        };
        if let Elem::Thread(_) = elem {
            // A `JoinHandle` is not `Copy` and `join` takes it by value.
            self.err_code(
                "E0507",
                span,
                format!(
                    "cannot move out of index of `Vec<{}>`",
                    type_name(elem.ty(), self.cx)
                ),
                "take the handles out in order: `for h in handles { h.join().unwrap(); }`",
            );
            return Err(());
        }
        self.element(vec, elem, index, span)
    }

    /// The element `index` of the vector `vec` holds.
    fn element(
        &mut self,
        vec: Operand,
        elem: Elem,
        index: &Expr,
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        let i = self.expr(index)?;
        let dst = self.temp();
        self.at(span);
        self.op(Op::VecGet { vec, index: i, dst })?;
        Ok((
            Operand::Local(dst),
            if elem == Elem::Str {
                Ty::Str(false)
            } else {
                elem.ty()
            },
        ))
    }

    /// A vector named by `e` is borrowed mutably (`push`, `v[i] = x`): it must be
    /// `let mut` (rustc's E0596) and not lent to a scoped thread.
    fn vec_mut(&mut self, e: &Expr) -> CResult<()> {
        let Expr::Path(p) = e else { return Ok(()) };
        let [name] = p.as_slice() else { return Ok(()) };
        if let Some(v) = self.lookup(&name.name) {
            if !v.mutable && matches!(v.ty, Ty::Vec(_)) {
                self.err_code(
                    "E0596",
                    name.span,
                    format!(
                        "cannot borrow `{}` as mutable, as it is not declared as mutable",
                        name.name
                    ),
                    &format!("declare it `let mut {}`", name.name),
                );
                return Err(());
            }
        }
        // `v[i] = x` borrows `v` mutably too (`IndexMut`): E0502, as `push` does.
        self.check_not_lent(name, false)
    }

    /// `v[i]` as the place of `v[i] = x` or `v[i] += x`: the vector, the index, and a
    /// temporary guard to drop after the write (`data.lock().unwrap()[i] += 1`).
    pub(super) fn index_place(
        &mut self,
        base: &Expr,
        index: &Expr,
    ) -> CResult<(Operand, Operand, Held)> {
        if self.guarded_vec(base).is_some() {
            let (vec, elem, m, temp) = self.open_guarded(base, true)?;
            self.check_in_place(elem, base)?;
            let i = self.expr(index)?;
            return Ok((vec, i, temp.map(|read| (m, read))));
        }
        self.vec_mut(base)?;
        let (vec, ty) = self.typed_expr(base)?;
        let Ty::Vec(elem) = ty else {
            self.not_indexable(base, ty);
            return Err(());
        };
        self.check_in_place(elem, base)?;
        let i = self.expr(index)?;
        Ok((vec, i, None))
    }

    /// `v.push(x)`, `v.len()` on a vector `h` of `elem`s named by `recv`.
    pub(super) fn vec_method(
        &mut self,
        recv: &Expr,
        h: Operand,
        elem: Elem,
        name: &ast::Ident,
        args: &[Expr],
    ) -> CResult<(Operand, Ty)> {
        match (name.name.as_str(), args) {
            ("push", [x]) => {
                self.vec_mut(recv)?;
                let boolean = self.is_bool(x);
                let Ok((v, ty)) = self.typed_expr(x) else {
                    self.set_elem(recv, Elem::Broken);
                    return Err(());
                };
                let mut new = self.elem(elem, ty, x.span())?;
                if boolean && elem == Elem::Unknown && new == Elem::Int {
                    new = Elem::Bool;
                }
                let elem = new;
                if ty != Ty::Int {
                    // A handle moves into the vector.
                    self.mark_moved(x, x.span());
                }
                self.set_elem(recv, elem);
                self.op(Op::VecPush { vec: h, src: v })?;
                Ok((Operand::Imm(0), Ty::Int))
            }
            ("len", []) => {
                let dst = self.temp();
                self.op(Op::VecLen { vec: h, dst })?;
                Ok((Operand::Local(dst), Ty::Int))
            }
            ("pop", []) => {
                self.vec_mut(recv)?;
                let part = match elem {
                    Elem::Unknown | Elem::Broken => super::sum::Part::Unknown,
                    Elem::Bool => super::sum::Part::Val(Ty::Int, true),
                    Elem::Thread(_) => {
                        self.err(
                            name.span,
                            "`pop` of a vector of `JoinHandle`s is not simulated yet",
                            "join them in order: `for h in handles { h.join().unwrap(); }`",
                        );
                        return Err(());
                    }
                    e => super::sum::Part::Val(e.ty(), false),
                };
                let ty = self.sum_type(super::sum::Sum {
                    result: false,
                    ok: part,
                    err: super::sum::Part::Unknown,
                })?;
                let (x, ok, dst) = (self.temp(), self.temp(), self.temp());
                self.op(Op::VecPop { vec: h, dst: x, ok })?;
                self.sum_into(dst, Operand::Local(ok), Operand::Local(x))?;
                Ok((Operand::Local(dst), ty))
            }
            (m, _) => {
                self.err(
                    name.span,
                    format!(
                        "`Vec::{m}` with {} arguments is not simulated yet",
                        args.len()
                    ),
                    "vectors support `push(x)`, `pop()`, `len()`, indexing and `for x in v`",
                );
                Err(())
            }
        }
    }

    fn set_elem(&mut self, vec: &Expr, elem: Elem) {
        self.set_guarded_elem(vec, elem);
        if let Expr::Path(p) = vec {
            if let Some(var) = self.lookup_mut(&p[0].name) {
                if matches!(var.ty, Ty::Vec(e) if e != Elem::Broken) {
                    var.ty = Ty::Vec(elem);
                }
            }
        }
    }

    /// `for x in v` (the vector is consumed), `for x in &v` / `v.iter()`: binds each
    /// element in turn, by index.
    pub(super) fn for_vec(
        &mut self,
        pat: &Pat,
        v: Operand,
        elem: Elem,
        body: &Block,
        labels: (Label, Label, Label),
        span: Span,
    ) -> CResult<()> {
        let (top, cont, end) = labels;
        let (i, len, x) = (self.temp(), self.temp(), self.temp());
        self.op(Op::Set {
            dst: i,
            src: Operand::Imm(0),
        })?;
        self.op(Op::VecLen { vec: v, dst: len })?;
        self.at(span);
        self.f
            .jump_unless(Operand::Local(i), BinOp::Lt, Operand::Local(len), end);
        self.f.bind(top);
        self.op(Op::VecGet {
            vec: v,
            index: Operand::Local(i),
            dst: x,
        })?;
        if elem == Elem::Broken {
            // Its elements' type is unknown: uses of them are not reported again.
            collect_pat_names(pat, &mut self.broken);
        } else {
            self.bind_pat(pat, x, elem.ty())?;
            if let (Elem::Bool, Pat::Ident { name, .. }) = (elem, pat) {
                if let Some(var) = self.lookup_mut(&name.name) {
                    var.boolean = true;
                }
            }
        }
        self.loop_body(body, (end, cont), true)?;
        self.f.bind(cont);
        self.at(span);
        self.increment(i)?;
        self.f
            .jump_unless(Operand::Local(i), BinOp::Ge, Operand::Local(len), top);
        Ok(())
    }
}
