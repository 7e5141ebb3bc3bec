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
    assert!(
        out.starts_with("complete: every schedule explored, on any number of cores"),
        "{out}"
    );
    assert!(out.contains("100.0%"), "one outcome: {out}");
    assert!(out.contains("finishes: COUNTER = 6"), "{out}");

    let (code, out, _) = interleave(&["explore", "preset:deadlock"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("DEADLOCK: A = 0, B = 0  (1 preemption)"),
        "{out}"
    );
    // The deadlock's witness replays to that deadlock, told in words.
    let (_, json, _) = interleave(&["explore", "preset:deadlock", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let deadlock = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["end"] == "deadlock")
        .expect("a deadlock outcome");
    let (file, steps) = ("preset:deadlock", deadlock["schedule"].as_str().unwrap());
    assert!(
        out.contains(&format!(
            "interleave run preset:deadlock --schedule \"{steps}\""
        )),
        "the text output shows the same replay command: {out}"
    );
    let (code, replayed, err) = interleave(&["run", file, "--schedule", steps]);
    assert_eq!(code, 0, "{err}");
    assert!(replayed.contains("is preempted"), "{replayed}");
    // Then the timed run that follows it, on the preset's two cores.
    assert!(replayed.contains("core 1 |"), "{replayed}");
    assert!(replayed.contains("end: deadlock"), "{replayed}");
    assert!(
        replayed.contains("wait for each other in a cycle"),
        "{replayed}"
    );
}

#[test]
fn explore_answers_the_same_on_any_number_of_cores_and_as_json() {
    // The lost update that lockstep cores used to hide on 3 cores.
    let miss = "static X: AtomicUsize = AtomicUsize::new(0);
fn main() {
    let a = spawn(|| { let v = X.load(Ordering::SeqCst); X.store(v + 1, Ordering::SeqCst); });
    let b = spawn(|| { work(3); let v = X.load(Ordering::SeqCst); X.store(v + 1, Ordering::SeqCst); });
    a.join().unwrap();
    b.join().unwrap();
    assert_eq!(X.load(Ordering::SeqCst), 2);
}
";
    let path = std::env::temp_dir().join(format!("interleave-miss-{}.rs", std::process::id()));
    std::fs::write(&path, miss).unwrap();
    let file = path.to_str().unwrap();
    let mut outs = Vec::new();
    for cores in ["1", "3", "16"] {
        let (code, out, _) = interleave(&["explore", file, "--cores", cores, "--format", "json"]);
        assert_eq!(code, 1, "{out}");
        outs.push(out);
    }
    assert!(
        outs.iter().all(|o| *o == outs[0]),
        "the same answer on 1, 3 and 16 cores"
    );
    let json: serde_json::Value = serde_json::from_str(&outs[0]).unwrap();
    assert_eq!(json["verdict"], "complete");
    let ends: Vec<(&str, i64)> = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["end"].as_str().unwrap(),
                o["values"]["X"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        ends.contains(&("panic", 1)) && ends.contains(&("ok", 2)),
        "{ends:?}"
    );
    let total: u64 = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, json["executions"].as_u64().unwrap());
    assert_eq!(
        json["caveats"],
        serde_json::json!([]),
        "no condvar, no park"
    );
    std::fs::remove_file(&path).ok();
}

/// A program that waits on a condvar or parks gets, next to its verdict, the one thing
/// std allows it that no schedule does: a spurious wake-up.
#[test]
fn explore_says_it_does_not_explore_spurious_wake_ups() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../interleave-lang/tests/rust/"
    );
    let (_, out, _) = interleave(&["explore", &format!("{dir}std_condvar.rs")]);
    assert!(
        out.contains("note: Spurious wake-ups are not explored: std allows `Condvar::wait`"),
        "{out}"
    );
    let (_, out, _) = interleave(&[
        "explore",
        &format!("{dir}ral_1_park.rs"),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let caveats = json["caveats"].as_array().unwrap();
    assert!(
        caveats.len() == 1 && caveats[0].as_str().unwrap().contains("`thread::park`"),
        "{caveats:?}"
    );
}

#[test]
fn explore_says_when_a_program_never_ends() {
    let path = std::env::temp_dir().join(format!("interleave-loop-{}.rs", std::process::id()));
    std::fs::write(&path, "fn main() { loop { } }\n").unwrap();
    let (code, out, _) = interleave(&["explore", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("NEVER ENDS"), "{out}");
    assert!(!out.contains("nothing can fail"), "{out}");
    std::fs::remove_file(&path).ok();
}

#[test]
fn explore_says_when_its_limit_stopped_it() {
    let (code, out, _) = interleave(&[
        "explore",
        "preset:dining-philosophers",
        "--max-states",
        "50",
    ]);
    assert!(code == 3 || code == 1, "{out}");
    assert!(out.starts_with("INCOMPLETE: "), "{out}");
    assert!(
        out.contains("the search stopped at the --max-states bound (50 distinct states)"),
        "{out}"
    );
    let (code, _, err) = interleave(&["explore", "preset:deadlock", "--max-states", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--max-states: 0 is outside"), "{err}");
}

/// A thread that counts forever: every execution that reaches the end is found up to the
/// depth bound, which the verdict names; counts past a `u64` are shown as estimates.
#[test]
fn explore_bounds_the_length_of_an_execution_and_says_so() {
    let (code, out, _) = interleave(&[
        "explore",
        "preset:threads-in-a-process",
        "--max-depth",
        "40",
    ]);
    assert_eq!(code, 3, "{out}");
    assert!(
        out.contains("the search stopped at the --max-depth bound (40 steps in one execution)"),
        "{out}"
    );
    assert!(out.contains("finishes: PROGRESS = 3"), "{out}");
    let (_, json, _) = interleave(&["explore", "preset:threads-in-a-process", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["verdict"], "incomplete");
    let shares: f64 = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9, "shares add up to {shares}");
    let (code, _, err) = interleave(&["explore", "preset:deadlock", "--max-depth", "0"]);
    assert_eq!(code, 2);
    assert!(err.contains("--max-depth: 0 is outside"), "{err}");
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

/// loom's preemption bound: fewer executions, the outcomes that need more preemptions are
/// not found, and the verdict says the answer is bounded.
#[test]
fn explore_takes_a_preemption_bound_and_says_what_it_leaves_out() {
    let (code, out, _) = interleave(&["explore", "preset:lost-update", "--preemption-bound", "1"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with("INCOMPLETE: ")
            && out.contains("only the executions with at most 1 preemption were explored"),
        "{out}"
    );
    assert!(out.contains("PANICS: COUNTER = 3  (1 preemption)"), "{out}");
    assert!(
        !out.contains("PANICS: COUNTER = 2"),
        "losing four increments needs four preemptions: {out}"
    );
    assert!(!out.contains("These are the executions of up to"), "{out}");
    let (_, all, _) = interleave(&["explore", "preset:lost-update", "--preemption-bound", "20"]);
    assert!(all.starts_with("complete: "), "{all}");
    assert!(all.contains("PANICS: COUNTER = 2"), "{all}");
    let (code, _, err) = interleave(&["explore", "preset:lost-update", "--preemption-bound", "21"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--preemption-bound: 21 is outside 0..=20"),
        "{err}"
    );
}

#[test]
fn run_takes_the_length_of_a_tick_and_refuses_one_it_does_not_offer() {
    let path = std::env::temp_dir().join(format!("interleave-tick-{}.rs", std::process::id()));
    std::fs::write(
        &path,
        "use std::thread;\nuse std::time::Duration;\nfn main() {\n    thread::sleep(Duration::from_millis(3));\n}\n",
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let end = |tick: &str| {
        let (code, out, err) = interleave(&["run", file, "--tick", tick]);
        assert_eq!(code, 0, "{err}");
        out.lines()
            .find(|l| l.starts_with("end:"))
            .unwrap()
            .to_string()
    };
    assert!(end("1ms").contains("after 5 ticks"), "{}", end("1ms"));
    assert!(end("100us").contains("after 32 ticks"), "{}", end("100us"));
    let (code, _, err) = interleave(&["run", file, "--tick", "3ms"]);
    assert_eq!(code, 2);
    assert!(err.contains("--tick: `3ms` is not one of 1 µs"), "{err}");
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_print_of_several_lines_shows_as_its_lines() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../interleave-lang/tests/rust/course_vec_results_debug.rs"
    );
    let (code, out, _) = interleave(&["run", file]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("  M | [src/main.rs:20:5] &squares = [\n  M |     0,\n  M |     1,\n  M |     4,\n  M | ]  (stderr)\n"),
        "{out}"
    );
}

#[test]
fn hostile_files_get_a_sentence_and_a_bounded_report_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("interleave-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Read no further than the size limit: `/dev/zero` is refused at once.
    let (code, _, err) = interleave(&["check", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("more than 200000 bytes"), "{err}");
    // Not UTF-8: the line and column of the first bad byte.
    let bad = dir.join("bad.rs");
    std::fs::write(&bad, b"fn main() {\n  let x\xff = 1;\n}\n").unwrap();
    let (code, _, err) = interleave(&["check", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.rs:2:8: not UTF-8 text"), "{err}");
    // 99,990 lines of `@`: 50 errors, then how many more, at once (it took 152 s and
    // printed 7 MB); a 199,990-character line is one error, echoed as a window.
    let lines = dir.join("at-lines.rs");
    std::fs::write(&lines, "@\n".repeat(99_990)).unwrap();
    let (code, _, err) = interleave(&["check", lines.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(err.matches("error: unexpected character `@`").count(), 50);
    assert!(err.contains("error: 99940 more errors not shown"), "{err}");
    assert!(err.ends_with("at-lines.rs: 99990 error(s)\n"), "{err}");
    let line = dir.join("at-line.rs");
    std::fs::write(&line, "@".repeat(199_990)).unwrap();
    let (_, _, err) = interleave(&["check", line.to_str().unwrap()]);
    assert!(
        err.starts_with("error: 199990 unexpected characters `@`"),
        "{err}"
    );
    assert!(err.len() < 1_000, "the line is echoed as a window: {err}");
    // A reader that closes standard error early does not crash the tool: it ends with
    // its own exit code (a panic would be 101).
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' check '{}' 2>&1 | head -1; echo \"status ${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_interleave"),
            lines.display()
        ))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text, "error: unexpected character `@`\nstatus 1\n");
    std::fs::remove_dir_all(&dir).unwrap();
}
