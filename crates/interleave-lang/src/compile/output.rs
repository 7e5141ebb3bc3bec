//! `println!`, `print!`, `eprintln!`, `eprint!` and `format!`: the format string is read
//! (see `crate::format`), every argument is evaluated once, in order, as Rust does, and
//! the op prints the template with the values (`format!` makes a `String` of it).
//! `dbg!(e)` prints `[src/main.rs:line:col] e = value` to standard error, as Rust does
//! (the file named as `cargo run` names it), and is `e`'s value.

use super::heap::Elem;
use super::{CResult, FnCx, Ty};
use crate::ast::{self, BinOp as AstBinOp, Expr, UnOp};
use crate::diag::Span;
use crate::format::{self, Hole};
use interleave_core::program::{Op, Operand};

impl FnCx<'_, '_> {
    /// Whether `e` is a `bool` (the simulator's value 0 or 1, printed `true` / `false`):
    /// by its shape (a literal, a comparison, `&&`, `is_ok()`…), or a variable, parameter,
    /// static or atomic declared as one.
    pub(super) fn is_bool(&self, e: &Expr) -> bool {
        match e {
            Expr::Bool(..) => true,
            Expr::Unary {
                op: UnOp::Not | UnOp::Ref(_),
                expr,
                ..
            } => self.is_bool(expr),
            // `*g` of a `Mutex<bool>`'s guard.
            Expr::Unary {
                op: UnOp::Deref,
                expr,
                ..
            } => match expr.as_ref() {
                Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name).map(|v| v.ty) {
                    Some(Ty::Guard(m, _)) => self
                        .cx
                        .mutex_types
                        .iter()
                        .any(|(x, t)| *x == m && t == "bool"),
                    _ => false,
                },
                _ => false,
            },
            // A call of a function declared `-> bool`.
            Expr::Call {
                callee,
                bang: false,
                ..
            } if callee.len() == 1 => self
                .cx
                .fns
                .iter()
                .any(|(d, _)| d.name.name == callee[0].name && d.ret.as_deref() == Some("bool")),
            Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name) {
                Some(v) => v.boolean,
                None => self.cx.bool_statics.contains(&p[0].name),
            },
            Expr::Field { base, index, .. } => self.is_bool_field(base, *index),
            // An element of a vector of `bool`s.
            Expr::Index { base, .. } => matches!(
                base.as_ref(),
                Expr::Path(p) if p.len() == 1
                    && self.lookup(&p[0].name).map(|v| v.ty) == Some(Ty::Vec(super::heap::Elem::Bool))
            ),
            Expr::Method { name, recv, .. } => match name.name.as_str() {
                "is_ok" | "is_err" | "is_some" | "is_none" | "is_leader" | "is_empty"
                | "is_some_and" | "is_ok_and" | "is_err_and" | "is_none_or" => true,
                // `h.join().unwrap()` of a thread that returns a `bool`, or an
                // `Option<bool>`'s.
                "unwrap" | "expect" | "unwrap_or" => match recv.as_ref() {
                    Expr::Method { name, recv, .. } if name.name == "recv" => {
                        self.receives_bools(recv)
                    }
                    Expr::Method { name, recv, .. } => {
                        name.name == "join" && self.thread_ret(recv) == super::Ret::Bool
                    }
                    e => self.holds_bool(e),
                },
                "load" | "swap" | "fetch_and" | "fetch_or" | "fetch_xor" => {
                    self.is_bool_atomic(recv)
                }
                _ => false,
            },
            // An `if` or `match` whose first branch with a value gives a `bool`.
            Expr::If(s) => match s.as_ref() {
                crate::ast::Stmt::If { then, .. } | crate::ast::Stmt::IfLetOk { then, .. } => {
                    crate::ast::tail(self.cx.src, then).is_some_and(|t| self.is_bool(t))
                }
                _ => false,
            },
            Expr::Match { arms, .. } => arms
                .iter()
                .find_map(|a| crate::ast::tail(self.cx.src, &a.body))
                .is_some_and(|t| self.is_bool(t)),
            e => looks_bool(e),
        }
    }

    /// Whether `e` names an `AtomicBool` (a static, a local, or one behind an `Arc`).
    fn is_bool_atomic(&self, e: &Expr) -> bool {
        let Expr::Path(p) = e else { return false };
        let [name] = p.as_slice() else { return false };
        let id = match self.lookup(&name.name).map(|v| v.ty) {
            Some(Ty::Atomic(a) | Ty::Arc(interleave_core::program::Pointee::Atomic(a), _)) => a,
            Some(_) => return false,
            None => return self.cx.bool_statics.contains(&name.name),
        };
        self.cx
            .atomic_types
            .iter()
            .any(|(a, t)| *a == id && t == "AtomicBool")
    }
}

/// Whether a value of `ty` can be printed (with `{}` or `{:?}`).
fn printable(ty: Ty) -> bool {
    match ty {
        Ty::Int | Ty::Str(_) | Ty::ThreadId | Ty::OptStr | Ty::Tuple(..) | Ty::Sum(..) => true,
        Ty::Vec(e) => matches!(e, Elem::Int | Elem::Bool | Elem::Str | Elem::Unknown),
        _ => false,
    }
}

/// Whether `e` is a `bool` by its shape alone (a comparison or `&&` / `||`).
fn looks_bool(e: &Expr) -> bool {
    match e {
        Expr::Binary { op, .. } => matches!(
            op,
            AstBinOp::Eq
                | AstBinOp::Ne
                | AstBinOp::Lt
                | AstBinOp::Le
                | AstBinOp::Gt
                | AstBinOp::Ge
                | AstBinOp::And
                | AstBinOp::Or
        ),
        _ => false,
    }
}

/// `template` (holes as `{}`, braces doubled) with the holes of strings marked `{s}` or
/// `{q}`, as `kinds` says hole by hole.
fn string_holes(template: &str, kinds: &[Option<String>]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut holes = kinds.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                out.push(c);
                out.push(chars.next().expect("peeked"));
            }
            ('{', Some('}')) => {
                chars.next();
                match holes.next() {
                    Some(Some(k)) => {
                        out.push('{');
                        out.push_str(k);
                        out.push('}');
                    }
                    _ => out.push_str("{}"),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

impl FnCx<'_, '_> {
    /// `name!(args)` for one of the printing macros.
    pub(super) fn print_macro(&mut self, name: &str, args: &[Expr], span: Span) -> CResult<()> {
        let newline = name.ends_with("ln");
        let err = name.starts_with('e');
        let (mut template, args) = self.format_args(name, args, span)?;
        if newline {
            template.push('\n');
        }
        let msg = self.cx.b.message(&template);
        self.op(Op::Print { msg, args, err })?;
        self.drop_held()
    }

    /// `format!(args)`: a new `String`.
    pub(super) fn format_macro(&mut self, args: &[Expr], span: Span) -> CResult<(Operand, Ty)> {
        let (template, args) = self.format_args("format", args, span)?;
        let msg = self.cx.b.message(&template);
        let dst = self.temp();
        self.op(Op::Format { msg, args, dst })?;
        self.drop_held()?;
        Ok((Operand::Local(dst), Ty::Str(true)))
    }

    /// `panic!(…)`, `unreachable!(…)`, `todo!()`: the thread panics with std's message.
    pub(super) fn panic_macro(&mut self, which: &str, args: &[Expr], span: Span) -> CResult<()> {
        let (template, values) = if args.is_empty() {
            (String::new(), Vec::new())
        } else {
            self.format_args(which, args, span)?
        };
        let template = match (which, template.is_empty()) {
            ("panic", true) => "explicit panic".to_string(),
            ("panic", false) => template,
            ("unreachable", true) => "internal error: entered unreachable code".to_string(),
            ("unreachable", false) => {
                format!("internal error: entered unreachable code: {template}")
            }
            (_, true) => "not yet implemented".to_string(),
            (_, false) => format!("not yet implemented: {template}"),
        };
        let msg = self.cx.b.message(&template);
        self.at(span);
        self.op(Op::Panic { msg, args: values })?;
        self.drop_held()
    }

    /// `n.to_string()` of a number (or a `bool`): `format!("{}", n)`.
    pub(super) fn number_to_string(&mut self, v: Operand, boolean: bool) -> CResult<(Operand, Ty)> {
        let msg = self.cx.b.message(if boolean { "{b}" } else { "{}" });
        let dst = self.temp();
        self.op(Op::Format {
            msg,
            args: vec![v],
            dst,
        })?;
        Ok((Operand::Local(dst), Ty::Str(true)))
    }

    /// `dbg!(e)`: prints `[src/main.rs:line:col] e = value` to standard error and is `e`.
    pub(super) fn dbg_macro(&mut self, args: &[Expr], span: Span) -> CResult<(Operand, Ty)> {
        let [e] = args else {
            self.err(
                span,
                "`dbg!` is simulated with one argument",
                "write one `dbg!(x)` per value",
            );
            return Err(());
        };
        let boolean = self.is_bool(e);
        self.printing = true;
        let r = self.typed_expr(e);
        self.printing = false;
        let (v, ty) = r?;
        let hole = match ty {
            Ty::Int if boolean => "{b}".to_string(),
            Ty::Int => "{}".to_string(),
            Ty::Str(_) => "{q}".to_string(),
            Ty::ThreadId => "{t}".to_string(),
            Ty::OptStr => "{o}".to_string(),
            // `dbg!` prints with `{:#?}`: a vector or a tuple an element a line.
            Ty::Vec(Elem::Str) => "{#V}".to_string(),
            Ty::Vec(Elem::Bool) => "{#w}".to_string(),
            Ty::Tuple(k, _) => format!("{{#{}}}", self.tuple_hole(k)),
            Ty::Sum(..) => format!("{{#@{}}}", super::sum::sig(self.cx, ty)),
            ty if printable(ty) => "{#v}".to_string(),
            _ => {
                self.err(
                    e.span(),
                    "only numbers, strings and thread ids print here yet (not handles, guards or vectors)",
                    "",
                );
                return Err(());
            }
        };
        let (line, col) = crate::diag::line_col(self.cx.src, span.start);
        let source = crate::print::expr_text(e)
            .replace('{', "{{")
            .replace('}', "}}");
        let msg = self
            .cx
            .b
            .message(&format!("[src/main.rs:{line}:{col}] {source} = {hole}\n"));
        // A `String` is moved into `dbg!` and out again: the value is the same.
        let keep = self.temp();
        self.op(Op::Set { dst: keep, src: v })?;
        self.op(Op::Print {
            msg,
            args: vec![Operand::Local(keep)],
            err: true,
        })?;
        self.drop_held()?;
        Ok((Operand::Local(keep), ty))
    }

    /// The template (holes marked by type, no newline) and the values of a format
    /// macro's arguments.
    pub(super) fn format_args(
        &mut self,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> CResult<(String, Vec<Operand>)> {
        self.printing = true;
        let r = self.format_args_inner(name, args, span);
        self.printing = false;
        r
    }

    fn format_args_inner(
        &mut self,
        name: &str,
        args: &[Expr],
        span: Span,
    ) -> CResult<(String, Vec<Operand>)> {
        let newline = name.ends_with("ln");
        let (fmt, rest) = match args {
            [] if newline => (
                format::Format {
                    template: String::new(),
                    holes: Vec::new(),
                    debug: Vec::new(),
                },
                &[][..],
            ),
            [Expr::Str(s, at), rest @ ..] => match format::parse(s) {
                Ok(f) => (f, rest),
                Err(msg) => {
                    self.err(*at, msg, "");
                    return Err(());
                }
            },
            [first, ..] => {
                self.err(
                    first.span(),
                    "format argument must be a string literal",
                    &format!("write `{name}!(\"{{}}\", value)`"),
                );
                return Err(());
            }
            [] => {
                self.err(span, format!("`{name}!` needs a format string"), "");
                return Err(());
            }
        };
        let at = args.first().map_or(span, Expr::span);
        let mut values = Vec::with_capacity(rest.len());
        let mut bools = Vec::with_capacity(rest.len());
        for e in rest {
            if let Expr::Unary {
                op: UnOp::Not,
                expr,
                ..
            } = e
            {
                if !self.is_bool(expr) {
                    self.err(
                        e.span(),
                        "`!` of an integer (its bits flipped) is not simulated yet",
                        "`!` here is the `bool` not: write `x == 0` to test for zero",
                    );
                    return Err(());
                }
            }
            bools.push(self.is_bool(e));
            // A guard prints what it guards (`MutexGuard`'s `Debug`).
            let (v, ty) = if self.guarded_vec(e).is_some() {
                self.guarded_deref(e, e.span())?
            } else {
                self.typed_expr(e)?
            };
            if !printable(ty) {
                self.err(
                    e.span(),
                    "only numbers, strings, vectors of those and thread ids print here yet (not handles or guards)",
                    "",
                );
                return Err(());
            }
            values.push((v, ty));
        }
        let mut used = vec![false; values.len()];
        let mut next = 0;
        let mut printed: Vec<(Operand, Ty)> = Vec::with_capacity(fmt.holes.len());
        let mut printed_bool: Vec<bool> = Vec::with_capacity(fmt.holes.len());
        let positional = fmt.holes.iter().filter(|h| **h == Hole::Next).count();
        if positional > values.len() {
            let n = values.len();
            self.err(
                at,
                format!(
                    "{positional} positional argument{} in format string, but there {} {n} argument{}",
                    if positional == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                    if n == 1 { "" } else { "s" }
                ),
                "",
            );
            return Err(());
        }
        for hole in &fmt.holes {
            let index = match hole {
                Hole::Next => {
                    next += 1;
                    next - 1
                }
                Hole::Index(i) => *i,
                Hole::Name(n) => {
                    let ident = ast::Ident {
                        name: n.clone(),
                        span: at,
                    };
                    let (v, ty) = self.typed_expr(&Expr::Path(vec![ident]))?;
                    if !printable(ty) {
                        self.err(
                            at,
                            format!("`{n}` is not a number, a string or a vector of those: only those print here yet"),
                            "",
                        );
                        return Err(());
                    }
                    printed.push((v, ty));
                    printed_bool.push(self.is_bool(&Expr::Path(vec![ast::Ident {
                        name: n.clone(),
                        span: at,
                    }])));
                    continue;
                }
            };
            match values.get(index) {
                Some(&v) => {
                    used[index] = true;
                    printed.push(v);
                    printed_bool.push(bools[index]);
                }
                None => {
                    self.err(
                        at,
                        format!(
                            "invalid reference to positional argument {index} (there {} {} argument{})",
                            if values.len() == 1 { "is" } else { "are" },
                            values.len(),
                            if values.len() == 1 { "" } else { "s" }
                        ),
                        "",
                    );
                    return Err(());
                }
            }
        }
        if let Some(i) = used.iter().position(|u| !u) {
            self.err(
                rest[i].span(),
                "argument never used",
                "add a `{}` for it to the format string",
            );
            return Err(());
        }
        // A string's hole becomes `{s}` (`{q}` for `{:?}`): the machine prints its text;
        // a thread id's `{t}` (it has `{:?}` only: rustc's E0277 for `{}`).
        let mut kinds: Vec<Option<String>> = Vec::with_capacity(printed.len());
        // A `bool`'s hole is `{b}`: `true` or `false`.
        for (((_, ty), &debug), &boolean) in printed.iter().zip(&fmt.debug).zip(&printed_bool) {
            let k = |c: char| Some(c.to_string());
            kinds.push(match ty {
                Ty::Int if boolean => k('b'),
                Ty::Str(_) => k(if debug { 'q' } else { 's' }),
                Ty::ThreadId if debug => k('t'),
                Ty::OptStr if debug => k('o'),
                Ty::Vec(Elem::Str) if debug => k('V'),
                Ty::Vec(Elem::Bool) if debug => k('w'),
                Ty::Vec(_) if debug => k('v'),
                Ty::Tuple(t, _) if debug => Some(self.tuple_hole(*t)),
                Ty::Sum(..) if debug => Some(format!("@{}", super::sum::sig(self.cx, *ty))),
                Ty::ThreadId | Ty::OptStr | Ty::Vec(_) | Ty::Tuple(..) | Ty::Sum(..) => {
                    let name = match *ty {
                        Ty::ThreadId => "ThreadId".to_string(),
                        Ty::OptStr => "Option<&str>".to_string(),
                        ty => super::heap::type_name(ty, self.cx),
                    };
                    self.err_code(
                        "E0277",
                        at,
                        format!("`{name}` doesn't implement `std::fmt::Display`"),
                        "print it with `{:?}`",
                    );
                    return Err(());
                }
                _ => None,
            });
        }
        let template = string_holes(&fmt.template, &kinds);
        Ok((template, printed.into_iter().map(|(v, _)| v).collect()))
    }
}
