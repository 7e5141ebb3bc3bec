//! The one code view: the scenario as you edit it, with line numbers, live diagnostics at
//! their line, and the run at the cursor drawn onto it: each thread's marker in the gutter at
//! the line it executes next, running and waiting lines tinted, racing lines flagged. (The
//! Rust view tab shows the same program as real Rust.)

use crate::palette::thread_colour;
use crate::sim::DiagView;
use interleave_core::trace::ThreadId;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The editor's line height in CSS pixels (the gutter and the tints must match the text).
pub const LINE_PX: f64 = 19.5;
/// Most thread markers drawn on one line; the rest are counted ("+3").
const MAX_CHIPS: usize = 2;

/// What the run at the cursor puts on one source line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineMark {
    pub line: u32,
    /// Threads (and async tasks, by their loop) whose next statement is here: id, short
    /// name ("T1", "M"), full name.
    pub threads: Vec<(ThreadId, String, String)>,
    /// Async tasks whose next statement is here: short name ("#0") and words.
    pub tasks: Vec<(String, String)>,
    /// One of them is running on a core now.
    pub running: bool,
    /// A data race was found between this line and another.
    pub race: bool,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub source: AttrValue,
    pub diagnostics: Vec<DiagView>,
    pub on_edit: Callback<String>,
    pub rust: bool,
    pub on_show_rust: Callback<bool>,
    pub on_format: Callback<()>,
    /// The run at the cursor (empty when the scenario does not run).
    pub marks: Rc<Vec<LineMark>>,
}

#[function_component(Editor)]
pub fn editor(props: &Props) -> Html {
    let gutter = use_node_ref();
    let tints = use_node_ref();
    let scrolled = use_mut_ref(|| Cell::new(0.0f64));
    let lines = props.source.lines().count().max(1) + usize::from(props.source.ends_with('\n'));
    let oninput = props.on_edit.reform(|e: InputEvent| {
        e.target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            .map(|t| t.value())
            .unwrap_or_default()
    });
    let onscroll = {
        let (gutter, tints, scrolled) = (gutter.clone(), tints.clone(), scrolled.clone());
        Callback::from(move |e: Event| {
            let Some(t) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else {
                return;
            };
            let top = f64::from(t.scroll_top());
            scrolled.borrow().set(top);
            if let Some(g) = gutter.cast::<HtmlElement>() {
                g.set_scroll_top(t.scroll_top());
            }
            if let Some(m) = tints.cast::<HtmlElement>() {
                let _ = m
                    .style()
                    .set_property("transform", &format!("translateY({}px)", -top));
            }
        })
    };
    let diag_class = |n: usize| {
        let here = props.diagnostics.iter().filter(|d| d.line == n);
        let mut class = None;
        for d in here {
            class = Some(if d.error { "error-line" } else { "warn-line" });
            if d.error {
                break;
            }
        }
        class
    };
    let mark_of = |n: usize| props.marks.iter().find(|m| m.line as usize == n);
    let gutter_lines = (1..=lines).map(|n| {
        let mark = mark_of(n);
        let chips = mark.map(|m| {
            let shown = m.threads.iter().take(MAX_CHIPS).map(|(id, short, full)| {
                let style = format!("background: {}", thread_colour(*id));
                html! { <span class="chip mini" {style} title={full.clone()}>{ short.clone() }</span> }
            });
            let tasks = m
                .tasks
                .iter()
                .take(MAX_CHIPS.saturating_sub(m.threads.len()))
                .map(|(short, full)| html! { <span class="chip mini task" title={full.clone()}>{ short.clone() }</span> });
            let more = (m.threads.len() + m.tasks.len()).saturating_sub(MAX_CHIPS);
            html! {
                <>
                    { for shown }
                    { for tasks }
                    if more > 0 { <span class="chip mini more" title={format!("{more} more threads here")}>{ format!("+{more}") }</span> }
                </>
            }
        });
        let threads = mark.map_or(String::new(), |m| {
            m.threads
                .iter()
                .map(|(_, s, _)| s.as_str())
                .collect::<Vec<_>>()
                .join(",")
        });
        html! {
            <div class={classes!("gutter-line", diag_class(n), mark.filter(|m| m.race).map(|_| "race"))}
                 data-line={n.to_string()} data-threads={threads}>
                <span class="marks">{ for chips }</span>
                <span class="ln">{ n }</span>
            </div>
        }
    });
    let tint_rows = props
        .marks
        .iter()
        .filter(|m| !m.threads.is_empty() || m.race)
        .map(|m| {
            let class = classes!(
                "tint",
                if m.running {
                    "running"
                } else if m.threads.is_empty() {
                    ""
                } else {
                    "waiting"
                },
                m.race.then_some("race")
            );
            let style = format!(
                "top: {:.1}px",
                f64::from(m.line.saturating_sub(1)) * LINE_PX
            );
            html! { <div {class} {style} data-line={m.line.to_string()}></div> }
        });
    let errors = props.diagnostics.iter().filter(|d| d.error).count();
    let tints_style = format!("transform: translateY({}px)", -scrolled.borrow().get());
    html! {
        <section class="panel editor-panel" aria-labelledby="editor-title">
            <div class="editor-head">
                <h2 id="editor-title">{ if props.rust { "Rust view" } else { "Code" } }</h2>
                <div class="tabs" role="tablist" aria-label="Code view">
                    <button role="tab" data-testid="show-scenario" class={classes!("tab", (!props.rust).then_some("current"))}
                            aria-selected={(!props.rust).to_string()} onclick={props.on_show_rust.reform(|_: MouseEvent| false)}>{ "Scenario" }</button>
                    <button role="tab" data-testid="show-rust" class={classes!("tab", props.rust.then_some("current"))}
                            aria-selected={props.rust.to_string()} onclick={props.on_show_rust.reform(|_: MouseEvent| true)}>{ "Rust view" }</button>
                </div>
                <a class="ref-link" href="language.html" target="_blank" rel="noopener" data-testid="language-link"
                   title="What a scenario can say, and what each built-in does">{ "Language ↗" }</a>
                if !props.rust {
                    <button class="quiet" data-testid="format" onclick={props.on_format.reform(|_: MouseEvent| ())}
                            disabled={errors > 0} title="Lay the scenario out canonically (comments are kept)">{ "Format" }</button>
                }
            </div>
            if props.rust {
                <crate::components::rust_view::RustView source={props.source.clone()} />
            } else {
            <div class="editor">
                <div class="gutter" ref={gutter} aria-hidden="true">{ for gutter_lines }</div>
                <div class="code-area">
                    <div class="tints" ref={tints} style={tints_style} aria-hidden="true">{ for tint_rows }</div>
                    <textarea data-testid="editor" spellcheck="false" wrap="off"
                              aria-label="Scenario source" value={props.source.clone()}
                              {oninput} {onscroll} aria-invalid={(errors > 0).to_string()}
                              aria-describedby="diagnostics" />
                </div>
            </div>
            <div id="diagnostics" class="diagnostics" data-testid="diagnostics" data-errors={errors.to_string()} role="status">
                if props.diagnostics.is_empty() {
                    <p class="ok-line">{ "No problems: the scenario compiles." }</p>
                }
                { for props.diagnostics.iter().map(|d| html! {
                    <div class={if d.error { "diagnostic error" } else { "diagnostic warning" }}
                         data-testid="diagnostic" data-line={d.line.to_string()} data-col={d.col.to_string()}>
                        <pre tabindex="0">{ &d.rendered }</pre>
                        if let Some(h) = &d.hint { <p class="diag-hint">{ "hint: " }{ h }</p> }
                    </div>
                }) }
            </div>
            }
        </section>
    }
}
