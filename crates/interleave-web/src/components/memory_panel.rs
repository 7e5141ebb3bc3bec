//! Shared memory at the cursor: plain variables, atomics, mutexes (owner, wait queue) and
//! channels (buffer, messages in flight, who is blocked).

use interleave_core::snapshot::Snapshot;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub snapshot: Rc<Snapshot>,
}

#[function_component(MemoryPanel)]
pub fn memory_panel(props: &Props) -> Html {
    let s = &props.snapshot;
    let values = |rows: &[(String, i64)], kind: &'static str| {
        rows.iter()
            .map(|(n, v)| html! {
                <tr data-testid="value" data-kind={kind} data-name={n.clone()} data-value={v.to_string()}>
                    <th scope="row"><code>{ n }</code></th><td>{ v }</td>
                </tr>
            })
            .collect::<Html>()
    };
    let mutexes = s.mutexes.iter().map(|m| html! {
        <tr data-testid="mutex" data-name={m.name.clone()} data-owner={m.owner.clone().unwrap_or_default()}>
            <th scope="row"><code>{ &m.name }</code></th>
            <td>{ m.value }</td>
            <td>{ m.owner.clone().unwrap_or_else(|| "unlocked".into()) }
                if m.poisoned { <span class="chip race-chip">{ "poisoned" }</span> }</td>
            <td>{ if m.waiters.is_empty() { "—".to_string() } else { m.waiters.join(" → ") } }</td>
        </tr>
    });
    let channels = s.channels.iter().map(|c| {
        let made = match c.line {
            0 => String::new(),
            line => format!("line {line} · "),
        };
        let state = match (c.senders_alive, c.receiver_alive) {
            (_, false) => "receiver dropped".to_string(),
            (0, true) => "closed: every sender dropped".to_string(),
            (n, true) => format!("{n} sender(s) alive"),
        };
        html! {
            <li class="channel" data-testid="channel" data-buffer={c.buffer.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")}>
                <strong>{ format!("channel #{} ", c.id) }</strong><span class="muted">{ format!("{made}{} · {state}", c.kind) }</span>
                <div class="buffer" aria-label="Buffered messages, oldest first">
                    if c.buffer.is_empty() { <span class="muted">{ "empty" }</span> }
                    { for c.buffer.iter().map(|v| html! { <span class="msg">{ v }</span> }) }
                </div>
                { for c.sending.iter().map(|(t, v)| html! { <div class="muted">{ format!("{t} waits to send {v}") }</div> }) }
                { for c.receiving.iter().map(|t| html! { <div class="muted">{ format!("{t} waits to receive") }</div> }) }
            </li>
        }
    });
    let empty =
        s.vars.is_empty() && s.atomics.is_empty() && s.mutexes.is_empty() && s.channels.is_empty();
    html! {
        <section class="panel memory" aria-labelledby="memory-title">
            <h2 id="memory-title">{ "Shared memory" }</h2>
            if empty { <p class="muted">{ "This scenario shares nothing." }</p> }
            if !s.vars.is_empty() {
                <h3>{ "Plain variables " }<span class="muted">{ "(no synchronisation: racy)" }</span></h3>
                <table>{ values(&s.vars, "var") }</table>
            }
            if !s.atomics.is_empty() {
                <h3>{ "Atomics " }<span class="muted">{ "(sequentially consistent: SeqCst)" }</span></h3>
                <table>{ values(&s.atomics, "atomic") }</table>
            }
            if !s.mutexes.is_empty() {
                <h3>{ "Mutexes" }</h3>
                <table>
                    <thead><tr><th>{ "Name" }</th><th>{ "Value" }</th><th>{ "Held by" }</th><th>{ "Waiting (FIFO)" }</th></tr></thead>
                    <tbody>{ for mutexes }</tbody>
                </table>
            }
            if !s.channels.is_empty() {
                <h3>{ "Channels" }</h3>
                <ul class="channels">{ for channels }</ul>
            }
        </section>
    }
}
