//! The player: play/pause, step, step back, speed, jump to start/end, a scrub bar, and the
//! narration under them. Sticky, so it stays in view while the panels below scroll.

use crate::state::{Action, SPEEDS};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tick: u64,
    /// The run's last tick (kept for tests; not shown while the ending is hidden).
    pub end: u64,
    /// The scrub bar's range (past the end while the ending is hidden).
    pub span: u64,
    pub hiding: bool,
    pub playing: bool,
    pub speed: f64,
    pub enabled: bool,
    pub dispatch: Callback<Action>,
    /// The narration, shown under the controls.
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Playback)]
pub fn playback(props: &Props) -> Html {
    let d = &props.dispatch;
    let act = |a: Action| d.reform(move |_: MouseEvent| a.clone());
    let on_scrub = d.reform(|e: InputEvent| {
        let v = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .and_then(|t| t.value().parse::<u64>().ok())
            .unwrap_or(0);
        Action::Seek(v)
    });
    let on_speed = d.reform(|e: Event| {
        let v = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .and_then(|t| t.value().parse::<f64>().ok())
            .unwrap_or(10.0);
        Action::Speed(v)
    });
    let off = !props.enabled;
    html! {
        <section class="panel playback" id="player" tabindex="-1" aria-label="Player">
            <div class="buttons">
                <button data-testid="to-start" disabled={off} onclick={act(Action::ToStart)}
                        title="Jump to start (Home)" aria-label="Jump to start">{ "«" }</button>
                <button data-testid="step-back" disabled={off} onclick={act(Action::Step(-1))}
                        title="Step back (←)" aria-label="Step back">{ "◀" }</button>
                <button data-testid="play" class="play" disabled={off} onclick={act(Action::TogglePlay)}
                        title="Play or pause (Space)" aria-label={if props.playing { "Pause" } else { "Play" }}
                        data-playing={props.playing.to_string()}>
                    { if props.playing { "❚❚ Pause" } else { "▶ Play" } }</button>
                <button data-testid="step" disabled={off} onclick={act(Action::Step(1))}
                        title="Step (→)" aria-label="Step forward">{ "▶|" }</button>
                <button data-testid="to-end" disabled={off} onclick={act(Action::ToEnd)}
                        title="Jump to end (End)" aria-label="Jump to end">{ "»" }</button>
                <span class="tick" data-testid="tick" data-tick={props.tick.to_string()}
                      data-end={props.end.to_string()}>
                    { if props.hiding { format!("tick {}", props.tick) } else { format!("tick {} / {}", props.tick, props.end) } }</span>
            </div>
            <div class="scrub-row">
                <input type="range" class="scrub" data-testid="scrub" min="0" max={props.span.to_string()}
                       value={props.tick.to_string()} disabled={off} oninput={on_scrub}
                       aria-label="Position in the run (ticks)" />
                <label class="speed">{ "Speed " }
                    <select data-testid="speed" onchange={on_speed} title="Ticks per second (+ / -)">
                        { for SPEEDS.iter().map(|&s| html! {
                            <option value={s.to_string()} selected={s == props.speed}>{ format!("{s}/s") }</option>
                        }) }
                    </select></label>
            </div>
            { props.children.clone() }
        </section>
    }
}
