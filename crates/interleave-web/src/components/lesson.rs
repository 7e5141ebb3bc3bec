//! The lesson's explanation beside its code: paragraphs with `code` spans, collapsible (and
//! scrolling within its box, so the code and the timeline stay in view).

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub title: AttrValue,
    pub text: AttrValue,
    pub edited: bool,
    /// Open at first (closed on a narrow screen, where the code comes first).
    pub open: bool,
}

/// A paragraph with its `code` spans.
pub fn paragraph(p: &str) -> Html {
    let parts = p.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { <p>{ for parts }</p> }
}

#[function_component(Lesson)]
pub fn lesson(props: &Props) -> Html {
    let paragraphs = props
        .text
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .map(|p| paragraph(&p));
    html! {
        <details class="panel lesson" data-testid="lesson" open={props.open}>
            <summary><h2 id="lesson-title">{ props.title.clone() }</h2></summary>
            <div class="lesson-text" tabindex="0" role="region" aria-labelledby="lesson-title">
                if props.edited { <p class="muted">{ "You have edited this scenario; the explanation is for the original." }</p> }
                { for paragraphs }
            </div>
        </details>
    }
}
