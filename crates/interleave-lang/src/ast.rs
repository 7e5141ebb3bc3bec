//! The scenario's syntax tree. Spans point back into the source for diagnostics and for
//! highlighting the running statement.

use crate::diag::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Static(Static),
    Fn(FnDecl),
    /// `use std::thread;`: kept as written (its path, spaced canonically) so the formatter
    /// and the Rust view give it back; the simulator's names are built in.
    Use {
        path: String,
        span: Span,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticKind {
    /// `const N: usize = 3;`: a number known when the program is built (no memory).
    Const,
    /// `static X: usize = 0;` — plain shared memory.
    Plain,
    /// `static X: AtomicUsize = AtomicUsize::new(0);`
    Atomic,
    /// `static X: Mutex<i64> = Mutex::new(0);`
    Mutex,
    /// `static CV: Condvar = Condvar::new();`
    Condvar,
    /// `static INIT: Once = Once::new();` or `static CELL: OnceLock<u64> = OnceLock::new();`
    Once,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Static {
    pub name: Ident,
    pub kind: StaticKind,
    /// The type as written (`usize`, `AtomicUsize`, `Mutex<i64>`), for the Rust view.
    pub ty: String,
    pub init: i64,
    /// Declared `static mut` (plain statics are simulated as unsynchronised memory either
    /// way; the keyword is kept as written).
    pub mutable: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FnDecl {
    pub name: Ident,
    pub params: Vec<Ident>,
    /// Each parameter's type as written (`i64`, `&AtomicU32`), and whether it was
    /// declared `mut`.
    pub param_types: Vec<(String, bool)>,
    /// The return type after `->`, if any.
    pub ret: Option<String>,
    pub is_async: bool,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
    /// `unsafe { … }` (needed in Rust to touch a `static mut`); runs as any block.
    pub is_unsafe: bool,
}

/// The variant an `if let` / `while let` pattern names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ctor {
    Ok,
    Err,
    Some,
}

impl Ctor {
    pub fn name(self) -> &'static str {
        match self {
            Ctor::Ok => "Ok",
            Ctor::Err => "Err",
            Ctor::Some => "Some",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Pat {
    Ident {
        name: Ident,
        mutable: bool,
    },
    Wild(Span),
    Tuple(Vec<Pat>),
    /// `&x`: what a reference points to (`for &x in v`); values are copied either way.
    Ref(Box<Pat>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Let {
        pat: Pat,
        /// The type written after `:`, if any (`Vec<usize>`).
        ty: Option<String>,
        init: Expr,
        span: Span,
    },
    /// `place = value` or `place op= value`.
    Assign {
        place: Expr,
        op: Option<BinOp>,
        value: Expr,
        span: Span,
    },
    Expr {
        expr: Expr,
        span: Span,
    },
    If {
        cond: Expr,
        then: Block,
        els: Option<Box<Stmt>>,
        span: Span,
    },
    /// `if let Ok(mut g) = M.try_lock() { … } else { … }` (or `Err(p)`, `Some(p)`).
    IfLetOk {
        ctor: Ctor,
        pat: Pat,
        value: Expr,
        then: Block,
        els: Option<Box<Stmt>>,
        span: Span,
    },
    While {
        cond: Expr,
        body: Block,
        span: Span,
    },
    /// `while let Ok(v) = rx.recv() { … }` (or `Err(p)`, `Some(p)`).
    WhileLetOk {
        ctor: Ctor,
        pat: Pat,
        value: Expr,
        body: Block,
        span: Span,
    },
    Loop {
        body: Block,
        span: Span,
    },
    /// `for i in a..b`, `for v in rx`, `for v in rx.iter()`.
    For {
        pat: Pat,
        iter: Expr,
        body: Block,
        span: Span,
    },
    /// `const N: usize = 3;` inside a function.
    Const(Static),
    Break(Span),
    Continue(Span),
    /// `return;` or `return value;`.
    Return(Span, Option<Box<Expr>>),
    Block(Block),
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Let { span, .. }
            | Stmt::Assign { span, .. }
            | Stmt::Expr { span, .. }
            | Stmt::If { span, .. }
            | Stmt::IfLetOk { span, .. }
            | Stmt::While { span, .. }
            | Stmt::WhileLetOk { span, .. }
            | Stmt::Loop { span, .. }
            | Stmt::For { span, .. } => *span,
            Stmt::Break(s) | Stmt::Continue(s) | Stmt::Return(s, _) => *s,
            Stmt::Const(c) => c.span,
            Stmt::Block(b) => b.span,
        }
    }
}

/// Binary operators are the simulator's own: the compiler passes them through.
pub use interleave_core::program::BinOp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    /// `*g`: through a mutex guard.
    Deref,
    /// `&x` (`&mut x` when set): a borrow. Kept so the code prints as written; the
    /// compiler reads through it (the value is the same).
    Ref(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Int(i64, Span),
    Bool(bool, Span),
    Str(String, Span),
    /// A name or a path (`x`, `COUNTER`, `thread::spawn`, `Ordering::SeqCst`).
    Path(Vec<Ident>),
    Unary {
        op: UnOp,
        expr: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        span: Span,
    },
    /// `f(args)` or `macro!(args)` (`bang`).
    Call {
        callee: Vec<Ident>,
        bang: bool,
        args: Vec<Expr>,
        span: Span,
    },
    Method {
        recv: Box<Expr>,
        name: Ident,
        args: Vec<Expr>,
        span: Span,
    },
    Closure {
        is_move: bool,
        /// `|s|`: the parameters' names (only `thread::scope` passes one).
        params: Vec<Ident>,
        body: Box<Block>,
        span: Span,
    },
    Await {
        expr: Box<Expr>,
        span: Span,
    },
    /// `async { … }` / `async move { … }`: parsed so it can be refused by name.
    Async {
        is_move: bool,
        body: Box<Block>,
        span: Span,
    },
    Range {
        start: Box<Expr>,
        end: Box<Expr>,
        inclusive: bool,
        span: Span,
    },
    /// `(a, b)`: only as a `let` pattern's value in practice.
    Tuple(Vec<Expr>, Span),
    /// `[a, b, c]`: an array (simulated as a vector).
    Array(Vec<Expr>, Span),
    /// `match scrutinee { pat => body, … }`.
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<Arm>,
        span: Span,
    },
    /// `if c { a } else { b }` used as a value (a `Stmt::If` or `Stmt::IfLetOk`): after
    /// `=`, as an argument, or as a block's last statement with an `else`.
    If(Box<Stmt>),
    /// `e as T`: an integer conversion.
    Cast {
        expr: Box<Expr>,
        ty: String,
        span: Span,
    },
    /// `t.0`: a field of a tuple, by its position.
    Field {
        base: Box<Expr>,
        index: u32,
        span: Span,
    },
    /// `e?`: the value inside an `Option`'s `Some` or a `Result`'s `Ok`, or return early.
    Try {
        expr: Box<Expr>,
        span: Span,
    },
    /// `v[i]`: an element of a vector.
    Index {
        base: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
}

/// A pattern of a `match` arm.
#[derive(Clone, Debug, PartialEq)]
pub enum MatchPat {
    /// `Ok(p)` of a `Result`.
    Ok(Pat),
    /// `Err(p)`.
    Err(Pat),
    /// `Err(TryRecvError::Empty)`: one kind of error, by its path.
    ErrKind(Vec<Ident>),
    /// `Some(p)` of an `Option`.
    Some(Pat),
    /// `None`.
    None(Span),
    /// `1`, `2 | 3`: numbers.
    Ints(Vec<i64>),
    /// `1..=5`.
    Range(i64, i64),
    /// `_`.
    Wild(Span),
    /// `n`: any value, bound to a name.
    Bind(Ident),
}

/// One arm of a `match`: its pattern and its body (an expression is kept as a block of
/// one statement; `is_block` when it was written `{ … }`).
#[derive(Clone, Debug, PartialEq)]
pub struct Arm {
    pub pat: MatchPat,
    /// `if cond` after the pattern: the arm is taken only where it holds.
    pub guard: Option<Expr>,
    pub body: Block,
    pub is_block: bool,
    pub span: Span,
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Int(_, s) | Expr::Bool(_, s) | Expr::Str(_, s) | Expr::Tuple(_, s) => *s,
            Expr::Path(p) => p.first().map_or(Span::default(), |f| {
                f.span.to(p.last().map_or(f.span, |l| l.span))
            }),
            Expr::Unary { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Call { span, .. }
            | Expr::Method { span, .. }
            | Expr::Closure { span, .. }
            | Expr::Await { span, .. }
            | Expr::Async { span, .. }
            | Expr::Cast { span, .. }
            | Expr::Index { span, .. }
            | Expr::Try { span, .. }
            | Expr::Array(_, span)
            | Expr::Field { span, .. }
            | Expr::Match { span, .. }
            | Expr::Range { span, .. } => *span,
            Expr::If(s) => s.span(),
        }
    }
}

/// Whether the statement `expr` (spanning `stmt`) was written with no `;` after it: the
/// source between the two ends holds none (a closing parenthesis, say, may stand there).
pub fn no_semicolon(src: &str, expr: &Expr, stmt: Span) -> bool {
    src.get(expr.span().end..stmt.end)
        .is_some_and(|rest| !rest.contains(';'))
}

/// The block's tail expression: its last statement, an expression with no `;` after it.
pub fn tail<'b>(src: &str, b: &'b Block) -> Option<&'b Expr> {
    match b.stmts.last() {
        Some(Stmt::Expr { expr, span }) if no_semicolon(src, expr, *span) => match expr {
            // Statements that happen to end a block, not values a thread returns.
            Expr::Closure { .. } | Expr::Await { .. } | Expr::Async { .. } | Expr::Range { .. } => {
                None
            }
            Expr::Tuple(items, _) if items.is_empty() => None,
            e => Some(e),
        },
        _ => None,
    }
}
