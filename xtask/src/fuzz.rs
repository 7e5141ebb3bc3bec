//! `cargo xtask fuzz [--target T] [--inputs N] [--seed S] [--only N]`: the plain-generator
//! fuzzer of `crates/interleave-fuzz` (targets `compile`, `format`, `link`, `run`), built
//! with the `fuzz` profile (optimised, overflow checks, unwinding). `cargo xtask test`
//! runs it for 10,000 inputs per target. When the fuzzer dies on an input (a stack
//! overflow aborts the process), the input it was on is shown.

use crate::util::{cargo, root, run, Result};

/// Inputs per target that `cargo xtask test` runs.
pub const CI_INPUTS: u64 = 10_000;

pub fn command(args: &[String]) -> std::process::Command {
    let mut cmd = cargo(None);
    cmd.args([
        "run",
        "--quiet",
        "--profile",
        "fuzz",
        "-p",
        "interleave-fuzz",
        "--",
    ]);
    cmd.args(args);
    cmd
}

pub fn run_with(args: &[String]) -> Result<()> {
    let current = root().join("target/fuzz-inputs/current.rs");
    run(&mut command(args)).map_err(|e| match std::fs::read_to_string(&current) {
        Ok(input) => {
            let head: String = input.lines().next().unwrap_or_default().into();
            format!(
                "{e}\nthe fuzzer stopped on {} ({head}); the input is in {}",
                head.trim_start_matches("// "),
                current.display()
            )
        }
        Err(_) => e,
    })
}
