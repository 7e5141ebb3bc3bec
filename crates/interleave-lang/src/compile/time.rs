//! Durations: `Duration::from_secs(s)`, `from_millis`, `from_micros`, `from_nanos` become
//! ticks by one scale, [`Scale`] (1 ms is 1 tick unless the user sets another), so
//! `from_secs(1)` is 1,000 times `from_millis(1)`. A duration shorter than a tick rounds up
//! to one: a real `sleep` may sleep longer than asked, never shorter. A bare number is
//! ticks (the dialect's `sleep(3)`).

use super::{CResult, FnCx};
use crate::ast::Expr;
use interleave_core::program::{BinOp, Op, Operand};

/// How long one tick of a `Duration` is, in nanoseconds: one of [`Scale::ALL`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale(u64);

impl Default for Scale {
    /// 1 ms a tick.
    fn default() -> Self {
        Scale(1_000_000)
    }
}

impl Scale {
    /// The scales a user may choose, finest first: 1 µs to 1 s a tick.
    pub const ALL: [Scale; 7] = [
        Scale(1_000),
        Scale(10_000),
        Scale(100_000),
        Scale(1_000_000),
        Scale(10_000_000),
        Scale(100_000_000),
        Scale(1_000_000_000),
    ];

    /// Nanoseconds in a tick.
    pub fn nanos(self) -> u64 {
        self.0
    }

    /// The scale of `nanos` a tick, if it is one of [`Scale::ALL`].
    pub fn from_nanos(nanos: u64) -> Option<Scale> {
        Scale::ALL.into_iter().find(|s| s.0 == nanos)
    }

    /// "1 ms", "100 µs", "1 s": how long a tick is, in words.
    pub fn words(self) -> String {
        let (n, unit) = match self.0 {
            n if n >= 1_000_000_000 => (n / 1_000_000_000, "s"),
            n if n >= 1_000_000 => (n / 1_000_000, "ms"),
            n => (n / 1_000, "µs"),
        };
        format!("{n} {unit}")
    }

    /// Reads "1ms", "100us", "100µs", "10 ms", "1s" (what `words` writes, spaces and
    /// `us` allowed).
    pub fn parse(text: &str) -> Option<Scale> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let split = t.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = t.split_at(split);
        let n: u64 = n.parse().ok()?;
        let per = match unit {
            "s" => 1_000_000_000,
            "ms" => 1_000_000,
            "us" | "µs" => 1_000,
            _ => return None,
        };
        Scale::from_nanos(n.checked_mul(per)?)
    }
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl FnCx<'_, '_> {
    /// The ticks `e` stands for, as a duration argument (`sleep`, `work`, I/O).
    pub(super) fn duration_ticks(&mut self, e: &Expr) -> CResult<Operand> {
        let Expr::Call {
            callee, args, span, ..
        } = e
        else {
            return self.expr(e);
        };
        let names: Vec<&str> = callee.iter().map(|c| c.name.as_str()).collect();
        match names.as_slice() {
            ["Duration", _] => self.check_imported(callee)?,
            // Written in full, no `use` is needed.
            ["std", "time", "Duration", _] => {}
            _ => return self.expr(e),
        }
        let unit = names[names.len() - 1];
        let unit_nanos: u64 = match unit {
            "from_secs" => 1_000_000_000,
            "from_millis" => 1_000_000,
            "from_micros" => 1_000,
            "from_nanos" => 1,
            _ => {
                self.err(
                    *span,
                    format!("`Duration::{unit}` is not simulated yet"),
                    "use `Duration::from_secs`, `from_millis`, `from_micros` or `from_nanos` with a whole number",
                );
                return Err(());
            }
        };
        // Ticks per unit as a fraction in lowest terms: (multiply, divide, rounding up).
        let tick = self.cx.scale.nanos();
        let g = gcd(unit_nanos, tick);
        let (mul, div) = ((unit_nanos / g) as i64, (tick / g) as i64);
        let [n] = args.as_slice() else {
            self.err(*span, format!("`Duration::{unit}` takes one number"), "");
            return Err(());
        };
        let n = self.expr(n)?;
        if let Operand::Imm(v) = n {
            return Ok(Operand::Imm(
                v.saturating_mul(mul).saturating_add(div - 1) / div,
            ));
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

#[cfg(test)]
mod tests {
    use super::Scale;

    #[test]
    fn scales_read_what_they_write_and_only_those() {
        for s in Scale::ALL {
            assert_eq!(Scale::parse(&s.words()), Some(s), "{}", s.words());
        }
        assert_eq!(Scale::parse("100us"), Scale::from_nanos(100_000));
        assert_eq!(Scale::default().words(), "1 ms");
        for bad in ["", "ms", "3ms", "1 min", "0s", "99999999999999999999s"] {
            assert_eq!(Scale::parse(bad), None, "{bad}");
        }
    }
}
