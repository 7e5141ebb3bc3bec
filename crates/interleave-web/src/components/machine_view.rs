//! Threads at the cursor: state and why, the line each executes next, its named locals,
//! and the shared values it loaded and still holds (flagged when another thread has written
//! since: the stale value a lost update is made of). The ready queue and async tasks above.

use crate::palette::thread_colour;
use interleave_core::snapshot::Snapshot;
use interleave_core::trace::ThreadId;
use std::rc::Rc;
use yew::prelude::*;

/// A shared value a thread holds: "COUNTER = 0 (loaded at tick 3)", and whether another
/// thread wrote the place since (with its value now).
#[derive(Clone, Debug, PartialEq)]
pub struct HeldView {
    pub place: String,
    pub value: i64,
    pub loaded_at: u64,
    pub now: Option<i64>,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub snapshot: Rc<Snapshot>,
    /// The cursor (the snapshot is at an earlier tick when its run ended before it).
    pub tick: u64,
    pub held: Rc<Vec<(ThreadId, Vec<HeldView>)>>,
}

fn chip(name: &str, t: ThreadId) -> Html {
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
        let held = props
            .held
            .iter()
            .find(|(t, _)| *t == th.id)
            .map(|(_, h)| h.as_slice())
            .unwrap_or_default();
        let locals = th.locals.iter().map(|(n, v)| {
            html! { <span class="value"><code>{ format!("{n} = {v}") }</code></span> }
        });
        let held = held.iter().map(|h| match h.now {
            Some(now) => html! {
                <span class="value stale" data-testid="held" data-stale="true"
                      title={format!("Loaded at tick {}; another thread has written {} since", h.loaded_at, h.place)}>
                    <code>{ format!("loaded {} = {}", h.place, h.value) }</code>
                    { format!(" stale: {} is now {now}", h.place) }
                </span>
            },
            None => html! {
                <span class="value" data-testid="held" data-stale="false" title={format!("Loaded at tick {}", h.loaded_at)}>
                    <code>{ format!("loaded {} = {}", h.place, h.value) }</code>
                </span>
            },
        });
        html! {
            <tr class={classes!("thread", format!("st-{}", th.status.label()))} data-testid="thread"
                data-thread={th.id.0.to_string()} data-status={th.status.label()}>
                <td>{ chip(&th.name, th.id) }</td>
                <td>{ th.status.label() }</td>
                <td data-testid="thread-detail">{ &th.detail }</td>
                <td>{ if th.line > 0 { th.line.to_string() } else { String::new() } }</td>
                <td data-testid="thread-values"><div class="values">{ for locals }{ for held }</div></td>
            </tr>
        }
    });
    let tasks = s.tasks.iter().map(|t| {
        html! {
            <li data-testid="task">{ format!("task #{} ({}): {}", t.id, t.name, t.state) }</li>
        }
    });
    let title = if s.tick < props.tick {
        format!(
            "Threads at tick {} (this run ended at tick {})",
            props.tick, s.tick
        )
    } else {
        format!("Threads at tick {}", s.tick)
    };
    html! {
        <section class="panel machine" aria-labelledby="machine-title">
            <h2 id="machine-title" data-testid="machine-title">{ title }</h2>
            <div class="ready">
                <strong>{ "Ready queue: " }</strong>
                if s.ready.is_empty() { <span class="muted">{ "empty" }</span> }
                <ol class="queue" data-testid="ready-queue">{ for ready }</ol>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Threads">
                <table class="threads">
                    <thead><tr><th>{ "Thread" }</th><th>{ "State" }</th><th>{ "Why" }</th><th>{ "Line" }</th><th>{ "Values it holds" }</th></tr></thead>
                    <tbody>{ for threads }</tbody>
                </table>
            </div>
            if !s.tasks.is_empty() {
                <h3>{ "Async tasks on the event loop" }</h3>
                <ul class="tasks">{ for tasks }</ul>
            }
        </section>
    }
}
