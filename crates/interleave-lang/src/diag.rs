//! Diagnostics: what is wrong, where (line:column), a caret snippet, and a hint.

use std::fmt::Write;

/// A byte range in the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// What to do about it, in a sentence.
    pub hint: Option<String>,
    /// rustc's error code where rustc refuses the same program for the same reason
    /// (`E0277`), shown as rustc shows it: `error[E0277]: …`.
    pub code: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            hint: None,
            code: None,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    pub fn code(mut self, code: &'static str) -> Diagnostic {
        self.code = Some(code);
        self
    }

    /// The message with its code in front (`E0277: …`), for one line in the editor.
    pub fn headline(&self) -> String {
        match self.code {
            Some(c) => format!("{c}: {}", self.message),
            None => self.message.clone(),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of a byte offset.
/// Most errors reported for one text; past it, one more says how many were left out (as
/// rustc stops listing them): the rest are usually caused by the first ones.
pub const MAX_ERRORS: usize = 50;

/// Keeps the first [`MAX_ERRORS`] errors (and every warning among them), and says how
/// many more there were.
pub fn cap(diags: &mut Vec<Diagnostic>) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors <= MAX_ERRORS {
        return;
    }
    let mut kept = 0;
    let mut first_dropped = None;
    diags.retain(|d| {
        if !d.is_error() {
            return true;
        }
        kept += 1;
        if kept > MAX_ERRORS && first_dropped.is_none() {
            first_dropped = Some(d.span);
        }
        kept <= MAX_ERRORS
    });
    let more = errors - MAX_ERRORS;
    diags.push(
        Diagnostic::error(
            first_dropped.unwrap_or_default(),
            format!(
                "{more} more error{} not shown",
                if more == 1 { "" } else { "s" }
            ),
        )
        .hint("fix the ones above first: one mistake often causes several"),
    );
}

/// How many errors `diags` stands for: those listed, and those a [`cap`] summary counts.
pub fn error_count(diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            d.message
                .strip_suffix(" more errors not shown")
                .or_else(|| d.message.strip_suffix(" more error not shown"))
                .and_then(|n| n.parse().ok())
                .unwrap_or(1)
        })
        .sum()
}

/// Where each line of a text starts: line numbers for any offset in O(log n), for a
/// compiler that numbers every op it makes.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(src, offset.min(src.len()));
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders like rustc:
///
/// ```text
/// error: expected `;`
///  --> scenario:3:14
///   |
/// 3 |     let x = 5
///   |              ^ here
///   = hint: ...
/// ```
pub fn render(src: &str, file: &str, d: &Diagnostic) -> String {
    let (line, col) = line_col(src, d.span.start);
    let text = src.lines().nth(line - 1).unwrap_or("");
    // A long line is echoed as a window around the column, not whole.
    let (text, col) = window(text, col);
    let width = line.to_string().len();
    let pad = " ".repeat(width);
    let len = {
        let end = floor_char_boundary(src, d.span.end.min(src.len()));
        let start = floor_char_boundary(src, d.span.start.min(end));
        src[start..end]
            .lines()
            .next()
            .map_or(1, |s| s.chars().count().max(1))
    };
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    let code = d.code.map(|c| format!("[{c}]")).unwrap_or_default();
    let _ = writeln!(out, "{kind}{code}: {}", d.message);
    let _ = writeln!(out, "{pad}--> {file}:{line}:{col}");
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{line} | {text}");
    let len = len.min(WINDOW.saturating_sub(col - 1)).max(1);
    let _ = writeln!(out, "{pad} | {}{}", " ".repeat(col - 1), "^".repeat(len));
    if let Some(h) = &d.hint {
        let _ = writeln!(out, "{pad} = hint: {h}");
    }
    out
}

/// The most characters of a line a diagnostic echoes.
const WINDOW: usize = 100;

/// `text` cut to [`WINDOW`] characters around the (1-based) column `col`, with `…` where
/// it was cut, and the column within the cut text. Control characters are shown escaped,
/// so a scenario cannot restyle the terminal that prints it.
pub fn window(text: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let (start, lead) = if chars.len() <= WINDOW || col <= WINDOW / 2 {
        (0, "")
    } else {
        (
            (col - 1 - WINDOW / 2).min(chars.len().saturating_sub(WINDOW)),
            "…",
        )
    };
    let end = (start + WINDOW).min(chars.len());
    let tail = if end < chars.len() { "…" } else { "" };
    let mut out = String::from(lead);
    let mut col_out = col - start + lead.chars().count();
    for (i, &c) in chars[start..end].iter().enumerate() {
        if c.is_control() && c != '\t' {
            let shown: String = c.escape_default().collect();
            if start + i + 1 < col {
                col_out += shown.chars().count() - 1;
            }
            out.push_str(&shown);
        } else {
            out.push(c);
        }
    }
    out.push_str(tail);
    (out, col_out)
}
