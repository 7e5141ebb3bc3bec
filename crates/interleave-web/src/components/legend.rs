//! What the timeline's shapes mean, drawn as the timeline draws them.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The run has I/O or async tasks: explain their lanes too.
    pub waits: bool,
    /// The run follows a witness: explain its pauses.
    #[prop_or_default]
    pub pauses: bool,
    /// How long a tick of a `Duration` is, in words ("1 ms").
    pub tick: String,
}

#[function_component(Legend)]
pub fn legend(p: &Props) -> Html {
    let item = |class: &'static str, text: &'static str| {
        html! { <li><span class={classes!("key", class)} aria-hidden="true"></span>{ text }</li> }
    };
    html! {
        <ul class="legend" data-testid="legend" aria-label="Timeline legend">
            { item("run", "a thread running (its colour; M is main)") }
            { item("switch", "context switch") }
            { item("preempt", "time slice ended (preempted)") }
            { item("block", "blocked (lock, channel, join, sleep, I/O)") }
            { item("race", "data race (the later access)") }
            { item("lost", "update lost (a stale store)") }
            { item("idle", "idle core") }
            // The one scale between a `Duration` and the timeline (see the language docs).
            <li data-testid="tick-scale">{ format!("1 tick = {} of a Duration", p.tick) }</li>
            if p.pauses {
                { item("pause", "paused for its turn (following a witness)") }
            }
            if p.waits {
                { item("io", "I/O in flight (in its thread's colour)") }
                { item("queued", "task queued on the event loop") }
            }
        </ul>
    }
}
