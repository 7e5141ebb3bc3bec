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

fn histogram(result: &Rc<Explored>, follow: Option<&Follow>, d: &Callback<Action>) -> Html {
    let rows = result.rows.iter().enumerate().map(|(i, row)| {
        let share = result.share(row);
        let following = follow.is_some_and(|f| f.steps == row.steps);
        let onclick = d.reform(move |_: MouseEvent| Action::Follow(i));
        let class = classes!("outcome-row", format!("end-{}", row.end.key()), row.expected().then_some("expected"));
        let pre = match row.preemptions {
            0 => "no preemption".to_string(),
            1 => "1 preemption".to_string(),
            n => format!("{n} preemptions"),
        };
        html! {
            <li>
                <button {class} data-testid="outcome-row" data-end={row.end.key()} data-count={row.count.to_string()}
                        aria-pressed={following.to_string()} {onclick}
                        title={format!("Play an execution that ends like this ({pre}); {}", row.schedule)}>
                    <span class="bar" style={format!("width: {:.1}%", (share * 100.0).max(0.5))}></span>
                    <span class="what">{ row.label() }
                        if row.expected() { <span class="tag ok">{ " ✓ expected" }</span> }</span>
                    <span class="count">{ format!("{} · {:.1}%", big(row.count), share * 100.0) }</span>
                    <span class="pre muted">{ pre }</span>
                </button>
                if let (Some(m), End::Deadlock | End::Panic | End::NeverEnds) = (&row.message, row.end) {
                    <p class="message">{ m.lines().next().unwrap_or_default() }</p>
                }
            </li>
        }
    });
    html! {
        <>
            <p class={classes!("verdict", if result.complete { "ok" } else { "warn" })} data-testid="explore-verdict"
               data-complete={result.complete.to_string()}>{ result.verdict() }</p>
            <ol class="histogram" data-testid="histogram">{ for rows }</ol>
            <p class="muted">{ "Counts are executions as orders of steps (each thread's run to its next shared operation). Click an outcome to watch one execution that reaches it, with the fewest preemptions." }</p>
        </>
    }
}

#[function_component(ExplorePanel)]
pub fn explore_panel(p: &Props) -> Html {
    let d = &p.dispatch;
    let start = d.reform(|_: MouseEvent| Action::ExploreStart);
    let body = match &p.explore {
        ExploreState::Idle => html! {
            <button data-testid="explore-start" disabled={p.disabled} onclick={start}>{ "Explore every schedule" }</button>
        },
        ExploreState::Running {
            states, witnesses, ..
        } => html! {
            <div class="row">
                <p role="status" data-testid="explore-progress">{
                    if *witnesses { "All states seen; finding the simplest execution for each outcome…".to_string() }
                    else { format!("Exploring… {} distinct states so far", big(*states)) }
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
                    { histogram(result, p.follow.as_ref(), d) }
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
               { " Threads pause for their turn where it needs them to (the ⏸ marks on the timeline), as a busy system can make them. " }
               <button class="quiet" data-testid="unfollow" onclick={p.dispatch.reform(|_: MouseEvent| Action::Unfollow)}>{ "Stop following" }</button></p>
            if !f.story.is_empty() {
                <details>
                    <summary>{ "The execution in words" }</summary>
                    <ol class="story" data-testid="story">{ for f.story.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ol>
                </details>
            }
        </section>
    }
}
