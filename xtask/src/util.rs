//! Running commands with the project's tool environment.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub type Result<T> = std::result::Result<T, String>;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// A command run from the workspace root, with `node_modules/.bin` (wasm-opt) and cargo's bin
/// directory on PATH, and chromedriver where wasm-bindgen-test-runner looks for it.
pub fn tool(program: &str) -> Command {
    let root = root();
    let mut path = vec![root.join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("HOME") {
        path.push(PathBuf::from(home).join(".cargo/bin"));
    }
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new(program);
    cmd.current_dir(&root)
        .env(
            "PATH",
            std::env::join_paths(path).expect("PATH entries are valid"),
        )
        .env("CHROMEDRIVER", "/usr/bin/chromedriver");
    cmd
}

/// `cargo` with a clean slate: no toolchain, flags or target dir inherited from the cargo
/// that runs xtask (or from Trunk, when xtask runs as its hook).
pub fn cargo(toolchain: Option<&str>) -> Command {
    let mut cmd = tool("cargo");
    for var in [
        "RUSTUP_TOOLCHAIN",
        "RUSTC",
        "RUSTDOC",
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO",
    ] {
        cmd.env_remove(var);
    }
    if let Some(tc) = toolchain {
        cmd.arg(format!("+{tc}"));
    }
    cmd
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs a command with inherited output; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result<()> {
    let what = describe(cmd);
    eprintln!("$ {what}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

/// Runs a command, echoing its stdout line by line, and returns that stdout with the result.
pub fn run_capture(cmd: &mut Command) -> (String, Result<()>) {
    use std::io::{BufRead, BufReader};
    let what = describe(cmd);
    eprintln!("$ {what}");
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(c) => c,
        Err(e) => return (String::new(), Err(format!("could not start `{what}`: {e}"))),
    };
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::io::Result::ok)
        {
            println!("{line}");
            out.push_str(&line);
            out.push('\n');
        }
    }
    let result = match child.wait() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("`{what}` failed ({s})")),
        Err(e) => Err(format!("`{what}` did not finish: {e}")),
    };
    (out, result)
}

/// The trimmed stdout of a command, or `None` if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
