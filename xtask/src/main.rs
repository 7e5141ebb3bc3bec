//! Project automation, run as `cargo xtask <command>` (see `usage`).
//!
//! Every command installs what it needs first (pinned, idempotent), so a fresh clone on a
//! fresh machine of our kind needs nothing but `cargo`.

mod bench;
mod dist;
mod docs;
mod fuzz;
mod setup;
mod tests;
mod threads;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  serve          install what is missing, then serve the app on http://127.0.0.1:8080
  test           install what is missing, then run every check and test; ends with
                 one line `N passed, N failed`
  dist           build the static site into dist/ (works on hosts that cannot set headers)
  bench          build release artefacts and print `figure <name> <value> <unit>` lines
  fuzz           run the fuzzer (flags: --target compile|format|link|run, --inputs N,
                 --seed S, --only N); `test` runs 10,000 inputs per target
  setup          only install what is missing (pinned versions)
  build-threads  build the threaded wasm module (Trunk's build hook calls this)
  build-docs     render docs/language.md into the site (Trunk's build hook calls this)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("serve") => setup::all().and_then(|()| serve()),
        Some("test") => setup::all().and_then(|()| tests::run_all()),
        Some("dist") => setup::all().and_then(|()| dist::run()),
        Some("bench") => setup::all().and_then(|()| bench::run()),
        Some("fuzz") => fuzz::run_with(&args[1..]),
        Some("build-threads") => threads::build_for_trunk(),
        Some("build-docs") => docs::render_for_trunk(),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command {:?}\n\n{USAGE}", args.first())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> util::Result<()> {
    println!("Interleave: serving at http://127.0.0.1:8080/ (cross-origin isolated; Ctrl-C stops)");
    util::run(util::tool("trunk").args(["serve", "--release"]))
}
