//! What just happened, in words, for screen readers (an aria-live region) and everyone.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lines: Vec<String>,
    pub tick: u64,
    pub playing: bool,
}

#[function_component(Narration)]
pub fn narration(props: &Props) -> Html {
    html! {
        <section class="panel narration" aria-label="What happened">
            <div aria-live="polite" aria-atomic="true" data-testid="narration">
                if props.playing {
                    <p>{ "Playing… pause to hear each step." }</p>
                } else if props.tick == 0 {
                    <p>{ "Tick 0: nothing has run yet. Press Play or step with the right arrow." }</p>
                } else if props.lines.is_empty() {
                    // Every busy core has an event each tick: none means none was busy.
                    <p>{ format!("Tick {}: nothing ran; every core was idle (each thread was waiting, asleep or done).", props.tick - 1) }</p>
                } else {
                    <p>{ format!("Tick {}: {}.", props.tick - 1, props.lines.join("; ")) }</p>
                }
            </div>
        </section>
    }
}
