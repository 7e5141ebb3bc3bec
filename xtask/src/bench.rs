//! `cargo xtask bench`: builds release artefacts and prints one `figure <name> <value> <unit>`
//! line per measured figure. Figures, not pass/fail: targets are judged by people and notes.

use crate::util::{self, root, tool, Result};
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

pub fn run() -> Result<()> {
    util::run(tool("trunk").args(["build", "--release"]))?;
    let dist = root().join("dist");
    let main_wasm = find(&dist, "interleave-web", "_bg.wasm")?;
    figure("web.main_wasm_gzip_bytes", gzip_len(&main_wasm)?, "bytes");
    let threads_wasm = dist.join("threads/interleave_threads_bg.wasm");
    figure("threads.wasm_gzip_bytes", gzip_len(&threads_wasm)?, "bytes");
    Ok(())
}
