//! Shared memory at the cursor: plain variables, atomics, mutexes and `RwLock`s (owner or
//! readers, wait queue), condvars (who waits for a notification),
//! `Arc`s (what each points to, its strong count and who holds each reference) and channels
//! (buffer, messages in flight, who is blocked).

use crate::palette::thread_colour;
use interleave_core::snapshot::Snapshot;
use interleave_core::trace::ThreadId;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub snapshot: Rc<Snapshot>,
}

#[function_component(MemoryPanel)]
pub fn memory_panel(props: &Props) -> Html {
    let s = &props.snapshot;
    // A `bool` says `true` / `false`, not 1 / 0.
    let said = |n: &str, v: i64| {
        s.shown
            .iter()
            .find(|(x, _)| x == n)
            .map_or_else(|| v.to_string(), |(_, w)| w.clone())
    };
    let values = |rows: &[(String, i64)], kind: &'static str| {
        rows.iter()
            .map(|(n, v)| html! {
                <tr data-testid="value" data-kind={kind} data-name={n.clone()} data-value={v.to_string()}>
                    <th scope="row"><code>{ n }</code></th><td>{ said(n, *v) }</td>
                </tr>
            })
            .collect::<Html>()
    };
    let mutexes = s.mutexes.iter().map(|m| html! {
        <tr data-testid="mutex" data-name={m.name.clone()} data-owner={m.owner.clone().unwrap_or_default()}>
            <th scope="row"><code>{ &m.name }</code>
                if m.rwlock { <span class="muted">{ " RwLock" }</span> }</th>
            <td>{ m.shown.clone() }</td>
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
            <li class="channel" data-testid="channel" data-buffer={c.shown.join(",")}>
                <strong>{ format!("channel #{} ", c.id) }</strong><span class="muted">{ format!("{made}{} · {state}", c.kind) }</span>
                <div class="buffer" aria-label="Buffered messages, oldest first">
                    if c.buffer.is_empty() { <span class="muted">{ "empty" }</span> }
                    { for c.shown.iter().map(|v| html! { <span class="msg">{ v.clone() }</span> }) }
                </div>
                { for c.sending.iter().map(|(t, v)| html! { <div class="muted">{ format!("{t} waits to send {v}") }</div> }) }
                { for c.receiving.iter().map(|t| html! { <div class="muted">{ format!("{t} waits to receive") }</div> }) }
            </li>
        }
    });
    let arcs = s.arcs.iter().map(|a| {
        // One chip per holder, with how many references it holds: `main ×2`.
        let mut held: Vec<(ThreadId, &str, usize)> = Vec::new();
        for (t, name) in &a.holders {
            match held.iter_mut().find(|h| h.0 == *t) {
                Some(h) => h.2 += 1,
                None => held.push((*t, name, 1)),
            }
        }
        let chips = held.iter().map(|&(t, name, n)| {
            let style = format!("background: {}", thread_colour(t));
            let short = name.split(" (").next().unwrap_or(name).to_string();
            let times = if n > 1 { format!(" ×{n}") } else { String::new() };
            html! { <span class="chip" {style} title={name.to_string()}>{ format!("{short}{times}") }</span> }
        });
        html! {
            <li class="arc" data-testid="arc" data-count={a.count.to_string()} data-peak={a.peak.to_string()}>
                <strong>{ format!("Arc #{} ", a.id) }</strong>
                <span class="muted">{ format!("→ {} · ", a.points_to) }</span>
                <span class="arc-count">{ format!("strong count {}", a.count) }</span>
                <span class="muted">{ format!(" (at most {} so far)", a.peak) }</span>
                <div class="arc-holders">
                    if a.count == 0 {
                        <span class="muted">{ "dropped: the last reference is gone" }</span>
                    } else {
                        <span class="muted">{ "held by " }</span>{ for chips }
                    }
                </div>
            </li>
        }
    });
    let condvars = s.condvars.iter().map(|(name, waiting)| html! {
        <tr data-testid="condvar" data-name={name.clone()} data-waiting={waiting.len().to_string()}>
            <th scope="row"><code>{ name }</code></th>
            <td>{ if waiting.is_empty() { "nobody (a notification now would be lost)".to_string() } else { waiting.join(" → ") } }</td>
        </tr>
    });
    let empty = s.vars.is_empty()
        && s.condvars.is_empty()
        && s.atomics.is_empty()
        && s.mutexes.is_empty()
        && s.channels.is_empty()
        && s.arcs.is_empty();
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
            if !s.condvars.is_empty() {
                <h3>{ "Condvars" }</h3>
                <table>
                    <thead><tr><th>{ "Name" }</th><th>{ "Waiting for a notification" }</th></tr></thead>
                    <tbody>{ for condvars }</tbody>
                </table>
            }
            if !s.arcs.is_empty() {
                <h3>{ "Arcs " }<span class="muted">{ "(shared owners, counted)" }</span></h3>
                <ul class="channels">{ for arcs }</ul>
            }
            if !s.channels.is_empty() {
                <h3>{ "Channels" }</h3>
                <ul class="channels">{ for channels }</ul>
            }
        </section>
    }
}
