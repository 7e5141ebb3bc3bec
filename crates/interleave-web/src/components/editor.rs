//! The scenario text with line numbers and live diagnostics at the right line.

use crate::sim::DiagView;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub source: AttrValue,
    pub diagnostics: Vec<DiagView>,
    pub on_edit: Callback<String>,
    pub rust: bool,
    pub on_show_rust: Callback<bool>,
    pub on_format: Callback<()>,
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let gutter = use_node_ref();
    let lines = props.source.lines().count().max(1) + usize::from(props.source.ends_with('\n'));
    let oninput = props.on_edit.reform(|e: InputEvent| {
        e.target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default()
    });
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            if let (Some(t), Some(g)) = (
                e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()),
                gutter.cast::<HtmlElement>(),
            ) {
                g.set_scroll_top(t.scroll_top());
            }
        })
    };
    let error_lines: Vec<usize> = props
        .diagnostics
        .iter()
        .filter(|d| d.error)
        .map(|d| d.line)
        .collect();
    let warn_lines: Vec<usize> = props
        .diagnostics
        .iter()
        .filter(|d| !d.error)
        .map(|d| d.line)
        .collect();
    let gutter_lines = (1..=lines).map(|n| {
        let class = if error_lines.contains(&n) {
            "gutter-line error-line"
        } else if warn_lines.contains(&n) {
            "gutter-line warn-line"
        } else {
            "gutter-line"
        };
        html! { <div class={class} data-line={n.to_string()}>{ n }</div> }
    });
    let errors = props.diagnostics.iter().filter(|d| d.error).count();
    html! {
        <section class="panel editor-panel" aria-labelledby="editor-title">
            <div class="editor-head">
                <h2 id="editor-title">{ if props.rust { "Rust view" } else { "Scenario" } }</h2>
                <div class="tabs" role="tablist">
                    <button role="tab" data-testid="show-scenario" class={classes!("tab", (!props.rust).then_some("current"))}
                            aria-selected={(!props.rust).to_string()} onclick={props.on_show_rust.reform(|_: MouseEvent| false)}>{ "Scenario" }</button>
                    <button role="tab" data-testid="show-rust" class={classes!("tab", props.rust.then_some("current"))}
                            aria-selected={props.rust.to_string()} onclick={props.on_show_rust.reform(|_: MouseEvent| true)}>{ "Rust view" }</button>
                </div>
                if !props.rust {
                    <button data-testid="format" onclick={props.on_format.reform(|_: MouseEvent| ())}
                            disabled={errors > 0} title="Lay the scenario out canonically (comments are kept)">{ "Format" }</button>
                }
            </div>
            if props.rust {
                <crate::components::rust_view::RustView source={props.source.clone()} />
            } else {
            <div class="editor">
                <div class="gutter" ref={gutter} aria-hidden="true">{ for gutter_lines }</div>
                <textarea data-testid="editor" spellcheck="false" wrap="off"
                          aria-label="Scenario source" value={props.source.clone()}
                          {oninput} {onscroll} aria-invalid={(errors > 0).to_string()}
                          aria-describedby="diagnostics" />
            </div>
            <div id="diagnostics" data-testid="diagnostics" data-errors={errors.to_string()} role="status">
                if props.diagnostics.is_empty() {
                    <p class="ok-line">{ "No problems: the scenario compiles." }</p>
                }
                { for props.diagnostics.iter().map(|d| html! {
                    <div class={if d.error { "diagnostic error" } else { "diagnostic warning" }}
                         data-testid="diagnostic" data-line={d.line.to_string()} data-col={d.col.to_string()}>
                        <pre>{ &d.rendered }</pre>
                    </div>
                }) }
            </div>
            }
        </section>
    }
}
