//! One run: its figures, its Gantt chart and what each core runs at the cursor.

use crate::components::gantt::Gantt;
use crate::palette::thread_colour;
use interleave_core::snapshot::Snapshot;
use interleave_core::timeline::Lanes;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct Props {
    pub title: AttrValue,
    pub lanes: Rc<Lanes>,
    pub snapshot: Rc<Snapshot>,
    pub span: u64,
    pub tick: u64,
    pub on_seek: Callback<u64>,
    /// For tests: "main" or "single".
    pub which: AttrValue,
    /// Events in the trace (shown to tests and benchmarks).
    pub events: usize,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.lanes, &o.lanes)
            && self.snapshot == o.snapshot
            && (
                self.title.clone(),
                self.span,
                self.tick,
                self.which.clone(),
                self.events,
            ) == (o.title.clone(), o.span, o.tick, o.which.clone(), o.events)
    }
}

#[function_component(RunPane)]
pub fn run_pane(props: &Props) -> Html {
    let l = &props.lanes;
    let snap = &props.snapshot;
    let name = |t| {
        snap.threads
            .iter()
            .find(|th| th.id == t)
            .map_or_else(String::new, |th| th.name.clone())
    };
    let cores = snap.cores.iter().enumerate().map(|(i, c)| match c.thread {
        Some(t) => {
            let style = format!("background: {}", thread_colour(t));
            let what = if c.switching {
                format!("switching to {}", name(t))
            } else {
                name(t)
            };
            html! {
                <li class={classes!("core", c.switching.then_some("switching"))} data-testid="core"
                    data-thread={t.0.to_string()}>
                    <span class="core-label">{ format!("core {i}") }</span>
                    <span class="chip" {style}>{ what }</span>
                </li>
            }
        }
        None => html! {
            <li class="core idle" data-testid="core" data-thread="">
                <span class="core-label">{ format!("core {i}") }</span>
                <span class="chip idle">{ "idle" }</span>
            </li>
        },
    });
    let label = format!(
        "{}: Gantt chart of {} cores over {} ticks",
        props.title,
        l.cores.len(),
        l.makespan()
    );
    html! {
        <section class="panel run-pane" data-testid="run-pane" data-which={props.which.clone()}
                 data-makespan={l.makespan().to_string()} data-events={props.events.to_string()}
                 data-utilisation={format!("{:.3}", l.utilisation())}>
            <h2>{ props.title.clone() }</h2>
            <p class="figures">
                <span>{ "Makespan " }<strong data-testid="makespan">{ format!("{} ticks", l.makespan()) }</strong></span>
                <span>{ "Utilisation " }<strong data-testid="utilisation">{ format!("{:.0}%", l.utilisation() * 100.0) }</strong></span>
                <span>{ format!("Busy now: {} of {} cores", snap.busy_cores(), snap.cores.len()) }</span>
            </p>
            <Gantt lanes={Rc::clone(&props.lanes)} span={props.span} tick={props.tick}
                   on_seek={props.on_seek.clone()} label={label} />
            <ul class="cores" aria-label="What each core runs now">{ for cores }</ul>
        </section>
    }
}
