//! The Rust view: the scenario as a real program on std, or, for a data race on plain
//! memory, the code with the error safe Rust gives and why. A program that already is
//! Rust gets no second copy of itself, only a line saying so.

use interleave_lang::print::rust_view;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub source: AttrValue,
}

#[function_component(RustView)]
pub fn rust_view_panel(props: &Props) -> Html {
    let view = {
        let src = props.source.clone();
        use_memo(src, |src| rust_view(src))
    };
    match &*view {
        Err(_) => html! {
            <p class="error" data-testid="rust-view" data-state="errors">
                { "The scenario has errors (see the Scenario tab); the Rust view appears once it parses." }</p>
        },
        Ok(v) if v.already_rust => html! {
            <p class="ok-line" data-testid="rust-view" data-state="already-rust">
                { "This program is already Rust: the Scenario tab is what rustc compiles. (This view translates the scenario language's built-ins — `spawn`, `work`, `sleep`, `channel` — into std; here there is nothing to translate.)" }</p>
        },
        Ok(v) => html! {
            <div data-testid="rust-view" data-state={if v.refused.is_some() { "refused" } else { "compiles" }}>
                if let Some(r) = &v.refused {
                    <div class="refusal" role="note">
                        <pre class="rustc-error">{ &r.error }</pre>
                        { crate::components::lesson::paragraph(&r.why) }
                    </div>
                } else {
                    <p class="ok-line">{ "This compiles with rustc as it is (checked by our tests for every lesson)." }</p>
                }
                <pre class="rust-code"><code>{ &v.code }</code></pre>
            </div>
        },
    }
}
