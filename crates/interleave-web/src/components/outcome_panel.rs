//! How the run ends, in plain words: final values against the assertion, deadlock and race
//! verdicts.

use crate::sim::verdict;
use interleave_core::explain::panic_place;
use interleave_core::machine::End;
use interleave_core::run::Outcome;
use interleave_core::settings::Limits;
use interleave_core::snapshot::Snapshot;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub outcome: Rc<Outcome>,
    /// The machine at the end of the run (names, race reports).
    pub last: Rc<Snapshot>,
    pub title: AttrValue,
    /// The run's limits, to say which was hit and what it is.
    pub limits: Limits,
    /// What the person predicted, compared with the run (predict mode).
    #[prop_or_default]
    pub prediction: Option<(bool, String)>,
}

#[function_component(OutcomePanel)]
pub fn outcome_panel(props: &Props) -> Html {
    let o = &props.outcome;
    let name = |t: interleave_core::trace::ThreadId| {
        props
            .last
            .threads
            .iter()
            .find(|th| th.id == t)
            .map_or(String::new(), |th| th.name.clone())
    };
    let headline = match &o.end {
        End::Deadlock => {
            html! { <p class="verdict bad">{ "Deadlock: no thread can ever run again." }</p> }
        }
        End::Limit(l) => html! { <p class="verdict warn">{ format!(
        "Stopped after {} steps: {}.", o.steps, l.words(&props.limits)) }</p> },
        End::ScheduleMismatch(e) => {
            html! { <p class="verdict warn">{ format!("The recorded schedule does not fit this scenario: {e}") }</p> }
        }
        _ if o.assertion_failed() => {
            html! { <p class="verdict bad">{ "An assertion failed." }</p> }
        }
        End::MainPanicked => {
            html! { <p class="verdict bad">{ "main panicked; the process ended." }</p> }
        }
        End::Finished { stopped: 0 } => {
            html! { <p class="verdict ok">{ "Finished: main returned and every assertion held." }</p> }
        }
        End::Finished { stopped } => html! { <p class="verdict ok">{ format!(
        "Finished: main returned, every assertion held, and {stopped} thread(s) still running were stopped with the process.") }</p> },
    };
    let panics = o.panics.iter().map(|p| {
        html! {
            <li>{ format!("{} panicked at {}: {}", name(p.thread), panic_place(p), p.message) }</li>
        }
    });
    let values = o.final_values();
    html! {
        <section class="panel outcome" data-testid="outcome" data-end={verdict(o)}
                 data-races={o.races.len().to_string()} aria-labelledby="outcome-title">
            <h2 id="outcome-title">{ props.title.clone() }</h2>
            if let Some((right, text)) = &props.prediction {
                <p class={classes!("prediction", if *right { "right" } else { "wrong" })} data-testid="prediction">{ text }</p>
            }
            { headline }
            <p>{ format!("{} ticks, {} steps.", o.ticks, o.steps) }
               if !values.is_empty() { { format!(" Final values: {}.", values.join(", ")) } }</p>
            if !o.panics.is_empty() { <ul>{ for panics }</ul> }
            if let Some(d) = &o.deadlock {
                <pre class="deadlock" data-testid="deadlock">{ &d.explanation }</pre>
            }
            if o.races.is_empty() {
                <p class="muted" data-testid="race-verdict">{ "No data race in this run: every pair of conflicting accesses to plain memory was ordered (by a lock, a channel, spawn or join)." }</p>
            } else {
                <div data-testid="race-verdict" class="race-list">
                    <p class="verdict bad">{ "Data race: two threads touched the same plain variable, at least one writing, with nothing ordering them. Safe Rust would not compile this." }</p>
                    <ul>{ for props.last.races.iter().map(|r| html! { <li>{ &r.text }
                        if r.more > 0 { <span class="muted">{ format!(" (and {} more report(s) between these two lines)", r.more) }</span> }
                    </li> }) }</ul>
                    if o.races_dropped > 0 { <p class="muted">{ format!("{} more occurrences not listed (report limit).", o.races_dropped) }</p> }
                </div>
            }
        </section>
    }
}
