//! Tuples: `(a, b)` of numbers, `bool`s, strings and tuples, `t.0`, and `let (a, b) = t;`
//! (also in `for (a, b) in …` and a channel's `recv`). A tuple is an immutable vector
//! (see the core's `machine/vec.rs`) holding its parts, and its value is that vector's
//! number: sent on a channel, returned by a thread or kept in a `Vec`, it is read, never
//! changed, so any thread may read it. Its type is interned in `Cx::tuples`.

use super::*;

impl FnCx<'_, '_> {
    /// The tuple type of `parts` (`bools` marks the `bool` parts).
    pub(super) fn tuple_type(&mut self, parts: Vec<Ty>, bools: Vec<bool>) -> CResult<Ty> {
        let copy = parts.iter().all(|&t| ownership::is_copy(t));
        let found = self
            .cx
            .tuples
            .iter()
            .position(|(p, b)| *p == parts && *b == bools);
        let k = match found {
            Some(k) => k,
            None => {
                self.cx.tuples.push((parts, bools));
                self.cx.tuples.len() - 1
            }
        };
        let k = u16::try_from(k).map_err(|_| ())?;
        Ok(Ty::Tuple(k, copy))
    }

    /// A part's type and whether it is a `bool`.
    pub(super) fn tuple_part(&self, k: u16, i: usize) -> Option<(Ty, bool)> {
        let (parts, bools) = &self.cx.tuples[k as usize];
        Some((*parts.get(i)?, bools[i]))
    }

    /// `(a, b, …)`: a new tuple.
    pub(super) fn tuple(&mut self, items: &[Expr], span: Span) -> CResult<(Operand, Ty)> {
        if items.is_empty() {
            self.err(span, "`()` is not simulated as a value here", "");
            return Err(());
        }
        let mut parts = Vec::with_capacity(items.len());
        let mut bools = Vec::with_capacity(items.len());
        let mut values = Vec::with_capacity(items.len());
        for e in items {
            let boolean = self.is_bool(e);
            let (v, ty) = self.typed_expr(e)?;
            if !matches!(ty, Ty::Int | Ty::Str(_) | Ty::Tuple(..)) {
                self.err(
                    e.span(),
                    format!(
                        "a tuple holding a `{}` is not simulated yet",
                        heap::type_name(ty, self.cx)
                    ),
                    "tuples hold numbers, `bool`s, strings and tuples",
                );
                return Err(());
            }
            if !ownership::is_copy(ty) {
                // A `String` (or a tuple holding one) moves into the tuple.
                self.mark_moved(e, e.span());
            }
            parts.push(ty);
            bools.push(boolean && ty == Ty::Int);
            values.push(v);
        }
        let ty = self.tuple_type(parts, bools)?;
        let dst = self.temp();
        self.at(span);
        self.op(Op::VecNew { dst })?;
        for v in values {
            self.op(Op::VecPush {
                vec: Operand::Local(dst),
                src: v,
            })?;
        }
        Ok((Operand::Local(dst), ty))
    }

    /// `t.i`: a part of a tuple.
    pub(super) fn field(&mut self, base: &Expr, index: u32, span: Span) -> CResult<(Operand, Ty)> {
        let (t, ty) = self.typed_expr(base)?;
        let part = match ty {
            Ty::Tuple(k, _) => self.tuple_part(k, index as usize),
            _ => None,
        };
        let Some((part, _)) = part else {
            self.err_code(
                "E0609",
                span,
                format!(
                    "no field `{index}` on type `{}`",
                    heap::type_name(ty, self.cx)
                ),
                "fields are simulated on tuples only (`t.0`)",
            );
            return Err(());
        };
        let dst = self.temp();
        self.op(Op::VecGet {
            vec: t,
            index: Operand::Imm(i64::from(index)),
            dst,
        })?;
        Ok((Operand::Local(dst), part))
    }

    /// Whether `e` is a `bool` part of a tuple (`t.1`).
    pub(super) fn is_bool_field(&self, base: &Expr, index: u32) -> bool {
        let Expr::Path(p) = base else { return false };
        match self.lookup(&p[0].name).map(|v| v.ty) {
            Some(Ty::Tuple(k, _)) if p.len() == 1 => {
                self.tuple_part(k, index as usize).is_some_and(|(_, b)| b)
            }
            _ => false,
        }
    }

    /// `let (a, b) = t;` for any tuple value `t`.
    pub(super) fn let_tuple(&mut self, pat: &Pat, init: &Expr) -> CResult<()> {
        let (v, ty) = self.typed_expr(init)?;
        if !ownership::is_copy(ty) {
            self.mark_moved(init, init.span());
        }
        let l = self.temp();
        self.op(Op::Set { dst: l, src: v })?;
        self.bind_pat(pat, l, ty)
    }

    /// Binds the parts of the tuple in `local` (of type `ty`) to the patterns `parts`.
    pub(super) fn bind_tuple(&mut self, parts: &[Pat], local: Local, ty: Ty) -> CResult<()> {
        let Ty::Tuple(k, _) = ty else {
            let what = heap::type_name(ty, self.cx);
            let at = parts.first().map(pat_span).unwrap_or_default();
            self.err_code(
                "E0308",
                at,
                format!("mismatched types: expected `{what}`, found a tuple"),
                "a tuple pattern takes a tuple apart",
            );
            return Err(());
        };
        let n = self.cx.tuples[k as usize].0.len();
        if parts.len() != n {
            let at = parts.first().map(pat_span).unwrap_or_default();
            self.err_code(
                "E0308",
                at,
                format!(
                    "mismatched types: expected a tuple with {n} elements, found one with {} elements",
                    parts.len()
                ),
                "",
            );
            return Err(());
        }
        for (i, p) in parts.iter().enumerate() {
            let (part, boolean) = self.tuple_part(k, i).expect("counted");
            let dst = self.temp();
            self.op(Op::VecGet {
                vec: Operand::Local(local),
                index: Operand::Imm(i as i64),
                dst,
            })?;
            self.bind_pat(p, dst, part)?;
            if let (true, Pat::Ident { name, .. }) = (boolean, p) {
                if let Some(var) = self.lookup_mut(&name.name) {
                    var.boolean = true;
                }
            }
        }
        Ok(())
    }

    /// The format hole of a tuple of type `k` (see [`hole`]).
    pub(super) fn tuple_hole(&self, k: u16) -> String {
        hole(self.cx, k)
    }
}

/// The format hole of a tuple of type `k` as `{:?}` prints it: `(` then a letter a part
/// (`d` a number, `b` a `bool`, `q` a string, a nested tuple in parentheses) then `)`.
pub(super) fn hole(cx: &Cx, k: u16) -> String {
    let (parts, bools) = &cx.tuples[k as usize];
    let mut out = String::from("(");
    for (&t, &b) in parts.iter().zip(bools) {
        match t {
            Ty::Tuple(j, _) => out.push_str(&hole(cx, j)),
            Ty::Str(_) => out.push('q'),
            _ if b => out.push('b'),
            _ => out.push('d'),
        }
    }
    out.push(')');
    out
}

pub(super) fn pat_span(p: &Pat) -> Span {
    match p {
        Pat::Ident { name, .. } => name.span,
        Pat::Wild(s) => *s,
        Pat::Ref(p) => pat_span(p),
        Pat::Tuple(parts) => parts.first().map(pat_span).unwrap_or_default(),
    }
}
