//! Installs every tool the project needs, at pinned versions, skipping what is already there.
//!
//! Versions and why they are what they are: `../shared/toolchain.md` (the machine facts) and
//! ARCHITECTURE.md. Each step first checks without touching the network.

use crate::util::{self, cargo, output, root, run, tool, Result};
use std::path::Path;

/// The dated nightly that builds the threaded (atomics) module.
pub const NIGHTLY: &str = "nightly-2026-05-20";
pub const TRUNK_VERSION: &str = "0.22.1";
/// Must equal the `wasm-bindgen` crate pinned in the workspace manifest.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn all() -> Result<()> {
    stable_wasm_target()?;
    nightly()?;
    cargo_tool(
        "trunk",
        &format!("trunk {TRUNK_VERSION}"),
        // Trunk 0.22 needs a newer rustc than our stable; its lockfile is complete.
        &[
            &format!("+{NIGHTLY}"),
            "install",
            "trunk",
            "--version",
            TRUNK_VERSION,
            "--locked",
        ],
    )?;
    cargo_tool(
        "wasm-bindgen",
        &format!("wasm-bindgen {WASM_BINDGEN_VERSION}"),
        // No --locked: its lockfile names a crate version the registry mirror lacks.
        &[
            "install",
            "wasm-bindgen-cli",
            "--version",
            WASM_BINDGEN_VERSION,
        ],
    )?;
    chromium()?;
    npm_packages()
}

fn sysroot(toolchain: Option<&str>) -> Option<String> {
    let mut cmd = tool("rustc");
    cmd.env_remove("RUSTUP_TOOLCHAIN");
    if let Some(tc) = toolchain {
        cmd.arg(format!("+{tc}"));
    }
    output(cmd.args(["--print", "sysroot"]))
}

fn has_wasm_std(sysroot: &str) -> bool {
    Path::new(sysroot)
        .join("lib/rustlib")
        .join(WASM_TARGET)
        .is_dir()
}

fn stable_wasm_target() -> Result<()> {
    let sysroot = sysroot(None).ok_or("cannot run rustc (is rustup installed?)")?;
    if has_wasm_std(&sysroot) {
        return Ok(());
    }
    run(tool("rustup").args(["target", "add", WASM_TARGET]))
}

fn nightly() -> Result<()> {
    if let Some(sysroot) = sysroot(Some(NIGHTLY)) {
        let has_src = Path::new(&sysroot)
            .join("lib/rustlib/src/rust/library")
            .is_dir();
        if has_src && has_wasm_std(&sysroot) {
            return Ok(());
        }
    }
    run(tool("rustup").args([
        "toolchain",
        "install",
        NIGHTLY,
        "--profile",
        "minimal",
        "--component",
        "rust-src",
        "--target",
        WASM_TARGET,
    ]))
}

fn cargo_tool(binary: &str, want_version: &str, install_args: &[&str]) -> Result<()> {
    let have = output(tool(binary).arg("--version"));
    if have.as_deref() == Some(want_version) {
        return Ok(());
    }
    eprintln!(
        "setup: {binary} is {}, want {want_version}; installing (takes minutes once)",
        have.as_deref().unwrap_or("missing")
    );
    run(cargo(None).args(install_args))
}

fn chromium() -> Result<()> {
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() {
        return Ok(());
    }
    eprintln!("setup: installing Debian chromium and chromium-driver");
    let sudo = output(tool("id").arg("-u")).as_deref() != Some("0");
    let apt = |args: &[&str]| {
        let mut cmd = if sudo { tool("sudo") } else { tool("apt-get") };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        run(&mut cmd)
    };
    apt(&["update"])?;
    apt(&[
        "install",
        "-y",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
    ])
}

/// `npm ci` from the committed lockfile, skipped when node_modules was installed from the
/// very same lockfile.
fn npm_packages() -> Result<()> {
    let root = root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp = root.join("node_modules/.interleave-installed-lock.json");
    if std::fs::read(&stamp).ok().as_deref() == Some(&lock[..]) {
        return Ok(());
    }
    run(tool("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))?;
    util::Result::Ok(())
}
