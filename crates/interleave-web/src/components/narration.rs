//! What just happened, in words: for everyone, and for screen readers (a polite live
//! region). While playing it speaks too, a few times a second at most (the caller holds
//! the words between updates), so a listener is not flooded.

use crate::sim::Told;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The tick before `tick`, in words.
    pub told: Told,
    pub tick: u64,
}

#[function_component(Narration)]
pub fn narration(props: &Props) -> Html {
    let t = &props.told;
    html! {
        <div class="narration" aria-live="polite" aria-atomic="true" data-testid="narration"
             data-tick={props.tick.to_string()}>
            if props.tick == 0 {
                <p>{ "Tick 0: nothing has run yet. Press Play, or step with the right arrow." }</p>
            } else if t.events.is_empty() && t.lost.is_empty() {
                // Every busy core has an event each tick: none means none was busy.
                <p>{ format!("Tick {}: nothing ran; every core was idle (each thread was waiting, asleep or done).", props.tick - 1) }</p>
            } else {
                { for t.lost.iter().map(|l| html! {
                    <p class="lost" data-testid="lost-narration"><strong>{ format!("Tick {}: ", props.tick - 1) }</strong>{ l }{ "." }</p>
                }) }
                if !t.events.is_empty() {
                    <p>{ format!("Tick {}: {}.", props.tick - 1, t.events.join("; ")) }</p>
                }
            }
        </div>
    }
}
