//! What a student sees when a scenario is wrong: line:column, a caret, a hint, and every
//! error the parser can find in one pass.

use expect_test::{expect, Expect};
use interleave_lang::diag::render;

fn check(src: &str, want: Expect) {
    let diags = match interleave_lang::compile(src) {
        Ok(c) => c.warnings,
        Err(d) => d,
    };
    let text: String = diags
        .iter()
        .map(|d| render(src, "scenario.rs", d))
        .collect();
    want.assert_eq(&text);
}

#[test]
fn missing_semicolons_are_all_reported_in_one_pass() {
    check(
        "static COUNTER: usize = 0\n\nfn main() {\n    let x = 5\n    let y = x + 1\n}\n",
        expect![[r#"
            error: expected `;`, found `fn`
             --> scenario.rs:1:26
              |
            1 | static COUNTER: usize = 0
              |                          ^
              = hint: statements end with `;`
            error: expected `;`, found `let`
             --> scenario.rs:4:14
              |
            4 |     let x = 5
              |              ^
              = hint: statements end with `;`
            error: expected `;`, found `}`
             --> scenario.rs:5:18
              |
            5 |     let y = x + 1
              |                  ^
              = hint: statements end with `;`
        "#]],
    );
}

#[test]
fn names_that_do_not_exist_get_a_suggestion() {
    check(
        "static COUNTER: usize = 0;\nfn main() {\n    COUNTR += 1;\n}\n",
        expect![[r#"
            error: cannot find `COUNTR` in this scope
             --> scenario.rs:3:5
              |
            3 |     COUNTR += 1;
              |     ^^^^^^
              = hint: did you mean `COUNTER`?
        "#]],
    );
}

#[test]
fn rust_rules_that_the_simulator_keeps_are_explained() {
    check(
        "static M: Mutex<i64> = Mutex::new(0);\nstatic A: AtomicUsize = AtomicUsize::new(0);\nfn main() {\n    let x = 1;\n    x += 1;\n    A += 1;\n    M += 1;\n    let g = M.lock().unwrap();\n    spawn(move || { *g += 1; });\n}\n",
        expect![[r#"
            error: cannot assign twice to immutable variable `x`
             --> scenario.rs:5:5
              |
            5 |     x += 1;
              |     ^
              = hint: declare it with `let mut x`
            error: `A` is atomic: write it with a method
             --> scenario.rs:6:5
              |
            6 |     A += 1;
              |     ^^^^^^^
              = hint: `A.store(v)`, or `A.fetch_add(1)` for `+= 1` in one indivisible step
            error: `M` is a Mutex: lock it to change it
             --> scenario.rs:7:5
              |
            7 |     M += 1;
              |     ^^^^^^^
              = hint: `*M.lock().unwrap() += 1;`
            error[E0277]: `MutexGuard<'_, i64>` cannot be sent between threads safely
             --> scenario.rs:9:5
              |
            9 |     spawn(move || { *g += 1; });
              |     ^^^^^
              = hint: a lock is released by the thread that took it, so a guard stays in its thread (`MutexGuard` is not `Send`): lock the mutex inside the spawned closure instead
        "#]],
    );
}

#[test]
fn unsupported_constructs_say_what_to_write_instead() {
    check(
        "fn main() -> i64 {\n    0\n}\n",
        expect![[r#"
            error[E0277]: `main` has invalid return type `i64`
             --> scenario.rs:1:4
              |
            1 | fn main() -> i64 {
              |    ^^^^
              = hint: `fn main()` returns nothing here (a `main` returning `Result` is not simulated yet)
        "#]],
    );
    check(
        "fn f() { f(); }\nfn main() {\n    let t = io(3);\n    f();\n}\n",
        expect![[r#"
            error: `f` calls itself: recursion is not supported
             --> scenario.rs:1:10
              |
            1 | fn f() { f(); }
              |          ^^^
              = hint: use a loop
            error: `io(t)` is a future: `.await` it inside an `async fn`
             --> scenario.rs:3:13
              |
            3 |     let t = io(3);
              |             ^^^^^
              = hint: for a blocking call use `blocking_io(t)`
        "#]],
    );
}

/// An iterator chain runs as a `let`'s value; anywhere else it gets a sentence that says
/// where it is simulated, not a message about the range or `iter` inside it.
#[test]
fn an_iterator_chain_outside_a_let_says_where_it_is_simulated() {
    check(
        "fn main() {\n    let v = vec![1, 2];\n    let n: i32 = v.iter().map(|x| x * 2).sum();\n    assert_eq!(n, 6);\n}\n",
        expect![[""]],
    );
    check(
        "fn main() {\n    let v = vec![1, 2];\n    assert_eq!(v.iter().sum::<i32>(), 3);\n}\n",
        expect![[r#"
            error: an iterator chain is simulated as a `let`'s value only
             --> scenario.rs:3:16
              |
            3 |     assert_eq!(v.iter().sum::<i32>(), 3);
              |                ^^^^^^^^^^^^^^^^^^^^^
              = hint: `let v: Vec<_> = (0..n).map(|i| …).collect();`, `let total: i32 = v.iter().sum();`
        "#]],
    );
}

#[test]
fn what_the_rust_book_writes_first_compiles_or_says_what_is_not_simulated() {
    check("use std::sync::{Arc, Mutex};\nfn main() {\n    let m = Arc::new(Mutex::new(0));\n    let v = vec![1, 2];\n}\n", expect![[""]]);
    check(
        "use std::sync::Arc;\nfn main() {\n    let m = Arc::new(5);\n}\n",
        expect![[r#"
            error: an `Arc` of this value is not simulated yet
             --> scenario.rs:3:22
              |
            3 |     let m = Arc::new(5);
              |                      ^
              = hint: share a `Mutex::new(…)` or an atomic: `Arc::new(Mutex::new(0))`
        "#]],
    );
    // As rustc, a path through a std type or module needs its `use` (E0433).
    check(
        "fn main() {\n    let m = Arc::new(5);\n}\n",
        expect![[r#"
            error[E0433]: cannot find type `Arc` in this scope
             --> scenario.rs:2:13
              |
            2 |     let m = Arc::new(5);
              |             ^^^
              = hint: add `use std::sync::Arc;` at the top
        "#]],
    );
    check(
        "fn main() {\n    let h = spawn(|| work(1));\n    let x = match h.join() { Ok(_) => 1 };\n}\n",
        expect![[r#"
            error[E0004]: non-exhaustive patterns: `Err(_)` not covered
             --> scenario.rs:3:19
              |
            3 |     let x = match h.join() { Ok(_) => 1 };
              |                   ^^^^^^^^
              = hint: add an arm for it, or `_ => …` for every other case
        "#]],
    );
    check(
        "fn main() {\n    let mut v = vec![1, 2];\n    v.sort();\n}\n",
        expect![[r#"
            error: `Vec::sort` with 0 arguments is not simulated yet
             --> scenario.rs:3:7
              |
            3 |     v.sort();
              |       ^^^^
              = hint: vectors support `push(x)`, `pop()`, `len()`, indexing and `for x in v`
        "#]],
    );
}

#[test]
fn a_scenario_without_main_is_an_error() {
    check(
        "static X: usize = 0;\n",
        expect![[r#"
        error: there is no `fn main()`
         --> scenario.rs:1:1
          |
        1 | static X: usize = 0;
          | ^
          = hint: add `fn main() { … }`: the simulation starts there
    "#]],
    );
}

#[test]
fn weaker_orderings_are_accepted_with_a_warning() {
    check(
        "static A: AtomicUsize = AtomicUsize::new(0);\nfn main() {\n    A.fetch_add(1, Ordering::Relaxed);\n}\n",
        expect![[r#"
            warning: `Relaxed` is simulated as `SeqCst`
             --> scenario.rs:3:20
              |
            3 |     A.fetch_add(1, Ordering::Relaxed);
              |                    ^^^^^^^^^^^^^^^^^
              = hint: the simulator models sequentially consistent atomics only
        "#]],
    );
}

#[test]
fn a_result_kept_as_a_value_says_how_to_use_it() {
    // Quietly unwrapping would panic where the Rust program does not.
    check(
        "static A: AtomicUsize = AtomicUsize::new(0);\nfn main() {\n    let h = spawn(|| work(1));\n    let r = h.join();\n    let (tx, rx) = channel();\n    let s = tx.send(1);\n    let v = rx.recv();\n    let c = A.compare_exchange(0, 1);\n}\n",
        expect![[r#"
            error: `compare_exchange()` returns a `Result`, which a scenario cannot keep as a value
             --> scenario.rs:8:13
              |
            8 |     let c = A.compare_exchange(0, 1);
              |             ^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: test it with `.is_ok()` / `.is_err()`, or `.unwrap()` for the old value (panics if it was not the expected one)
        "#]],
    );
}

#[test]
fn writing_through_a_guard_needs_mut_and_one_error_does_not_cascade() {
    // rustc's E0596. The spawn that fails to compile leaves `h` unbound; its later use is
    // not reported again as an unknown name.
    check(
        "static M: Mutex<i64> = Mutex::new(0);\nfn main() {\n    let h = spawn(|| {\n        let g = M.lock().unwrap();\n        *g += 1;\n    });\n    h.join().unwrap();\n    if let Ok(g) = M.try_lock() {\n        *g = 2;\n    }\n    let mut g = M.lock().unwrap();\n    *g += 1;\n}\n",
        expect![[r#"
            error: cannot borrow `g` as mutable, as it is not declared as mutable
             --> scenario.rs:5:10
              |
            5 |         *g += 1;
              |          ^
              = hint: declare the guard `let mut g = …` (or `Ok(mut g)`) to write through it
            error: cannot borrow `g` as mutable, as it is not declared as mutable
             --> scenario.rs:9:10
              |
            9 |         *g = 2;
              |          ^
              = hint: declare the guard `let mut g = …` (or `Ok(mut g)`) to write through it
        "#]],
    );
}

#[test]
fn let_underscore_on_a_lock_is_refused_as_rustc_does() {
    // rustc's deny-by-default `let_underscore_lock`: the guard would be dropped at once.
    check(
        "static M: Mutex<i64> = Mutex::new(0);\nfn main() {\n    let _ = M.lock().unwrap();\n    drop(M.lock().unwrap());\n}\n",
        expect![[r#"
            error: non-binding let on a synchronization lock: the guard is dropped at once (rustc refuses this)
             --> scenario.rs:3:5
              |
            3 |     let _ = M.lock().unwrap();
              |     ^^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: to hold the lock, bind it: `let _g = M.lock().unwrap();`; to lock and release at once, `drop(M.lock().unwrap());`
        "#]],
    );
}

#[test]
fn a_lock_result_is_unwrapped_before_it_is_dereferenced() {
    check(
        "static M: Mutex<i64> = Mutex::new(0);\nfn main() {\n    *M.lock() += 1;\n}\n",
        expect![[r#"
            error: `lock()` returns a `Result`, which cannot be dereferenced
             --> scenario.rs:3:6
              |
            3 |     *M.lock() += 1;
              |      ^^^^^^^^
              = hint: write `*M.lock().unwrap()` (it panics if the lock is poisoned)
        "#]],
    );
}

#[test]
fn a_task_is_waited_for_once() {
    // `rt::Task` in the Rust view is not `Copy`: `block_on` and `.await` take it.
    check(
        "async fn f() {\n    io(2).await;\n}\nfn main() {\n    let t = spawn_task(f());\n    block_on(t);\n    block_on(t);\n}\n",
        expect![[r#"
            error: `t` was moved or dropped
             --> scenario.rs:7:14
              |
            7 |     block_on(t);
              |              ^
              = hint: `block_on(t)` and `t.await` take the task: each task is waited for once
        "#]],
    );
}

#[test]
fn a_thread_is_joined_once() {
    check(
        "fn main() {\n    let h = spawn(|| work(1));\n    h.join().unwrap();\n    h.join().unwrap();\n}\n",
        expect![[r#"
            error[E0382]: use of moved value: `h`
             --> scenario.rs:4:5
              |
            4 |     h.join().unwrap();
              |     ^
              = hint: `join()` takes the handle: a thread is joined once
        "#]],
    );
}

#[test]
fn moving_a_value_from_outside_a_loop_in_every_iteration_is_refused() {
    // rustc's E0382 "value moved here, in previous iteration of loop"; a `break` right
    // after the move is fine.
    check(
        "static M: Mutex<i64> = Mutex::new(0);\nfn main() {\n    let g = M.lock().unwrap();\n    let (tx, rx) = channel();\n    for i in 0..3 {\n        if i == 2 { drop(g); break; }\n        spawn(move || { tx.send(i).unwrap(); });\n    }\n}\n",
        expect![[r#"
            error[E0382]: use of moved value: `tx` (value moved here, in previous iteration of loop)
             --> scenario.rs:7:15
              |
            7 |         spawn(move || { tx.send(i).unwrap(); });
              |               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: it moves here in one iteration, and the next would move it again: give each iteration its own sender, `let tx = tx.clone();` inside the loop, before the move
        "#]],
    );
}

#[test]
fn a_misspelt_built_in_function_or_method_gets_a_did_you_mean() {
    check(
        "fn worker() {\n    work(1);\n}\nfn main() {\n    sleeep(3);\n    let h = spawn(worker);\n    h.jion().unwrap();\n}\n",
        expect![[r#"
            error: cannot find function `sleeep`
             --> scenario.rs:5:5
              |
            5 |     sleeep(3);
              |     ^^^^^^
              = hint: did you mean `sleep`?
            error: no method `jion` here
             --> scenario.rs:7:7
              |
            7 |     h.jion().unwrap();
              |       ^^^^
              = hint: did you mean `join`?
        "#]],
    );
}

#[test]
fn spawning_a_misspelt_or_unfit_function_says_which() {
    check(
        "fn worker() {\n    work(1);\n}\nfn add(a: i64) {\n    work(a);\n}\nfn main() {\n    let h = spawn(workr);\n    let g = spawn(add);\n}\n",
        expect![[r#"
            error: cannot find function `workr`
             --> scenario.rs:8:19
              |
            8 |     let h = spawn(workr);
              |                   ^^^^^
              = hint: did you mean `worker`?
            error: `add` takes 1 parameter: `spawn` needs a function without any
             --> scenario.rs:9:19
              |
            9 |     let g = spawn(add);
              |                   ^^^
              = hint: spawn a closure that calls it: `spawn(move || add(…))`
        "#]],
    );
}

#[test]
fn what_cannot_be_printed_is_refused_where_it_is() {
    check(
        "fn main() {\n    let x = 1;\n    println!(\"{:>5}\", x);\n}\n",
        expect![[r#"
            error: the format `{:>5}` is not simulated yet: only `{}`, `{:?}`, `{0}` and `{name}` print here
             --> scenario.rs:3:14
              |
            3 |     println!("{:>5}", x);
              |              ^^^^^^^
        "#]],
    );
    check(
        "fn main() {\n    println!(\"{} {}\", 1);\n}\n",
        expect![[r#"
            error: 2 positional arguments in format string, but there is 1 argument
             --> scenario.rs:2:14
              |
            2 |     println!("{} {}", 1);
              |              ^^^^^^^
        "#]],
    );
    check(
        "fn main() {\n    println!(\"{}\", 1, 2);\n}\n",
        expect![[r#"
            error: argument never used
             --> scenario.rs:2:23
              |
            2 |     println!("{}", 1, 2);
              |                       ^
              = hint: add a `{}` for it to the format string
        "#]],
    );
    // A `bool` prints (`true`); an integer's `!` (its bits flipped) is refused, not
    // printed as a `bool`'s not.
    check(
        "fn main() {\n    println!(\"{}\", true);\n}\n",
        expect![[""]],
    );
    check(
        "fn main() {\n    let n = 5;\n    println!(\"{}\", !n);\n}\n",
        expect![[r#"
            error: `!` of an integer (its bits flipped) is not simulated yet
             --> scenario.rs:3:20
              |
            3 |     println!("{}", !n);
              |                    ^^
              = hint: `!` here is the `bool` not: write `x == 0` to test for zero
        "#]],
    );
}

#[test]
fn a_thread_that_returns_what_is_not_simulated_says_so_at_its_value() {
    // It used to give its joiner 0, silently.
    check(
        "use std::thread;\n\nfn main() {\n    let v = vec![1, 2];\n    let h = thread::spawn(move || v);\n    h.join().unwrap();\n}\n",
        expect![[r#"
            error: a thread that returns a `Vec<i32>` is not simulated yet
             --> scenario.rs:5:35
              |
            5 |     let h = thread::spawn(move || v);
              |                                   ^
              = hint: a thread may return a number, a `bool` or a `String`; share the rest through a channel or an `Arc<Mutex<…>>`
        "#]],
    );
}

#[test]
fn question_mark_on_the_wrong_kind_or_error_and_a_none_never_described_are_rustc_s_errors() {
    check(
        "fn half(n: i32) -> Option<i32> {\n    if n % 2 == 0 { Some(n / 2) } else { None }\n}\n\
         fn code(n: i32) -> Result<i32, i32> {\n    if n > 0 { Ok(n) } else { Err(n) }\n}\n\
         fn quarter(n: i32) -> Result<i32, String> {\n    let h = half(n)?;\n    let c = code(h)?;\n    Ok(c)\n}\n\
         fn main() {\n    let x = None;\n    if let Some(v) = x {\n        println!(\"{v}\");\n    }\n    println!(\"{:?}\", quarter(8));\n    let y = half(2)?;\n}\n",
        expect![[r#"
            error[E0277]: the `?` operator can only be used on `Result`s, not `Option`s, in a function that returns `Result`
             --> scenario.rs:8:13
              |
            8 |     let h = half(n)?;
              |             ^^^^^^^^
              = hint: turn it into a `Result` first, or `match` it
            error[E0277]: `?` couldn't convert the error to `String`
             --> scenario.rs:9:13
              |
            9 |     let c = code(h)?;
              |             ^^^^^^^^
              = hint: the error's type must be the function's
            error[E0282]: type annotations needed
              --> scenario.rs:14:17
               |
            14 |     if let Some(v) = x {
               |                 ^
               = hint: say what it holds where it is made: `let x: Option<i32> = None;`
            error[E0277]: the `?` operator can only be used in a function that returns `Result` or `Option`
              --> scenario.rs:18:13
               |
            18 |     let y = half(2)?;
               |             ^^^^^^^^
               = hint: here the function returns `()`: `match` the value, or `.unwrap()` it
        "#]],
    );
}

#[test]
fn a_literal_out_of_its_written_type_s_range_is_refused_as_rustc_refuses_it() {
    check(
        "fn main() {\n    let x: u8 = 256;\n    let y: i8 = -129;\n    println!(\"{x} {y}\");\n}\n",
        expect![[r#"
            error: literal out of range for `u8`
             --> scenario.rs:2:17
              |
            2 |     let x: u8 = 256;
              |                 ^^^
              = hint: a `u8` holds 0 to 255
            error: literal out of range for `i8`
             --> scenario.rs:3:17
              |
            3 |     let y: i8 = -129;
              |                 ^^^^
              = hint: an `i8` holds -128 to 127
        "#]],
    );
}

#[test]
fn the_book_s_chapter_17_async_blocks_and_trpl_are_refused_by_name() {
    check(
        "use std::time::Duration;\nfn main() {\n    let f = async move {\n        println!(\"hi\");\n    };\n    trpl::run(async {\n        trpl::sleep(Duration::from_millis(500)).await;\n    });\n}\n",
        expect![[r#"
            error: `async` blocks are not simulated yet (the Book's chapter 17 writes them: `trpl::run(async { … })`)
             --> scenario.rs:3:13
              |
            3 |     let f = async move {
              |             ^^^^^^^^^^^^
              = hint: write the work as an `async fn`, start it with `spawn_task(f())` and wait for it with `block_on(t)` (or `t.await` in another `async fn`); see docs/language.md, Async
            error: `trpl::run` is not simulated yet: the Book's `trpl` crate (chapter 17) is not
             --> scenario.rs:6:5
              |
            6 |     trpl::run(async {
              |     ^^^^^^^^^^^^^^^^^
              = hint: write the work as an `async fn`, start it with `spawn_task(f())` and wait for it with `block_on(t)` (or `t.await` in another `async fn`); see docs/language.md, Async
        "#]],
    );
}

#[test]
fn a_once_lock_of_anything_but_a_number_is_refused_rather_than_read_as_one() {
    check(
        "use std::sync::OnceLock;\nstatic NAME: OnceLock<String> = OnceLock::new();\nfn main() {\n    let n = NAME.get_or_init(|| String::from(\"x\"));\n    println!(\"{n}\");\n}\n",
        expect![[r#"
            error: an `OnceLock<String>` is not simulated yet
             --> scenario.rs:2:8
              |
            2 | static NAME: OnceLock<String> = OnceLock::new();
              |        ^^^^
              = hint: an `OnceLock` holds a number or a `bool` here: keep a string in a `Mutex` or send it on a channel
        "#]],
    );
}

#[test]
fn branches_of_an_if_or_match_value_must_agree_as_rustc_says() {
    check(
        "fn main() {\n    let c = 3;\n    let y = if c > 3 { \"a\" };\n    let z = match c { 1 => \"one\", _ => 2 };\n    let w = if c > 1 { \"a\" } else { println!(\"b\"); };\n}\n",
        expect![[r#"
            error[E0317]: `if` may be missing an `else` clause: without one its value is `()`
             --> scenario.rs:3:13
              |
            3 |     let y = if c > 3 { "a" };
              |             ^^^^^^^^^^^^^^^^
              = hint: add `else { … }` that gives a value of the same type
            error[E0308]: `match` arms have incompatible types: expected `&str`, found `i32`
             --> scenario.rs:4:40
              |
            4 |     let z = match c { 1 => "one", _ => 2 };
              |                                        ^
              = hint: every branch must give a value of the same type
            error[E0308]: `if` and `else` have incompatible types: expected `&str`, found `()`
             --> scenario.rs:5:35
              |
            5 |     let w = if c > 1 { "a" } else { println!("b"); };
              |                                   ^^^^^^^^^^^^^^^^^^
              = hint: this branch gives no value; end it with an expression of the same type as the others
        "#]],
    );
}

#[test]
fn escapes_chars_and_labels_get_a_sentence_each() {
    check(
        "fn main() {\n    let s = \"a\\qb\\u{110000}\";\n    let c = 'x';\n    'outer: loop { break; }\n}\n",
        expect![[r#"
            error: unknown character escape: `q`
             --> scenario.rs:2:15
              |
            2 |     let s = "a\qb\u{110000}";
              |               ^^
              = hint: the escapes are `\n`, `\r`, `\t`, `\0`, `\\`, `\"`, `\'`, `\x7F` and `\u{…}`
            error: invalid unicode character escape: not a character
             --> scenario.rs:2:18
              |
            2 |     let s = "a\qb\u{110000}";
              |                  ^^^^^^^^^^
              = hint: the escapes are `\n`, `\r`, `\t`, `\0`, `\\`, `\"`, `\'`, `\x7F` and `\u{…}`
            error: `char` values are not simulated yet
             --> scenario.rs:3:13
              |
            3 |     let c = 'x';
              |             ^^^
              = hint: write a string instead: `"x"` rather than `'x'`
            error: loop labels (`'outer:`) are not simulated yet
             --> scenario.rs:4:5
              |
            4 |     'outer: loop { break; }
              |     ^^^^^^
              = hint: write the loop without a label: `break` leaves the innermost loop
        "#]],
    );
}
