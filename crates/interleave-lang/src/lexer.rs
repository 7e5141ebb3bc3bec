//! Tokens with their spans. Unknown characters become diagnostics, never panics.

use crate::diag::{Diagnostic, Span};

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Int(i64),
    Str(String),
    /// A lifetime or a loop label, without its `'` (`'static` is `static`).
    Life(String),
    /// Punctuation and operators, as written (`::`, `..`, `+=`, `&&`, `{` …).
    P(&'static str),
    Eof,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// A line break separates this token from the previous one (for `;` recovery).
    pub line_start: bool,
}

/// Longest first, so `..=` wins over `..` and `::` over `:`.
const PUNCT: &[&str] = &[
    "..=", "::", "..", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "->",
    "=>", "(", ")", "{", "}", "[", "]", ",", ";", ":", ".", "=", "<", ">", "+", "-", "*", "/", "%",
    "!", "&", "|", "#", "?",
];

pub fn lex(src: &str, diags: &mut Vec<Diagnostic>) -> Vec<Token> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if src[i..].starts_with("//") {
            i += src[i..].find('\n').unwrap_or(src.len() - i);
        } else if src[i..].starts_with("/*") {
            match src[i + 2..].find("*/") {
                Some(end) => i += end + 4,
                None => {
                    diags.push(
                        Diagnostic::error(Span::new(i, i + 2), "unterminated block comment")
                            .hint("close it with `*/`"),
                    );
                    i = src.len();
                }
            }
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let text: String = src[start..i].chars().filter(|&c| c != '_').collect();
            // Allow Rust suffixes like 10usize or 3i64.
            let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
            let suffix = &text[digits.len()..];
            let known = [
                "", "usize", "isize", "i64", "u64", "i32", "u32", "u8", "i8", "u16", "i16",
            ];
            let span = Span::new(start, i);
            // `-9223372036854775808` is `i64::MIN`: its digits alone do not fit, so they
            // come as `i64::MIN` for the parser to take with the `-` before them (and
            // refuse anywhere else).
            let parsed = match digits.as_str() {
                "9223372036854775808" => Ok(i64::MIN),
                d => d.parse::<i64>(),
            };
            match parsed {
                Ok(v) if known.contains(&suffix) => out.push(Token {
                    tok: Tok::Int(v),
                    span,
                    line_start: false,
                }),
                Ok(_) => diags.push(
                    Diagnostic::error(span, format!("unknown number suffix `{suffix}`"))
                        .hint("write a plain integer such as `42`"),
                ),
                Err(_) => diags.push(
                    Diagnostic::error(span, "this number does not fit in 64 bits")
                        .hint("numbers in scenarios are i64: at most 9223372036854775807"),
                ),
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(src[start..i].to_string()),
                span: Span::new(start, i),
                line_start: false,
            });
        } else if c == b'"' {
            let start = i;
            i += 1;
            let mut s = String::new();
            let mut closed = false;
            while let Some(ch) = src[i..].chars().next() {
                i += ch.len_utf8();
                match ch {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => {
                        let (len, got) = escape(&src[i..]);
                        match got {
                            Ok(Some(c)) => s.push(c),
                            Ok(None) => {}
                            Err(msg) => diags.push(
                                Diagnostic::error(Span::new(i - 1, i + len), msg).hint(
                                    "the escapes are `\\n`, `\\r`, `\\t`, `\\0`, `\\\\`, `\\\"`, `\\'`, `\\x7F` and `\\u{…}`",
                                ),
                            ),
                        }
                        i += len;
                    }
                    other => s.push(other),
                }
            }
            let span = Span::new(start, i);
            if closed {
                out.push(Token {
                    tok: Tok::Str(s),
                    span,
                    line_start: false,
                });
            } else {
                diags.push(
                    Diagnostic::error(span, "unterminated string").hint("close it with `\"`"),
                );
            }
        } else if c == b'\'' {
            let start = i;
            let name_len = src[i + 1..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(src.len() - i - 1);
            let first = src[i + 1..].chars().next();
            if name_len > 0
                && first.is_some_and(|c| !c.is_ascii_digit())
                && !src[i + 1 + name_len..].starts_with('\'')
            {
                // `'static`, `'a`, `'outer:`.
                i += 1 + name_len;
                out.push(Token {
                    tok: Tok::Life(src[start + 1..i].to_string()),
                    span: Span::new(start, i),
                    line_start: false,
                });
            } else {
                // A `char` literal: `'x'`, `'\n'`.
                i += 1;
                if src[i..].starts_with('\\') {
                    i += 1 + escape(&src[i + 1..]).0;
                } else {
                    i += src[i..].chars().next().map_or(0, char::len_utf8);
                }
                if src[i..].starts_with('\'') {
                    i += 1;
                }
                diags.push(
                    Diagnostic::error(Span::new(start, i), "`char` values are not simulated yet")
                        .hint("write a string instead: `\"x\"` rather than `'x'`"),
                );
                // A stand-in, so the parser goes on as after any value.
                out.push(Token {
                    tok: Tok::Str(String::new()),
                    span: Span::new(start, i),
                    line_start: false,
                });
            }
        } else if let Some(p) = PUNCT.iter().find(|p| src[i..].starts_with(**p)) {
            out.push(Token {
                tok: Tok::P(p),
                span: Span::new(i, i + p.len()),
                line_start: false,
            });
            i += p.len();
        } else {
            let ch = src[i..].chars().next().unwrap_or('?');
            // A run of the same character is one error, not one per character.
            let run = src[i..].chars().take_while(|&c| c == ch).count();
            let span = Span::new(i, i + ch.len_utf8() * run);
            let shown: String = ch.escape_debug().collect();
            diags.push(Diagnostic::error(
                span,
                if run == 1 {
                    format!("unexpected character `{shown}`")
                } else {
                    format!("{run} unexpected characters `{shown}`")
                },
            ));
            i += ch.len_utf8() * run;
        }
    }
    out.push(Token {
        tok: Tok::Eof,
        span: Span::new(src.len(), src.len()),
        line_start: true,
    });
    let mut prev_end = 0;
    for t in &mut out {
        t.line_start = src
            .get(prev_end..t.span.start)
            .is_some_and(|gap| gap.contains('\n'))
            || t.tok == Tok::Eof;
        prev_end = t.span.end;
    }
    out
}

/// The escape after a `\\` at the start of `rest`: how many bytes it takes and the
/// character it stands for (`None` for a line continuation, which also skips the next
/// line's leading whitespace), or what is wrong with it.
fn escape(rest: &str) -> (usize, Result<Option<char>, String>) {
    let Some(e) = rest.chars().next() else {
        return (0, Err("a `\\` ends the scenario".into()));
    };
    let simple = match e {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '0' => Some('\0'),
        '\\' | '"' | '\'' => Some(e),
        _ => None,
    };
    if let Some(c) = simple {
        return (1, Ok(Some(c)));
    }
    match e {
        '\n' => {
            let skip = rest[1..]
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len() - 1);
            (1 + skip, Ok(None))
        }
        'x' => {
            let hex: String = rest[1..].chars().take(2).collect();
            match u8::from_str_radix(&hex, 16) {
                Ok(v) if hex.len() == 2 && v <= 0x7f => (3, Ok(Some(char::from(v)))),
                Ok(_) if hex.len() == 2 => (
                    3,
                    Err("out of range hex escape: `\\x` goes up to `\\x7F`".into()),
                ),
                _ => (
                    1,
                    Err(
                        "numeric character escape is too short: write `\\x` and two hex digits"
                            .into(),
                    ),
                ),
            }
        }
        'u' => {
            let body = rest[1..]
                .strip_prefix('{')
                .and_then(|r| r.find('}').map(|end| &r[..end]))
                .filter(|b| b.len() <= 8);
            let Some(body) = body else {
                return (
                    1,
                    Err("incorrect unicode escape: write `\\u{…}` with hex digits".into()),
                );
            };
            let len = 1 + body.len() + 2;
            let digits: String = body.chars().filter(|&c| c != '_').collect();
            match u32::from_str_radix(&digits, 16)
                .ok()
                .filter(|_| !digits.is_empty())
            {
                Some(v) => match char::from_u32(v) {
                    Some(c) => (len, Ok(Some(c))),
                    None => (
                        len,
                        Err("invalid unicode character escape: not a character".into()),
                    ),
                },
                None => (len, Err("invalid character in unicode escape".into())),
            }
        }
        other => (
            other.len_utf8(),
            Err(format!(
                "unknown character escape: `{}`",
                other.escape_debug()
            )),
        ),
    }
}

/// Tokens as text, spaced the one canonical way (`std::sync::{Arc, Mutex}`, `X as Y`).
pub fn spaced(toks: &[Token]) -> String {
    let mut out = String::new();
    let mut word_before = false;
    for t in toks {
        let word = matches!(t.tok, Tok::Ident(_) | Tok::Life(_));
        match &t.tok {
            Tok::Ident(name) => {
                if word_before {
                    out.push(' ');
                }
                out.push_str(name);
            }
            Tok::P(",") => out.push_str(", "),
            Tok::P(p) => out.push_str(p),
            Tok::Int(v) => out.push_str(&v.to_string()),
            Tok::Str(s) => out.push_str(&format!("{s:?}")),
            Tok::Life(l) => {
                if word_before {
                    out.push(' ');
                }
                out.push('\'');
                out.push_str(l);
            }
            Tok::Eof => {}
        }
        word_before = word;
    }
    out
}
