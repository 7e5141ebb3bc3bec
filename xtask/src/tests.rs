//! `cargo xtask test`: every check and test, in order, stopping at the first failure, ending
//! with one summary line `N passed, N failed` over every test that ran.

use crate::setup::WASM_TARGET;
use crate::threads;
use crate::util::{cargo, run, run_capture, tool, Result};
use std::process::Command;

/// Tests counted so far across all legs.
#[derive(Default, Debug, PartialEq)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    /// Adds the counts a runner printed. Understands cargo/libtest and wasm-bindgen-test
    /// (`test result: ok. 3 passed; 0 failed; ...`) and node's TAP reporter (`# pass 3`).
    fn add_output(&mut self, out: &str) -> bool {
        let mut found = false;
        for line in out.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("test result: ") {
                self.passed += count_before(rest, " passed");
                self.failed += count_before(rest, " failed");
                found = true;
            } else if let Some(n) = line.strip_prefix("# pass ") {
                self.passed += n.trim().parse::<u64>().unwrap_or(0);
                found = true;
            } else if let Some(n) = line.strip_prefix("# fail ") {
                self.failed += n.trim().parse::<u64>().unwrap_or(0);
                found = true;
            }
        }
        found
    }
}

/// The number just before `label` in `s` (`"ok. 3 passed; 0 failed"`, `" passed"` → 3).
fn count_before(s: &str, label: &str) -> u64 {
    s.find(label)
        .and_then(|end| s[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

enum Leg {
    /// A check that must pass but counts no tests (fmt, clippy, a build).
    Check(&'static str, Command),
    /// A test runner whose printed counts go into the tally.
    Tests(&'static str, Command),
}

fn legs() -> Vec<Leg> {
    let mut fmt = cargo(None);
    fmt.args(["fmt", "--all", "--check"]);
    let mut clippy = cargo(None);
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    let mut clippy_wasm = cargo(None);
    clippy_wasm.args([
        "clippy",
        "--target",
        WASM_TARGET,
        "-p",
        "interleave-core",
        "-p",
        "interleave-web",
        "-p",
        "interleave-threads",
        "-p",
        "interleave-worker",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    let mut native = cargo(None);
    native.args(["test", "--workspace"]);
    let mut wasm = cargo(None);
    wasm.args([
        "test",
        "--target",
        WASM_TARGET,
        "-p",
        "interleave-core",
        "-p",
        "interleave-web",
        "--test",
        "wasm",
    ]);
    let mut threads_wasm = threads::nightly_cargo("test");
    // Tests must share the panic strategy of the std we build, or std is built twice.
    threads_wasm.args(["-Z", "panic-abort-tests", "--release", "--test", "wasm"]);
    let fuzz = crate::fuzz::command(&["--inputs".to_string(), crate::fuzz::CI_INPUTS.to_string()]);
    let mut trunk = tool("trunk");
    trunk.args(["build", "--release"]);
    let mut e2e = tool("node");
    e2e.args([
        "--test",
        "--test-reporter=tap",
        "--test-concurrency=1",
        "e2e/",
    ]);
    vec![
        Leg::Check("format", fmt),
        Leg::Check("clippy (native)", clippy),
        Leg::Check("clippy (wasm32)", clippy_wasm),
        Leg::Tests("native tests", native),
        Leg::Check("fuzz: 10,000 inputs per target", fuzz),
        Leg::Tests("wasm tests in headless Chromium", wasm),
        Leg::Tests(
            "threaded module tests in headless Chromium (atomics build)",
            threads_wasm,
        ),
        Leg::Check("trunk build --release", trunk),
        Leg::Tests("end-to-end tests (Playwright, Debian chromium)", e2e),
    ]
}

pub fn run_all() -> Result<()> {
    let mut tally = Tally::default();
    let mut failure = None;
    for leg in legs() {
        let (name, result) = match leg {
            Leg::Check(name, mut cmd) => (name, run(&mut cmd)),
            Leg::Tests(name, mut cmd) => {
                let (out, result) = run_capture(&mut cmd);
                let counted = tally.add_output(&out);
                // A runner that died before printing counts still counts as a failure.
                if result.is_err() && !counted {
                    tally.failed += 1;
                }
                if result.is_ok() && !counted {
                    failure = Some(format!("{name}: ran, but printed no test counts"));
                    tally.failed += 1;
                    break;
                }
                (name, result)
            }
        };
        eprintln!(
            "xtask test: {name}: {}",
            if result.is_ok() { "ok" } else { "FAILED" }
        );
        if let Err(e) = result {
            if failure.is_none() {
                failure = Some(format!("{name}: {e}"));
            }
            if tally.failed == 0 {
                // fmt, clippy or a build failed: no test failed, but the run did.
                tally.failed = 1;
            }
            break;
        }
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    match failure {
        None => Ok(()),
        Some(f) => Err(f),
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn tallies_cargo_and_wasm_bindgen_test_lines() {
        let mut t = Tally::default();
        assert!(t.add_output(
            "running 3 tests\ntest result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
             test result: FAILED. 10 passed; 2 failed; 0 ignored\n"
        ));
        assert_eq!(
            t,
            Tally {
                passed: 13,
                failed: 2
            }
        );
    }

    #[test]
    fn tallies_node_tap_summary() {
        let mut t = Tally::default();
        assert!(t.add_output("ok 1 - a\n# tests 4\n# pass 3\n# fail 1\n# skipped 0\n"));
        assert_eq!(
            t,
            Tally {
                passed: 3,
                failed: 1
            }
        );
    }

    #[test]
    fn output_without_counts_is_reported_as_such() {
        let mut t = Tally::default();
        assert!(!t.add_output("Compiling foo\nerror: could not compile\n"));
        assert_eq!(t, Tally::default());
    }
}
