//! Machine and schedule settings in one compact bar: cores, quantum, switch cost, policy,
//! seed, a new random schedule (and what it changed), compare, and predict mode.

use crate::sim::{Policy, Scale, UiSettings, UI_MAX_CORES};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub settings: UiSettings,
    pub compare: bool,
    pub on_change: Callback<UiSettings>,
    pub on_new_schedule: Callback<()>,
    pub on_toggle_compare: Callback<()>,
    pub predict: bool,
    pub on_predict: Callback<bool>,
    /// What "New random schedule" just changed, in words.
    pub note: Option<String>,
}

fn number_input(e: &Event) -> Option<u64> {
    e.target()?
        .dyn_into::<HtmlInputElement>()
        .ok()?
        .value()
        .trim()
        .parse()
        .ok()
}

#[function_component(SettingsBar)]
pub fn settings_bar(props: &Props) -> Html {
    let s = props.settings;
    let field = |set: fn(&mut UiSettings, u64)| {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = number_input(&e) {
                let mut next = s;
                set(&mut next, v);
                on_change.emit(next);
            }
        })
    };
    let on_policy = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let key = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .map(|t| t.value());
            if let Some(p) = key.as_deref().and_then(Policy::from_key) {
                on_change.emit(UiSettings { policy: p, ..s });
            }
        })
    };
    let on_tick = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let ns = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .and_then(|t| t.value().parse::<u64>().ok());
            if let Some(scale) = ns.and_then(Scale::from_nanos) {
                on_change.emit(UiSettings {
                    tick_ns: scale.nanos(),
                    ..s
                });
            }
        })
    };
    let cores = field(|s, v| s.cores = v.min(u64::from(UI_MAX_CORES)) as u32);
    let quantum = field(|s, v| s.quantum = v);
    let switch = field(|s, v| s.switch_cost = v);
    let seed = field(|s, v| s.seed = v);
    let new_schedule = props.on_new_schedule.reform(|_: MouseEvent| ());
    let compare = props.on_toggle_compare.reform(|_: Event| ());
    let predict = {
        let (on, now) = (props.on_predict.clone(), props.predict);
        Callback::from(move |_: Event| on.emit(!now))
    };
    // Compare puts a 1-core run beside this one: with 1 core they would be the same.
    let compare_label = if s.cores > 1 {
        " Compare with 1 core".to_string()
    } else {
        " Compare with 1 core (set 2 or more cores)".to_string()
    };
    html! {
        <section class="settings" aria-label="Settings">
            <label>{ "Cores " }
                <input type="number" data-testid="cores" min="1" max={UI_MAX_CORES.to_string()}
                       value={s.cores.to_string()} onchange={cores} /></label>
            <label title="Ticks a thread runs before round robin preempts it">{ "Quantum " }
                <input type="number" data-testid="quantum" min="1" max="1000"
                       value={s.quantum.to_string()} onchange={quantum} /></label>
            <label title="Ticks a core spends switching threads (the context-switch cost)">{ "Switch cost " }
                <input type="number" data-testid="switch-cost" min="0" max="1000"
                       value={s.switch_cost.to_string()} onchange={switch} /></label>
            <label>{ "Policy " }
                <select data-testid="policy" onchange={on_policy} title="Round robin: preempt after the quantum. FIFO: run until blocked. Random: preempt at random points (seeded).">
                    <option value="rr" selected={s.policy == Policy::RoundRobin}>{ "Round robin" }</option>
                    <option value="fifo" selected={s.policy == Policy::Fifo}>{ "FIFO" }</option>
                    <option value="random" selected={s.policy == Policy::Random}>{ "Random" }</option>
                </select></label>
            <label title="How long one tick of the timeline is in a Duration: thread::sleep(Duration::from_millis(5)) sleeps 5 ticks at 1 ms">{ "1 tick = " }
                <select data-testid="tick-length" onchange={on_tick}>
                    { for Scale::ALL.iter().map(|sc| html! {
                        <option value={sc.nanos().to_string()} selected={sc.nanos() == s.tick_ns}>{ sc.words() }</option>
                    }) }
                </select></label>
            <label>{ "Seed " }
                <input type="number" data-testid="seed" min="0" value={s.seed.to_string()} onchange={seed} /></label>
            <button data-testid="new-schedule" onclick={new_schedule}
                    title="A new seed for the random scheduler (key n)">{ "New random schedule" }</button>
            <label class="toggle">
                <input type="checkbox" data-testid="compare" checked={props.compare} onchange={compare} />
                { compare_label }</label>
            <label class="toggle" title="Hide the outcome and the rest of the timeline until the run reaches its end">
                <input type="checkbox" data-testid="predict-mode" checked={props.predict} onchange={predict} />
                { " Predict first" }</label>
            if let Some(note) = &props.note {
                <p class="note" data-testid="schedule-note" role="status">{ note }</p>
            }
        </section>
    }
}
