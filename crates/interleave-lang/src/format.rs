//! Format strings (`println!("{} and {x}", a)`): what the simulator can print is integers,
//! so the holes it takes are `{}`, `{:?}`, a position (`{0}`) and a name captured from the
//! scope (`{x}`, Rust 2021). Anything else (width, precision, `{:#?}`…) is refused with a
//! sentence saying so, never printed wrongly.

/// What a hole prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hole {
    /// `{}`: the next argument.
    Next,
    /// `{0}`: an argument by position.
    Index(usize),
    /// `{x}`: a variable in scope.
    Name(String),
}

/// A format string, read: the template for the machine (each hole as `{}`, braces still
/// doubled) and the holes in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    pub template: String,
    pub holes: Vec<Hole>,
    /// For each hole, whether it is `{:?}` (a string prints quoted then).
    pub debug: Vec<bool>,
}

/// Reads `s`; an error is a sentence about the string.
pub fn parse(s: &str) -> Result<Format, String> {
    let mut template = String::with_capacity(s.len());
    let mut holes = Vec::new();
    let mut debug = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                template.push_str("{{");
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                template.push_str("}}");
            }
            '}' => {
                return Err(
                    "invalid format string: unmatched `}` found (write `}}` for a brace)".into(),
                )
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => {
                            return Err("invalid format string: expected `}` but the string ended (write `{{` for a brace)".into())
                        }
                    }
                }
                let (arg, spec) = inner.split_once(':').unwrap_or((&inner, ""));
                if !spec.is_empty() && spec != "?" {
                    return Err(format!(
                        "the format `{{{inner}}}` is not simulated yet: only `{{}}`, `{{:?}}`, `{{0}}` and `{{name}}` print here"
                    ));
                }
                let arg = arg.trim();
                debug.push(spec == "?");
                holes.push(if arg.is_empty() {
                    Hole::Next
                } else if let Ok(i) = arg.parse::<usize>() {
                    Hole::Index(i)
                } else if arg.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && !arg.starts_with(|c: char| c.is_ascii_digit())
                {
                    Hole::Name(arg.to_string())
                } else {
                    return Err(format!("invalid format string: `{arg}` is not an argument"));
                });
                template.push_str("{}");
            }
            c => template.push(c),
        }
    }
    Ok(Format {
        template,
        holes,
        debug,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_positions_names_and_braces() {
        let f = parse("a {} b {0} c {x:?} {{d}}").unwrap();
        assert_eq!(f.template, "a {} b {} c {} {{d}}");
        assert_eq!(
            f.holes,
            [Hole::Next, Hole::Index(0), Hole::Name("x".into())]
        );
    }

    #[test]
    fn what_cannot_print_is_refused_in_words() {
        assert!(parse("{:>5}").unwrap_err().contains("not simulated yet"));
        assert!(parse("{").unwrap_err().contains("expected `}`"));
        assert!(parse("}").unwrap_err().contains("unmatched `}`"));
        assert!(parse("{a b}").unwrap_err().contains("not an argument"));
    }
}
