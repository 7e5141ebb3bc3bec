//! The keyboard shortcuts, listed where people look for them.

use yew::prelude::*;

/// (keys, what they do): the app's key handler implements exactly these.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("→ / ←", "step forward / back one tick"),
    ("Shift + → / ←", "ten ticks forward / back"),
    ("Home / End", "jump to the start / end"),
    ("+ / -", "faster / slower"),
    ("c", "compare 1 core with N cores"),
    ("n", "new random schedule"),
    ("?", "show or hide this help"),
    ("Esc", "close this help"),
];

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_close: Callback<()>,
}

#[function_component(HelpOverlay)]
pub fn help_overlay(props: &Props) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="overlay" data-testid="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="panel dialog">
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <p>{ "They work anywhere on the page except while typing in the editor or a field." }</p>
                <table>
                    { for SHORTCUTS.iter().map(|(k, what)| html! {
                        <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                    }) }
                </table>
                <button onclick={close} data-testid="close-help">{ "Close" }</button>
            </div>
        </div>
    }
}
