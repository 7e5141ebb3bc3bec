//! No input makes the parser, the compiler or a run panic. Inputs: random bytes, random
//! token soup, and single and multiple edits of every preset. The count is printed.

use interleave_core::rng::Rng;
use interleave_core::run::simulate;
use interleave_core::settings::{Limits, Settings};
use interleave_lang::diag::render;
use interleave_lang::presets::FILES;

const TOKENS: &[&str] = &[
    "fn",
    "main",
    "(",
    ")",
    "{",
    "}",
    "let",
    "mut",
    "x",
    "=",
    ";",
    "spawn",
    "move",
    "||",
    "|",
    "for",
    "_",
    "in",
    "0",
    "..",
    "3",
    "..=",
    "COUNTER",
    "+=",
    "1",
    "static",
    ":",
    "usize",
    "Mutex",
    "<",
    "i64",
    ">",
    "::",
    "new",
    "M",
    ".",
    "lock",
    "unwrap",
    "*",
    "g",
    "drop",
    "join",
    "assert_eq",
    "!",
    ",",
    "channel",
    "tx",
    "rx",
    "send",
    "recv",
    "async",
    "await",
    "io",
    "if",
    "else",
    "while",
    "loop",
    "break",
    "return",
    "\"s\"",
    "work",
    "sleep",
    "AtomicUsize",
    "fetch_add",
    "-",
    "&&",
    "#",
    "[",
    "]",
    "9999999999999999999999",
    "/*",
    "*/",
    "//",
    "\n",
    "é",
];

fn check(src: &str, settings: &Settings) {
    match interleave_lang::compile(src) {
        Ok(c) => {
            // Whatever compiled must also run to a clear end.
            let r = simulate(c.program, settings).expect("compiled programs are valid");
            assert!(r.outcome.ticks <= settings.limits.max_ticks);
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in &diags {
                let text = render(src, "fuzz", d);
                assert!(text.contains("-->"), "{text}");
            }
        }
    }
}

#[test]
fn no_input_panics_the_parser_the_compiler_or_a_run() {
    let settings = Settings {
        cores: 2,
        limits: Limits {
            max_steps: 2_000,
            max_ticks: 5_000,
            ..Limits::default()
        },
        ..Settings::default()
    };
    let mut rng = Rng::new(42);
    let mut inputs = 0u64;
    // Random bytes (as lossy UTF-8).
    for _ in 0..3_000 {
        let len = rng.below(200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        check(&String::from_utf8_lossy(&bytes), &settings);
        inputs += 1;
    }
    // Token soup.
    for _ in 0..5_000 {
        let n = rng.below(60) as usize;
        let src: Vec<&str> = (0..n)
            .map(|_| TOKENS[rng.below(TOKENS.len() as u64) as usize])
            .collect();
        check(&src.join(" "), &settings);
        inputs += 1;
    }
    // Edits of real scenarios: delete, duplicate or swap a span of characters.
    for &(_, preset) in FILES {
        let chars: Vec<char> = preset.chars().collect();
        for _ in 0..400 {
            let mut c = chars.clone();
            for _ in 0..1 + rng.below(3) {
                if c.is_empty() {
                    break;
                }
                let i = rng.below(c.len() as u64) as usize;
                let j = (i + 1 + rng.below(12) as usize).min(c.len());
                match rng.below(3) {
                    0 => {
                        c.drain(i..j);
                    }
                    1 => {
                        let dup: Vec<char> = c[i..j].to_vec();
                        c.splice(i..i, dup);
                    }
                    _ => {
                        let k = rng.below(c.len() as u64) as usize;
                        c.swap(i, k);
                    }
                }
            }
            check(&c.iter().collect::<String>(), &settings);
            inputs += 1;
        }
    }
    // Deep nesting must be an error, not a stack overflow.
    for depth in [50, 500, 20_000] {
        check(
            &format!(
                "fn main() {{ let x = {}1{}; }}",
                "(".repeat(depth),
                ")".repeat(depth)
            ),
            &settings,
        );
        check(
            &format!("fn main() {}{}", "{".repeat(depth), "}".repeat(depth)),
            &settings,
        );
        check(
            &format!("fn main() {{ let x = {}1; }}", "-".repeat(depth)),
            &settings,
        );
        check(
            &format!("fn main() {{ x{}; }}", ".f()".repeat(depth)),
            &settings,
        );
        inputs += 4;
    }
    // Found by `cargo xtask fuzz`: a string or a stray brace in a `use` path crashed the
    // Rust view's path splitter (a release build aborts); a chained comparison made the
    // formatter's output too deep.
    for src in [
        "use\"\x1b[2J\" std::sync::{Arc, Mutex};\nfn main() {}\n",
        "use a::}{b;\nfn main() {}\n",
        "use a::{b;\nfn main() {}\n",
        "use ::{Condvar, Mutex}std::sync::{Condvar, Mutex};\nfn main() {}\n",
        "fn main() { let i = 1; let b = i == 1 == 1 == 1; }\n",
    ] {
        check(src, &settings);
        assert!(interleave_lang::compile(src).is_err(), "{src}");
        inputs += 1;
    }
    println!("robustness: {inputs} inputs parsed, compiled and run without a panic");
    assert!(inputs > 13_000);
}
