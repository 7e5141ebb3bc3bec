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
/// in parentheses — as `{:?}` prints it; `{#(…)}` as `{:#?}` does. `{@sig}` is a value of
/// any shape (see [`shape`]: `Option`s, `Result`s, tuples), `{#@sig}` as `{:#?}` prints
/// it. `{{` and `}}` are braces.
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
        // `{@` or `{#@`: a shape.
        let pretty_shape = c == '{' && {
            let mut ahead = chars.clone();
            match ahead.next() {
                Some('@') => true,
                Some('#') => ahead.next() == Some('@'),
                _ => false,
            }
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
                    shape(heap, v, &sig, 0, None, &mut out);
                }
            }
            ('{', Some('#')) if pretty_tuple => {
                chars.next();
                let sig = group(&mut chars);
                chars.next();
                if let Some(&v) = next.next() {
                    shape(heap, v, &sig, 0, Some(0), &mut out);
                }
            }
            ('{', Some('@')) | ('{', Some('#')) if pretty_shape => {
                // `{@sig}`, `{#@sig}`: any shape (see [`shape`]).
                let pretty = chars.next() == Some('#');
                if pretty {
                    chars.next();
                }
                let sig: Vec<char> = chars.by_ref().take_while(|&c| c != '}').collect();
                if let Some(&v) = next.next() {
                    shape(heap, v, &sig, 0, pretty.then_some(0), &mut out);
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
    let mut out = vec!['('];
    for c in chars.by_ref() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            _ => {}
        }
        out.push(c);
    }
    out.push(')');
    out
}

/// Std's errors a program keeps in a `Result` without looking inside, as `{:?}` prints
/// them: a panicked thread's payload (`join`), `recv` and `send` on a closed channel.
pub const STD_ERRORS: [&str; 3] = ["Any { .. }", "RecvError", "SendError { .. }"];

/// Where the shape starting at `sig[i]` ends (see [`shape`]).
fn skip(sig: &[char], i: usize) -> usize {
    match sig.get(i) {
        Some('(') => {
            let mut j = i + 1;
            while j < sig.len() && sig[j] != ')' {
                j = skip(sig, j);
            }
            j + 1
        }
        Some('?') => skip(sig, i + 1),
        Some('!') => skip(sig, skip(sig, i + 1)),
        Some('e') => i + 2,
        _ => i + 1,
    }
}

fn pad(out: &mut String, n: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', n));
}

/// Value `v` of the shape starting at `sig[i]` as `{:?}` prints it (`indent` `None`), or
/// as `{:#?}` does at that indent; returns where the shape ends. A shape is `d` a number,
/// `b` a `bool`, `q` a string, `u` `()`, `(…)` a tuple of shapes (a vector of its parts),
/// `?x` an `Option` of `x` and `!xy` a `Result` of `x` and `y` (a vector: a tag, 1 for
/// `Some`/`Ok`, then the value), `eN` one of std's errors, printed as `STD_ERRORS[N]`
/// whatever its value.
fn shape(
    heap: &impl Heap,
    v: Value,
    sig: &[char],
    i: usize,
    indent: Option<usize>,
    out: &mut String,
) -> usize {
    let part = |v: Value, k: usize| heap.vector(v).and_then(|p| p.get(k).copied()).unwrap_or(0);
    match sig.get(i) {
        Some('(') => {
            out.push('(');
            let (mut j, mut k) = (i + 1, 0);
            while j < sig.len() && sig[j] != ')' {
                match indent {
                    Some(n) => pad(out, n + 4),
                    None if k > 0 => out.push_str(", "),
                    None => {}
                }
                j = shape(heap, part(v, k), sig, j, indent.map(|n| n + 4), out);
                if indent.is_some() {
                    out.push(',');
                }
                k += 1;
            }
            match indent {
                Some(n) => pad(out, n),
                None if k == 1 => out.push(','),
                None => {}
            }
            out.push(')');
            j + 1
        }
        Some(&c @ ('?' | '!')) => {
            let ok_end = skip(sig, i + 1);
            let end = if c == '!' { skip(sig, ok_end) } else { ok_end };
            let (name, at) = match (c, part(v, 0) != 0) {
                ('?', true) => ("Some", i + 1),
                ('?', false) => {
                    out.push_str("None");
                    return end;
                }
                (_, true) => ("Ok", i + 1),
                (_, false) => ("Err", ok_end),
            };
            out.push_str(name);
            out.push('(');
            match indent {
                Some(n) => {
                    pad(out, n + 4);
                    shape(heap, part(v, 1), sig, at, Some(n + 4), out);
                    out.push(',');
                    pad(out, n);
                }
                None => {
                    shape(heap, part(v, 1), sig, at, None, out);
                }
            }
            out.push(')');
            end
        }
        Some('u') => {
            out.push_str("()");
            i + 1
        }
        Some('e') => {
            let n = sig.get(i + 1).and_then(|c| c.to_digit(10)).unwrap_or(0);
            out.push_str(STD_ERRORS.get(n as usize).copied().unwrap_or("?"));
            i + 2
        }
        Some('b') => {
            out.push_str(if v != 0 { "true" } else { "false" });
            i + 1
        }
        Some('q') => {
            out.push_str(&std::format!("{:?}", heap.text(v).unwrap_or("?")));
            i + 1
        }
        _ => {
            out.push_str(&v.to_string());
            i + 1
        }
    }
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
        assert_eq!(format("{@(dq(bd))}", &[0], &h), "(1, \"a\", (true, 7))");
        assert_eq!(
            format("{#(d(bd))}", &[3], &h).replace('\n', "/"),
            "(/    1,/    (/        true,/        7,/    ),/)"
        );
    }

    #[test]
    fn option_and_result_holes_print_as_debug_prints_them() {
        let all = ["no".to_string()];
        // Some(5), None, Ok(()), Err("no"), Some((1, true)).
        let vecs = [
            vec![1, 5],
            vec![0, 0],
            vec![1, 0],
            vec![0, 0],
            vec![1, 5],
            vec![1, 4],
        ];
        let h = Texts(&all, &vecs);
        assert_eq!(format("{@?d} {@?d}", &[0, 1], &h), "Some(5) None");
        assert_eq!(format("{@!uq} {@!uq}", &[2, 3], &h), "Ok(()) Err(\"no\")");
        assert_eq!(
            format("{@?(db)} {@?d}!", &[5, 0], &h),
            "Some((1, true)) Some(5)!"
        );
        assert_eq!(
            format("{#@?d} {#@?d}", &[0, 1], &h).replace('\n', "/"),
            "Some(/    5,/) None"
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
