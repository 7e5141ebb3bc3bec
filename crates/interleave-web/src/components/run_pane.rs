//! One run: what each core runs at the cursor, its timeline, and (once revealed) its
//! figures.

use crate::components::gantt::Gantt;
use crate::palette::thread_colour;
use crate::state::Action;
use interleave_core::snapshot::Snapshot;
use interleave_core::timeline::Lanes;
use interleave_core::waits::Waits;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct Props {
    pub title: AttrValue,
    pub lanes: Rc<Lanes>,
    pub waits: Rc<Waits>,
    pub snapshot: Rc<Snapshot>,
    pub span: u64,
    pub view: (u64, u64),
    pub tick: u64,
    /// Predict mode, not yet revealed: no figures, no future.
    pub hiding: bool,
    pub dispatch: Callback<Action>,
    /// For tests: "main" or "single".
    pub which: AttrValue,
    /// Events in the trace (shown to tests and benchmarks).
    pub events: usize,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.lanes, &o.lanes)
            && Rc::ptr_eq(&self.waits, &o.waits)
            && self.snapshot == o.snapshot
            && (
                self.title.clone(),
                self.span,
                self.view,
                self.tick,
                self.hiding,
                self.which.clone(),
                self.events,
            ) == (
                o.title.clone(),
                o.span,
                o.view,
                o.tick,
                o.hiding,
                o.which.clone(),
                o.events,
            )
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
        "{}: timeline of {} cores over {} ticks.",
        props.title,
        l.cores.len(),
        props.span
    );
    let d = &props.dispatch;
    html! {
        <section class="panel run-pane" data-testid="run-pane" data-which={props.which.clone()}
                 data-makespan={(!props.hiding).then(|| l.makespan().to_string())}
                 data-events={props.events.to_string()}
                 data-utilisation={(!props.hiding).then(|| format!("{:.3}", l.utilisation()))}>
            <div class="run-head">
                <h2>{ props.title.clone() }</h2>
                if !props.hiding {
                    <p class="figures">
                        <span>{ "Makespan " }<strong data-testid="makespan">{ format!("{} ticks", l.makespan()) }</strong></span>
                        <span>{ "Utilisation " }<strong data-testid="utilisation">{ format!("{:.0}%", l.utilisation() * 100.0) }</strong></span>
                    </p>
                }
            </div>
            <ul class="cores" aria-label={format!("What each core runs now: {} of {} busy", snap.busy_cores(), snap.cores.len())}>{ for cores }</ul>
            <Gantt lanes={Rc::clone(&props.lanes)} waits={Rc::clone(&props.waits)} span={props.span}
                   view={props.view} tick={props.tick} hide_future={props.hiding}
                   on_seek={d.reform(Action::Seek)}
                   on_zoom={d.reform(|(factor, at)| Action::Zoom { factor, at })}
                   on_pan={d.reform(Action::Pan)}
                   on_show={d.reform(|(a, b)| Action::ShowTicks(a, b))}
                   label={label} />
        </section>
    }
}
