//! Builds the threaded module: nightly, wasm atomics and shared memory, its own target dir.

use crate::setup::{NIGHTLY, WASM_TARGET};
use crate::util::{cargo, root, run, tool, Result};
use std::path::{Path, PathBuf};

/// Flags that make rustc emit a shared-memory module wasm-bindgen-rayon can spread over
/// Web Workers. Without the link args the memory is not shared and the pool fails at runtime
/// with "DataCloneError: #<Memory> could not be cloned".
pub const RUSTFLAGS: &str = "-C target-feature=+atomics,+bulk-memory,+mutable-globals \
     -C link-arg=--shared-memory -C link-arg=--max-memory=1073741824 \
     -C link-arg=--import-memory -C link-arg=--export=__wasm_init_tls \
     -C link-arg=--export=__tls_size -C link-arg=--export=__tls_align \
     -C link-arg=--export=__tls_base";

/// Separate from `target/` so switching flags never rebuilds the stable build.
pub fn target_dir() -> PathBuf {
    root().join("target/threads")
}

/// `cargo +nightly <subcommand>` set up for the atomics build of the threads crate.
pub fn nightly_cargo(subcommand: &str) -> std::process::Command {
    let mut cmd = cargo(Some(NIGHTLY));
    cmd.env("RUSTFLAGS", RUSTFLAGS).args([
        subcommand,
        "-p",
        "interleave-threads",
        "--target",
        WASM_TARGET,
        "-Z",
        "build-std=panic_abort,std",
        "--target-dir",
    ]);
    cmd.arg(target_dir());
    cmd
}

/// Builds the module (always release: a debug rayon build is too slow to demo) and runs
/// wasm-bindgen `--target web` into `out_dir`.
pub fn build(out_dir: &Path) -> Result<()> {
    run(nightly_cargo("build").arg("--release"))?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join("release/interleave_threads.wasm");
    run(tool("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(out_dir)
        .arg(&wasm))
}

/// Trunk's build hook: Trunk gives the staging dir; the module lands in `dist/threads/`.
pub fn build_for_trunk() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR")
        .ok_or("build-threads is Trunk's build hook: TRUNK_STAGING_DIR is not set")?;
    build(&Path::new(&staging).join("threads"))
}
