//! Printing: `println!`, `print!`, `eprintln!`, `eprint!`. What a thread prints goes to
//! one stream shared by all threads (as a terminal shows standard output and error), in
//! the order of the prints; each piece keeps who printed it and when, for the page.
//!
//! Conflict rule: every print writes the output (two prints in the other order print
//! something else).

use super::access::{Accesses, Object};
use super::*;

/// One print: its text (with the newline of `println!`), by whom, when.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Printed {
    pub thread: ThreadId,
    pub tick: u64,
    pub text: String,
    /// Standard error (`eprintln!`) rather than output.
    pub err: bool,
}

/// `template` with each `{}` replaced by the next value and each `{s}` by the text it
/// numbers (`text`, see `text`; `{{` and `}}` are braces).
pub fn format<'a>(
    template: &str,
    values: &[Value],
    text: impl Fn(Value) -> Option<&'a str>,
) -> String {
    let mut out = String::with_capacity(template.len() + 8 * values.len());
    let mut next = values.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('{', Some('{')) | ('}', Some('}')) => {
                chars.next();
                out.push(c);
            }
            ('{', Some('}')) => {
                chars.next();
                if let Some(v) = next.next() {
                    out.push_str(&v.to_string());
                }
            }
            ('{', Some('o')) => {
                // `{o}`: an `Option<&str>` as `{:?}` prints it (-1 is `None`).
                chars.next();
                chars.next();
                if let Some(&v) = next.next() {
                    match (v >= 0).then(|| text(v)).flatten() {
                        Some(text) => out.push_str(&std::format!("Some({text:?})")),
                        None => out.push_str("None"),
                    }
                }
            }
            ('{', Some('b')) => {
                // `{b}`: a `bool` (0 is `false`).
                chars.next();
                chars.next();
                if let Some(&v) = next.next() {
                    out.push_str(if v != 0 { "true" } else { "false" });
                }
            }
            ('{', Some('t')) => {
                // `{t}`: a `ThreadId` as `{:?}` prints it.
                chars.next();
                chars.next();
                if let Some(v) = next.next() {
                    out.push_str(&std::format!("ThreadId({v})"));
                }
            }
            ('{', Some(&k @ ('s' | 'q'))) => {
                // `{s}`: a string, its value the number of one of the program's texts;
                // `{q}` the same as `{:?}` prints it (quoted, escaped).
                chars.next();
                chars.next();
                if let Some(&v) = next.next() {
                    let text = text(v).unwrap_or("?");
                    if k == 'q' {
                        out.push_str(&std::format!("{text:?}"));
                    } else {
                        out.push_str(text);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

impl Machine {
    /// Prints, or ends the run at the output limit.
    pub(super) fn print(&mut self, t: ThreadId, core: u16, op: &Op, sink: &mut impl Sink) -> Flow {
        let Op::Print { msg, ref args, err } = *op else {
            unreachable!("called for a print")
        };
        let values: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
        let text = format(&self.program.messages[msg as usize], &values, |v| {
            self.text(v)
        });
        // Each print counts at least one byte: `print!("")` in a loop is bounded too.
        let cost = text.len().max(1);
        if self.output_bytes + cost > self.limits.max_output_bytes as usize {
            return Flow::End(End::Limit(Limit::Output));
        }
        self.output_bytes += cost;
        let index = self.output.len() as u32;
        self.output.push(Printed {
            thread: t,
            tick: self.now,
            text,
            err,
        });
        self.emit(sink, Some(core), t, EventKind::Print { index });
        Flow::Next
    }
}

/// The conflict rule.
pub(crate) fn touches(kind: &EventKind, acc: &mut Accesses) {
    if let EventKind::Print { .. } = kind {
        acc.add(Object::Output, true);
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    fn texts<'a>(all: &'a [String]) -> impl Fn(i64) -> Option<&'a str> {
        |v| all.get(v as usize).map(String::as_str)
    }

    #[test]
    fn holes_take_the_values_in_order_and_double_braces_are_braces() {
        assert_eq!(format("a {} b {}!", &[1, -2], texts(&[])), "a 1 b -2!");
        assert_eq!(format("{{}} {}", &[7], texts(&[])), "{} 7");
        assert_eq!(format("none\n", &[], texts(&[])), "none\n");
    }

    #[test]
    fn string_holes_print_the_text_their_value_numbers() {
        let all = ["hi".to_string(), "there".to_string()];
        assert_eq!(
            format("{s}, {s}! {}", &[1, 0, 3], texts(&all)),
            "there, hi! 3"
        );
        assert_eq!(format("{{s}} {s}", &[0], texts(&all)), "{s} hi");
        assert_eq!(format("{q}", &[1], texts(&all)), "\"there\"");
    }

    #[test]
    fn bool_holes_print_true_or_false() {
        assert_eq!(format("{b} {b} {}", &[1, 0, 1], texts(&[])), "true false 1");
    }
}
