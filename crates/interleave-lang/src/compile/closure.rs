//! A spawned closure's body, with the value it returns: a tail expression (no `;` before
//! the closing brace, or a closure written `|| expr`) is what `h.join().unwrap()` gives
//! the joiner, as `JoinHandle<T>` does.

use super::{CResult, FnCx, Ret, Ty};
use crate::ast::{tail, Block, FnDecl};
use interleave_core::program::{Local, Op, Operand};

impl FnCx<'_, '_> {
    /// Compiles a spawned closure's body; a tail expression becomes the thread's result.
    pub(super) fn closure_body(&mut self, body: &Block) -> CResult<Ret> {
        let mut ret = Ret::Unit;
        self.body_with_tail(body, |fc, v, ty, boolean| {
            ret = match ty {
                Ty::Int if boolean => Ret::Bool,
                Ty::Int => Ret::Int,
                Ty::Str(_) => Ret::Str,
                Ty::Tuple(k, c) => Ret::Tuple(k, c),
                ty => {
                    let value = body.stmts.last().map_or(body.span, |s| s.span());
                    fc.err(
                        value,
                        format!(
                            "a thread that returns a `{}` is not simulated yet",
                            super::heap::type_name(ty, fc.cx)
                        ),
                        "a thread may return a number, a `bool` or a `String`; share the rest through a channel or an `Arc<Mutex<…>>`",
                    );
                    return Err(());
                }
            };
            fc.op(Op::ThreadResult { src: v })
        })?;
        Ok(ret)
    }

    /// A function's body; with `value`, its tail expression is the function's value.
    pub(super) fn fn_body(&mut self, body: &Block, value: Option<(Local, Ty)>) -> CResult<()> {
        match value {
            Some((dst, want)) => self.body_with_tail(body, |fc, v, ty, _| {
                let at = body.stmts.last().map_or(body.span, |s| s.span());
                fc.expect_ty(ty, want, at)?;
                fc.op(Op::Set { dst, src: v })
            }),
            None => self.block(body),
        }
    }

    /// The local for the value of a function declared `-> T`, and `T`, if it returns
    /// one; a return type that is not simulated is refused here.
    pub(super) fn returns(&mut self, decl: &FnDecl) -> Option<(Local, Ty)> {
        let written = decl.ret.as_deref()?;
        let ty = match self.written_part(written) {
            Some(super::sum::Part::Val(t, _)) => t,
            Some(super::sum::Part::Unit) => return None,
            _ => {
                self.err(
                    decl.name.span,
                    format!("a function that returns `{written}` is not simulated yet"),
                    "functions may return numbers, `bool`s, strings, tuples, and `Option`s and `Result`s of those (an `Err` holding one of them or `()`: std's error types are not simulated as values)",
                );
                Ty::Int
            }
        };
        Some((self.temp(), ty))
    }

    /// `body`, whose tail expression's value (if a number) goes to `sink`.
    pub(super) fn body_with_int_tail(
        &mut self,
        body: &Block,
        sink: impl FnOnce(&mut Self, Operand) -> CResult<()>,
    ) -> CResult<()> {
        self.body_with_tail(body, |fc, v, ty, _| match ty {
            Ty::Int => sink(fc, v),
            _ => Ok(()),
        })
    }

    /// `body`, whose tail expression's value goes to `sink` with its type and whether it
    /// is a `bool`.
    pub(super) fn body_with_tail(
        &mut self,
        body: &Block,
        sink: impl FnOnce(&mut Self, Operand, Ty, bool) -> CResult<()>,
    ) -> CResult<()> {
        let Some(value) = tail(self.cx.src, body) else {
            return self.block(body);
        };
        // The statements before it, in the body's scope; then the value, before the
        // guards of that scope are dropped at the closing brace.
        let head = &body.stmts[..body.stmts.len() - 1];
        self.block_with(body, head, |fc| {
            fc.at(value.span());
            let boolean = fc.is_bool(value);
            let (v, ty) = fc.typed_expr(value)?;
            sink(fc, v, ty, boolean)
        })
    }
}
