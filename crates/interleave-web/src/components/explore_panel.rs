//! Every schedule: one click explores the scenario in a worker (with progress and cancel);
//! the answer is a histogram of outcomes in the manner of CppMem's list, the expected one
//! marked, failures coloured. Clicking an outcome plays its witness in the main view.

use crate::explored::{big, End, Explored};
use crate::state::{Action, ExploreState, Follow};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub explore: ExploreState,
    /// The scenario as it is now (an answer for an older text is marked stale).
    pub source: AttrValue,
    pub follow: Option<Follow>,
    /// The scenario has errors: nothing to explore.
    pub disabled: bool,
    pub dispatch: Callback<Action>,
}

/// Rows drawn before "Show all", and at most after it (the worker keeps up to 1,000
/// outcomes; a page of buttons that long helps nobody). "Show all" adds them `STEP` at a
/// time, each batch a task of its own, so the page never blocks on drawing them.
const FEW_ROWS: usize = 12;
const MOST_ROWS: usize = 100;
const STEP: usize = 22;

fn histogram(
    result: &Rc<Explored>,
    follow: Option<&Follow>,
    d: &Callback<Action>,
    all: &UseStateHandle<usize>,
) -> Html {
    let shown = **all;
    let hidden = result.rows.len().saturating_sub(shown);
    let followed = follow.map(|f| interleave_core::explore::schedule_text(&f.steps));
    // "Expected" says something only beside endings that are not: a program whose every
    // ending is a clean finish has nothing to mark.
    let marked =
        |row: &crate::explored::Row| row.expected() && result.rows.iter().any(|r| !r.expected());
    let rows = result.rows.iter().take(shown).enumerate().map(|(i, row)| {
        let share = result.share(row);
        let following = followed.as_deref() == Some(row.schedule.as_str());
        let onclick = d.reform(move |_: MouseEvent| Action::Follow(i));
        let class = classes!("outcome-row", format!("end-{}", row.end.key()), marked(row).then_some("expected"));
        let pre = match row.preemptions {
            0 => "no preemption".to_string(),
            1 => "1 preemption".to_string(),
            n => format!("{n} preemptions"),
        };
        html! {
            <li>
                <button {class} data-testid="outcome-row" data-end={row.end.key()} data-count={row.count.to_string()}
                        data-values={row.values.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(",")}
                        data-preemptions={row.preemptions.to_string()}
                        aria-pressed={following.to_string()} {onclick}
                        title={format!("Play an execution that ends like this ({pre}); {}", row.schedule)}>
                    <span class="bar" style={format!("width: {:.1}%", (share * 100.0).max(0.5))}></span>
                    <span class="what">{ row.label() }
                        if marked(row) { <span class="tag ok">{ " ✓ expected" }</span> }</span>
                    <span class="count">{ format!("{} · {:.1}%", big(row.count), share * 100.0) }</span>
                    <span class="pre muted">{ pre }</span>
                </button>
                if let (Some(m), End::Deadlock | End::Panic | End::NeverEnds) = (&row.message, row.end) {
                    <p class="message">{ m.lines().next().unwrap_or_default() }</p>
                }
                if !row.output.is_empty() {
                    // Outcomes can differ in what they print alone: show it.
                    <pre class="prints" data-testid="outcome-output">{ printed_lines(&row.output) }</pre>
                }
            </li>
        }
    });
    html! {
        <>
            <p class={classes!("verdict", if result.complete { "ok" } else { "warn" })} data-testid="explore-verdict"
               data-complete={result.complete.to_string()} data-executions={result.executions.to_string()}
               data-states={result.states.to_string()}>{ result.verdict() }</p>
            if !result.caveats.is_empty() {
                <p class="caveat" data-testid="explore-caveat">{ &result.caveats }</p>
            }
            <ol class="histogram" data-testid="histogram">{ for rows }</ol>
            if hidden > 0 && shown == FEW_ROWS {
                <button class="quiet" data-testid="explore-all" onclick={{ let all = all.clone(); move |_: MouseEvent| all.set(FEW_ROWS + STEP) }}>
                    { format!("Show {} more outcomes", hidden.min(MOST_ROWS - FEW_ROWS)) }</button>
            } else if hidden > 0 && shown >= MOST_ROWS {
                <p class="muted">{ format!("{hidden} rarer outcomes are not listed (the command line's `interleave explore --format json` lists every one).") }</p>
            }
            <p class="muted">{ "An execution is counted once for all the orders of steps that differ only in swapping independent ones (steps on different data, say): they end the same way. Click an outcome to watch one execution that reaches it, with the fewest preemptions." }</p>
        </>
    }
}

/// The output of an outcome, at most 6 lines (then how many more).
fn printed_lines(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    let mut text = lines.iter().take(6).copied().collect::<Vec<_>>().join("\n");
    if lines.len() > 6 {
        text.push_str(&format!("\n… {} more lines", lines.len() - 6));
    }
    text
}

#[function_component(ExplorePanel)]
pub fn explore_panel(p: &Props) -> Html {
    let d = &p.dispatch;
    let all = use_state(|| FEW_ROWS);
    {
        // After "Show all": the next batch of rows in a task of its own.
        let all = all.clone();
        use_effect_with(*all, move |&n| {
            let mut handle = None;
            if n > FEW_ROWS && n < MOST_ROWS {
                if let Some(w) = web_sys::window() {
                    let next = wasm_bindgen::closure::Closure::once_into_js(move || {
                        all.set((n + STEP).min(MOST_ROWS))
                    });
                    handle = w
                        .set_timeout_with_callback(wasm_bindgen::JsCast::unchecked_ref(&next))
                        .ok();
                }
            }
            move || {
                if let (Some(h), Some(w)) = (handle, web_sys::window()) {
                    w.clear_timeout_with_handle(h);
                }
            }
        });
    }
    let start = d.reform(|_: MouseEvent| Action::ExploreStart);
    let body = match &p.explore {
        ExploreState::Idle => html! {
            <button data-testid="explore-start" disabled={p.disabled} onclick={start}>{ "Explore every schedule" }</button>
        },
        ExploreState::Running {
            states,
            per_second,
            witnesses,
            ..
        } => html! {
            <div class="row">
                <p role="status" data-testid="explore-progress">{
                    if *witnesses { "Every state seen; now finding the simplest execution for each outcome…".to_string() }
                    else if *states > 0.0 { format!("Exploring… {} distinct states so far, {} a second (it stops at {})", big(*states), big(per_second.round()), big(crate::explorer::PAGE_MAX_STATES as f64)) }
                    else { "Exploring…".to_string() }
                }</p>
                <button class="quiet" data-testid="explore-cancel" onclick={d.reform(|_: MouseEvent| Action::ExploreCancel)}>{ "Cancel" }</button>
            </div>
        },
        ExploreState::Failed(why) => html! {
            <>
                <p class="error" role="alert" data-testid="explore-failed">{ why.clone() }</p>
                <button data-testid="explore-start" disabled={p.disabled} onclick={start}>{ "Try again" }</button>
            </>
        },
        ExploreState::Done { source, result } => html! {
            <>
                if *source != *p.source {
                    <p class="warn" data-testid="explore-stale">{ "The scenario changed since this was explored. " }
                        <button class="quiet" disabled={p.disabled} onclick={start}>{ "Explore again" }</button></p>
                } else {
                    { histogram(result, p.follow.as_ref(), d, &all) }
                }
            </>
        },
    };
    html! {
        <section class="panel explore-panel" data-testid="explore" aria-labelledby="explore-title">
            <h2 id="explore-title">{ "Every schedule" }</h2>
            <p class="muted">{ "What can this program do under any schedule an operating system could produce? Durations, the quantum and the number of cores never order anything here, so the answer is the same on 1 core or 16; the run above is one of these executions." }</p>
            { body }
        </section>
    }
}

/// The note above the player while a witness is followed.
#[derive(Properties, PartialEq)]
pub struct FollowProps {
    pub follow: Follow,
    pub dispatch: Callback<Action>,
}

#[function_component(FollowNote)]
pub fn follow_note(p: &FollowProps) -> Html {
    let f = &p.follow;
    let pre = match f.preemptions {
        Some(0) => ", with no preemption".to_string(),
        Some(1) => ", with 1 preemption".to_string(),
        Some(n) => format!(", with {n} preemptions"),
        None => String::new(),
    };
    html! {
        <section class="panel follow-note" data-testid="follow" aria-label="Following a witness">
            <p><strong>{ format!("Following an execution that ends: {}{pre}.", f.label) }</strong>
               { " Threads pause for their turn where it needs them to (“paused for its turn” on the timeline), as a busy system can make them. " }
               <button class="quiet" data-testid="unfollow" onclick={p.dispatch.reform(|_: MouseEvent| Action::Unfollow)}>{ "Stop following" }</button></p>
            if let Some(story) = f.story.as_ref().filter(|s| !s.is_empty()) {
                <details>
                    <summary>{ "The execution in words" }</summary>
                    <ol class="story" data-testid="story">{ for story.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ol>
                </details>
            }
        </section>
    }
}
