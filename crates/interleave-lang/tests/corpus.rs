//! The corpus of teaching programs in `tests/rust/`: each is written in the shape of one
//! public example (named in its header) and says what must happen in a line
//! `// Expect: runs` or `// Expect: error[E0xxx]`.
//!
//! - **runs**: Interleave compiles it as written, explores every schedule completely, and
//!   rustc compiles the same file; its real runs (several) each print an output the
//!   explorer lists as possible.
//! - **error[E0xxx]**: rustc refuses it with that code, and so does Interleave (one error,
//!   with that code).
//!
//! And formatting one (`interleave fmt`, the page's Format button) keeps rustc's verdict:
//! what compiled still compiles and what was refused is refused with the same code.

use interleave_core::explore::{explore, Options};
use std::path::PathBuf;
use std::process::Command;

mod common;
use common::build;

fn corpus() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/rust");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// What the header expects: `None` for "runs", else rustc's code.
fn expectation(name: &str, src: &str) -> Option<String> {
    let line = src
        .lines()
        .find_map(|l| l.strip_prefix("// Expect: "))
        .unwrap_or_else(|| panic!("{name}: no `// Expect:` line"));
    match line.trim() {
        "runs" => None,
        e => Some(
            e.strip_prefix("error[")
                .and_then(|c| c.strip_suffix(']'))
                .unwrap_or_else(|| panic!("{name}: `{e}` is not `runs` or `error[E0xxx]`"))
                .to_string(),
        ),
    }
}

#[test]
fn every_corpus_program_runs_as_rustc_runs_it_or_is_refused_with_rustc_s_code() {
    let (mut ran, mut refused) = (0, 0);
    for (name, src) in corpus() {
        let ours = interleave_lang::compile(&src);
        let (bin, out) = build(&format!("corpus-{name}"), &src);
        let rustc_err = String::from_utf8_lossy(&out.stderr).into_owned();
        let formatted = interleave_lang::print::format(&src)
            .unwrap_or_else(|e| panic!("{name}: formatting failed: {e:?}"));
        let (_, fmt_out) = build(&format!("corpus-{name}-formatted"), &formatted);
        let fmt_err = String::from_utf8_lossy(&fmt_out.stderr).into_owned();
        assert_eq!(
            fmt_out.status.success(),
            out.status.success(),
            "{name}: formatting changed whether rustc compiles it:\n{formatted}\n{fmt_err}"
        );
        match expectation(&name, &src) {
            Some(code) => {
                assert!(!out.status.success(), "{name}: rustc accepted it");
                assert!(
                    rustc_err.contains(&format!("error[{code}]")),
                    "{name}: rustc did not say {code}:\n{rustc_err}"
                );
                assert!(
                    fmt_err.contains(&format!("error[{code}]")),
                    "{name}: formatted, rustc does not say {code}:\n{fmt_err}"
                );
                let diags = ours
                    .err()
                    .unwrap_or_else(|| panic!("{name}: we accepted it"));
                let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
                assert_eq!(errors.len(), 1, "{name}: {errors:#?}");
                assert_eq!(errors[0].code, Some(code.as_str()), "{name}: {errors:#?}");
                refused += 1;
            }
            None => {
                assert!(
                    out.status.success(),
                    "{name}: rustc refused it:\n{rustc_err}"
                );
                let compiled = ours.unwrap_or_else(|d| panic!("{name}: {d:#?}"));
                let report = explore(compiled.program, &Options::default()).unwrap();
                assert!(report.complete(), "{name}: the explorer did not finish");
                let possible: Vec<&str> = report
                    .outcomes
                    .iter()
                    .map(|o| o.key.output.as_str())
                    .collect();
                for run in 0..3 {
                    // The explorer's output is stdout and stderr as one stream, as a
                    // terminal shows them: both go to one file here.
                    let path = common::scratch(&format!("corpus-{name}-{run}.out"));
                    let file = std::fs::File::create(&path).unwrap();
                    let status = Command::new(&bin)
                        .stdout(file.try_clone().unwrap())
                        .stderr(file)
                        .status()
                        .expect("runs");
                    assert!(status.success(), "{name}: the real program failed");
                    let mut text = std::fs::read_to_string(&path).unwrap();
                    // A process that ends while another thread is printing may cut that
                    // thread's line short (Rust flushes stdout as it exits); the simulator's
                    // prints are whole lines, so a cut last line is left out.
                    if !text.is_empty() && !text.ends_with('\n') {
                        text.truncate(text.rfind('\n').map_or(0, |i| i + 1));
                    }
                    assert!(
                        possible.contains(&text.as_str()),
                        "{name}: the real program printed what the explorer says is impossible:\n{text}\npossible: {possible:#?}"
                    );
                }
                ran += 1;
            }
        }
    }
    // The corpus only grows: every program counts.
    assert!(ran >= 22 && refused >= 5, "{ran} ran, {refused} refused");
}
