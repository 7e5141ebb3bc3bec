//! Integer types: values are 64-bit, and where a value's type is written (`let x: u8`, a
//! parameter, a return type, a `static`, a `Mutex<u32>`, an atomic, `as u16`) or known
//! (`v.len()` is a `usize`), arithmetic on it panics when the result leaves the type's
//! range, with rustc's message, as a debug build (`cargo run`) does: `Op::BinFit`. Where
//! no type is written (`let x = 5;`), the value is an `i64` here (rustc would infer
//! `i32` or the type of a later use), which this says in docs/language.md.

use super::*;
use interleave_core::program::IntTy;

/// The integer type written `t`, if it is one other than `i64` / `isize` (whose range is
/// the machine's own).
pub(super) fn int_ty(t: &str) -> Option<IntTy> {
    let t = t.trim().trim_start_matches('&');
    let (signed, bits) = match t {
        "usize" => (false, 64),
        "isize" | "i64" => return None,
        "bool" => return None,
        _ => {
            let signed = t.starts_with('i');
            if !signed && !t.starts_with('u') {
                return None;
            }
            let bits: u8 = t[1..].parse().ok()?;
            if ![8, 16, 32, 64].contains(&bits) {
                return None;
            }
            (signed, bits)
        }
    };
    Some(IntTy { bits, signed })
}

/// The integer type an atomic's type names (`AtomicU32` holds a `u32`).
fn atomic_int(t: &str) -> Option<IntTy> {
    let inner = t.strip_prefix("Atomic")?.to_ascii_lowercase();
    int_ty(&inner)
}

/// The name Rust gives `t`, for messages.
pub(super) fn int_name(t: IntTy) -> String {
    match (t.signed, t.bits) {
        (false, 64) => "u64".into(),
        (s, b) => format!("{}{b}", if s { 'i' } else { 'u' }),
    }
}

fn arithmetic(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
    )
}

impl FnCx<'_, '_> {
    /// The integer type of `e` where it is written or known (see the module's header).
    pub(super) fn int_of(&self, e: &Expr) -> Option<IntTy> {
        match e {
            Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name) {
                Some(v) => v.int,
                None => self.static_int(&p[0].name),
            },
            Expr::Cast { ty, .. } => int_ty(ty),
            Expr::Binary { op, lhs, rhs, .. } if arithmetic(*op) => {
                self.int_of(lhs).or_else(|| self.int_of(rhs))
            }
            Expr::Unary {
                op: UnOp::Neg | UnOp::Ref(_),
                expr,
                ..
            } => self.int_of(expr),
            Expr::Unary {
                op: UnOp::Deref,
                expr,
                ..
            } => match expr.as_ref() {
                Expr::Path(p) if p.len() == 1 => match self.lookup(&p[0].name).map(|v| v.ty) {
                    Some(Ty::Guard(m, _)) => self.mutex_int(m),
                    Some(_) => self.lookup(&p[0].name).and_then(|v| v.int),
                    None => None,
                },
                _ => None,
            },
            Expr::Method { name, recv, .. } => match name.name.as_str() {
                "len" | "count" => int_ty("usize"),
                "load" | "fetch_add" | "fetch_sub" | "swap" => match recv.as_ref() {
                    Expr::Path(p) if p.len() == 1 && self.lookup(&p[0].name).is_none() => {
                        self.static_int(&p[0].name)
                    }
                    _ => None,
                },
                _ => None,
            },
            Expr::Call {
                callee,
                bang: false,
                ..
            } if callee.len() == 1 => {
                let ret = self.user_fn(&callee[0].name)?.0.ret.as_deref()?;
                int_ty(ret)
            }
            _ => None,
        }
    }

    /// The integer type of a `static`, an atomic or a mutex declared at the top level.
    fn static_int(&self, name: &str) -> Option<IntTy> {
        self.cx
            .static_ints
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, t)| t)
    }

    /// The integer type a mutex holds (`Mutex<u32>`).
    pub(super) fn mutex_int(&self, m: MutexId) -> Option<IntTy> {
        let (_, t) = self.cx.mutex_types.iter().find(|(x, _)| *x == m)?;
        int_ty(t)
    }

    /// `dst = a op b` where the result's type is `fit` (none: an `i64`).
    pub(super) fn arith(
        &mut self,
        dst: Local,
        op: BinOp,
        a: Operand,
        b: Operand,
        fit: Option<IntTy>,
    ) -> CResult<()> {
        match fit.filter(|_| arithmetic(op)) {
            Some(fit) => self.op(Op::BinFit { dst, op, a, b, fit }),
            None => self.op(Op::Bin { dst, op, a, b }),
        }
    }

    /// `let x: T = 300;`: rustc refuses a literal out of `T`'s range (a lint that is an
    /// error by default).
    /// Compiling goes on after it (the name is bound), so later errors are found too.
    pub(super) fn check_literal(&mut self, written: &str, init: &Expr) {
        let literal = match init {
            Expr::Int(v, span) => Some((*v, *span)),
            Expr::Unary {
                op: UnOp::Neg,
                expr,
                span,
            } => match expr.as_ref() {
                Expr::Int(v, _) => Some((v.saturating_neg(), *span)),
                _ => None,
            },
            _ => None,
        };
        let (Some(t), Some((v, span))) = (int_ty(written), literal) else {
            return;
        };
        if t.fits(v) {
            return;
        }
        let name = int_name(t);
        self.err(
            span,
            format!("literal out of range for `{name}`"),
            &format!(
                "{} `{name}` holds {}",
                if t.signed { "an" } else { "a" },
                range_words(t)
            ),
        );
    }
}

fn range_words(t: IntTy) -> String {
    if t.signed {
        let half = 1i128 << (t.bits - 1);
        format!("{} to {}", -half, half - 1)
    } else {
        format!("0 to {}", (1i128 << t.bits) - 1)
    }
}

/// The integer type a `static` of type `t` holds: a plain one, an atomic, a mutex's.
pub(super) fn static_int_ty(t: &str) -> Option<IntTy> {
    if let Some(inner) = t
        .strip_prefix("Mutex<")
        .or_else(|| t.strip_prefix("RwLock<"))
        .and_then(|s| s.strip_suffix('>'))
    {
        return int_ty(inner);
    }
    atomic_int(t).or_else(|| int_ty(t))
}
