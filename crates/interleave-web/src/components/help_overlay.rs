//! The keyboard shortcuts, listed where people look for them: a modal dialog that takes the
//! focus when it opens, keeps it while open, and gives it back when it closes.

use crate::keys::SHORTCUTS;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_close: Callback<()>,
}

#[function_component(HelpOverlay)]
pub fn help_overlay(props: &Props) -> Html {
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            let before = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(b) = close_button.cast::<HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(el) = before {
                    let _ = el.focus();
                }
            }
        });
    }
    // The close button is the dialog's only control: Tab stays on it.
    let trap = {
        let close_button = close_button.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Tab" {
                e.prevent_default();
                if let Some(b) = close_button.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let backdrop = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: MouseEvent| {
            let on_backdrop = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| el.class_list().contains("overlay"));
            if on_backdrop {
                on_close.emit(());
            }
        })
    };
    html! {
        <div class="overlay" onclick={backdrop}>
            <div class="panel dialog" data-testid="help" role="dialog" aria-modal="true"
                 aria-labelledby="help-title" onkeydown={trap}>
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <p>{ "They work anywhere on the page except while typing in the editor or a field." }</p>
                <table>
                    { for SHORTCUTS.iter().map(|(k, what)| html! {
                        <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                    }) }
                </table>
                <button ref={close_button} onclick={close} data-testid="close-help">{ "Close" }</button>
            </div>
        </div>
    }
}
