//! Recursive-descent parser with recovery: an error inside a statement is reported and the
//! parser skips to the next `;` or `}` and goes on, so one pass reports several errors.
//! Nesting is bounded, so no input can overflow the stack.

use crate::ast::*;
use crate::diag::{Diagnostic, Span};
use crate::lexer::{lex, Tok, Token};

mod closure;
mod expr;
mod items;
use items::const_int;
mod matches;
mod types;

/// Deeper nesting than this is an error (it also bounds the parser's recursion).
pub const MAX_NESTING: u32 = 40;
/// Most operators (`+`, `as`, …) one expression may chain, counted along the tree the
/// chain makes (each one is a level every later pass walks through recursively): with
/// the nesting limit, this keeps every pass within even wasm's 1 MiB stack.
pub const MAX_CHAIN: u32 = 1_000;
/// Larger sources are refused before lexing.
pub const MAX_SOURCE_BYTES: usize = 200_000;

/// Parses a scenario. The tree is returned even when there are errors (best effort).
pub fn parse(src: &str) -> (Scenario, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if src.len() > MAX_SOURCE_BYTES {
        diags.push(
            Diagnostic::error(
                Span::new(0, 0),
                format!(
                    "the scenario is {} bytes; the limit is {MAX_SOURCE_BYTES}",
                    src.len()
                ),
            )
            .hint("scenarios are small programs: split the lesson into several"),
        );
        return (Scenario { items: Vec::new() }, diags);
    }
    let toks = lex(src, &mut diags);
    let mut p = Parser {
        toks,
        pos: 0,
        diags,
        depth: 0,
        chain: 0,
    };
    let scenario = p.scenario();
    let mut diags = p.diags;
    crate::diag::cap(&mut diags);
    (scenario, diags)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    diags: Vec<Diagnostic>,
    depth: u32,
    /// Operators chained so far on the way to the expression being parsed (see
    /// `MAX_CHAIN`).
    chain: u32,
}

/// The error was reported; the caller recovers.
struct Reported;
type PResult<T> = Result<T, Reported>;

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Int(v) => format!("`{v}`"),
        Tok::Str(_) => "a string".into(),
        Tok::Life(l) => format!("`'{l}`"),
        Tok::P(p) => format!("`{p}`"),
        Tok::Eof => "the end of the scenario".into(),
    }
}

/// Whether `s` is an `if` whose chain of `else if`s ends in an `else { … }`.
fn ends_in_else(s: &Stmt) -> bool {
    match s {
        Stmt::If { els, .. } | Stmt::IfLetOk { els, .. } => match els.as_deref() {
            Some(Stmt::Block(_)) => true,
            Some(e) => ends_in_else(e),
            None => false,
        },
        _ => false,
    }
}

const KEYWORDS: &[&str] = &[
    "fn", "let", "if", "else", "while", "loop", "for", "in", "break", "continue", "return",
    "static", "async", "move", "mut", "true", "false", "use", "await", "as", "unsafe",
];

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].tok
    }

    /// The token `n` after the next (the last, `Eof`, past the end).
    fn peek_at(&self, n: usize) -> &Tok {
        let last = self.toks.len() - 1;
        &self.toks[(self.pos + n).min(last)].tok
    }

    fn span(&self) -> Span {
        self.toks[self.pos].span
    }

    fn prev_span(&self) -> Span {
        self.toks[self.pos.saturating_sub(1)].span
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn is(&self, p: &str) -> bool {
        matches!(self.peek(), Tok::P(q) if *q == p)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }

    fn eat(&mut self, p: &str) -> bool {
        if self.is(p) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.is_kw(kw) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn error(&mut self, span: Span, msg: impl Into<String>, hint: Option<&str>) -> Reported {
        let mut d = Diagnostic::error(span, msg);
        if let Some(h) = hint {
            d = d.hint(h);
        }
        self.diags.push(d);
        Reported
    }

    fn expect(&mut self, p: &str, hint: Option<&str>) -> PResult<Span> {
        if self.is(p) {
            return Ok(self.bump().span);
        }
        let found = describe(self.peek());
        // Point just after the previous token for a missing `;` or `)`.
        let span = if matches!(p, ";" | ")" | "}") {
            Span::new(self.prev_span().end, self.prev_span().end + 1)
        } else {
            self.span()
        };
        Err(self.error(span, format!("expected `{p}`, found {found}"), hint))
    }

    /// A statement's closing `;`. When it is missing but the next token starts a new line,
    /// report it and go on as if it were there: the next line is parsed, not skipped.
    fn semi(&mut self) -> PResult<()> {
        if self.eat(";") {
            return Ok(());
        }
        let at_line_start = self.toks[self.pos].line_start;
        let r = self.expect(";", Some("statements end with `;`"));
        if at_line_start {
            return Ok(());
        }
        r.map(|_| ())
    }

    fn ident(&mut self, what: &str) -> PResult<Ident> {
        match self.peek().clone() {
            Tok::Ident(name) if !KEYWORDS.contains(&name.as_str()) => {
                let span = self.bump().span;
                Ok(Ident { name, span })
            }
            t => {
                let span = self.span();
                Err(self.error(
                    span,
                    format!("expected {what}, found {}", describe(&t)),
                    None,
                ))
            }
        }
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let span = self.span();
            return Err(self.error(
                span,
                format!("nesting deeper than {MAX_NESTING} levels"),
                Some("flatten the code: move inner parts into functions"),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---- items -----------------------------------------------------------------------

    fn scenario(&mut self) -> Scenario {
        let mut items = Vec::new();
        while *self.peek() != Tok::Eof {
            let before = self.pos;
            match self.item() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {}
                Err(Reported) => {
                    self.depth = 0;
                    self.chain = 0;
                    self.skip_to_item(before);
                }
            }
        }
        Scenario { items }
    }

    /// After an error at item level: skip to the next `fn`, `static` or `async` at depth 0.
    fn skip_to_item(&mut self, before: usize) {
        if self.pos == before {
            self.bump();
        }
        let mut depth = 0i32;
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::P("{") => depth += 1,
                Tok::P("}") => depth -= 1,
                Tok::Ident(k) if depth <= 0 && (k == "fn" || k == "static" || k == "async") => {
                    return
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn item(&mut self) -> PResult<Option<Item>> {
        // Attributes: lints (`#[allow(…)]`) change nothing here; any other is refused
        // with its name, and the item after it is still read.
        while self.is("#") {
            let start = self.bump().span;
            self.expect("[", None)?;
            let from = self.pos;
            let mut depth = 1;
            while depth > 0 && *self.peek() != Tok::Eof {
                match self.bump().tok {
                    Tok::P("[") => depth += 1,
                    Tok::P("]") => depth -= 1,
                    _ => {}
                }
            }
            let text = crate::lexer::spaced(&self.toks[from..self.pos.saturating_sub(1)]);
            let lint = ["allow", "warn", "deny", "expect", "inline"]
                .iter()
                .any(|l| text.starts_with(l));
            if !lint {
                let hint = if text.contains("tokio") {
                    "an async runtime's `main` is not simulated; write the async work as `async fn`s, start them with `spawn_task(f())` and wait with `block_on(t)`"
                } else {
                    "remove it: the simulator reads plain functions and statics"
                };
                let span = start.to(self.prev_span());
                self.error(
                    span,
                    format!("the attribute `#[{text}]` is not simulated yet"),
                    Some(hint),
                );
            }
        }
        if self.is_kw("use") {
            // `use std::sync::Mutex;` and the like: names are built in; the line is kept.
            let start = self.bump().span;
            let from = self.pos;
            let mut depth = 0i32;
            while !self.is(";") && *self.peek() != Tok::Eof {
                // A path: names, `::`, `{ … }` groups, `,`, `*` — nothing else.
                match self.peek() {
                    Tok::Ident(_) | Tok::P("::" | "," | "*") => {}
                    Tok::P("{") => depth += 1,
                    Tok::P("}") if depth > 0 => {
                        depth -= 1;
                        if depth == 0 && !matches!(self.peek_at(1), Tok::P(";")) {
                            let span = self.toks[self.pos + 1].span;
                            return Err(self.error(
                                span,
                                "expected `;` after the `use` group",
                                Some("`use std::sync::{Arc, Mutex};`"),
                            ));
                        }
                    }
                    t => {
                        let (found, span) = (describe(t), self.span());
                        return Err(self.error(
                            span,
                            format!("expected a path in `use`, found {found}"),
                            Some("`use std::sync::{Arc, Mutex};`"),
                        ));
                    }
                }
                self.bump();
            }
            if depth > 0 {
                let span = self.span();
                return Err(self.error(span, "expected `}` to close the `use` group", None));
            }
            let path = crate::lexer::spaced(&self.toks[from..self.pos]);
            self.expect(";", None)?;
            let span = start.to(self.prev_span());
            return Ok(Some(Item::Use { path, span }));
        }
        if self.is_kw("static") || self.is_kw("const") {
            return self.static_item().map(|s| Some(Item::Static(s)));
        }
        let start = self.span();
        let is_async = self.eat_kw("async");
        if self.eat_kw("fn") {
            return self.fn_item(start, is_async).map(|f| Some(Item::Fn(f)));
        }
        let found = describe(self.peek());
        let span = self.span();
        Err(self.error(
            span,
            format!("expected `fn` or `static`, found {found}"),
            Some("a scenario is a list of `static` declarations and `fn`s, with a `fn main()`"),
        ))
    }

    /// A type as text: a path with optional generics and `&`.
    fn fn_item(&mut self, start: Span, is_async: bool) -> PResult<FnDecl> {
        let name = self.ident("a function name")?;
        self.expect("(", None)?;
        let (mut params, mut param_types) = (Vec::new(), Vec::new());
        while !self.is(")") {
            let mutable = self.eat_kw("mut");
            params.push(self.ident("a parameter name")?);
            self.expect(":", Some("parameters need a type, e.g. `id: i64`"))?;
            param_types.push((self.type_text()?, mutable));
            if !self.eat(",") {
                break;
            }
        }
        self.expect(")", None)?;
        let ret = if self.eat("->") {
            Some(self.type_text()?)
        } else {
            None
        };
        let body = self.block()?;
        Ok(FnDecl {
            name,
            params,
            param_types,
            ret,
            is_async,
            span: start.to(body.span),
            body,
        })
    }

    // ---- statements ------------------------------------------------------------------

    fn block(&mut self) -> PResult<Block> {
        self.enter()?;
        let open = self.expect("{", None)?;
        let mut stmts = Vec::new();
        while !self.is("}") && *self.peek() != Tok::Eof {
            let (before, depth, chain) = (self.pos, self.depth, self.chain);
            match self.stmt() {
                Ok(Some(s)) => stmts.push(s),
                Ok(None) => {}
                Err(Reported) => {
                    // The error may have left nested levels open: back to this block's.
                    self.depth = depth;
                    self.chain = chain;
                    self.skip_stmt(before);
                }
            }
        }
        let close = self.expect("}", Some("every `{` needs a matching `}`"))?;
        self.leave();
        Ok(Block {
            is_unsafe: false,
            stmts,
            span: open.to(close),
        })
    }

    /// After an error in a statement: skip past the next `;` at this level, or to the `}`
    /// that closes the block.
    fn skip_stmt(&mut self, before: usize) {
        if self.pos == before && !self.is("}") {
            self.bump();
        }
        let mut depth = 0i32;
        loop {
            match self.peek() {
                Tok::Eof => return,
                Tok::P("{") => depth += 1,
                Tok::P("}") if depth == 0 => return,
                Tok::P("}") => {
                    depth -= 1;
                    if depth == 0 {
                        self.bump();
                        return;
                    }
                }
                Tok::P(";") if depth == 0 => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            self.bump();
        }
    }

    fn stmt(&mut self) -> PResult<Option<Stmt>> {
        let start = self.span();
        if self.eat(";") {
            return Ok(None);
        }
        if self.is_kw("const") {
            return Ok(Some(Stmt::Const(self.static_item()?)));
        }
        if self.eat_kw("let") {
            let pat = self.pat()?;
            let ty = if self.eat(":") {
                Some(self.type_text()?)
            } else {
                None
            };
            self.expect("=", Some("`let` needs a value: `let x = 0;`"))?;
            let init = self.expr()?;
            self.semi()?;
            return Ok(Some(Stmt::Let {
                pat,
                ty,
                init,
                span: start.to(self.prev_span()),
            }));
        }
        if self.is_kw("if")
            || self.is_kw("while")
            || self.is_kw("loop")
            || self.is_kw("for")
            || self.is_kw("unsafe")
            || self.is("{")
        {
            let s = self.block_like()?;
            if !self.eat(";") && self.is("}") && ends_in_else(&s) {
                // The block's last statement, an `if` with an `else`: its value is the
                // block's (`fn max(a: i32, b: i32) -> i32 { if a > b { a } else { b } }`).
                let span = s.span();
                return Ok(Some(Stmt::Expr {
                    expr: Expr::If(Box::new(s)),
                    span,
                }));
            }
            return Ok(Some(s));
        }
        for kw in ["break", "continue", "return"] {
            if self.eat_kw(kw) {
                let value = if kw == "return" && !self.is(";") && !self.is("}") {
                    Some(Box::new(self.expr()?))
                } else {
                    None
                };
                if !self.is("}") {
                    self.semi()?;
                }
                // Through its `;`, so a comment after it stays on its line when formatted.
                let span = start.to(self.prev_span());
                return Ok(Some(match kw {
                    "break" => Stmt::Break(span),
                    "continue" => Stmt::Continue(span),
                    _ => Stmt::Return(span, value),
                }));
            }
        }
        if self.is_kw("match") {
            // A `match` statement ends at its `}`, as in Rust: what follows is the next
            // statement (`match x { … }` then `(|| 1);` is not a call of the `match`).
            let expr = self.match_expr()?;
            self.eat(";");
            return Ok(Some(Stmt::Expr {
                expr,
                span: start.to(self.prev_span()),
            }));
        }
        let expr = self.expr()?;
        if let Some(op) = self.assign_op() {
            self.bump();
            let value = self.expr()?;
            self.semi()?;
            return Ok(Some(Stmt::Assign {
                place: expr,
                op,
                value,
                span: start.to(self.prev_span()),
            }));
        }
        if matches!(expr, Expr::Match { .. }) {
            // Block-like: the `;` after it is optional.
            self.eat(";");
        } else if !self.is("}") {
            self.semi()?;
        }
        Ok(Some(Stmt::Expr {
            expr,
            span: start.to(self.prev_span()),
        }))
    }

    /// An assignment operator next: `=` (`Some(None)`), `+=` (`Some(Some(Add))`), ….
    fn assign_op(&self) -> Option<Option<BinOp>> {
        Some(match self.peek() {
            Tok::P("=") => None,
            Tok::P("+=") => Some(BinOp::Add),
            Tok::P("-=") => Some(BinOp::Sub),
            Tok::P("*=") => Some(BinOp::Mul),
            Tok::P("/=") => Some(BinOp::Div),
            Tok::P("%=") => Some(BinOp::Rem),
            _ => return None,
        })
    }

    /// `if`, `while`, `loop`, `for` or a block.
    fn block_like(&mut self) -> PResult<Stmt> {
        let start = self.span();
        let s = if self.is("{") {
            Stmt::Block(self.block()?)
        } else if self.eat_kw("unsafe") {
            let mut b = self.block()?;
            b.is_unsafe = true;
            Stmt::Block(b)
        } else if self.eat_kw("if") {
            self.if_rest(start)?
        } else if self.eat_kw("while") {
            if self.eat_kw("let") {
                let (ctor, pat, value) = self.let_ok()?;
                let body = self.block()?;
                Stmt::WhileLetOk {
                    ctor,
                    pat,
                    value,
                    span: start.to(body.span),
                    body,
                }
            } else {
                let cond = self.expr()?;
                let body = self.block()?;
                Stmt::While {
                    cond,
                    span: start.to(body.span),
                    body,
                }
            }
        } else if self.eat_kw("loop") {
            let body = self.block()?;
            Stmt::Loop {
                span: start.to(body.span),
                body,
            }
        } else {
            self.bump(); // for
            let pat = self.pat()?;
            if !self.eat_kw("in") {
                let span = self.span();
                return Err(self.error(
                    span,
                    "expected `in`",
                    Some("`for i in 0..3 { … }` or `for v in rx { … }`"),
                ));
            }
            let iter = self.expr()?;
            let body = self.block()?;
            Stmt::For {
                pat,
                iter,
                span: start.to(body.span),
                body,
            }
        };
        Ok(s)
    }

    /// After `if`: the condition (or `let Ok(p) = e`), the block, and any `else`.
    fn if_rest(&mut self, start: Span) -> PResult<Stmt> {
        let is_let = self.eat_kw("let");
        let (head, then) = if is_let {
            let (ctor, pat, value) = self.let_ok()?;
            (Err((ctor, pat, value)), self.block()?)
        } else {
            (Ok(self.expr()?), self.block()?)
        };
        let els = if self.eat_kw("else") {
            let s = self.span();
            if self.eat_kw("if") {
                self.enter()?;
                let r = self.if_rest(s)?;
                self.leave();
                Some(Box::new(r))
            } else {
                Some(Box::new(Stmt::Block(self.block()?)))
            }
        } else {
            None
        };
        let span = start.to(self.prev_span());
        Ok(match head {
            Ok(cond) => Stmt::If {
                cond,
                then,
                els,
                span,
            },
            Err((ctor, pat, value)) => Stmt::IfLetOk {
                ctor,
                pat,
                value,
                then,
                els,
                span,
            },
        })
    }

    /// `Ok(pat) = expr` or `Some(pat) = expr` (after `if let` / `while let`), and
    /// whether it was `Some`.
    fn let_ok(&mut self) -> PResult<(Ctor, Pat, Expr)> {
        let id = self.ident("`Ok(…)`")?;
        let ctor = match id.name.as_str() {
            "Ok" => Ctor::Ok,
            "Err" => Ctor::Err,
            _ => Ctor::Some,
        };
        if !matches!(id.name.as_str(), "Ok" | "Err" | "Some") {
            return Err(self.error(
                id.span,
                format!("`{}(…)` patterns are not supported", id.name),
                Some("write `if let Ok(mut g) = M.try_lock()`, `while let Ok(v) = rx.recv()` or `if let Some(v) = opt`"),
            ));
        }
        self.expect("(", None)?;
        let pat = self.pat()?;
        self.expect(")", None)?;
        self.expect("=", None)?;
        let value = self.expr()?;
        Ok((ctor, pat, value))
    }

    fn pat(&mut self) -> PResult<Pat> {
        self.enter()?;
        let p = if self.is("(") {
            self.bump();
            let mut parts = Vec::new();
            while !self.is(")") {
                parts.push(self.pat()?);
                if !self.eat(",") {
                    break;
                }
            }
            self.expect(")", None)?;
            Pat::Tuple(parts)
        } else if self.eat("&") {
            Pat::Ref(Box::new(self.pat()?))
        } else if matches!(self.peek(), Tok::Ident(s) if s == "_") {
            Pat::Wild(self.bump().span)
        } else {
            let mutable = self.eat_kw("mut");
            Pat::Ident {
                name: self.ident("a variable name")?,
                mutable,
            }
        };
        self.leave();
        Ok(p)
    }
}
