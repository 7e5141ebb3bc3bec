//! rustc as a reference: compile a program with it, run what it built.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

pub fn rustc() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rust-view");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Compiles `code` with rustc as `name`: the binary's path and rustc's output.
pub fn build(name: &str, code: &str) -> (PathBuf, std::process::Output) {
    let file = scratch(&format!("{name}.rs"));
    let bin = file.with_extension("bin");
    std::fs::write(&file, code).unwrap();
    // `file!()` (which `dbg!` prints) names the file as `cargo run` would.
    let mut remap = std::ffi::OsString::from("--remap-path-prefix=");
    remap.push(&file);
    remap.push("=src/main.rs");
    let out = Command::new(rustc())
        .args(["--edition", "2024", "-o"])
        .arg(&bin)
        .arg(remap)
        .arg(&file)
        .output()
        .expect("rustc runs");
    (bin, out)
}

/// Runs a binary with a time limit; true when it exits successfully. Its stderr (a
/// thread's intended panic, say) is shown only when it does not.
pub fn runs_ok(bin: &PathBuf) -> bool {
    let mut child = Command::new(bin)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            if !status.success() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                eprintln!("{}: {status}\n{err}", bin.display());
            }
            return status.success();
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
