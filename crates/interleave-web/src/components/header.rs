//! The bar across the top: the name, the lessons (a collapsible list, with previous and
//! next), the two views, and the tools (share, theme, shortcuts). One line on a laptop,
//! two on a phone.

use crate::state::{Action, Tab, Theme};
use interleave_lang::presets;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub tab: Tab,
    pub theme: Theme,
    pub share_open: bool,
    pub preset: Option<&'static str>,
    pub edited: bool,
    pub embed: bool,
    /// The full page's link to this view, written when followed (embeds only).
    pub on_open_full: Callback<MouseEvent>,
    pub full_page_href: AttrValue,
    pub dispatch: Callback<Action>,
}

/// The lesson list: a `<details>` (keyboard-accessible, collapsible), closed after a pick.
#[derive(Properties, PartialEq)]
pub struct PickerProps {
    pub current: Option<&'static str>,
    pub edited: bool,
    pub dispatch: Callback<Action>,
}

#[function_component(LessonPicker)]
pub fn lesson_picker(p: &PickerProps) -> Html {
    let menu = use_node_ref();
    let all = presets::FILES;
    let index = p
        .current
        .and_then(|c| all.iter().position(|(n, _)| *n == c));
    // Parsed once, not once per lesson per render.
    let titles = use_memo((), |_| {
        presets::all()
            .into_iter()
            .map(|p| p.title)
            .collect::<Vec<String>>()
    });
    let title = |i: usize| titles.get(i).cloned().unwrap_or_default();
    let summary = match index {
        Some(i) => format!(
            "Lesson {} of {}: {}{}",
            i + 1,
            all.len(),
            title(i),
            if p.edited { " (edited)" } else { "" }
        ),
        None => "Lessons".to_string(),
    };
    let pick = |name: &'static str| {
        let (dispatch, menu) = (p.dispatch.clone(), menu.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = menu.cast::<web_sys::HtmlDetailsElement>() {
                d.set_open(false);
            }
            dispatch.emit(Action::LoadPreset(name.to_string()));
        })
    };
    let step = |delta: isize, label: &'static str, glyph: &'static str, id: &'static str| {
        let target = match index {
            Some(i) => i.checked_add_signed(delta).filter(|&j| j < all.len()),
            None => (delta > 0).then_some(0),
        };
        let onclick = target.map(|j| pick(all[j].0));
        html! {
            <button class="icon" data-testid={id} aria-label={label} title={label}
                    disabled={onclick.is_none()} onclick={onclick.unwrap_or_default()}>{ glyph }</button>
        }
    };
    let items = all.iter().enumerate().map(|(i, (name, _))| {
        let current = p.current == Some(*name);
        html! {
            <li>
                <button class={classes!("preset", current.then_some("current"))}
                        data-testid="preset" data-preset={*name}
                        aria-current={if current { "true" } else { "false" }} onclick={pick(name)}>
                    <span class="num">{ i + 1 }</span>{ title(i) }
                </button>
            </li>
        }
    });
    html! {
        <div class="lesson-picker">
            { step(-1, "Previous lesson", "‹", "prev-lesson") }
            <details class="lessons" ref={menu.clone()} data-testid="lessons">
                <summary data-testid="lessons-summary">{ summary }</summary>
                <nav class="lesson-menu" aria-label="Lessons">
                    <ol>{ for items }</ol>
                </nav>
            </details>
            { step(1, "Next lesson", "›", "next-lesson") }
        </div>
    }
}

#[function_component(Header)]
pub fn header(p: &Props) -> Html {
    let d = &p.dispatch;
    let tab = |t: Tab, label: &'static str, id: &'static str| {
        let onclick = d.reform(move |_: MouseEvent| Action::Tab(t));
        html! {
            <button role="tab" data-testid={id} aria-selected={(p.tab == t).to_string()}
                    class={classes!("tab", (p.tab == t).then_some("current"))} {onclick}>{ label }</button>
        }
    };
    let on_theme = d.reform(|e: Event| {
        let v = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default();
        Action::Theme(match v.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        })
    });
    html! {
        <header class="app-header">
            <h1 class="brand" title="See concurrency: threads on one core take turns; on many cores they run at once.">{ "Interleave" }</h1>
            <LessonPicker current={p.preset} edited={p.edited} dispatch={d.clone()} />
            <nav class="tabs" role="tablist" aria-label="Views">
                { tab(Tab::Simulator, "Simulator", "tab-simulator") }
                { tab(Tab::RealThreads, "Real threads", "tab-threads") }
            </nav>
            <div class="header-tools">
                if p.embed {
                    <a class="open-full" data-testid="open-full" href={p.full_page_href.clone()} target="_blank"
                       rel="noopener" onclick={p.on_open_full.clone()}>{ "Open full page ↗" }</a>
                }
                <button class="quiet" data-testid="share-button" aria-expanded={p.share_open.to_string()}
                        onclick={d.reform(|_: MouseEvent| Action::ToggleShare)}>{ "Share / export" }</button>
                <label class="theme-picker"><span class="label">{ "Theme " }</span>
                    <select data-testid="theme" aria-label="Theme" onchange={on_theme}>
                        <option value="system" selected={p.theme == Theme::System}>{ "System" }</option>
                        <option value="light" selected={p.theme == Theme::Light}>{ "Light" }</option>
                        <option value="dark" selected={p.theme == Theme::Dark}>{ "Dark" }</option>
                    </select></label>
                <button class="quiet keys-button" data-testid="help-button" onclick={d.reform(|_: MouseEvent| Action::ToggleHelp)}
                        title="Keyboard shortcuts">{ "Keys ?" }</button>
            </div>
        </header>
    }
}
