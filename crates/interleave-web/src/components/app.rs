//! The root component: owns the reducer, the playback clock, the keyboard shortcuts and the
//! threads worker, and lays out the views.

use crate::components::banner::Banner;
use crate::components::editor::Editor;
use crate::components::gallery::Gallery;
use crate::components::help_overlay::HelpOverlay;
use crate::components::lesson::Lesson;
use crate::components::machine_view::MachineView;
use crate::components::memory_panel::MemoryPanel;
use crate::components::narration::Narration;
use crate::components::outcome_panel::OutcomePanel;
use crate::components::playback::Playback;
use crate::components::run_pane::RunPane;
use crate::components::settings_bar::SettingsBar;
use crate::components::share_panel::SharePanel;
use crate::components::threads_panel::ThreadsPanel;
use crate::components::wait_graph::WaitGraph;
use crate::sim::{RunView, Sim};
use crate::state::{reduce, Action, AppState, Tab, Theme};
use crate::threads::ThreadsWorker;
use crate::{page, share, svg};
use interleave_core::machine::Machine;
use interleave_core::snapshot::{narrate, Snapshot};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How often the detail panels refresh while playing.
const DETAILS_REFRESH_MS: f64 = 150.0;

/// The machine shown for each run, kept between frames so playback only moves it forward.
#[derive(Default)]
struct Scrubber {
    /// Held (not just its address), so a new run can never be mistaken for this one.
    sim: Option<Rc<Sim>>,
    machines: Vec<Option<Machine>>,
}

impl Scrubber {
    fn snapshots(&mut self, sim: &Rc<Sim>, tick: u64) -> Vec<(Rc<Snapshot>, Machine)> {
        if !self.sim.as_ref().is_some_and(|s| Rc::ptr_eq(s, sim)) {
            self.sim = Some(Rc::clone(sim));
            self.machines = sim.runs().map(|_| None).collect();
        }
        sim.runs()
            .zip(self.machines.iter_mut())
            .map(|(rv, slot): (&RunView, _)| {
                let m = match slot.take() {
                    Some(m) => rv.run.seek(m, tick),
                    None => rv.run.state_at(tick),
                };
                let snap = Rc::new(Snapshot::of(&m));
                *slot = Some(m.clone());
                (snap, m)
            })
            .collect()
    }
}

/// The events of the tick before the cursor, in words.
fn narration(rv: &RunView, m: &Machine, tick: u64) -> Vec<String> {
    if tick == 0 {
        return Vec::new();
    }
    let events = &rv.run.events;
    let mut lines: Vec<String> = events
        .range(events.first_at(tick - 1)..events.first_at(tick))
        .filter_map(|e| narrate(m, &e))
        .collect();
    if lines.len() > 10 {
        let more = lines.len() - 10;
        lines.truncate(10);
        lines.push(format!("and {more} more"));
    }
    lines
}

/// Keys typed into text, a number or a list belong to that field; sliders, checkboxes and
/// buttons leave the shortcuts on.
fn is_typing(e: &web_sys::KeyboardEvent) -> bool {
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    else {
        return false;
    };
    match el.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => !matches!(
            el.get_attribute("type").as_deref(),
            Some("range" | "checkbox" | "button")
        ),
        _ => false,
    }
}

/// The shortcut listed in the help overlay for a key, if any.
fn shortcut(e: &web_sys::KeyboardEvent, help_open: bool) -> Option<Action> {
    let big = if e.shift_key() { 10 } else { 1 };
    Some(match e.key().as_str() {
        " " => Action::TogglePlay,
        "ArrowRight" => Action::Step(big),
        "ArrowLeft" => Action::Step(-big),
        "Home" => Action::ToStart,
        "End" => Action::ToEnd,
        "+" | "=" => Action::SpeedStep(1),
        "-" => Action::SpeedStep(-1),
        "c" => Action::ToggleCompare,
        "n" => Action::NewSchedule,
        "?" => Action::ToggleHelp,
        "Escape" if help_open => Action::CloseHelp,
        _ => return None,
    })
}

#[hook]
fn use_playback_clock(playing: bool, dispatch: Callback<Action>) {
    use_effect_with(playing, move |&playing| {
        let stop = Rc::new(RefCell::new(false));
        if playing {
            type Frame = Closure<dyn FnMut(f64)>;
            let slot: Rc<RefCell<Option<Frame>>> = Rc::new(RefCell::new(None));
            let last = Rc::new(RefCell::new(None::<f64>));
            let (slot2, stop2) = (slot.clone(), stop.clone());
            *slot.borrow_mut() = Some(Closure::new(move |now: f64| {
                if *stop2.borrow() {
                    slot2.borrow_mut().take();
                    return;
                }
                let prev = last.borrow_mut().replace(now);
                dispatch.emit(Action::Frame(prev.map_or(0.0, |p| now - p)));
                if let (Some(w), Some(f)) = (web_sys::window(), slot2.borrow().as_ref()) {
                    let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
                }
            }));
            let first = slot.borrow();
            if let (Some(w), Some(f)) = (web_sys::window(), first.as_ref()) {
                let _ = w.request_animation_frame(f.as_ref().unchecked_ref());
            }
        }
        move || *stop.borrow_mut() = true
    });
}

/// What the address asks for: a share link, a broken one (the banner), or nothing (then the
/// saved draft, if any, comes back).
fn from_address(fragment: &str, at_start: bool, embed: bool) -> Option<Action> {
    if fragment.is_empty() || fragment == BENCH_FRAGMENT {
        // Embeds show exactly their link; the full page brings back your own work.
        return (at_start && !embed)
            .then(page::load_draft)
            .flatten()
            .map(|d| Action::Open {
                shared: Box::new(d),
                draft: true,
            });
    }
    Some(match share::decode(fragment) {
        Ok(s) => Action::Open {
            shared: Box::new(s),
            draft: false,
        },
        Err(e) => Action::LinkFailed {
            reason: e.to_string(),
            draft: page::load_draft().map(Box::new),
            at_start,
        },
    })
}

const BENCH_FRAGMENT: &str = "bench-16x64";

fn initial_state() -> AppState {
    let mut s = reduce(&AppState::default(), Action::Embed(page::embed_requested()));
    if let Some(a) = from_address(&page::fragment(), true, s.embed) {
        s = reduce(&s, a);
    }
    s
}

/// "1 core", "4 cores".
fn plural(n: u32, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A file name for exports: the lesson's name, or "scenario".
fn export_name(state: &AppState, ext: &str) -> String {
    format!("interleave-{}.{ext}", state.preset.unwrap_or("scenario"))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let worker: Rc<RefCell<Option<ThreadsWorker>>> = use_mut_ref(|| None);
    let scrubber = use_mut_ref(Scrubber::default);
    let dispatch = {
        let d = state.dispatcher();
        Callback::from(move |a: Action| d.dispatch(a))
    };

    {
        let worker = worker.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            match ThreadsWorker::spawn(dispatch.clone()) {
                Ok(w) => *worker.borrow_mut() = Some(w),
                Err(e) => dispatch.emit(Action::ThreadsFailed(e)),
            }
            // The hidden benchmark scenario.
            if page::fragment() == BENCH_FRAGMENT {
                dispatch.emit(Action::LoadBench);
            }
            move || drop(worker.borrow_mut().take())
        });
    }

    // A link pasted into the address bar of the open page.
    {
        let embed = state.embed;
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn(web_sys::HashChangeEvent)>::new(move |_| {
                if let Some(a) = from_address(&page::fragment(), false, embed) {
                    dispatch.emit(a);
                }
            });
            let w = web_sys::window();
            if let Some(w) = &w {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = w {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    // What you type is kept (only what you type: opening a link never overwrites it).
    {
        let key = (
            state.source.clone(),
            state.settings,
            state.compare,
            state.typed && !state.embed,
        );
        let shared = state.shared();
        use_effect_with(key, move |(_, _, _, save)| {
            if *save {
                page::save_draft(&shared);
            }
        });
    }

    // Keyboard shortcuts, on the whole document.
    {
        let dispatch = dispatch.clone();
        let help = state.help;
        use_effect_with(help, move |&help| {
            let listener =
                Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                    if is_typing(&e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    if let Some(a) = shortcut(&e, help) {
                        e.prevent_default();
                        dispatch.emit(a);
                    }
                });
            let doc = web_sys::window().and_then(|w| w.document());
            if let Some(d) = &doc {
                let _ = d
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(d) = doc {
                    let _ = d.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }

    use_playback_clock(state.playing, dispatch.clone());

    let on_real_run = {
        let worker = worker.clone();
        let dispatch = dispatch.clone();
        Callback::from(
            move |(workload, counts): (crate::real::Workload, Vec<u32>)| {
                let sent = worker.borrow().as_ref().map(|w| w.run(workload, &counts));
                match sent {
                    Some(Ok(())) => dispatch.emit(Action::RealStarted(counts.len() as u32)),
                    Some(Err(e)) => dispatch.emit(Action::RealFailed(e)),
                    None => dispatch.emit(Action::RealFailed("no threads worker".into())),
                }
            },
        )
    };

    let sim = Rc::clone(&state.sim.0);
    let tick = state.tick();
    // Derived, not state: the machines at the cursor and at the end.
    let snaps = scrubber.borrow_mut().snapshots(&sim, tick);
    // While playing, the detail panels (dozens of rows of text) refresh a few times a
    // second: text changing every frame is unreadable, and re-laying it out every frame
    // costs the animation its frame rate. Paused, they always show the cursor's state.
    let details = {
        let held = use_mut_ref(|| None::<(f64, Rc<Snapshot>)>);
        let now = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now());
        let current = snaps.last().map(|(s, _)| Rc::clone(s));
        let mut held = held.borrow_mut();
        match (&*held, current) {
            (Some((at, kept)), Some(_)) if state.playing && now - at < DETAILS_REFRESH_MS => {
                Some(Rc::clone(kept))
            }
            (_, Some(cur)) => {
                *held = Some((now, Rc::clone(&cur)));
                Some(cur)
            }
            (_, None) => {
                *held = None;
                None
            }
        }
    };
    let last = {
        let sim = Rc::clone(&sim);
        use_memo(state.sim.clone(), move |_| {
            sim.main
                .as_ref()
                .map(|rv| Rc::new(Snapshot::of(&rv.run.state_at(rv.run.end_tick()))))
        })
    };

    // Parsed once per lesson, not once per frame.
    let preset = use_memo(state.preset, |p| p.and_then(interleave_lang::presets::find));

    let theme_class = match state.theme {
        Theme::System => "theme-system",
        Theme::Light => "theme-light",
        Theme::Dark => "theme-dark",
    };
    let on_theme = dispatch.reform(|e: Event| {
        let v = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        Action::Theme(match v.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        })
    });
    let tab = |t: Tab, label: &'static str, id: &'static str| {
        let onclick = dispatch.reform(move |_: MouseEvent| Action::Tab(t));
        html! {
            <button role="tab" data-testid={id} aria-selected={(state.tab == t).to_string()}
                    class={classes!("tab", (state.tab == t).then_some("current"))} {onclick}>{ label }</button>
        }
    };
    let help_button = dispatch.reform(|_: MouseEvent| Action::ToggleHelp);
    let share_button = dispatch.reform(|_: MouseEvent| Action::ToggleShare);
    // The full-page link is written when it is followed, so it carries the current step.
    let open_full = {
        let state = state.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(a) = e.target_dyn_into::<web_sys::HtmlAnchorElement>() {
                a.set_href(&format!(
                    "{}#{}",
                    page::base_url(),
                    share::encode(&state.shared())
                ));
            }
        })
    };

    let header = html! {
        <header class="app-header">
            <div class="brand">
                <h1>{ "Interleave" }</h1>
                <p class="tagline">{ "See concurrency: threads on one core take turns; on many cores they run at once." }</p>
            </div>
            <nav class="tabs" role="tablist">
                { tab(Tab::Simulator, "Simulator", "tab-simulator") }
                { tab(Tab::RealThreads, "Real threads", "tab-threads") }
            </nav>
            <div class="header-tools">
                if state.embed {
                    <a class="open-full" data-testid="open-full" href={page::base_url()} target="_blank"
                       rel="noopener" onclick={open_full}>{ "Open full page ↗" }</a>
                }
                <button data-testid="share-button" aria-expanded={state.share.to_string()} onclick={share_button}>{ "Share / export" }</button>
                <label class="theme-picker">{ "Theme " }
                    <select data-testid="theme" onchange={on_theme}>
                        <option value="system" selected={state.theme == Theme::System}>{ "System" }</option>
                        <option value="light" selected={state.theme == Theme::Light}>{ "Light" }</option>
                        <option value="dark" selected={state.theme == Theme::Dark}>{ "Dark" }</option>
                    </select></label>
                <button data-testid="help-button" onclick={help_button} aria-label="Keyboard shortcuts">{ "? Keys" }</button>
            </div>
        </header>
    };

    let body = match state.tab {
        Tab::RealThreads => html! {
            <ThreadsPanel threads={state.threads.clone()} real={state.real.clone()} embedded={page::in_iframe()}
                          full_page={format!("{}#{}", page::base_url(), share::encode(&state.shared()))}
                          dispatch={dispatch.clone()} on_run={on_real_run} />
        },
        Tab::Simulator => simulator(
            &state,
            &sim,
            &snaps,
            details,
            last.as_ref().clone(),
            &preset,
            &dispatch,
        ),
    };

    let share_panel = state.share.then(|| {
        let shared = state.shared();
        let fragment = share::encode(&shared);
        let base = page::base_url();
        let title = (*preset)
            .as_ref()
            .map_or("a scenario".to_string(), |p| p.title.clone());
        let export_trace = sim.main.as_ref().map(|_| {
            let (sim, state, title) = (Rc::clone(&sim), state.clone(), title.clone());
            Callback::from(move |()| {
                if let Some(rv) = sim.main.as_ref() {
                    let json = interleave_core::export::chrome_trace(&rv.run, &rv.lanes, &title);
                    let _ = page::download(&export_name(&state, "trace.json"), "application/json", &json);
                }
            })
        });
        let export_svg = sim.main.as_ref().map(|_| {
            let (sim, state, title) = (Rc::clone(&sim), state.clone(), title.clone());
            let last = last.as_ref().clone();
            Callback::from(move |()| {
                let names = |t: interleave_core::trace::ThreadId| {
                    last.as_ref()
                        .and_then(|s| s.threads.iter().find(|th| th.id == t))
                        .map_or_else(|| format!("T{}", t.0), |th| th.name.clone())
                };
                let panes: Vec<svg::Pane> = sim
                    .runs()
                    .map(|rv| {
                        let n = rv.lanes.cores.len();
                        svg::Pane {
                            title: format!("{n} {}", if n == 1 { "core" } else { "cores" }),
                            lanes: &rv.lanes,
                        }
                    })
                    .collect();
                let text = svg::timeline(&title, &panes, sim.end_tick(), &names);
                let _ = page::download(&export_name(&state, "svg"), "image/svg+xml", &text);
            })
        });
        html! {
            <SharePanel link={AttrValue::from(format!("{base}#{fragment}"))}
                        embed_code={AttrValue::from(share::embed_code(&format!("{base}?embed=1#{fragment}"), &title))}
                        on_export_trace={export_trace} on_export_svg={export_svg}
                        on_close={dispatch.reform(|()| Action::ToggleShare)} />
        }
    });

    let close_help = dispatch.reform(|_| Action::CloseHelp);
    html! {
        <main class={classes!("app", theme_class, state.embed.then_some("embed"))} data-testid="app">
            { header }
            if let Some(b) = &state.banner {
                <Banner banner={b.clone()} dispatch={dispatch.clone()} />
            }
            { for share_panel }
            { body }
            if state.help { <HelpOverlay on_close={close_help} /> }
        </main>
    }
}

fn simulator(
    state: &AppState,
    sim: &Rc<Sim>,
    snaps: &[(Rc<Snapshot>, Machine)],
    main_snap: Option<Rc<Snapshot>>,
    last: Option<Rc<Snapshot>>,
    preset: &Option<interleave_lang::presets::Preset>,
    dispatch: &Callback<Action>,
) -> Html {
    let tick = state.tick();
    let preset = preset.as_ref();
    let on_pick = dispatch.reform(Action::LoadPreset);
    let on_edit = dispatch.reform(Action::Edit);
    let on_seek = dispatch.reform(Action::Seek);
    let span = sim.end_tick();
    let cores = state.settings.cores;
    let panes = sim.runs().zip(snaps).map(|(rv, (snap, _))| {
        let one = rv.lanes.cores.len() == 1;
        let (title, which) = if state.compare {
            if std::ptr::eq(rv, sim.single.as_ref().map_or(std::ptr::null(), |s| s as *const _)) {
                ("On 1 core: concurrency (taking turns)".to_string(), "single")
            } else {
                (format!("On {}: parallelism", plural(cores, "core")), "main")
            }
        } else {
            (format!("{} {}", rv.lanes.cores.len(), if one { "core" } else { "cores" }), "main")
        };
        html! {
            <RunPane title={title} which={which} lanes={Rc::clone(&rv.lanes)} snapshot={Rc::clone(snap)}
                     span={span} tick={tick} on_seek={on_seek.clone()} events={rv.run.events.len()} />
        }
    });

    let narration_lines = match (sim.main.as_ref(), snaps.last()) {
        (Some(rv), Some((_, m))) if !state.playing => narration(rv, m, tick),
        _ => Vec::new(),
    };
    let diagnostics = sim.diagnostics.clone();
    html! {
        <div class="layout">
            <Gallery current={state.preset} {on_pick} />
            <div class="work">
                <div class="top">
                    <Editor source={AttrValue::from(state.source.clone())} {diagnostics} {on_edit}
                            rust={state.rust_view} on_show_rust={dispatch.reform(Action::ShowRust)}
                            on_format={dispatch.reform(|_| Action::Format)} />
                    <div class="side">
                        if let Some(p) = &preset {
                            <Lesson title={AttrValue::from(p.title.clone())} text={AttrValue::from(p.explanation.clone())} edited={state.edited} />
                        }
                        if let (Some(rv), Some(last)) = (sim.main.as_ref(), last.clone()) {
                            <OutcomePanel outcome={Rc::clone(&rv.outcome)} {last} limits={rv.run.settings.limits.clone()}
                                          title={if state.compare { format!("Outcome on {}", plural(cores, "core")) } else { "Outcome".to_string() }} />
                        }
                        if let Some(e) = &sim.setup_error {
                            <p class="error" role="alert">{ format!("This scenario cannot run: {e}") }</p>
                        }
                        if sim.has_errors() {
                            <p class="error panel" data-testid="not-running" role="status">{ "Fix the errors in the scenario to run it; the last run is not shown because it would not match your text." }</p>
                        }
                    </div>
                </div>
                <SettingsBar settings={state.settings} compare={state.compare}
                             on_change={dispatch.reform(Action::Settings)}
                             on_new_schedule={dispatch.reform(|_| Action::NewSchedule)}
                             on_toggle_compare={dispatch.reform(|_| Action::ToggleCompare)} />
                <Playback tick={tick} end={state.end_tick()} playing={state.playing} speed={state.speed}
                          enabled={sim.main.is_some()} dispatch={dispatch.clone()} />
                // Keyed by theme: a theme change remounts the charts, which redraws their canvases in the new colours.
                <div key={format!("{:?}", state.theme)} class={classes!("panes", state.compare.then_some("compare"))}>{ for panes }</div>
                <Narration lines={narration_lines} tick={tick} playing={state.playing} />
                if let Some(snap) = main_snap {
                    <div class="details">
                        <MachineView snapshot={Rc::clone(&snap)} source={AttrValue::from(state.source.clone())} />
                        <div class="side">
                            <MemoryPanel snapshot={Rc::clone(&snap)} />
                            <WaitGraph snapshot={snap} />
                        </div>
                    </div>
                }
            </div>
        </div>
    }
}
