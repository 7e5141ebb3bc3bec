//! Predict, then reveal: the question the page asks before a run is played, and how a
//! person's guess compares with what the run did. Pure and native-tested.

use interleave_core::run::Outcome;
pub use interleave_lang::presets::Question;

/// The choices offered for [`Question::End`]: (key, words).
pub const END_CHOICES: [(&str, &str); 3] = [
    ("finished", "It finishes normally"),
    ("assertion-failed", "An assertion fails"),
    ("deadlock", "It deadlocks"),
];

/// The question in words.
pub fn ask(q: &Question) -> String {
    match q {
        Question::Value(name) => format!("What will {name} be when the run ends?"),
        Question::End => "How will this run end?".into(),
        Question::Ticks => "How many ticks will the run take?".into(),
    }
}

/// The run's own answer, in the form a guess takes (a number, or an end's key).
pub fn answer(q: &Question, o: &Outcome) -> Option<String> {
    match q {
        Question::Value(name) => o
            .vars
            .iter()
            .chain(&o.atomics)
            .chain(&o.mutexes)
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.to_string()),
        Question::End => Some(crate::sim::verdict(o).to_string()),
        Question::Ticks => Some(o.ticks.to_string()),
    }
}

/// "You predicted 6; the run gives 5." (with "right" when it matches). A guess of ticks
/// within a tenth of the run counts as right: nobody counts ticks exactly.
pub fn compare(q: &Question, guess: &str, o: &Outcome) -> (bool, String) {
    let Some(truth) = answer(q, o) else {
        return (false, "This run has no such value to compare with.".into());
    };
    let words = |key: &str| {
        END_CHOICES
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key.to_string(), |(_, w)| w.to_lowercase())
    };
    let guess = guess.trim();
    match q {
        Question::End => {
            let right = guess == truth;
            let text = if right {
                format!("You predicted: {}. Right.", words(guess))
            } else {
                format!(
                    "You predicted: {}. The run: {}.",
                    words(guess),
                    words(&truth)
                )
            };
            (right, text)
        }
        Question::Ticks => {
            let t: f64 = truth.parse().unwrap_or(0.0);
            let right = guess
                .parse::<f64>()
                .is_ok_and(|g| (g - t).abs() <= (t / 10.0).max(1.0));
            let verdict = if right { " Close enough: right." } else { "" };
            (
                right,
                format!("You predicted {guess} ticks; the run took {truth}.{verdict}"),
            )
        }
        Question::Value(name) => {
            let right = guess.parse::<i64>().ok() == truth.parse::<i64>().ok();
            let verdict = if right { " Right." } else { "" };
            (
                right,
                format!("You predicted {name} = {guess}; the run ends with {truth}.{verdict}"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{build, UiSettings};

    fn outcome(preset: &str) -> Outcome {
        let p = interleave_lang::presets::find(preset).unwrap();
        let sim = build(p.source, UiSettings::from_core(&p.settings), false, None);
        let o = sim.main.as_ref().unwrap().run.outcome.clone();
        o
    }

    #[test]
    fn every_lesson_asks_a_question_its_run_answers() {
        for p in interleave_lang::presets::all() {
            let o = outcome(p.name);
            let a = answer(&p.predict, &o);
            assert!(a.is_some(), "{}: {:?}", p.name, p.predict);
            if p.predict == Question::End {
                let a = a.unwrap();
                assert!(END_CHOICES.iter().any(|(k, _)| *k == a), "{}: {a}", p.name);
            }
        }
    }

    #[test]
    fn a_guess_is_compared_with_the_run() {
        let o = outcome("lost-update");
        let q = Question::Value("COUNTER".into());
        assert_eq!(
            compare(&q, "6", &o),
            (
                false,
                "You predicted COUNTER = 6; the run ends with 5.".into()
            )
        );
        assert!(compare(&q, " 5 ", &o).0);
        let (right, text) = compare(&Question::End, "finished", &o);
        assert!(!right);
        assert_eq!(
            text,
            "You predicted: it finishes normally. The run: an assertion fails."
        );
        let (right, _) = compare(&Question::Ticks, &(o.ticks + 2).to_string(), &o);
        assert!(right, "within a tenth");
        assert!(!compare(&Question::Ticks, "abc", &o).0);
        assert_eq!(ask(&q), "What will COUNTER be when the run ends?");
    }
}
