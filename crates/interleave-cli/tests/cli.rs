//! The teacher's command line, run as a user runs it: exit codes and what it prints.

use std::process::Command;

/// Runs `interleave ARGS`: (exit code, stdout, stderr).
fn interleave(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_interleave"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn explore_proves_a_fix_and_hands_over_the_schedule_that_breaks_the_bug() {
    let (code, out, _) = interleave(&["explore", "preset:mutex-fix"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("every schedule was checked"), "{out}");
    assert!(
        out.contains("no schedule deadlocks, panics or fails an assertion"),
        "{out}"
    );

    let (code, out, _) = interleave(&["explore", "preset:deadlock", "--cores", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("deadlock. To see the first one found:"),
        "{out}"
    );
    // The command it prints replays that deadlock.
    let command = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("interleave "))
        .expect("a replay command");
    let args: Vec<&str> = command.split_whitespace().collect();
    assert!(args.contains(&"--schedule"), "{command}");
    let (code, replayed, err) = interleave(&args);
    assert_eq!(code, 0, "{err}");
    assert!(replayed.contains("end: deadlock"), "{replayed}");
    assert!(
        replayed.contains("wait for each other in a cycle"),
        "{replayed}"
    );
}

#[test]
fn explore_says_when_its_limit_stopped_it() {
    let (code, out, _) = interleave(&[
        "explore",
        "preset:dining-philosophers",
        "--max-states",
        "50",
    ]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("not every schedule was checked"), "{out}");
    let (code, _, err) = interleave(&["explore", "preset:deadlock", "--max-states", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--max-states: 0 is outside"), "{err}");
}

#[test]
fn a_schedule_that_is_not_one_says_which_decision_and_why() {
    let (code, _, err) = interleave(&["run", "preset:deadlock", "--schedule", "y,p0,q"]);
    assert_eq!(code, 2);
    assert!(err.contains("--schedule: decision 3 (`q`) is not"), "{err}");
    // A schedule that parses but does not fit this program stops the run and says where.
    let (code, out, _) = interleave(&[
        "run",
        "preset:deadlock",
        "--cores",
        "1",
        "--schedule",
        "y,p5",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("the replay stopped after 1 tick, 1 step: decision 2 (`p5`) does not fit"),
        "{out}"
    );
}
