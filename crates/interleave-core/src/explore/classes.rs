//! The reference for the explorer's unit of counting, by brute force: every order of steps
//! is run (no states merged, no reduction), and the complete ones are grouped into classes
//! of orders that differ only in swapping adjacent independent steps (see `dependency`).
//! Two orders are in one class exactly when they have the same canonical form: the
//! lexicographically least order of the same steps that keeps every dependent pair (and
//! each thread's own steps) in place. Slow on purpose; for tests on small programs.

use super::step::{self, Action, Stepped};
use super::{start, Options};
use crate::code::Code;
use crate::machine::Accesses;
use crate::machine::Machine;
use crate::program::Program;
use std::collections::HashSet;
use std::sync::Arc;

/// One step of an order: its action, which occurrence of that action it is, what it touched.
type Step = ((Action, u32), Accesses);

/// The number of classes of complete executions of `program`, or `None` when it has more
/// than `max_orders` orders, one longer than `max_depth` steps, or one that never ends.
pub fn count(program: Arc<Program>, options: &Options, max_orders: u64) -> Option<u64> {
    program.validate().ok()?;
    let m = start(program, &options.limits);
    let code = m.code();
    let mut classes = HashSet::new();
    let mut orders = 0u64;
    let mut path = Vec::new();
    walk(
        &m,
        &code,
        options,
        max_orders,
        &mut path,
        &mut orders,
        &mut classes,
    )?;
    Some(classes.len() as u64)
}

fn walk(
    m: &Machine,
    code: &Code,
    options: &Options,
    max_orders: u64,
    path: &mut Vec<Step>,
    orders: &mut u64,
    classes: &mut HashSet<Vec<(Action, u32)>>,
) -> Option<()> {
    let actions = step::enabled(m);
    if actions.is_empty() {
        m.end.as_ref()?;
        *orders += 1;
        if *orders > max_orders {
            return None;
        }
        classes.insert(canonical(path));
        return Some(());
    }
    if path.len() as u64 >= options.max_depth {
        return None;
    }
    for a in actions {
        let mut child = m.clone();
        let (stepped, touched) = step::take_touching(&mut child, code, a, options.max_local_steps);
        if stepped != Stepped::Done {
            return None;
        }
        let nth = path.iter().filter(|((b, _), _)| *b == a).count() as u32;
        path.push(((a, nth), touched));
        let r = walk(&child, code, options, max_orders, path, orders, classes);
        path.pop();
        r?;
    }
    Some(())
}

/// The least order (by action, then occurrence) of `path`'s steps in which every step comes
/// after each earlier step it depends on.
fn canonical(path: &[Step]) -> Vec<(Action, u32)> {
    let n = path.len();
    let depends = |i: usize, j: usize| {
        let ((a, _), x) = &path[i];
        let ((b, _), y) = &path[j];
        a == b || !x.independent(y)
    };
    let mut before: Vec<usize> = (0..n)
        .map(|j| (0..j).filter(|&i| depends(i, j)).count())
        .collect();
    let mut taken = vec![false; n];
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let next = (0..n)
            .filter(|&j| !taken[j] && before[j] == 0)
            .min_by_key(|&j| path[j].0)
            .expect("a partial order has a minimal step");
        taken[next] = true;
        out.push(path[next].0);
        for (j, b) in before.iter_mut().enumerate().skip(next + 1) {
            if depends(next, j) {
                *b -= 1;
            }
        }
    }
    out
}
