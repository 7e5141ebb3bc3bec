//! The preset library: every lesson, in teaching order.

use interleave_lang::presets;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub current: Option<&'static str>,
    pub on_pick: Callback<String>,
}

#[function_component(Gallery)]
pub fn gallery(props: &Props) -> Html {
    let items = presets::all().into_iter().map(|p| {
        let name = p.name;
        let onclick = props.on_pick.reform(move |_: MouseEvent| name.to_string());
        let current = props.current == Some(name);
        html! {
            <li>
                <button class={classes!("preset", current.then_some("current"))}
                        data-testid="preset" data-preset={name}
                        aria-current={if current { "true" } else { "false" }} {onclick}>
                    { p.title }
                </button>
            </li>
        }
    });
    html! {
        <nav class="panel gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{ "Lessons" }</h2>
            <ol>{ for items }</ol>
        </nav>
    }
}
