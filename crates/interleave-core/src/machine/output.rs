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

/// What a hole may read besides its value: texts and vectors, by their numbers.
pub trait Heap {
    fn text(&self, v: Value) -> Option<&str>;
    fn vector(&self, v: Value) -> Option<&[Value]>;
}

/// `template` with each `{}` replaced by the next value and each `{s}` by the text it
/// numbers (see `text`); `{v}` is a vector of numbers as `{:?}` prints it (`[1, 2]`),
/// `{w}` one of `bool`s, `{V}` one of strings (`["a"]`); `{#v}`, `{#w}`, `{#V}` the same
/// as `{:#?}` prints them (an element a line). `{(dbq(d))}` is a tuple (a vector of its
/// parts) with a letter a part — `d` a number, `b` a `bool`, `q` a string, a nested tuple
/// in parentheses — as `{:?}` prints it; `{#(…)}` as `{:#?}` does. `{{` and `}}` are
/// braces.
pub fn format(template: &str, values: &[Value], heap: &impl Heap) -> String {
    let text = |v: Value| heap.text(v);
    let mut out = String::with_capacity(template.len() + 8 * values.len());
    let mut next = values.iter();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        // `{#(`: a tuple as `{:#?}` prints it.
        let pretty_tuple = c == '{' && {
            let mut ahead = chars.clone();
            ahead.next() == Some('#') && ahead.next() == Some('(')
        };
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
            ('{', Some('(')) => {
                let sig = group(&mut chars);
                chars.next();
                if let Some(&v) = next.next() {
                    tuple_text(heap, v, &sig, None, &mut out);
                }
            }
            ('{', Some('#')) if pretty_tuple => {
                chars.next();
                let sig = group(&mut chars);
                chars.next();
                if let Some(&v) = next.next() {
                    tuple_text(heap, v, &sig, Some(0), &mut out);
                }
            }
            ('{', Some(&k @ ('v' | 'w' | 'V' | '#'))) => {
                chars.next();
                let pretty = k == '#';
                let k = if pretty {
                    chars.next().unwrap_or('v')
                } else {
                    k
                };
                chars.next();
                if let Some(&v) = next.next() {
                    let items = heap.vector(v).unwrap_or(&[]);
                    out.push('[');
                    for (i, &x) in items.iter().enumerate() {
                        out.push_str(match (pretty, i) {
                            (true, _) => "\n    ",
                            (false, 0) => "",
                            (false, _) => ", ",
                        });
                        match k {
                            'w' => out.push_str(if x != 0 { "true" } else { "false" }),
                            'V' => out.push_str(&std::format!("{:?}", text(x).unwrap_or("?"))),
                            _ => out.push_str(&x.to_string()),
                        }
                        if pretty {
                            out.push(',');
                        }
                    }
                    if pretty && !items.is_empty() {
                        out.push('\n');
                    }
                    out.push(']');
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

/// The letters inside a parenthesised group, the opening `(` next in `chars`; nested
/// groups are kept with their parentheses.
fn group(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Vec<char> {
    chars.next();
    let mut depth = 0;
    let mut out = Vec::new();
    for c in chars.by_ref() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A tuple as `{:?}` prints it (`indent` `None`), or as `{:#?}` does at that indent.
fn tuple_text(heap: &impl Heap, v: Value, sig: &[char], indent: Option<usize>, out: &mut String) {
    let parts = heap.vector(v).unwrap_or(&[]);
    out.push('(');
    let mut i = 0;
    let mut k = 0;
    while i < sig.len() {
        let x = parts.get(k).copied().unwrap_or(0);
        match indent {
            Some(n) => {
                out.push('\n');
                out.push_str(&" ".repeat(n + 4));
            }
            None if k > 0 => out.push_str(", "),
            None => {}
        }
        if sig[i] == '(' {
            let mut depth = 0;
            let start = i + 1;
            while i < sig.len() {
                match sig[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            tuple_text(heap, x, &sig[start..i - 1], indent.map(|n| n + 4), out);
        } else {
            match sig[i] {
                'b' => out.push_str(if x != 0 { "true" } else { "false" }),
                'q' => out.push_str(&std::format!("{:?}", heap.text(x).unwrap_or("?"))),
                _ => out.push_str(&x.to_string()),
            }
            i += 1;
        }
        if indent.is_some() {
            out.push(',');
        }
        k += 1;
    }
    match indent {
        Some(n) => {
            out.push('\n');
            out.push_str(&" ".repeat(n));
        }
        None if k == 1 => out.push(','),
        None => {}
    }
    out.push(')');
}

impl Machine {
    /// Prints, or ends the run at the output limit.
    pub(super) fn print(&mut self, t: ThreadId, core: u16, op: &Op, sink: &mut impl Sink) -> Flow {
        let Op::Print { msg, ref args, err } = *op else {
            unreachable!("called for a print")
        };
        let values: Vec<Value> = args.iter().map(|&a| self.operand(t, a)).collect();
        let text = format(&self.program.messages[msg as usize], &values, self);
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
    use super::{format, Heap};

    struct Texts<'a>(&'a [String], &'a [Vec<i64>]);

    impl Heap for Texts<'_> {
        fn text(&self, v: i64) -> Option<&str> {
            self.0.get(v as usize).map(String::as_str)
        }
        fn vector(&self, v: i64) -> Option<&[i64]> {
            self.1.get(v as usize).map(Vec::as_slice)
        }
    }

    fn texts(all: &[String]) -> Texts<'_> {
        Texts(all, &[])
    }

    #[test]
    fn vector_holes_print_as_debug_prints_a_vec() {
        let all = ["a".to_string(), "b\"c".to_string()];
        let vecs = [vec![1, -2, 3], vec![], vec![1, 0], vec![1, 0]];
        let h = Texts(&all, &vecs);
        assert_eq!(format("{v} {v}", &[0, 1], &h), "[1, -2, 3] []");
        assert_eq!(
            format("{w} {V}", &[2, 3], &h),
            "[true, false] [\"b\\\"c\", \"a\"]"
        );
        assert_eq!(
            format("{#v} {#w}", &[1, 2], &h),
            "[] [\n    true,\n    false,\n]"
        );
    }

    #[test]
    fn tuple_holes_print_as_debug_prints_a_tuple() {
        let all = ["a".to_string()];
        // A tuple is a vector of its parts: (1, "a", (true, 7)) and (5,).
        let vecs = [vec![1, 0, 2], vec![5], vec![1, 7], vec![1, 2]];
        let h = Texts(&all, &vecs);
        assert_eq!(format("{(dq(bd))}", &[0], &h), "(1, \"a\", (true, 7))");
        assert_eq!(format("{(d)} {{}}", &[1], &h), "(5,) {}");
        assert_eq!(
            format("{#(d(bd))}", &[3], &h).replace('\n', "/"),
            "(/    1,/    (/        true,/        7,/    ),/)"
        );
    }

    #[test]
    fn holes_take_the_values_in_order_and_double_braces_are_braces() {
        assert_eq!(format("a {} b {}!", &[1, -2], &texts(&[])), "a 1 b -2!");
        assert_eq!(format("{{}} {}", &[7], &texts(&[])), "{} 7");
        assert_eq!(format("none\n", &[], &texts(&[])), "none\n");
    }

    #[test]
    fn string_holes_print_the_text_their_value_numbers() {
        let all = ["hi".to_string(), "there".to_string()];
        assert_eq!(
            format("{s}, {s}! {}", &[1, 0, 3], &texts(&all)),
            "there, hi! 3"
        );
        assert_eq!(format("{{s}} {s}", &[0], &texts(&all)), "{s} hi");
        assert_eq!(format("{q}", &[1], &texts(&all)), "\"there\"");
    }

    #[test]
    fn bool_holes_print_true_or_false() {
        assert_eq!(
            format("{b} {b} {}", &[1, 0, 1], &texts(&[])),
            "true false 1"
        );
    }
}
