//! The four targets and what each checks of one input.

use crate::mutate;
use interleave_core::explore::{explore, Options};
use interleave_core::rng::Rng;
use interleave_core::run::simulate;
use interleave_core::settings::{PolicyKind, Settings};
use interleave_lang::parser::MAX_SOURCE_BYTES;
use interleave_web::share::{decode, encode, Shared};
use interleave_web::sim::{Policy, UiSettings};
use interleave_web::view::{Tab, SPEEDS};

pub const NAMES: [&str; 4] = ["compile", "format", "link", "run"];

/// Input `n` of `target`: a mutated program (for `link`, the program the link carries).
pub fn input(target: &str, bases: &[String], seed: u64, n: u64) -> String {
    // Inputs up to the size limit, mostly far smaller; `run` keeps to programs a page
    // would simulate at once.
    let max = match target {
        "run" => 20_000,
        _ => MAX_SOURCE_BYTES,
    };
    mutate::input(bases, seed ^ target.len() as u64, n, max)
}

pub fn check(target: &str, input: &str, n: u64) -> Result<(), String> {
    match target {
        "compile" => {
            let _ = interleave_lang::compile(input);
            let _ = interleave_lang::print::rust_view(input);
            Ok(())
        }
        "format" => format(input),
        "link" => link(input, n),
        _ => run(input, n),
    }
}

/// Formatting is idempotent and keeps whether the program compiles.
fn format(input: &str) -> Result<(), String> {
    let Ok(once) = interleave_lang::print::format(input) else {
        return Ok(());
    };
    match interleave_lang::print::format(&once) {
        Ok(twice) if twice == once => {}
        Ok(twice) => {
            let at = once
                .chars()
                .zip(twice.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let show = |s: &str| {
                s.chars()
                    .skip(at.saturating_sub(40))
                    .take(80)
                    .collect::<String>()
            };
            return Err(format!(
                "formatting twice differs from once, from character {at}: {:?} then {:?}",
                show(&once),
                show(&twice)
            ));
        }
        Err(d) => {
            return Err(format!(
                "the formatted program no longer parses: {}",
                d.first().map_or(String::new(), |d| d.message.clone())
            ))
        }
    }
    let before = interleave_lang::compile(input).map(|_| ());
    let after = interleave_lang::compile(&once).map(|_| ());
    match (before, after) {
        (Ok(()), Err(d)) => Err(format!(
            "it compiled, and formatted it does not: {}",
            d.first().map_or(String::new(), |d| d.message.clone())
        )),
        (Err(_), Ok(())) => Err("it did not compile, and formatted it does".into()),
        _ => Ok(()),
    }
}

/// A link round-trips exactly, and damaged copies of it decode to an error or a valid
/// state, never a panic.
fn link(input: &str, n: u64) -> Result<(), String> {
    let mut rng = Rng::new(n);
    let settings = UiSettings {
        cores: 1 + rng.below(64) as u32,
        quantum: 1 + rng.below(20),
        switch_cost: rng.below(5),
        policy: [Policy::RoundRobin, Policy::Fifo, Policy::Random][rng.below(3) as usize],
        seed: rng.next_u64(),
        idle_cores_first: true,
        tick_ns: UiSettings::default().tick_ns,
    }
    .clamped();
    let shared = Shared {
        source: input.to_string(),
        preset: None,
        edited: true,
        settings,
        compare: rng.below(2) == 0,
        tick: rng.below(100_000),
        speed: SPEEDS[rng.below(SPEEDS.len() as u64) as usize],
        tab: [Tab::Simulator, Tab::RealThreads][rng.below(2) as usize],
        rust_view: rng.below(2) == 0,
        predict: rng.below(2) == 0,
        follow: (rng.below(3) == 0).then(|| ("x = 1".to_string(), "M*3 T1 M".to_string())),
    };
    let link = encode(&shared);
    match decode(&link) {
        Ok(back) if back == shared => {}
        Ok(_) => return Err("the link decodes to another state".into()),
        Err(e) => return Err(format!("a link the page made does not open: {e}")),
    }
    let bytes: Vec<char> = link.chars().collect();
    for _ in 0..8 {
        let mut damaged = bytes.clone();
        match rng.below(4) {
            0 if !damaged.is_empty() => {
                let at = rng.below(damaged.len() as u64) as usize;
                damaged[at] = char::from(b"AZaz09-_.%~"[rng.below(11) as usize]);
            }
            1 => {
                let keep = rng.below(damaged.len() as u64 + 1) as usize;
                damaged.truncate(keep);
            }
            2 => {
                let at = rng.below(damaged.len() as u64 + 1) as usize;
                damaged.insert(at, ['A', '#', '\u{e9}', '/'][rng.below(4) as usize]);
            }
            _ => {
                let at = rng.below(damaged.len() as u64 + 1) as usize;
                damaged.truncate(at);
                damaged.extend(
                    (0..rng.below(40)).map(|_| char::from(b"ABCabc019-_"[rng.below(11) as usize])),
                );
            }
        }
        let text: String = damaged.into_iter().collect();
        let _ = decode(&text);
    }
    Ok(())
}

/// Simulating and exploring under small bounds ends, in words, within the time budget.
/// (The explorer's cost per state grows with the square of the thread count — every
/// successor's fingerprint hashes every thread — so a program of 255 threads takes about
/// 10 ms a state: the bound here is 100 states.)
fn run(input: &str, n: u64) -> Result<(), String> {
    let Ok(c) = interleave_lang::compile(input) else {
        return Ok(());
    };
    let mut rng = Rng::new(n);
    let mut settings = Settings {
        cores: 1 + rng.below(4) as u32,
        policy: [PolicyKind::RoundRobin, PolicyKind::Fifo, PolicyKind::Random]
            [rng.below(3) as usize]
            .clone(),
        quantum_ticks: 1 + rng.below(5),
        switch_cost_ticks: rng.below(2),
        seed: rng.next_u64(),
        ..Settings::default()
    };
    settings.limits.max_steps = 100_000;
    let _ = simulate(c.program.clone(), &settings);
    let options = Options {
        max_states: 100,
        max_local_steps: 100_000,
        max_depth: 2_000,
        max_witness_nodes: 20_000,
        ..Options::default()
    };
    let _ = explore(c.program, &options);
    Ok(())
}
