//! `cargo xtask bench`: builds release artefacts and prints one `figure <name> <value> <unit>`
//! line per measured figure. Figures, not pass/fail: targets are judged by people and notes.

use crate::setup::WASM_TARGET;
use crate::util::{self, cargo, root, tool, Result};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::{Path, PathBuf};

fn figure(name: &str, value: impl std::fmt::Display, unit: &str) {
    println!("figure {name} {value} {unit}");
}

fn gzip_len(path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(gz.finish().map_err(|e| e.to_string())?.len())
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`.
fn find(dir: &Path, prefix: &str, suffix: &str) -> Result<PathBuf> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .ok_or_else(|| format!("no {prefix}*{suffix} in {}", dir.display()))
}

/// Runs a command and prints only the `figure` lines it prints.
fn forward_figures(cmd: &mut std::process::Command) -> Result<()> {
    let out = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run a benchmark: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let figures: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("figure "))
        .collect();
    if !out.status.success() || figures.is_empty() {
        return Err(format!("a benchmark failed ({}):\n{text}", out.status));
    }
    for f in figures {
        println!("{}", f.trim());
    }
    Ok(())
}

pub fn run() -> Result<()> {
    // The simulator core, natively and in headless Chromium, on the same heavy workload.
    forward_figures(cargo(None).args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "interleave-core",
        "--example",
        "bench",
    ]))?;
    forward_figures(cargo(None).args([
        "test",
        "--release",
        "--target",
        WASM_TARGET,
        "-p",
        "interleave-core",
        "--test",
        "wasm_bench",
        // The runner shows the test's console output (the figure) only with --nocapture.
        "--",
        "--nocapture",
    ]))?;
    util::run(tool("trunk").args(["build", "--release"]))?;
    let dist = root().join("dist");
    let main_wasm = find(&dist, "interleave-web", "_bg.wasm")?;
    figure("web.main_wasm_gzip_bytes", gzip_len(&main_wasm)?, "bytes");
    let threads_wasm = dist.join("threads/interleave_threads_bg.wasm");
    figure("threads.wasm_gzip_bytes", gzip_len(&threads_wasm)?, "bytes");
    // The page in headless Chromium: first render and playback frame rate.
    forward_figures(tool("node").arg(root().join("e2e/bench.mjs")))?;
    Ok(())
}
