//! The preset's explanation beside it: paragraphs with `code` spans.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub title: AttrValue,
    pub text: AttrValue,
    pub edited: bool,
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
        <section class="panel lesson" data-testid="lesson" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{ props.title.clone() }</h2>
            if props.edited { <p class="muted">{ "You have edited this scenario; the explanation is for the original." }</p> }
            { for paragraphs }
        </section>
    }
}
