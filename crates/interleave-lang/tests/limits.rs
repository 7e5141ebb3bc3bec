//! Inputs within the size limit that used to crash or exhaust the tool (issue 26's
//! reproducers): each is parsed, compiled, formatted and shown as Rust on a thread with
//! a 1 MiB stack — what the page has in wasm — and must end in a result or a located
//! error, never a stack overflow. (An unoptimised build's frames are several times
//! larger: there the stack is 16 MiB. The page's own stack is tested in Chromium, with
//! the same programs, by e2e/share.test.mjs.)

use interleave_lang::diag::Diagnostic;

/// Everything the page does with a scenario's text, on a wasm-sized stack.
fn on_a_small_stack(src: String) -> Vec<Diagnostic> {
    std::thread::Builder::new()
        .stack_size(if cfg!(debug_assertions) {
            16 << 20
        } else {
            1 << 20
        })
        .spawn(move || {
            let _ = interleave_lang::print::format(&src);
            let _ = interleave_lang::print::rust_view(&src);
            match interleave_lang::compile(&src) {
                Ok(_) => Vec::new(),
                Err(d) => d,
            }
        })
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
}

fn sum(n: usize) -> String {
    vec!["1"; n].join(" + ")
}

#[test]
fn a_long_operator_chain_is_refused_with_a_sentence_not_a_stack_overflow() {
    // 24,000 terms (48 KB) crashed every command natively; 4,000 crashed the page.
    let src = format!("fn main() {{\n    let z = {};\n}}\n", sum(24_000));
    let d = on_a_small_stack(src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message
            .contains("an expression chaining more than 1000 operators"),
        "{d:?}"
    );
    let casts = format!(
        "fn main() {{\n    let z = 1{};\n}}\n",
        " as i64".repeat(1_500)
    );
    let d = on_a_small_stack(casts);
    assert!(d[0].message.contains("chaining more than 1000"), "{d:?}");
}

#[test]
fn the_deepest_programs_the_limits_allow_compile_on_a_wasm_sized_stack() {
    // A 1,000-term chain inside 35 levels of parentheses compiles, formats and prints.
    let src = format!(
        "fn main() {{\n    let z = {}{}{};\n    println!(\"{{z}}\");\n}}\n",
        "(".repeat(35),
        sum(999),
        ")".repeat(35)
    );
    assert!(on_a_small_stack(src).is_empty());
    // Four functions each ending a 999-term chain with a call of the next: the compiler
    // inlines them into one 4,000-deep expression, and stops at its own limit.
    let mut src = String::new();
    for i in 0..4 {
        let next = if i == 3 {
            "1".to_string()
        } else {
            format!("f{}()", i + 1)
        };
        src.push_str(&format!(
            "fn f{i}() -> i64 {{\n    {next} + {}\n}}\n",
            sum(998)
        ));
    }
    src.push_str("fn main() {\n    let z = f0();\n    println!(\"{z}\");\n}\n");
    let d = on_a_small_stack(src);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].message
            .contains("nests more than 1200 expressions deep"),
        "{d:?}"
    );
}
