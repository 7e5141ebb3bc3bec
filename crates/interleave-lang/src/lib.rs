//! The scenario language: Rust-flavoured programs that compile to the simulator's
//! programs. See `docs/language.md` for the grammar and what each construct does.

pub mod ast;
pub mod compile;
pub mod diag;
pub mod format;
pub mod lexer;
pub mod parser;
pub mod presets;
pub mod print;

use diag::Diagnostic;

/// Parses and compiles a scenario: the program, or every error found (parse errors first).
pub fn compile(src: &str) -> Result<compile::Compiled, Vec<Diagnostic>> {
    compile_with(src, compile::time::Scale::default())
}

/// [`compile`] with a `Duration` worth `scale` (1 ms is one tick by default).
pub fn compile_with(
    src: &str,
    scale: compile::time::Scale,
) -> Result<compile::Compiled, Vec<Diagnostic>> {
    let (scenario, diags) = parser::parse(src);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    compile::compile_scenario(src, &scenario, scale).map(|mut c| {
        let mut all = diags;
        all.append(&mut c.warnings);
        c.warnings = all;
        c
    })
}
