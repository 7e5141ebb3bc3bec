//! One printer, two outputs: the formatter (a scenario printed back in a canonical layout,
//! comments kept) and the Rust view (the same program as real Rust on std, with a small
//! prelude for the simulator's built-ins).
//!
//! Formatting is idempotent and keeps meaning: `format(format(s)) == format(s)`, and the
//! formatted scenario compiles to the same program (tested on every preset).

use crate::ast::*;
use crate::diag::Diagnostic;
use crate::parser::parse;
use std::fmt::Write;

pub(crate) mod rust;
pub use rust::{rust_view, Refusal, RustView};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Scenario,
    Rust,
}

/// A `//` comment in the source: where it starts, and whether code precedes it on its line.
#[derive(Clone, Debug)]
struct Comment {
    pos: usize,
    text: String,
    trailing: bool,
}

/// Every `//` comment outside string literals.
fn comments(src: &str) -> Vec<Comment> {
    let b = src.as_bytes();
    let (mut i, mut out, mut in_str, mut code_on_line) = (0, Vec::new(), false, false);
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => {
                in_str = !in_str;
                code_on_line = true;
            }
            b'\n' => code_on_line = false,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                out.push(Comment {
                    pos: i,
                    text: src[i..end].trim_end().to_string(),
                    trailing: code_on_line,
                });
                i = end;
                continue;
            }
            c if !c.is_ascii_whitespace() => code_on_line = true,
            _ => {}
        }
        i += 1;
    }
    out
}

struct Printer<'a> {
    mode: Mode,
    out: String,
    indent: usize,
    comments: &'a [Comment],
    next_comment: usize,
    src: &'a str,
    uses: Uses,
    /// Atomic statics: their methods get an explicit `Ordering` in the Rust view.
    atomic_names: Vec<String>,
}

/// What the Rust view needs from std and from the prelude.
#[derive(Default)]
struct Uses {
    thread: bool,
    mpsc: bool,
    mutex: bool,
    condvar: bool,
    rwlock: bool,
    /// `Once` / `OnceLock` statics, by their type's name.
    onces: Vec<&'static str>,
    atomics: Vec<String>,
    ordering: bool,
    work: bool,
    sleep: bool,
    blocking_io: bool,
    rt: bool,
    duration: bool,
    /// A form of the scenario language was translated (an implicit ordering).
    dialect: bool,
    /// Names called bare that the scenario language builds in (`spawn`, `channel`,
    /// `work`…): real Rust only where a `use` line imports them.
    bare: Vec<&'static str>,
}

fn prec(op: BinOp) -> u8 {
    match op {
        BinOp::Or => 1,
        BinOp::And => 2,
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 3,
        BinOp::Add | BinOp::Sub => 4,
        BinOp::Mul | BinOp::Div | BinOp::Rem => 5,
    }
}

fn op_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::Rem => "%",
        BinOp::Eq => "==",
        BinOp::Ne => "!=",
        BinOp::Lt => "<",
        BinOp::Le => "<=",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::And => "&&",
        BinOp::Or => "||",
    }
}

fn path(p: &[Ident]) -> String {
    p.iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

/// The turbofish written right after `end` in `src` (`::<i32>`, nested `<>` balanced), if
/// any: the parser skips it, and the printer keeps it as written.
fn turbofish(src: &str, end: usize) -> Option<&str> {
    let rest = src.get(end..)?;
    let start = rest.len() - rest.trim_start().len();
    let t = rest[start..].strip_prefix("::")?;
    let lead = rest.len() - t.len();
    let t2 = t.trim_start();
    if !t2.starts_with('<') {
        return None;
    }
    let open = lead + (t.len() - t2.len());
    let mut depth = 0;
    for (i, c) in rest[open..].char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&rest[start..open + i + 1]);
                }
            }
            _ => {}
        }
    }
    None
}

impl Printer<'_> {
    /// A call's path as written, with any turbofish (`mpsc::channel::<i32>`).
    fn callee_path(&self, p: &[Ident]) -> String {
        let mut out = String::new();
        for (k, i) in p.iter().enumerate() {
            if k > 0 {
                out.push_str("::");
            }
            out.push_str(&i.name);
            if let Some(t) = turbofish(self.src, i.span.end) {
                out.push_str(&t.split_whitespace().collect::<String>());
            }
        }
        out
    }

    fn line_of(&self, pos: usize) -> usize {
        self.src[..pos.min(self.src.len())].matches('\n').count()
    }

    fn pad(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    /// Own-line comments that come before `pos`.
    fn leading(&mut self, pos: usize) {
        if self.mode == Mode::Rust {
            return;
        }
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.pos >= pos {
                break;
            }
            self.pad();
            self.out.push_str(&c.text);
            self.out.push('\n');
            self.next_comment += 1;
        }
    }

    /// A comment after code on the line where `end` is.
    fn trailing(&mut self, end: usize) {
        if self.mode == Mode::Rust {
            return;
        }
        let line = self.line_of(end);
        while let Some(c) = self.comments.get(self.next_comment) {
            // Only code-free space between this code's end and the comment.
            let adjacent = c.pos >= end && self.src[end..c.pos].trim().is_empty();
            if !(c.trailing && adjacent && self.line_of(c.pos) == line) {
                break;
            }
            self.out.push_str("  ");
            self.out.push_str(&c.text);
            self.next_comment += 1;
        }
    }

    fn scenario(&mut self, s: &Scenario) {
        let mut first = true;
        let mut prev_use = false;
        for item in &s.items {
            let is_use = matches!(item, Item::Use { .. });
            // The Rust view writes the `use` lines in its head (see `rust_view`).
            if is_use && self.mode == Mode::Rust {
                continue;
            }
            // A blank line between items, none between consecutive `use` lines.
            let same_group = is_use && prev_use;
            if !(first || same_group) {
                self.out.push('\n');
            }
            first = false;
            prev_use = is_use;
            match item {
                Item::Static(st) => {
                    self.leading(st.span.start);
                    self.static_item(st);
                    self.trailing(st.span.end);
                    self.out.push('\n');
                }
                Item::Fn(f) => {
                    self.leading(f.span.start);
                    self.fn_item(f);
                    self.out.push('\n');
                }
                Item::Use { path, span } => {
                    self.leading(span.start);
                    let _ = write!(self.out, "use {path};");
                    self.trailing(span.end);
                    self.out.push('\n');
                }
            }
        }
        self.leading(usize::MAX);
    }

    fn static_item(&mut self, st: &Static) {
        // A `bool`'s value is kept as 1/0, and written `true`/`false`.
        let value = match (st.ty.as_str(), st.init) {
            ("bool" | "AtomicBool" | "Mutex<bool>" | "RwLock<bool>", 0) => "false".to_string(),
            ("bool" | "AtomicBool" | "Mutex<bool>" | "RwLock<bool>", 1) => "true".to_string(),
            _ => st.init.to_string(),
        };
        let init = match st.kind {
            StaticKind::Plain | StaticKind::Const => value,
            StaticKind::Atomic => {
                if self.mode == Mode::Rust && !self.uses.atomics.contains(&st.ty) {
                    self.uses.atomics.push(st.ty.clone());
                }
                format!("{}::new({value})", st.ty)
            }
            StaticKind::Mutex if st.ty.starts_with("RwLock") => {
                self.uses.rwlock = true;
                format!("RwLock::new({value})")
            }
            StaticKind::Mutex => {
                self.uses.mutex = true;
                format!("Mutex::new({value})")
            }
            StaticKind::Condvar => {
                self.uses.condvar = true;
                "Condvar::new()".to_string()
            }
            StaticKind::Once => {
                let ty = if st.ty == "Once" { "Once" } else { "OnceLock" };
                if !self.uses.onces.contains(&ty) {
                    self.uses.onces.push(ty);
                }
                format!("{ty}::new()")
            }
        };
        let kw = match (st.kind, st.mutable) {
            (StaticKind::Const, _) => "const",
            (_, true) => "static mut",
            _ => "static",
        };
        let _ = write!(self.out, "{kw} {}: {} = {init};", st.name.name, st.ty);
    }

    fn fn_item(&mut self, f: &FnDecl) {
        let params: Vec<String> = f
            .params
            .iter()
            .zip(&f.param_types)
            .map(|(p, (ty, m))| format!("{}{}: {ty}", if *m { "mut " } else { "" }, p.name))
            .collect();
        let ret = f
            .ret
            .as_ref()
            .map(|t| format!("-> {t} "))
            .unwrap_or_default();
        let _ = write!(
            self.out,
            "{}fn {}({}) {ret}",
            if f.is_async { "async " } else { "" },
            f.name.name,
            params.join(", ")
        );
        // A function that returns a value keeps its tail expression without `;`.
        self.block_returning(&f.body, f.ret.is_some());
    }

    fn block(&mut self, b: &Block) {
        self.block_returning(b, false);
    }

    /// A block; with `tail`, a last expression written without `;` stays without it (a
    /// closure's value: what `join` returns).
    fn block_returning(&mut self, b: &Block, tail: bool) {
        if b.is_unsafe {
            self.out.push_str("unsafe ");
        }
        let comment_inside = self
            .comments
            .get(self.next_comment)
            .is_some_and(|c| c.pos < b.span.end && self.mode != Mode::Rust);
        if b.stmts.is_empty() && !comment_inside {
            self.out.push_str("{}");
            return;
        }
        self.out.push_str("{\n");
        self.indent += 1;
        for (i, s) in b.stmts.iter().enumerate() {
            if i > 0 && blank_line_between(self.src, b.stmts[i - 1].span().end, s.span().start) {
                // A blank line the author left between two statements is kept, as
                // rustfmt keeps it.
                self.out.push('\n');
            }
            match s {
                Stmt::Expr { expr, span }
                    if tail
                        && i + 1 == b.stmts.len()
                        && crate::ast::no_semicolon(self.src, expr, *span) =>
                {
                    self.leading(span.start);
                    self.pad();
                    let e = self.expr(expr, 0);
                    self.out.push_str(&e);
                    self.trailing(span.end);
                    self.out.push('\n');
                }
                s => self.stmt(s),
            }
        }
        self.leading(b.span.end.saturating_sub(1));
        self.indent -= 1;
        self.pad();
        self.out.push('}');
    }

    fn pat(&self, p: &Pat) -> String {
        match p {
            Pat::Ident { name, mutable } => {
                format!("{}{}", if *mutable { "mut " } else { "" }, name.name)
            }
            Pat::Wild(_) => "_".into(),
            Pat::Ref(p) => format!("&{}", self.pat(p)),
            Pat::Tuple(ps) => format!(
                "({})",
                ps.iter()
                    .map(|p| self.pat(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        self.leading(s.span().start);
        self.pad();
        self.stmt_inline(s);
        self.trailing(s.span().end);
        self.out.push('\n');
    }

    /// A statement from the current position (no indent, no newline).
    fn stmt_inline(&mut self, s: &Stmt) {
        match s {
            Stmt::Const(c) => self.static_item(c),
            Stmt::Let { pat, ty, init, .. } => {
                let p = self.pat(pat);
                let e = self.expr(init, 0);
                let ty = ty.as_ref().map(|t| format!(": {t}")).unwrap_or_default();
                let _ = write!(self.out, "let {p}{ty} = {e};");
            }
            Stmt::Assign {
                place, op, value, ..
            } => {
                let (pl, v) = (self.expr(place, 0), self.expr(value, 0));
                let op = op.map_or("", op_text);
                let _ = write!(self.out, "{pl} {op}= {v};");
            }
            Stmt::Expr { expr, span } => {
                let e = self.expr(expr, 0);
                // A `match` statement needs no `;` (kept where it was written).
                let bare = matches!(expr, Expr::Match { .. } | Expr::If(_))
                    && crate::ast::no_semicolon(self.src, expr, *span);
                let _ = write!(self.out, "{e}{}", if bare { "" } else { ";" });
            }
            Stmt::If { .. } | Stmt::IfLetOk { .. } => self.if_chain(s, false),
            Stmt::While { cond, body, .. } => {
                let c = self.expr(cond, 0);
                let _ = write!(self.out, "while {c} ");
                self.block(body);
            }
            Stmt::WhileLetOk {
                ctor,
                pat,
                value,
                body,
                ..
            } => {
                let (p, v) = (self.pat(pat), self.expr(value, 0));
                let k = ctor.name();
                let _ = write!(self.out, "while let {k}({p}) = {v} ");
                self.block(body);
            }
            Stmt::Loop { body, .. } => {
                self.out.push_str("loop ");
                self.block(body);
            }
            Stmt::For {
                pat, iter, body, ..
            } => {
                let (p, i) = (self.pat(pat), self.expr(iter, 0));
                let _ = write!(self.out, "for {p} in {i} ");
                self.block(body);
            }
            Stmt::Break(_) => self.out.push_str("break;"),
            Stmt::Continue(_) => self.out.push_str("continue;"),
            Stmt::Return(_, None) => self.out.push_str("return;"),
            Stmt::Return(_, Some(e)) => {
                let e = self.expr(e, 0);
                let _ = write!(self.out, "return {e};");
            }
            Stmt::Block(b) => self.block(b),
        }
    }

    /// `if c { … } else if … { … } else { … }`; with `value`, each block's last
    /// expression stays without `;` (an `if` used as a value).
    fn if_chain(&mut self, s: &Stmt, value: bool) {
        let (then, els) = match s {
            Stmt::If {
                cond, then, els, ..
            } => {
                let c = self.expr(cond, 0);
                let _ = write!(self.out, "if {c} ");
                (then, els)
            }
            Stmt::IfLetOk {
                ctor,
                pat,
                value,
                then,
                els,
                ..
            } => {
                let (p, v) = (self.pat(pat), self.expr(value, 0));
                let k = ctor.name();
                let _ = write!(self.out, "if let {k}({p}) = {v} ");
                (then, els)
            }
            other => return self.stmt_inline(other),
        };
        self.block_returning(then, value);
        match els.as_deref() {
            None => {}
            Some(Stmt::Block(b)) => {
                self.out.push_str(" else ");
                self.block_returning(b, value);
            }
            Some(s) => {
                self.out.push_str(" else ");
                self.if_chain(s, value);
            }
        }
    }

    fn args(&mut self, args: &[Expr]) -> String {
        args.iter()
            .map(|a| self.expr(a, 0))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Text printed by a printer of its own, one level of `indent` deeper (a closure's
    /// or a `match`'s inside an expression), which then hands back the comments and
    /// names it used.
    fn nested(&mut self, deeper: usize, write: impl FnOnce(&mut Printer)) -> String {
        let mut sub = Printer {
            mode: self.mode,
            out: String::new(),
            indent: self.indent + deeper,
            comments: self.comments,
            next_comment: self.next_comment,
            src: self.src,
            uses: std::mem::take(&mut self.uses),
            atomic_names: std::mem::take(&mut self.atomic_names),
        };
        write(&mut sub);
        self.next_comment = sub.next_comment;
        self.uses = sub.uses;
        self.atomic_names = sub.atomic_names;
        sub.out
    }

    /// `async { … }` (`async move { … }`).
    fn async_block(&mut self, is_move: bool, body: &Block) -> String {
        self.nested(0, |sub| {
            sub.out
                .push_str(if is_move { "async move " } else { "async " });
            sub.block_returning(body, true);
        })
    }

    /// A closure's body: a block, or a single loop statement after `||`.
    fn closure(&mut self, is_move: bool, params: &[Ident], body: &Block) -> String {
        self.nested(0, |sub| {
            // As written: a closure without `move` that needed one was refused (E0373).
            let mv = if is_move { "move " } else { "" };
            let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            let _ = write!(sub.out, "{mv}|{}| ", names.join(", "));
            match body.stmts.as_slice() {
                [s @ (Stmt::For { .. } | Stmt::While { .. } | Stmt::Loop { .. })]
                    if body.span == s.span() =>
                {
                    sub.stmt_inline(s)
                }
                [Stmt::Expr { expr, span }] if body.span == *span => {
                    let e = sub.expr(expr, 0);
                    sub.out.push_str(&e);
                }
                _ => sub.block_returning(body, true),
            }
        })
    }

    /// An expression that comes first in a larger one (an operator's left side, a method's
    /// receiver): a `match` or an `if` there keeps parentheses, or, at the start of a
    /// statement, Rust would read it as a statement of its own (`match x { … } || y`).
    fn lead(&mut self, e: &Expr, min: u8) -> String {
        let text = self.expr(e, min);
        if matches!(e, Expr::Match { .. } | Expr::If(_)) {
            format!("({text})")
        } else {
            text
        }
    }

    /// `match s { arms }`, its arms one per line, indented one level more.
    fn match_expr(&mut self, scrutinee: &Expr, arms: &[Arm]) -> String {
        let s = self.expr(scrutinee, 0);
        self.nested(1, |sub| sub.match_arms(&s, arms))
    }

    fn match_arms(&mut self, s: &str, arms: &[Arm]) {
        let sub = self;
        let _ = writeln!(sub.out, "match {s} {{");
        for arm in arms {
            sub.leading(arm.span.start);
            sub.pad();
            let pat = match &arm.pat {
                MatchPat::Ok(p) => format!("Ok({})", sub.pat(p)),
                MatchPat::Err(p) => format!("Err({})", sub.pat(p)),
                MatchPat::Some(p) => format!("Some({})", sub.pat(p)),
                MatchPat::None(_) => "None".into(),
                MatchPat::ErrKind(path) => format!(
                    "Err({})",
                    path.iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join("::")
                ),
                MatchPat::Ints(v) => v.iter().map(i64::to_string).collect::<Vec<_>>().join(" | "),
                MatchPat::Range(a, b) => format!("{a}..={b}"),
                MatchPat::Wild(_) => "_".into(),
                MatchPat::Bind(n) => n.name.clone(),
            };
            let guard = match &arm.guard {
                Some(g) => format!(" if {}", sub.expr(g, 0)),
                None => String::new(),
            };
            let _ = write!(sub.out, "{pat}{guard} => ");
            match (arm.is_block, arm.body.stmts.as_slice()) {
                (false, [Stmt::Expr { expr, .. }]) => {
                    let e = sub.expr(expr, 0);
                    let _ = writeln!(sub.out, "{e},");
                }
                (false, [s]) => {
                    // `return`, `break`, an assignment: as a statement, with `,` for `;`.
                    let at = sub.out.len();
                    sub.stmt_inline(s);
                    if sub.out.ends_with(';') && sub.out.len() > at {
                        sub.out.pop();
                    }
                    sub.out.push_str(",\n");
                }
                _ => {
                    sub.block_returning(&arm.body, true);
                    sub.out.push('\n');
                }
            }
        }
        sub.indent -= 1;
        sub.pad();
        sub.out.push('}');
    }

    /// An expression; parenthesised when its precedence is below `min`.
    fn expr(&mut self, e: &Expr, min: u8) -> String {
        let rust = self.mode == Mode::Rust;
        match e {
            Expr::Int(v, _) => v.to_string(),
            Expr::Bool(b, _) => b.to_string(),
            Expr::Str(s, _) => format!("{s:?}"),
            Expr::Path(p) => {
                let text = path(p);
                if rust {
                    match text.as_str() {
                        "Ordering::SeqCst" | "Ordering::Relaxed" | "Ordering::Acquire"
                        | "Ordering::Release" | "Ordering::AcqRel" => self.uses.ordering = true,
                        _ => {}
                    }
                }
                text
            }
            Expr::Unary { op, expr, .. } => {
                let inner = self.expr(expr, 6);
                let sym = match op {
                    UnOp::Neg => "-",
                    UnOp::Not => "!",
                    UnOp::Deref => "*",
                    UnOp::Ref(false) => "&",
                    UnOp::Ref(true) => "&mut ",
                };
                // Postfix binds tighter: `(*g).f()` and `(-x).abs()` keep their parens.
                if min > 6 {
                    format!("({sym}{inner})")
                } else {
                    format!("{sym}{inner}")
                }
            }
            Expr::Binary { op, lhs, rhs, .. } => {
                let p = prec(*op);
                // Left-associative: the right operand needs parens at equal precedence;
                // comparisons do not chain in Rust, so both sides do there.
                let l_min = if p == 3 { p + 1 } else { p };
                let l = self.lead(lhs, l_min);
                let r = self.expr(rhs, p + 1);
                let text = format!("{l} {} {r}", op_text(*op));
                if p < min {
                    format!("({text})")
                } else {
                    text
                }
            }
            Expr::Range {
                start,
                end,
                inclusive,
                ..
            } => {
                let (s, t) = (self.expr(start, 1), self.expr(end, 1));
                let text = format!("{s}..{}{t}", if *inclusive { "=" } else { "" });
                if min > 0 {
                    format!("({text})")
                } else {
                    text
                }
            }
            Expr::Call {
                callee, bang, args, ..
            } => self.call(callee, *bang, args),
            Expr::Method {
                recv, name, args, ..
            } => {
                let r = self.lead(recv, 7);
                let mut a = self.args(args);
                if rust && self.atomic_method_needs_ordering(recv, &name.name, args.len()) {
                    self.uses.ordering = true;
                    self.uses.dialect = true;
                    a = if a.is_empty() {
                        "Ordering::SeqCst".into()
                    } else if name.name.starts_with("compare_exchange") {
                        format!("{a}, Ordering::SeqCst, Ordering::SeqCst")
                    } else {
                        format!("{a}, Ordering::SeqCst")
                    };
                }
                let fish = turbofish(self.src, name.span.end)
                    .map(|t| t.split_whitespace().collect::<String>())
                    .unwrap_or_default();
                format!("{r}.{}{fish}({a})", name.name)
            }
            Expr::Closure {
                is_move,
                params,
                body,
                ..
            } => {
                let text = self.closure(*is_move, params, body);
                if min > 0 {
                    format!("({text})")
                } else {
                    text
                }
            }
            Expr::Match {
                scrutinee, arms, ..
            } => self.match_expr(scrutinee, arms),
            Expr::If(s) => self.nested(0, |sub| sub.if_chain(s, true)),
            Expr::Cast { expr, ty, .. } => {
                // `x as u32 as u64` chains without parens; a binary operand needs them.
                let inner_min = if matches!(**expr, Expr::Cast { .. }) {
                    5
                } else {
                    6
                };
                let inner = self.lead(expr, inner_min);
                let text = format!("{inner} as {ty}");
                if min > 5 {
                    format!("({text})")
                } else {
                    text
                }
            }
            Expr::Await { expr, .. } => {
                let inner = self.lead(expr, 7);
                format!("{inner}.await")
            }
            Expr::Async { is_move, body, .. } => self.async_block(*is_move, body),
            Expr::Try { expr, .. } => {
                let inner = self.lead(expr, 7);
                format!("{inner}?")
            }
            Expr::Field { base, index, .. } => {
                let base = self.lead(base, 7);
                format!("{base}.{index}")
            }
            Expr::Index { base, index, .. } => {
                let base = self.lead(base, 7);
                let index = self.expr(index, 0);
                format!("{base}[{index}]")
            }
            // A tuple of one keeps its comma: `(x,)` is not `(x)`.
            Expr::Tuple(items, _) if items.len() == 1 => format!("({},)", self.args(items)),
            Expr::Tuple(items, _) => format!("({})", self.args(items)),
            Expr::Array(items, _) => format!("[{}]", self.args(items)),
        }
    }

    /// The scenario language lets atomics omit the `Ordering` (it is always SeqCst); real
    /// Rust needs it.
    fn atomic_method_needs_ordering(&self, recv: &Expr, name: &str, n: usize) -> bool {
        let Expr::Path(p) = recv else { return false };
        let is_atomic = p.len() == 1 && self.atomic_names.contains(&p[0].name);
        is_atomic
            && match name {
                "load" => n == 0,
                "store" | "fetch_add" | "fetch_sub" | "swap" => n == 1,
                "compare_exchange" | "compare_exchange_weak" => n == 2,
                _ => false,
            }
    }

    fn call(&mut self, callee: &[Ident], bang: bool, args: &[Expr]) -> String {
        let name = self.callee_path(callee);
        let bang_s = if bang { "!" } else { "" };
        if self.mode == Mode::Scenario || bang {
            let a = self.args(args);
            if bang && name == "vec" {
                return format!("vec![{a}]");
            }
            if let (true, [x, n]) = (bang && name == "vec::from_elem", args) {
                let (x, n) = (self.expr(x, 0), self.expr(n, 0));
                return format!("vec![{x}; {n}]");
            }
            return format!("{name}{bang_s}({a})");
        }
        let last = callee.last().map_or("", |i| i.name.as_str());
        let a = self.args(args);
        if callee.len() == 1 {
            let builtin = [
                "spawn",
                "channel",
                "sync_channel",
                "work",
                "sleep",
                "blocking_io",
                "spawn_task",
                "block_on",
                "io",
                "sleep_async",
            ];
            if let Some(&b) = builtin.iter().find(|&&b| b == last) {
                self.uses.bare.push(b);
            }
        }
        match (callee.len(), last) {
            (1, "spawn") => {
                self.uses.thread = true;
                format!("thread::spawn({a})")
            }
            (1, "channel" | "sync_channel") => {
                self.uses.mpsc = true;
                format!("mpsc::{last}({a})")
            }
            (1, "work") => {
                self.uses.work = true;
                format!("work({a})")
            }
            (1, "sleep") => {
                self.uses.sleep = true;
                format!("sleep({a})")
            }
            (1, "blocking_io") => {
                self.uses.blocking_io = true;
                format!("blocking_io({a})")
            }
            (1, "spawn_task" | "block_on" | "io" | "sleep_async") => {
                self.uses.rt = true;
                let f = if last == "sleep_async" { "io" } else { last };
                format!("rt::{f}({a})")
            }
            _ => {
                // A path the scenario wrote as Rust does (`thread::sleep`,
                // `Duration::from_millis`) needs its `use` line.
                match callee.first().map(|i| i.name.as_str()) {
                    Some("thread") if callee.len() > 1 => self.uses.thread = true,
                    Some("Duration") if callee.len() > 1 => self.uses.duration = true,
                    _ => {}
                }
                format!("{name}({a})")
            }
        }
    }
}

impl<'a> Printer<'a> {
    fn new(mode: Mode, src: &'a str, comments: &'a [Comment], s: &Scenario) -> Printer<'a> {
        Printer {
            mode,
            out: String::new(),
            indent: 0,
            comments,
            next_comment: 0,
            src,
            uses: Uses::default(),
            atomic_names: s
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Static(st) if st.kind == StaticKind::Atomic => Some(st.name.name.clone()),
                    _ => None,
                })
                .collect(),
        }
    }
}

/// One expression as `stringify!` writes it (`dbg!` prints it): on one line, spaced as
/// the formatter spaces it.
pub(crate) fn expr_text(e: &Expr) -> String {
    let mut p = Printer {
        mode: Mode::Rust,
        out: String::new(),
        indent: 0,
        comments: &[],
        next_comment: 0,
        src: "",
        uses: Uses::default(),
        atomic_names: Vec::new(),
    };
    p.expr(e, 0)
}

/// Formats a scenario. Parse errors are returned instead (nothing is lost: the caller keeps
/// the text).
pub fn format(src: &str) -> Result<String, Vec<Diagnostic>> {
    let (scenario, diags) = parse(src);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let comments = comments(src);
    let mut p = Printer::new(Mode::Scenario, src, &comments, &scenario);
    p.scenario(&scenario);
    let limit = crate::parser::MAX_SOURCE_BYTES;
    if p.out.len() > limit {
        // Formatted, it could no longer be read back: keep the text as it is.
        return Err(vec![Diagnostic::error(
            crate::diag::Span::new(0, 0),
            format!(
                "formatted, this scenario would be {} bytes, over the {limit}-byte limit: it is left as it is",
                p.out.len()
            ),
        )]);
    }
    Ok(p.out)
}

/// Whether the source between two statements (`from`..`to`) holds a line with nothing on it.
fn blank_line_between(src: &str, from: usize, to: usize) -> bool {
    let Some(gap) = src.get(from..to) else {
        return false;
    };
    let lines: Vec<&str> = gap.split('\n').collect();
    lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}
