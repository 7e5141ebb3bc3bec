//! Threads at the cursor: state and reason, the ready queue, and the code with each thread's
//! current statement marked.

use crate::palette::thread_colour;
use interleave_core::snapshot::{Snapshot, Status};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub snapshot: Rc<Snapshot>,
    pub source: AttrValue,
}

fn chip(name: &str, t: interleave_core::trace::ThreadId) -> Html {
    let style = format!("background: {}", thread_colour(t));
    html! { <span class="chip" {style}>{ name.to_string() }</span> }
}

#[function_component(MachineView)]
pub fn machine_view(props: &Props) -> Html {
    let s = &props.snapshot;
    let name = |t| {
        s.threads
            .iter()
            .find(|th| th.id == t)
            .map_or("?", |th| th.name.as_str())
    };
    let ready = s
        .ready
        .iter()
        .map(|&t| html! { <li>{ chip(name(t), t) }</li> });
    let threads = s.threads.iter().map(|th| {
        html! {
            <tr class={classes!("thread", format!("st-{}", th.status.label()))} data-testid="thread"
                data-thread={th.id.0.to_string()} data-status={th.status.label()}>
                <td>{ chip(&th.name, th.id) }</td>
                <td>{ th.status.label() }</td>
                <td data-testid="thread-detail">{ &th.detail }</td>
                <td>{ if th.line > 0 { th.line.to_string() } else { String::new() } }</td>
            </tr>
        }
    });
    let race_lines: Vec<u32> = s
        .races
        .iter()
        .flat_map(|r| [r.lines.0, r.lines.1])
        .collect();
    let code = props.source.lines().enumerate().map(|(i, text)| {
        let n = (i + 1) as u32;
        let here: Vec<_> = s
            .threads
            .iter()
            .filter(|th| th.line == n && !matches!(th.status, Status::Exited | Status::Panicked))
            .collect();
        let tasks: Vec<_> = s.tasks.iter().filter(|t| t.line == n).collect();
        let running = here.iter().any(|th| th.status == Status::Running);
        let race = race_lines.contains(&n);
        let class = classes!(
            "code-line",
            running.then_some("running"),
            (!here.is_empty() && !running).then_some("waiting"),
            race.then_some("race")
        );
        html! {
            <div {class} data-line={n.to_string()} data-threads={here.iter().map(|t| t.id.0.to_string()).collect::<Vec<_>>().join(",")}>
                <span class="ln">{ n }</span>
                <code>{ text }</code>
                <span class="markers">
                    { for here.iter().map(|th| chip(&th.name, th.id)) }
                    { for tasks.iter().map(|t| html! { <span class="chip task">{ format!("task #{} {}", t.id, t.name) }</span> }) }
                    if race { <span class="chip race-chip">{ "race" }</span> }
                </span>
            </div>
        }
    });
    let tasks = s.tasks.iter().map(|t| {
        html! {
            <li data-testid="task">{ format!("task #{} ({}): {}", t.id, t.name, t.state) }</li>
        }
    });
    html! {
        <section class="panel machine" aria-labelledby="machine-title">
            <h2 id="machine-title">{ format!("Threads at tick {}", s.tick) }</h2>
            <div class="ready">
                <strong>{ "Ready queue: " }</strong>
                if s.ready.is_empty() { <span class="muted">{ "empty" }</span> }
                <ol class="queue" data-testid="ready-queue">{ for ready }</ol>
            </div>
            <table class="threads">
                <thead><tr><th>{ "Thread" }</th><th>{ "State" }</th><th>{ "Why" }</th><th>{ "Line" }</th></tr></thead>
                <tbody>{ for threads }</tbody>
            </table>
            if !s.tasks.is_empty() {
                <h3>{ "Async tasks on the event loop" }</h3>
                <ul class="tasks">{ for tasks }</ul>
            }
            <h3>{ "Code" }</h3>
            <div class="code" data-testid="code">{ for code }</div>
        </section>
    }
}
