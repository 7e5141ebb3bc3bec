//! What the program printed up to the cursor, in the order of the simulated time, each
//! print with the thread that printed it: the console a real run would show, with who
//! wrote each line.

use crate::palette::thread_colour;
use interleave_core::snapshot::Snapshot;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub snapshot: Rc<Snapshot>,
    /// Prints in the whole run (the panel says how many are still to come).
    pub total: usize,
}

#[function_component(OutputPanel)]
pub fn output_panel(props: &Props) -> Html {
    let s = &props.snapshot;
    let lines = s.output.iter().map(|p| {
        let style = format!("background: {}", thread_colour(p.thread));
        let text = p.text.strip_suffix('\n').unwrap_or(&p.text).to_string();
        html! {
            <li data-testid="printed" data-thread={p.name.clone()} data-tick={p.tick.to_string()}
                class={classes!(p.err.then_some("stderr"))}>
                <span class="chip" {style}>{ &p.name }</span>
                <code>{ text }</code>
                if p.err { <span class="muted">{ " (stderr)" }</span> }
            </li>
        }
    });
    let later = props.total.saturating_sub(s.output.len());
    html! {
        <section class="panel output" aria-labelledby="output-title">
            <h2 id="output-title">{ "Output" }</h2>
            if s.output.is_empty() {
                <p class="muted">{ "Nothing printed yet." }</p>
            } else {
                <ol class="printed">{ for lines }</ol>
            }
            if later > 0 {
                <p class="muted">{ format!("{later} more print{} later in the run.", if later == 1 { "" } else { "s" }) }</p>
            }
        </section>
    }
}
