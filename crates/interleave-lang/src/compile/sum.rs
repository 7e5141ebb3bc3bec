//! `Option<T>` and `Result<T, E>` as values: `Some(v)`, `None`, `Ok(v)`, `Err(e)`, kept
//! in locals, returned by functions, taken apart by `match` / `if let` / `while let`, by
//! `?` (which returns the `None` or `Err` from the function), and by `unwrap`, `expect`,
//! `unwrap_or`, `is_some` and friends. A value is an immutable vector of two: a tag (1 for
//! `Some` / `Ok`) and what it holds (0 for `None`), as a tuple is (see `tuple`). Its type
//! is interned in `Cx::sums`; a side the compiler has not seen yet (`None` before any
//! `Some`) is `Part::Unknown` until an annotation, a return type or an assignment says.

use super::matches::Outcomes;
use super::*;

/// The names a combinator can be called by, for the "not simulated" hint.
const OPTION_METHODS: &str = "`map`, `and_then`, `or_else`, `unwrap_or_else`, `unwrap_or_default`, `filter`, `ok_or`, `ok_or_else`, `is_some_and`, `is_none_or`";
const RESULT_METHODS: &str = "`map`, `map_err`, `and_then`, `or_else`, `unwrap_or_else`, `unwrap_or_default`, `ok`, `err`, `is_ok_and`, `is_err_and`";

/// What one side of an `Option` or `Result` holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Part {
    /// Not known yet (`let x = None;`).
    Unknown,
    /// `()`.
    Unit,
    /// A value, and whether it is a `bool`.
    Val(Ty, bool),
    /// One of std's error types, kept but not looked inside.
    Std(StdErr),
}

/// The errors std's calls give in a `Result` a program may keep (`let r = h.join();`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum StdErr {
    /// A panicked thread's payload (`join`).
    Any,
    /// `recv` once every sender is gone.
    Recv,
    /// `send` once the receiver is gone.
    Send,
}

impl StdErr {
    fn type_name(self) -> &'static str {
        match self {
            StdErr::Any => "Box<dyn Any + Send>",
            StdErr::Recv => "RecvError",
            StdErr::Send => "SendError<_>",
        }
    }

    /// Its number in the core's `STD_ERRORS` (how `{:?}` prints it).
    fn code(self) -> u8 {
        match self {
            StdErr::Any => 0,
            StdErr::Recv => 1,
            StdErr::Send => 2,
        }
    }
}

/// An `Option` (`ok` is what `Some` holds) or a `Result`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Sum {
    pub(super) result: bool,
    pub(super) ok: Part,
    pub(super) err: Part,
}

impl Sum {
    fn name(self) -> &'static str {
        if self.result {
            "Result"
        } else {
            "Option"
        }
    }
}

fn part_copy(p: Part) -> bool {
    match p {
        Part::Val(t, _) => ownership::is_copy(t),
        Part::Std(e) => e == StdErr::Recv,
        Part::Unknown | Part::Unit => true,
    }
}

/// The letter(s) of a part in a format shape (see the core's `machine/output.rs`).
fn part_sig(cx: &Cx, p: Part) -> String {
    match p {
        Part::Unit => "u".into(),
        Part::Val(_, true) => "b".into(),
        Part::Val(t, false) => sig(cx, t),
        Part::Unknown => "d".into(),
        Part::Std(e) => format!("e{}", e.code()),
    }
}

/// The format shape of a value of type `t`, as `{:?}` prints it.
pub(super) fn sig(cx: &Cx, t: Ty) -> String {
    match t {
        Ty::Str(_) => "q".into(),
        Ty::Tuple(k, _) => tuple::hole(cx, k),
        Ty::Sum(k, _) => {
            let s = cx.sums[k as usize];
            if s.result {
                format!("!{}{}", part_sig(cx, s.ok), part_sig(cx, s.err))
            } else {
                format!("?{}", part_sig(cx, s.ok))
            }
        }
        _ => "d".into(),
    }
}

pub(super) fn part_name(cx: &Cx, p: Part) -> String {
    match p {
        Part::Unknown => "_".into(),
        Part::Unit => "()".into(),
        Part::Val(_, true) => "bool".into(),
        Part::Val(Ty::Int, false) => "i32".into(),
        Part::Val(t, false) => heap::type_name(t, cx),
        Part::Std(e) => e.type_name().into(),
    }
}

pub(super) fn type_name(cx: &Cx, k: u16) -> String {
    let s = cx.sums[k as usize];
    if s.result {
        format!("Result<{}, {}>", part_name(cx, s.ok), part_name(cx, s.err))
    } else {
        format!("Option<{}>", part_name(cx, s.ok))
    }
}

/// The parts of a type written `A, B` at the top level (not inside `<…>` or `(…)`).
fn split_top(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = s[start..].trim();
    if !last.is_empty() {
        out.push(last);
    }
    out
}

impl FnCx<'_, '_> {
    pub(super) fn sum_of(&self, k: u16) -> Sum {
        self.cx.sums[k as usize]
    }

    /// The type of `s`, interned.
    pub(super) fn sum_type(&mut self, s: Sum) -> CResult<Ty> {
        let copy = part_copy(s.ok) && (!s.result || part_copy(s.err));
        let k = match self.cx.sums.iter().position(|&x| x == s) {
            Some(k) => k,
            None => {
                self.cx.sums.push(s);
                self.cx.sums.len() - 1
            }
        };
        let k = u16::try_from(k).map_err(|_| ())?;
        Ok(Ty::Sum(k, copy))
    }

    /// A type as written (`i32`, `bool`, `String`, `&str`, `(i32, bool)`, `()`,
    /// `Option<T>`, `Result<T, E>`), if it is one a value of which is simulated.
    pub(super) fn written_part(&mut self, s: &str) -> Option<Part> {
        let s = s.trim();
        if s == "()" {
            return Some(Part::Unit);
        }
        if s == "bool" {
            return Some(Part::Val(Ty::Int, true));
        }
        if int_type(s) {
            return Some(Part::Val(Ty::Int, false));
        }
        let ty = match s {
            "String" => Ty::Str(true),
            "&str" | "&'static str" => Ty::Str(false),
            _ if s.starts_with('(') && s.ends_with(')') => {
                let mut parts = Vec::new();
                let mut bools = Vec::new();
                for p in split_top(&s[1..s.len() - 1]) {
                    let Part::Val(t, b) = self.written_part(p)? else {
                        return None;
                    };
                    parts.push(t);
                    bools.push(b);
                }
                self.tuple_type(parts, bools).ok()?
            }
            _ => {
                let inner = s.strip_suffix('>')?;
                let (head, args) = inner.split_once('<')?;
                let args = split_top(args);
                let sum = match (
                    head.trim_start_matches("std::option::")
                        .trim_start_matches("std::result::"),
                    args.as_slice(),
                ) {
                    ("Option", [t]) => Sum {
                        result: false,
                        ok: self.written_part(t)?,
                        err: Part::Unknown,
                    },
                    ("Result", [t, e]) => Sum {
                        result: true,
                        ok: self.written_part(t)?,
                        err: self.written_part(e)?,
                    },
                    _ => return None,
                };
                self.sum_type(sum).ok()?
            }
        };
        Some(Part::Val(ty, false))
    }

    /// `have` where a `want` is expected: the type it then has (an `Option` or `Result`
    /// whose sides were not known takes `want`'s), or `None` if they differ.
    pub(super) fn fit(&mut self, have: Ty, want: Ty) -> Option<Ty> {
        if have == want {
            return Some(want);
        }
        let (Ty::Sum(h, _), Ty::Sum(w, _)) = (have, want) else {
            return match (have, want) {
                (Ty::Int, Ty::Int) => Some(want),
                _ => None,
            };
        };
        let (h, w) = (self.sum_of(h), self.sum_of(w));
        if h.result != w.result {
            return None;
        }
        let ok = self.fit_part(h.ok, w.ok)?;
        let err = self.fit_part(h.err, w.err)?;
        self.sum_type(Sum {
            result: w.result,
            ok,
            err,
        })
        .ok()
    }

    fn fit_part(&mut self, have: Part, want: Part) -> Option<Part> {
        match (have, want) {
            (p, Part::Unknown) | (Part::Unknown, p) => Some(p),
            (Part::Unit, Part::Unit) => Some(Part::Unit),
            (Part::Std(a), Part::Std(b)) if a == b => Some(have),
            (Part::Val(h, hb), Part::Val(w, wb)) => {
                let t = self.fit(h, w)?;
                Some(Part::Val(t, hb || wb))
            }
            _ => None,
        }
    }

    /// E0308 for a value of type `have` where `want` is expected, unless it fits; the type
    /// it then has.
    pub(super) fn expect_ty(&mut self, have: Ty, want: Ty, at: Span) -> CResult<Ty> {
        if let Some(t) = self.fit(have, want) {
            return Ok(t);
        }
        let (w, h) = (
            heap::type_name(want, self.cx),
            heap::type_name(have, self.cx),
        );
        self.err_code(
            "E0308",
            at,
            format!("mismatched types: expected `{w}`, found `{h}`"),
            "",
        );
        Err(())
    }

    /// `let x: T = …` where `T` is an `Option` or a `Result`: E0308 if the value is not
    /// one, else it says what the value's sides hold where it did not.
    pub(super) fn annotate(&mut self, name: &ast::Ident, written: &str, at: Span) -> CResult<()> {
        let Some(have) = self.lookup(&name.name).map(|v| v.ty) else {
            return Ok(());
        };
        let want = match self.written_part(written) {
            Some(Part::Val(t @ Ty::Sum(..), _)) => t,
            _ => return Ok(()),
        };
        let ty = self.expect_ty(have, want, at)?;
        if let Some(v) = self.lookup_mut(&name.name) {
            v.ty = ty;
        }
        Ok(())
    }

    /// An assignment said what the `let` that declared the name at `at` holds.
    pub(super) fn learn(&mut self, at: Span, ty: Ty) {
        let written = heap::type_name(ty, self.cx);
        if written.contains('_') {
            return;
        }
        match self.cx.learned.iter_mut().find(|(s, _)| *s == at) {
            Some(l) => l.1 = written,
            None => self.cx.learned.push((at, written)),
        }
    }

    /// A `let` without a type whose `Option` or `Result` a later assignment described
    /// (learned in a first pass): it has that type from the start.
    pub(super) fn learned_type(&mut self, name: &ast::Ident, at: Span) -> CResult<()> {
        let found = self.cx.learned.iter().find(|(s, _)| *s == name.span);
        let Some((_, written)) = found.cloned() else {
            return Ok(());
        };
        self.annotate(name, &written, at)
    }

    /// `Some(v)`, `Ok(v)`, `Err(e)`.
    pub(super) fn sum_new(
        &mut self,
        ctor: &str,
        args: &[Expr],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        let [arg] = args else {
            self.err(span, format!("`{ctor}(…)` holds one value"), "");
            return Err(());
        };
        let (part, value) = if matches!(arg, Expr::Tuple(items, _) if items.is_empty()) {
            (Part::Unit, Operand::Imm(0))
        } else {
            let boolean = self.is_bool(arg);
            let (v, ty) = self.typed_expr(arg)?;
            if !matches!(ty, Ty::Int | Ty::Str(_) | Ty::Tuple(..) | Ty::Sum(..)) {
                self.err(
                    arg.span(),
                    format!(
                        "`{ctor}(…)` holding a `{}` is not simulated yet",
                        heap::type_name(ty, self.cx)
                    ),
                    "an `Option` or `Result` holds numbers, `bool`s, strings, tuples, `()` and other `Option`s and `Result`s",
                );
                return Err(());
            }
            if !ownership::is_copy(ty) {
                self.mark_moved(arg, arg.span());
            }
            (Part::Val(ty, boolean && ty == Ty::Int), v)
        };
        let sum = match ctor {
            "Some" => Sum {
                result: false,
                ok: part,
                err: Part::Unknown,
            },
            "Ok" => Sum {
                result: true,
                ok: part,
                err: Part::Unknown,
            },
            _ => Sum {
                result: true,
                ok: Part::Unknown,
                err: part,
            },
        };
        let ty = self.sum_type(sum)?;
        let v = self.make_sum(i64::from(ctor != "Err"), value, span)?;
        Ok((v, ty))
    }

    /// `None`.
    pub(super) fn none(&mut self, span: Span) -> CResult<(Operand, Ty)> {
        let ty = self.sum_type(Sum {
            result: false,
            ok: Part::Unknown,
            err: Part::Unknown,
        })?;
        let v = self.make_sum(0, Operand::Imm(0), span)?;
        Ok((v, ty))
    }

    fn make_sum(&mut self, tag: i64, value: Operand, span: Span) -> CResult<Operand> {
        let dst = self.temp();
        self.at(span);
        self.sum_into(dst, Operand::Imm(tag), value)?;
        Ok(Operand::Local(dst))
    }

    /// A new `Option` or `Result` in `dst`: its tag (1 for `Some` / `Ok`) and value.
    pub(super) fn sum_into(&mut self, dst: Local, tag: Operand, value: Operand) -> CResult<()> {
        self.op(Op::VecNew { dst })?;
        for src in [tag, value] {
            self.op(Op::VecPush {
                vec: Operand::Local(dst),
                src,
            })?;
        }
        Ok(())
    }

    /// Whether `e` is an `Option` or `Result` value, seen without compiling it: a
    /// constructor, a local, a call of a user function. Tells such a value from the calls
    /// whose `Result` is compiled at its use (`rx.recv().unwrap()`).
    pub(super) fn is_sum(&mut self, e: &Expr) -> bool {
        match e {
            Expr::Path(p) if p.len() == 1 && p[0].name == "None" => self.lookup("None").is_none(),
            Expr::Call {
                callee,
                bang: false,
                ..
            } if callee.len() == 1 && matches!(callee[0].name.as_str(), "Some" | "Ok" | "Err") => {
                self.user_fn(&callee[0].name).is_none()
            }
            // `CELL.get()` and `CELL.set(v)` of an `OnceLock`.
            Expr::Method { recv, name, .. } if matches!(name.name.as_str(), "get" | "set") => {
                matches!(self.once_of(recv), Some((_, true)))
            }
            // `v.pop()` (no other simulated method is called `pop`).
            Expr::Method { name, args, .. } if name.name == "pop" && args.is_empty() => true,
            // `o.map(|x| …)` and the other combinators that give an `Option` or `Result`.
            Expr::Method { recv, name, .. }
                if matches!(
                    name.name.as_str(),
                    "map"
                        | "map_err"
                        | "and_then"
                        | "or_else"
                        | "filter"
                        | "ok"
                        | "err"
                        | "ok_or"
                        | "ok_or_else"
                ) =>
            {
                self.is_sum(recv)
            }
            // An `if` or `match` whose first branch gives one.
            Expr::If(s) => match s.as_ref() {
                Stmt::If { then, .. } | Stmt::IfLetOk { then, .. } => {
                    let src = self.cx.src;
                    crate::ast::tail(src, then).is_some_and(|t| self.is_sum(t))
                }
                _ => false,
            },
            Expr::Match { arms, .. } => {
                let src = self.cx.src;
                arms.iter()
                    .find_map(|a| crate::ast::tail(src, &a.body))
                    .is_some_and(|t| self.is_sum(t))
            }
            _ => matches!(self.static_ty(e), Some(Ty::Sum(..))),
        }
    }

    /// Whether `e` is an `Option` or `Result` whose `Some` / `Ok` holds a `bool`.
    pub(super) fn holds_bool(&self, e: &Expr) -> bool {
        match e {
            Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name).map(|v| v.ty) {
                Some(Ty::Sum(k, _)) => matches!(self.sum_of(k).ok, Part::Val(_, true)),
                _ => false,
            },
            Expr::Call {
                callee,
                bang: false,
                args,
                ..
            } if callee.len() == 1 => match (callee[0].name.as_str(), args.as_slice()) {
                ("Some" | "Ok", [a]) => self.is_bool(a),
                (name, _) => self.cx.fns.iter().any(|(d, _)| {
                    d.name.name == name
                        && d.ret
                            .as_deref()
                            .is_some_and(|r| r == "Option<bool>" || r.starts_with("Result<bool,"))
                }),
            },
            _ => false,
        }
    }

    /// Whether `e` names a local holding a number, a string, a tuple, an `Option` or a
    /// `Result` (which `*e` reads as it is, a reference being its value here).
    pub(super) fn is_value_local(&self, e: &Expr) -> bool {
        let Expr::Path(p) = e else { return false };
        p.len() == 1
            && self
                .lookup(&p[0].name)
                .is_some_and(|v| matches!(v.ty, Ty::Int | Ty::Str(_) | Ty::Tuple(..) | Ty::Sum(..)))
    }

    /// The type of a local or of a call of a user function, seen without compiling it.
    fn static_ty(&mut self, e: &Expr) -> Option<Ty> {
        match e {
            Expr::Path(p) if p.len() == 1 => self.lookup(&p[0].name).map(|v| v.ty),
            Expr::Call {
                callee,
                bang: false,
                ..
            } if callee.len() == 1 => {
                let ret = self.user_fn(&callee[0].name)?.0.ret.as_deref()?;
                match self.written_part(ret)? {
                    Part::Val(t, _) => Some(t),
                    _ => None,
                }
            }
            Expr::Try { expr, .. } => match self.static_ty(expr)? {
                Ty::Sum(k, _) => match self.sum_of(k).ok {
                    Part::Val(t, _) => Some(t),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// The `Outcomes` of an `Option` or `Result` value: its tag goes to `ok`.
    pub(super) fn sum_outcomes(&mut self, e: &Expr, ok: Local) -> CResult<Outcomes> {
        let (v, ty) = self.typed_expr(e)?;
        let Ty::Sum(k, _) = ty else {
            self.err(
                e.span(),
                format!(
                    "expected an `Option` or a `Result` here, found `{}`",
                    heap::type_name(ty, self.cx)
                ),
                "`match` or `if let` an `Option`, a `Result`, or the result of `join()`, `recv()`, `send(v)`, `try_lock()` or `compare_exchange(…)`",
            );
            return Err(());
        };
        let s = self.sum_of(k);
        let whole = self.temp();
        self.op(Op::Set { dst: whole, src: v })?;
        let payload = self.temp();
        self.op(Op::VecGet {
            vec: Operand::Local(whole),
            index: Operand::Imm(0),
            dst: ok,
        })?;
        self.op(Op::VecGet {
            vec: Operand::Local(whole),
            index: Operand::Imm(1),
            dst: payload,
        })?;
        Ok(Outcomes {
            ok_value: Operand::Local(payload),
            ok_ty: Ty::Int,
            err_value: Some(Operand::Local(payload)),
            err_kind: None,
            sum: Some((s, Operand::Local(whole))),
        })
    }

    /// Binds `p` to a side of an `Option` or `Result` (E0282 when its type is not known).
    pub(super) fn bind_part(&mut self, p: &Pat, v: Operand, part: Part) -> CResult<()> {
        match (part, p) {
            (_, Pat::Wild(_)) => Ok(()),
            (Part::Unit, Pat::Tuple(parts)) if parts.is_empty() => Ok(()),
            (Part::Unit, _) => self.bind_value(p, v, Ty::Int),
            (Part::Val(t, boolean), _) => {
                self.bind_value(p, v, t)?;
                if let (true, Pat::Ident { name, .. }) = (boolean, p) {
                    if let Some(var) = self.lookup_mut(&name.name) {
                        var.boolean = true;
                    }
                }
                Ok(())
            }
            (Part::Unknown, Pat::Ident { name, .. }) => {
                self.err_code(
                    "E0282",
                    name.span,
                    "type annotations needed".into(),
                    "say what it holds where it is made: `let x: Option<i32> = None;`",
                );
                // Compiling on may find an assignment that says (see `learn`).
                self.bind_value(p, v, Ty::Int)
            }
            (Part::Unknown, _) => Ok(()),
            (Part::Std(e), _) => {
                self.err(
                    tuple::pat_span(p),
                    format!(
                        "the `{}` inside this `Err(…)` is not simulated as a value",
                        e.type_name()
                    ),
                    "write `Err(_)`; `{:?}` of the whole `Result` prints it",
                );
                Err(())
            }
        }
    }

    /// E0308 when a pattern of an `Option` (`some`) meets a `Result`, or the reverse.
    pub(super) fn check_kind(&mut self, o: &Outcomes, some: bool, at: Span) -> CResult<()> {
        let result = o.sum.is_none_or(|(s, _)| s.result);
        if result != some {
            return Ok(());
        }
        let (want, found) = if some {
            ("Result<_, _>", "Option<_>")
        } else {
            ("Option<_>", "Result<_, _>")
        };
        self.err_code(
            "E0308",
            at,
            format!("mismatched types: expected `{want}`, found `{found}`"),
            "",
        );
        Err(())
    }

    /// `e?` in a function that returns an `Option` or a `Result`.
    pub(super) fn try_expr(&mut self, e: &Expr, span: Span) -> CResult<(Operand, Ty)> {
        let frame = self.frames.last().map(|f| (f.ret, f.depth, f.value, f.ty));
        if let Some(f) = self.frames.last() {
            let written = self.user_fn(&f.name).and_then(|(d, _)| d.ret.as_deref());
            let sum = written.is_some_and(|w| w.starts_with("Option<") || w.starts_with("Result<"));
            if sum && !matches!(f.ty, Some(Ty::Sum(..))) {
                // Its return type was refused already.
                return Err(());
            }
        }
        let Some((ret, depth, Some(dst), Some(Ty::Sum(w, _)))) = frame else {
            self.err_code(
                "E0277",
                span,
                "the `?` operator can only be used in a function that returns `Result` or `Option`"
                    .into(),
                match self.frames.last() {
                    Some(f) if f.name != "main" && f.value.is_some() => {
                        "declare the function `-> Option<T>` or `-> Result<T, E>`"
                    }
                    _ => "here the function returns `()`: `match` the value, or `.unwrap()` it",
                },
            );
            return Err(());
        };
        let want = self.sum_of(w);
        let ok = self.temp();
        let o = self.result_outcomes(e, ok)?;
        let Some((s, whole)) = o.sum else {
            self.err(
                span,
                "`?` on this call is not simulated yet: its error is not a value here",
                "`match` it: `Ok(v) => …, Err(_) => …`",
            );
            return Err(());
        };
        // A mismatch is reported and compiling goes on (no early return is made), so the
        // errors after it are found too.
        let mut fits = true;
        if s.result != want.result {
            let (on, r#in) = (s.name(), want.name());
            self.err_code(
                "E0277",
                span,
                format!("the `?` operator can only be used on `{in}`s, not `{on}`s, in a function that returns `{in}`", r#in = r#in),
                if want.result {
                    "turn it into a `Result` first, or `match` it"
                } else {
                    "turn it into an `Option` first, or `match` it"
                },
            );
            fits = false;
        } else if s.result && self.fit_part(s.err, want.err).is_none() {
            let e = part_name(self.cx, want.err);
            self.err_code(
                "E0277",
                span,
                format!("`?` couldn't convert the error to `{e}`"),
                "the error's type must be the function's",
            );
            fits = false;
        }
        let cont = self.f.label();
        if fits {
            self.f
                .jump_unless(Operand::Local(ok), BinOp::Eq, Operand::Imm(0), cont);
            // `None` or `Err(e)`: the function returns it (the same immutable value).
            self.op(Op::Set { dst, src: whole })?;
            self.release_guards(depth, false)?;
            self.f.jump(ret);
            self.f.bind(cont);
        }
        self.at(span);
        let ty = match s.ok {
            Part::Val(t, _) => t,
            Part::Unit | Part::Std(_) => Ty::Int,
            Part::Unknown => {
                self.err_code(
                    "E0282",
                    span,
                    "type annotations needed".into(),
                    "say what it holds where it is made",
                );
                Ty::Int
            }
        };
        Ok((o.ok_value, ty))
    }

    /// The `Result` of `h.join()`, `rx.recv()` or `tx.send(v)` kept as a value
    /// (`let r = h.join();`): `Ok` of what the call gives, or `Err` of std's error.
    pub(super) fn kept_result(&mut self, e: &Expr) -> CResult<(Operand, Ty)> {
        let Expr::Method {
            recv,
            name,
            args,
            span,
        } = e
        else {
            unreachable!("a method call")
        };
        if !matches!(unref(recv), Expr::Path(_)) {
            // `thread::spawn(f).join()`: the handle, under a name no program can write.
            let (v, ty) = self.typed_expr(recv)?;
            let hidden = ast::Ident {
                name: "handle#".into(),
                span: recv.span(),
            };
            self.scopes.push(Scope::default());
            let named = Expr::Method {
                recv: Box::new(Expr::Path(vec![hidden.clone()])),
                name: name.clone(),
                args: args.clone(),
                span: *span,
            };
            let r = self
                .bind_value(
                    &Pat::Ident {
                        name: hidden,
                        mutable: false,
                    },
                    v,
                    ty,
                )
                .and_then(|()| self.kept_result(&named));
            self.pop_scope();
            return r;
        }
        let (ok_part, err) = match name.name.as_str() {
            "join" => (
                match self.thread_ret(recv) {
                    Ret::Unit => Part::Unit,
                    Ret::Bool => Part::Val(Ty::Int, true),
                    r => Part::Val(r.ty(), false),
                },
                StdErr::Any,
            ),
            "recv" => {
                let ty = self.received(recv);
                (Part::Val(ty, self.receives_bools(recv)), StdErr::Recv)
            }
            _ => (Part::Unit, StdErr::Send),
        };
        let ok = self.temp();
        let o = self.result_outcomes(e, ok)?;
        let dst = self.temp();
        self.sum_into(dst, Operand::Local(ok), o.ok_value)?;
        let ty = self.sum_type(Sum {
            result: true,
            ok: ok_part,
            err: Part::Std(err),
        })?;
        Ok((Operand::Local(dst), ty))
    }

    /// A method of an `Option` or `Result` value (`None` when `recv` is not one).
    pub(super) fn sum_method(
        &mut self,
        recv: &Expr,
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
    ) -> Option<CResult<(Operand, Ty)>> {
        if !self.is_sum(recv) {
            return None;
        }
        Some(self.sum_method_of(recv, name, args, span))
    }

    fn sum_method_of(
        &mut self,
        recv: &Expr,
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
    ) -> CResult<(Operand, Ty)> {
        let (v, ty) = self.typed_expr(recv)?;
        let Ty::Sum(k, copy) = ty else {
            self.err(recv.span(), "expected an `Option` or a `Result` here", "");
            return Err(());
        };
        let s = self.sum_of(k);
        if let Some(r) = self.combinator((v, ty, s), name, args, span) {
            return r;
        }
        let m = name.name.as_str();
        let tag = self.temp();
        let test = |m: &str| match m {
            "is_some" | "is_ok" => Some(true),
            "is_none" | "is_err" => Some(false),
            _ => None,
        };
        let known = match m {
            "is_some" | "is_none" => !s.result && args.is_empty(),
            "is_ok" | "is_err" => s.result && args.is_empty(),
            "unwrap" => args.is_empty(),
            "expect" | "unwrap_or" => args.len() == 1,
            _ => false,
        };
        if !known {
            self.err_code(
                "E0599",
                name.span,
                format!(
                    "no method `{m}` (with {} arguments) on `{}` is simulated",
                    args.len(),
                    type_name(self.cx, k)
                ),
                &if s.result {
                    format!("simulated: `unwrap()`, `expect(\"…\")`, `unwrap_or(v)`, `is_ok()`, `is_err()`, {}, `?`, `match`", RESULT_METHODS)
                } else {
                    format!("simulated: `unwrap()`, `expect(\"…\")`, `unwrap_or(v)`, `is_some()`, `is_none()`, {}, `?`, `match`", OPTION_METHODS)
                },
            );
            return Err(());
        }
        let default = match (m, args) {
            ("unwrap_or", [d]) => Some(self.typed_expr(d)?),
            _ => None,
        };
        self.op(Op::VecGet {
            vec: v,
            index: Operand::Imm(0),
            dst: tag,
        })?;
        if let Some(yes) = test(m) {
            if yes {
                return Ok((Operand::Local(tag), Ty::Int));
            }
            let dst = self.temp();
            self.op(Op::Bin {
                dst,
                op: BinOp::Eq,
                a: Operand::Local(tag),
                b: Operand::Imm(0),
            })?;
            return Ok((Operand::Local(dst), Ty::Int));
        }
        let ty = match s.ok {
            Part::Val(t, _) => t,
            Part::Unit | Part::Std(_) => Ty::Int,
            Part::Unknown => {
                self.err_code(
                    "E0282",
                    recv.span(),
                    "type annotations needed".into(),
                    "say what it holds where it is made: `let x: Option<i32> = None;`",
                );
                Ty::Int
            }
        };
        if !copy {
            self.mark_moved(recv, span);
        }
        let value = self.temp();
        if let Some((d, dty)) = default {
            self.expect_ty(dty, ty, args[0].span())?;
            self.op(Op::Set { dst: value, src: d })?;
            let done = self.f.label();
            self.f.jump_if_zero(Operand::Local(tag), done);
            self.op(Op::VecGet {
                vec: v,
                index: Operand::Imm(1),
                dst: value,
            })?;
            self.f.bind(done);
            return Ok((Operand::Local(value), ty));
        }
        let fine = self.f.label();
        self.f
            .jump_unless(Operand::Local(tag), BinOp::Eq, Operand::Imm(0), fine);
        let said = match args {
            [Expr::Str(msg, _)] => Some(msg.replace('{', "{{").replace('}', "}}")),
            [other] => {
                self.err(
                    other.span(),
                    "`expect` takes a string literal here",
                    "`.expect(\"what went wrong\")`",
                );
                return Err(());
            }
            _ => None,
        };
        let (msg, shown) = match (s.result, said) {
            (false, Some(msg)) => (msg, None),
            (false, None) => (
                "called `Option::unwrap()` on a `None` value".to_string(),
                None,
            ),
            (true, said) => {
                let hole = format!("{{@{}}}", part_sig(self.cx, s.err));
                let head = said
                    .unwrap_or_else(|| "called `Result::unwrap()` on an `Err` value".to_string());
                let err = self.temp();
                self.op(Op::VecGet {
                    vec: v,
                    index: Operand::Imm(1),
                    dst: err,
                })?;
                (format!("{head}: {hole}"), Some(Operand::Local(err)))
            }
        };
        let msg = self.cx.b.message(&msg);
        self.op(Op::Panic {
            msg,
            args: shown.into_iter().collect(),
        })?;
        self.f.bind(fine);
        self.op(Op::VecGet {
            vec: v,
            index: Operand::Imm(1),
            dst: value,
        })?;
        Ok((Operand::Local(value), ty))
    }
}
