//! Share and export: the link to this exact view, the iframe code that embeds it, and the run
//! as a Perfetto trace or an SVG picture.

use crate::page;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The full-page link to this view.
    pub link: AttrValue,
    /// Why no link is offered (the scenario is too large for one), if so.
    pub too_long: Option<AttrValue>,
    /// Saves the scenario as a `.rs` file.
    pub on_download: Callback<()>,
    pub embed_code: AttrValue,
    /// `None` when there is no run to export (the scenario has errors).
    pub on_export_trace: Option<Callback<()>>,
    pub on_export_svg: Option<Callback<()>>,
    pub on_close: Callback<()>,
    /// How long a tick is (the length of a tick of a `Duration`), in words.
    pub tick: AttrValue,
}

/// A read-only field with its copy button and what happened on the last copy.
#[derive(Properties, PartialEq)]
struct CopyProps {
    label: AttrValue,
    value: AttrValue,
    testid: AttrValue,
    button: AttrValue,
    multiline: bool,
}

#[function_component(CopyField)]
fn copy_field(p: &CopyProps) -> Html {
    let status = use_state(|| None::<Result<(), String>>);
    let onclick = {
        let (value, status) = (p.value.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let (value, status) = (value.clone(), status.clone());
            wasm_bindgen_futures::spawn_local(async move {
                status.set(Some(page::copy_text(&value).await));
            });
        })
    };
    let select = Callback::from(|e: FocusEvent| {
        if let Some(el) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            el.select();
        } else if let Some(el) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            el.select();
        }
    });
    let field = if p.multiline {
        html! { <textarea readonly=true rows="3" data-testid={p.testid.clone()} value={p.value.clone()} onfocus={select} /> }
    } else {
        html! { <input readonly=true data-testid={p.testid.clone()} value={p.value.clone()} onfocus={select} /> }
    };
    html! {
        <div class="copy-field">
            <label>{ p.label.clone() }{ field }</label>
            <button data-testid={format!("copy-{}", p.testid)} {onclick}>{ p.button.clone() }</button>
            <span class="copy-status" role="status">
                { match &*status {
                    Some(Ok(())) => "Copied.".to_string(),
                    Some(Err(e)) => format!("Not copied: {e}."),
                    None => String::new(),
                } }
            </span>
        </div>
    }
}

#[function_component(SharePanel)]
pub fn share_panel(p: &Props) -> Html {
    let close = p.on_close.reform(|_: MouseEvent| ());
    let export = |cb: &Option<Callback<()>>, label: &str, id: &str| {
        let onclick = cb.clone().map(|c| c.reform(|_: MouseEvent| ()));
        html! { <button data-testid={id.to_string()} disabled={onclick.is_none()} {onclick}>{ label.to_string() }</button> }
    };
    html! {
        <section class="panel share-panel" aria-label="Share and export" data-testid="share-panel">
            <h2>{ "Share this view" }</h2>
            if let Some(why) = &p.too_long {
                <p class="warning" role="status" data-testid="share-too-long">{ why.clone() }</p>
            } else {
                <p class="muted">{ "The link holds the scenario, the settings and seed, the step and the view: whoever opens it sees exactly this." }</p>
                <CopyField label="Link " value={p.link.clone()} testid="share-link" button="Copy link" multiline={false} />
                <CopyField label="Embed in a course page " value={p.embed_code.clone()} testid="embed-code" button="Copy embed code" multiline={true} />
            }
            <h2>{ "Export" }</h2>
            <div class="row">
                <button data-testid="download-scenario" onclick={p.on_download.reform(|_: MouseEvent| ())}>{ "Scenario (.rs)" }</button>
                { export(&p.on_export_trace, "Trace for Perfetto (.json)", "export-trace") }
                { export(&p.on_export_svg, "Timeline picture (.svg)", "export-svg") }
            </div>
            <p class="muted">{ format!("Open the trace at ui.perfetto.dev or chrome://tracing: one track per core, one slice per stretch a thread ran, one tick shown as {} (the tick of a Duration).", p.tick) }</p>
            <button class="close" data-testid="share-close" onclick={close}>{ "Close" }</button>
        </section>
    }
}
