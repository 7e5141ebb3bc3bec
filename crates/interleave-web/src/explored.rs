//! What the explorer's worker answered, as the page keeps it: the verdict and the histogram
//! of outcomes, each with its witness (the steps to replay, as text). Pure and
//! native-tested; `explorer.rs` fills it from the worker's messages.

/// How an outcome ends, as the worker names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Ok,
    Deadlock,
    Panic,
    NeverEnds,
}

impl End {
    pub fn from_key(k: &str) -> Option<End> {
        Some(match k {
            "ok" => End::Ok,
            "deadlock" => End::Deadlock,
            "panic" => End::Panic,
            "never-ends" => End::NeverEnds,
            _ => return None,
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            End::Ok => "ok",
            End::Deadlock => "deadlock",
            End::Panic => "panic",
            End::NeverEnds => "never-ends",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            End::Ok => "finishes",
            End::Deadlock => "deadlocks",
            End::Panic => "panics",
            End::NeverEnds => "never ends",
        }
    }
}

/// One bar of the histogram.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub end: End,
    /// Final values in words: numbers, or a guarded vector's elements (`[1, 2]`).
    pub values: Vec<(String, String)>,
    pub message: Option<String>,
    /// What it printed (standard output and error, in order).
    pub output: String,
    /// Executions reaching it.
    pub count: f64,
    pub preemptions: u32,
    pub minimal: bool,
    /// Its witness as the text `run --schedule` takes (read into steps only when it is
    /// followed: a thousand outcomes with long witnesses would be megabytes of steps).
    pub schedule: String,
}

impl Row {
    /// "COUNTER = 4 · panics": the values, then how it ends.
    pub fn label(&self) -> String {
        let values: Vec<String> = self
            .values
            .iter()
            .map(|(n, v)| format!("{n} = {v}"))
            .collect();
        if values.is_empty() {
            self.end.words().to_string()
        } else {
            format!("{} · {}", values.join(", "), self.end.words())
        }
    }

    /// What a correct program does: it ends, with no panic.
    pub fn expected(&self) -> bool {
        self.end == End::Ok && self.message.is_none()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Explored {
    pub complete: bool,
    /// What stopped it, when it is incomplete.
    pub bound: Option<String>,
    pub executions: f64,
    pub states: f64,
    /// What std allows the program that the explorer does not explore (spurious
    /// wake-ups), in words; empty when nothing.
    pub caveats: String,
    /// Most executions first.
    pub rows: Vec<Row>,
}

impl Explored {
    /// The share of executions reaching `row`, 0..=1.
    pub fn share(&self, row: &Row) -> f64 {
        if self.executions > 0.0 {
            row.count / self.executions
        } else {
            0.0
        }
    }

    /// The verdict in one sentence.
    pub fn verdict(&self) -> String {
        let n = self.rows.len();
        let kinds = if n == 1 {
            "1 outcome".to_string()
        } else {
            format!("{n} outcomes")
        };
        if self.complete {
            format!(
                "Every schedule, on any number of cores: {kinds} ({} executions, {} distinct states).",
                big(self.executions),
                big(self.states)
            )
        } else {
            format!(
                "Not every schedule: the search stopped at {} after {} states. {kinds} found so far; others may exist.",
                self.bound.as_deref().unwrap_or("a bound"),
                big(self.states)
            )
        }
    }
}

/// 1234567 → "1,234,567"; past a billion, "1.2 × 10¹²".
pub fn big(x: f64) -> String {
    if x >= 1e12 {
        let exp = x.log10().floor() as i32;
        let mant = x / 10f64.powi(exp);
        let sup: String = exp
            .to_string()
            .chars()
            .map(|c| {
                "⁰¹²³⁴⁵⁶⁷⁸⁹"
                    .chars()
                    .nth(c as usize - '0' as usize)
                    .unwrap_or(c)
            })
            .collect();
        return format!("{mant:.1} × 10{sup}");
    }
    let digits = format!("{}", x.round() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(end: End, v: i64, count: f64) -> Row {
        Row {
            end,
            values: vec![("COUNTER".into(), v.to_string())],
            message: None,
            output: String::new(),
            count,
            preemptions: 1,
            minimal: true,
            schedule: String::new(),
        }
    }

    #[test]
    fn rows_say_their_values_and_how_they_end() {
        assert_eq!(row(End::Panic, 4, 1.0).label(), "COUNTER = 4 · panics");
        assert!(row(End::Ok, 6, 1.0).expected());
        assert!(!row(End::Deadlock, 0, 1.0).expected());
        let e = Explored {
            complete: true,
            bound: None,
            executions: 40.0,
            states: 572.0,
            caveats: String::new(),
            rows: vec![row(End::Panic, 4, 30.0), row(End::Ok, 6, 10.0)],
        };
        assert_eq!(e.share(&e.rows[1]), 0.25);
        assert_eq!(
            e.verdict(),
            "Every schedule, on any number of cores: 2 outcomes (40 executions, 572 distinct states)."
        );
    }

    #[test]
    fn big_numbers_are_grouped_or_powers() {
        assert_eq!(big(1234567.0), "1,234,567");
        assert_eq!(big(0.0), "0");
        assert_eq!(big(14_663_548_800_000.0), "1.5 × 10¹³");
        for k in ["ok", "deadlock", "panic", "never-ends"] {
            assert_eq!(End::from_key(k).unwrap().key(), k);
        }
    }
}
