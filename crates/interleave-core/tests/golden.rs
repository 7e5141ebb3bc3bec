//! Runs rendered as ASCII timelines, reviewed as pictures. Regenerate after a deliberate
//! change with `UPDATE_EXPECT=1 cargo test -p interleave-core --test golden`, then read the
//! diff as you would a screenshot.

mod common;
use common::*;
use expect_test::{expect, Expect};
use interleave_core::timeline::render;

fn check(
    program: &std::sync::Arc<interleave_core::program::Program>,
    s: &interleave_core::settings::Settings,
    want: Expect,
) {
    want.assert_eq(&render(&run(program, s), 120));
}

#[test]
fn time_slicing_on_one_core() {
    check(
        &work(3, 6),
        &settings(1, 3, 1),
        expect![[r#"
            core 0 |MMM~111~222~333~M~111~222~333~MM|
            threads: M main, 1 T1 (worker), 2 T2 (worker), 3 T3 (worker)
            end: main returned after 32 ticks, 24 steps
        "#]],
    );
}

#[test]
fn the_same_work_on_four_cores() {
    check(
        &work(3, 6),
        &settings(4, 3, 1),
        expect![[r#"
            core 0 |MMMM...MM.|
            core 1 |.111111...|
            core 2 |..222222..|
            core 3 |...333333.|
            threads: M main, 1 T1 (worker), 2 T2 (worker), 3 T3 (worker)
            end: main returned after 10 ticks, 24 steps
        "#]],
    );
}

#[test]
fn lost_update_on_one_core_with_a_small_quantum() {
    check(
        &lost_update(3),
        &settings(1, 4, 0),
        expect![[r#"
            core 0 |MMM111122221111222211112222111122221111222211112222MMMM|
            threads: M main, 1 T1 (worker), 2 T2 (worker)
            end: main panicked; the process ended after 55 ticks, 55 steps
            final: COUNTER = 4
            panic in main at tick 54: assertion `left == right` failed: COUNTER
            data race on `COUNTER`: read by T2 (worker) (op 3 of worker) at tick 10 and write by T1 (worker) (op 5 of worker) at tick 12, with nothing ordering them
            data race on `COUNTER`: write by T1 (worker) (op 5 of worker) at tick 12 and write by T2 (worker) (op 5 of worker) at tick 16, with nothing ordering them
            data race on `COUNTER`: write by T2 (worker) (op 5 of worker) at tick 16 and read by T1 (worker) (op 3 of worker) at tick 21, with nothing ordering them
        "#]],
    );
}

#[test]
fn lost_update_on_two_cores() {
    check(
        &lost_update(3),
        &settings(2, 3, 0),
        expect![[r#"
            core 0 |MMM222222222222222222222222...|
            core 1 |.111111111111111111111111M.MMM|
            threads: M main, 1 T1 (worker), 2 T2 (worker)
            end: main panicked; the process ended after 30 ticks, 55 steps
            final: COUNTER = 3
            panic in main at tick 29: assertion `left == right` failed: COUNTER
            data race on `COUNTER`: read by T2 (worker) (op 3 of worker) at tick 6 and write by T1 (worker) (op 5 of worker) at tick 6, with nothing ordering them
            data race on `COUNTER`: write by T1 (worker) (op 5 of worker) at tick 6 and write by T2 (worker) (op 5 of worker) at tick 8, with nothing ordering them
            data race on `COUNTER`: write by T2 (worker) (op 5 of worker) at tick 8 and read by T1 (worker) (op 3 of worker) at tick 11, with nothing ordering them
        "#]],
    );
}

#[test]
fn mutex_fixes_the_lost_update() {
    check(
        &mutex_counter(2),
        &settings(2, 3, 0),
        expect![[r#"
            core 0 |MMM2222..22222222222222222.....|
            core 1 |.111111111111111111111M...MMMMM|
            threads: M main, 1 T1 (worker), 2 T2 (worker)
            end: main returned after 31 ticks, 51 steps
            final: COUNTER = 4
        "#]],
    );
}

#[test]
fn two_locks_in_opposite_orders_deadlock() {
    check(
        &two_lock_deadlock(2),
        &settings(2, 3, 0),
        expect![[r#"
        core 0 |MMM2222|
        core 1 |.1111..|
        threads: M main, 1 T1 (left), 2 T2 (right)
        end: deadlock after 7 ticks, 11 steps
        final: A = 0, B = 0
        Deadlock: T1 (left) and T2 (right) wait for each other in a cycle.
        - main waits to join T1 (left).
        - T1 (left) waits for mutex `B`, held by T2 (right).
        - T2 (right) waits for mutex `A`, held by T1 (left).
    "#]],
    );
}
