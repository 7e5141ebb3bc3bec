//! `cargo xtask dist`: the static site, ready to upload to any host (docs/deploy.md).
//!
//! Trunk's release build with relative asset paths, checked for the files a host without
//! configurable headers needs (the service-worker shim) and listed with their sizes.

use crate::util::{self, root, tool, Result};
use std::path::Path;

/// Files the folder must hold besides the hashed wasm and JS.
const REQUIRED: [&str; 5] = [
    "index.html",
    "coi-sw.js",
    "_headers",
    "www/threads-worker.js",
    "threads/interleave_threads.js",
];

fn walk(dir: &Path, out: &mut Vec<(String, u64)>, base: &Path) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out, base)?;
        } else if let Ok(m) = e.metadata() {
            let rel = p.strip_prefix(base).unwrap_or(&p).display().to_string();
            if !rel.starts_with('.') {
                out.push((rel, m.len()));
            }
        }
    }
    Ok(())
}

pub fn run() -> Result<()> {
    util::run(tool("trunk").args(["build", "--release"]))?;
    let dist = root().join("dist");
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| !dist.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!("dist/ lacks {}", missing.join(", ")));
    }
    let index = std::fs::read_to_string(dist.join("index.html")).map_err(|e| e.to_string())?;
    if index.contains("=\"/") {
        return Err(
            "dist/index.html has absolute asset paths: it would break under a subdirectory".into(),
        );
    }
    let mut files = Vec::new();
    walk(&dist, &mut files, &dist)?;
    files.sort();
    let total: u64 = files.iter().map(|f| f.1).sum();
    for (name, len) in &files {
        println!("{len:>9}  {name}");
    }
    println!(
        "static site: {} ({} files, {} KiB). Upload the folder as it is; see docs/deploy.md.",
        dist.display(),
        files.len(),
        total / 1024
    );
    Ok(())
}
