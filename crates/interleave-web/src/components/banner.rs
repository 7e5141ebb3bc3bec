//! A message across the top: a link that did not open, why, and the way back to your draft.

use crate::state::{Action, Banner as BannerState};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub banner: BannerState,
    pub dispatch: Callback<Action>,
}

#[function_component(Banner)]
pub fn banner(props: &Props) -> Html {
    let dismiss = props.dispatch.reform(|_: MouseEvent| Action::DismissBanner);
    let draft = props.banner.draft.clone().map(|d| {
        let onclick = props.dispatch.reform(move |_: MouseEvent| Action::Open {
            shared: d.clone(),
            draft: true,
        });
        html! { <button data-testid="open-draft" {onclick}>{ "Open my saved draft" }</button> }
    });
    html! {
        <div class="banner" role="alert" data-testid="banner">
            <p>{ props.banner.text.clone() }</p>
            { for draft }
            <button class="dismiss" aria-label="Dismiss" data-testid="dismiss-banner" onclick={dismiss}>{ "×" }</button>
        </div>
    }
}
