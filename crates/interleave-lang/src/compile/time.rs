//! Durations: `Duration::from_secs(s)`, `from_millis`, `from_micros`, `from_nanos` become
//! ticks by one scale, `TICKS_PER_MS` (1 ms is 1 tick), so `from_secs(1)` is 1,000 times
//! `from_millis(1)`. A duration shorter than a tick rounds up to one: a real `sleep` may
//! sleep longer than asked, never shorter. A bare number is ticks (the dialect's
//! `sleep(3)`).

use super::{CResult, FnCx};
use crate::ast::Expr;
use interleave_core::program::{BinOp, Op, Operand};

/// Ticks in one millisecond of a `Duration`.
pub const TICKS_PER_MS: i64 = 1;

impl FnCx<'_, '_> {
    /// The ticks `e` stands for, as a duration argument (`sleep`, `work`, I/O).
    pub(super) fn duration_ticks(&mut self, e: &Expr) -> CResult<Operand> {
        let Expr::Call {
            callee, args, span, ..
        } = e
        else {
            return self.expr(e);
        };
        if callee.first().map(|c| c.name.as_str()) != Some("Duration") || callee.len() != 2 {
            return self.expr(e);
        }
        self.check_imported(callee)?;
        let unit = callee[1].name.as_str();
        // Ticks per unit as a fraction: (multiply, divide, rounding up).
        let (mul, div) = match unit {
            "from_secs" => (1000 * TICKS_PER_MS, 1),
            "from_millis" => (TICKS_PER_MS, 1),
            "from_micros" => (TICKS_PER_MS, 1000),
            "from_nanos" => (TICKS_PER_MS, 1_000_000),
            _ => {
                self.err(
                    *span,
                    format!("`Duration::{unit}` is not simulated yet"),
                    "use `Duration::from_secs`, `from_millis`, `from_micros` or `from_nanos` with a whole number",
                );
                return Err(());
            }
        };
        let [n] = args.as_slice() else {
            self.err(*span, format!("`Duration::{unit}` takes one number"), "");
            return Err(());
        };
        let n = self.expr(n)?;
        if let Operand::Imm(v) = n {
            return Ok(Operand::Imm((v.saturating_mul(mul) + div - 1) / div));
        }
        let t = self.temp();
        self.op(Op::Bin {
            dst: t,
            op: BinOp::Mul,
            a: n,
            b: Operand::Imm(mul),
        })?;
        if div > 1 {
            self.op(Op::Bin {
                dst: t,
                op: BinOp::Add,
                a: Operand::Local(t),
                b: Operand::Imm(div - 1),
            })?;
            self.op(Op::Bin {
                dst: t,
                op: BinOp::Div,
                a: Operand::Local(t),
                b: Operand::Imm(div),
            })?;
        }
        Ok(Operand::Local(t))
    }
}
