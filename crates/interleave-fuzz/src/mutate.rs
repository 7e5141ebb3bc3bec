//! Inputs: the corpus and the presets, mutated token by token. Deterministic: input `n` of
//! a seed is the same on every run, so a failure replays with `--only n`.

use interleave_core::rng::Rng;

/// Text likely to reach an edge: keywords, extremes, deep nesting, odd characters.
const DICTIONARY: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    ";",
    ",",
    "::",
    ".",
    "=",
    "==",
    "+",
    "-",
    "*",
    "/",
    "%",
    "!",
    "&",
    "&&",
    "||",
    "<",
    ">",
    "?",
    "|",
    "'",
    "\"",
    "#",
    "=>",
    "->",
    "..",
    "..=",
    "as",
    "if",
    "else",
    "match",
    "loop",
    "while",
    "for",
    "in",
    "break",
    "continue",
    "return",
    "let",
    "mut",
    "move",
    "fn",
    "static",
    "const",
    "unsafe",
    "async",
    "await",
    "use",
    "Some",
    "None",
    "Ok",
    "Err",
    "_",
    "0",
    "1",
    "-1",
    "255",
    "256",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "i64::MIN",
    "u32::MAX",
    "u8",
    "i32",
    "String",
    "&'static str",
    "Option<i32>",
    "Result<i32, String>",
    "thread::spawn(|| 1)",
    "h.join()",
    "rx.recv()",
    "tx.send(1)",
    "drop(tx)",
    "vec![1, 2]",
    ".pop()",
    ".unwrap()",
    ".map(|x| x)",
    "Mutex::new(0)",
    "Arc::new(1)",
    ".lock().unwrap()",
    "panic!(\"p\")",
    "println!(\"{}\", 1)",
    "\"\\u{202e}\"",
    "\"\\x1b[2J\"",
    "\"\\q\"",
    "'x'",
    "'a:",
    "\u{202e}",
    "\u{0}",
    "\u{1b}",
    "\u{1F600}",
    "\t",
    "\n",
    "\r",
    "/*",
    "*/",
    "//",
];

/// Splits text into pieces: runs of letters/digits/_, runs of spaces, single others.
fn pieces(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let word = |c: char| c.is_alphanumeric() || c == '_';
        let same = |d: char| (word(c) && word(d)) || (c == ' ' && d == ' ');
        while let Some(&(_, d)) = chars.peek() {
            if !same(d) {
                break;
            }
            chars.next();
        }
        let end = chars.peek().map_or(s.len(), |&(j, _)| j);
        out.push(&s[i..end]);
        start = end;
    }
    debug_assert_eq!(start, s.len());
    out
}

/// Input `n` of the stream `seed`, made from one of `bases`, at most `max_bytes` long.
pub fn input(bases: &[String], seed: u64, n: u64, max_bytes: usize) -> String {
    let mut rng = Rng::new(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let base = &bases[rng.below(bases.len() as u64) as usize];
    let mut toks: Vec<String> = pieces(base).into_iter().map(String::from).collect();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        if toks.is_empty() {
            toks.push("fn main() {}".into());
        }
        let len = toks.len() as u64;
        let at = rng.below(len) as usize;
        match rng.below(9) {
            0 => {
                let n = (1 + rng.below(5) as usize).min(toks.len() - at);
                toks.drain(at..at + n);
            }
            1 => {
                let n = (1 + rng.below(20) as usize).min(toks.len() - at);
                let copy: Vec<String> = toks[at..at + n].to_vec();
                let to = rng.below(len) as usize;
                toks.splice(to..to, copy);
            }
            2 | 3 => {
                let word = DICTIONARY[rng.below(DICTIONARY.len() as u64) as usize];
                toks.insert(at, word.to_string());
            }
            4 => {
                let other = rng.below(len) as usize;
                toks.swap(at, other);
            }
            5 => {
                // A line repeated many times (long programs, many errors).
                let line_end = (at..toks.len()).find(|&i| toks[i].contains('\n'));
                if let Some(e) = line_end {
                    let copy: Vec<String> = toks[at..=e].to_vec();
                    let times = 1 + rng.below(300) as usize;
                    for _ in 0..times {
                        toks.splice(at..at, copy.iter().cloned());
                    }
                }
            }
            6 => {
                // Deep nesting around a stretch.
                let n = 1 + rng.below(120) as usize;
                let end = (at + 1 + rng.below(8) as usize).min(toks.len());
                toks.insert(end, ")".repeat(n));
                toks.insert(at, "(".repeat(n));
            }
            7 => {
                // A long chain of one operator.
                let op = [" + 1", " * 2", " == 1", " && true", ".0", "?"][rng.below(6) as usize];
                toks.insert(at, op.repeat(1 + rng.below(1500) as usize));
            }
            _ => {
                if let Some(t) = toks
                    .iter_mut()
                    .filter(|t| t.parse::<i64>().is_ok())
                    .nth(rng.below(8) as usize)
                {
                    *t = ["0", "-1", "255", "256", "9223372036854775807", "100000000"]
                        [rng.below(6) as usize]
                        .into();
                }
            }
        }
    }
    let mut s: String = toks.concat();
    if s.len() > max_bytes {
        let mut cut = max_bytes;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_put_back_are_the_text() {
        let s = "fn main() {  let x = 10_000; // ü\n}";
        assert_eq!(pieces(s).concat(), s);
    }

    #[test]
    fn an_input_is_the_same_every_time_and_inputs_differ() {
        let bases = vec!["fn main() { let x = 1 + 2; println!(\"{x}\"); }\n".to_string()];
        assert_eq!(input(&bases, 7, 3, 1000), input(&bases, 7, 3, 1000));
        let distinct: std::collections::HashSet<String> =
            (0..50).map(|n| input(&bases, 7, n, 1000)).collect();
        assert!(distinct.len() > 30);
    }
}
