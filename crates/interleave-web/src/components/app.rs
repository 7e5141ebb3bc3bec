//! The root component: owns the reducer, the playback clock, the keyboard shortcuts and the
//! threads worker, and lays out the views.

use crate::components::banner::Banner;
use crate::components::header::Header;
use crate::components::help_overlay::HelpOverlay;
use crate::components::share_panel::SharePanel;
use crate::components::simulator::{self, plural, Inputs};
use crate::components::threads_panel::ThreadsPanel;
use crate::keys::{focus_of, shortcut};
use crate::sim::{RunView, Sim, Told};
use crate::state::{reduce, Action, AppState, Tab, Theme};
use crate::threads::ThreadsWorker;
use crate::{page, share, svg};
use interleave_core::machine::Machine;
use interleave_core::snapshot::Snapshot;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// How often the detail panels refresh while playing.
const DETAILS_REFRESH_MS: f64 = 150.0;
/// How often the narration speaks while playing (a live region read aloud: not every tick).
const NARRATION_REFRESH_MS: f64 = 1200.0;
/// Below this width (CSS px) the page stacks its parts: code first, the player pinned.
const NARROW_PX: f64 = 900.0;

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

/// The focused element, as the shortcuts see it.
fn focus_kind(e: &web_sys::KeyboardEvent) -> crate::keys::Focus {
    let el = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    match el {
        Some(el) => focus_of(
            &el.tag_name(),
            el.get_attribute("type").as_deref(),
            el.get_attribute("role").as_deref(),
        ),
        None => crate::keys::Focus::Page,
    }
}

/// Whether the window is narrower than [`NARROW_PX`] now.
fn is_narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < NARROW_PX)
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

/// A file name for exports: the lesson's name, or "scenario".
fn export_name(state: &AppState, ext: &str) -> String {
    format!("interleave-{}.{ext}", state.preset.unwrap_or("scenario"))
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let worker: Rc<RefCell<Option<ThreadsWorker>>> = use_mut_ref(|| None);
    let scrubber = use_mut_ref(Scrubber::default);
    // One callback for the app's life: children compare it by identity, so a new one
    // every render would re-render all of them every frame.
    let dispatch = {
        let d = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| d.dispatch(a)))).clone()
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
                    if e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    if let Some(a) = shortcut(&e.key(), e.shift_key(), focus_kind(&e), help) {
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

    // Every schedule: a worker explores while asked to; cancelling (or an answer) ends it.
    {
        let explorer = use_mut_ref(|| None::<crate::explorer::ExploreWorker>);
        let running = match &state.explore {
            crate::state::ExploreState::Running { source, .. } => Some(source.clone()),
            _ => None,
        };
        let dispatch = dispatch.clone();
        use_effect_with(running, move |running| {
            match running {
                Some(source) => {
                    match crate::explorer::ExploreWorker::start(source, dispatch.clone()) {
                        Ok(w) => *explorer.borrow_mut() = Some(w),
                        Err(e) => dispatch.emit(Action::ExploreFailed(e)),
                    }
                }
                None => drop(explorer.borrow_mut().take()),
            }
            || ()
        });
    }

    // A followed witness is told in words by a worker of its own, once per witness.
    {
        let teller = use_mut_ref(|| None::<crate::explorer::ExploreWorker>);
        let untold = state
            .follow
            .as_ref()
            .filter(|f| f.story.is_none())
            .map(|f| {
                (
                    state.source.clone(),
                    interleave_core::explore::schedule_text(&f.steps),
                )
            });
        let dispatch = dispatch.clone();
        use_effect_with(untold, move |untold| {
            *teller.borrow_mut() = untold.as_ref().and_then(|(source, schedule)| {
                crate::explorer::ExploreWorker::tell(source, schedule, dispatch.clone()).ok()
            });
            || ()
        });
    }

    let on_real_run = {
        let worker = worker.clone();
        let dispatch = dispatch.clone();
        Callback::from(
            move |(workload, counts): (crate::real::Workload, Vec<u32>)| {
                let sent = worker.borrow().as_ref().map(|w| w.run(workload, &counts));
                match sent {
                    Some(Ok(())) => {
                        dispatch.emit(Action::RealStarted(workload, counts.len() as u32))
                    }
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
    let now = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    // While playing, the detail panels (dozens of rows of text) refresh a few times a
    // second: text changing every frame is unreadable, and re-laying it out every frame
    // costs the animation its frame rate. Paused, they always show the cursor's state.
    let details = {
        let held = use_mut_ref(|| None::<(f64, Rc<Snapshot>)>);
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
    // The narration speaks while playing too, but at most every NARRATION_REFRESH_MS once a
    // tick has run (the words from before Play are replaced at once).
    let told = {
        let held = use_mut_ref(|| None::<(f64, Told, u64, bool)>);
        let fresh = || match (sim.main.as_ref(), snaps.last()) {
            // Past the end of a shorter compared run, its last tick is what it says.
            (Some(rv), Some((_, m))) => {
                let t = tick.min(rv.run.end_tick());
                (rv.narration(m, t), t)
            }
            _ => (Told::default(), tick),
        };
        let mut held = held.borrow_mut();
        match &*held {
            Some((at, t, k, true))
                if state.playing && *k > 0 && now - at < NARRATION_REFRESH_MS =>
            {
                (t.clone(), *k)
            }
            _ => {
                let (t, k) = fresh();
                *held = Some((now, t.clone(), k, state.playing));
                (t, k)
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
    let narrow = *use_memo((), |_| is_narrow());

    // Parsed once per lesson, not once per frame.
    let preset = use_memo(state.preset, |p| p.and_then(interleave_lang::presets::find));

    let theme_class = match state.theme {
        Theme::System => "theme-system",
        Theme::Light => "theme-light",
        Theme::Dark => "theme-dark",
    };
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
    // The skip link moves the focus to the player without touching the address (whose
    // fragment is a share link).
    let skip = Callback::from(|e: MouseEvent| {
        e.prevent_default();
        let player = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("player"))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(p) = player {
            let _ = p.focus();
        }
    });

    let body = match state.tab {
        Tab::RealThreads => html! {
            <ThreadsPanel threads={state.threads.clone()} real={state.real.clone()} embedded={page::in_iframe()}
                          full_page={format!("{}#{}", page::base_url(), share::encode(&state.shared()))}
                          dispatch={dispatch.clone()} on_run={on_real_run} />
        },
        Tab::Simulator => {
            let snapshots: Vec<Rc<Snapshot>> = snaps.iter().map(|(s, _)| Rc::clone(s)).collect();
            simulator::view(Inputs {
                state: &state,
                sim: &sim,
                snaps: &snapshots,
                details,
                last: last.as_ref().clone(),
                preset: preset.as_ref().as_ref(),
                told,
                narrow,
                dispatch: &dispatch,
            })
        }
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
                    let us = (state.settings.tick_ns / 1000).max(1);
                    let json = interleave_core::export::chrome_trace(&rv.run, &rv.lanes, &title, us);
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
                    .map(|rv: &RunView| svg::Pane {
                        title: plural(rv.lanes.cores.len() as u32, "core"),
                        lanes: &rv.lanes,
                    })
                    .collect();
                let text = svg::timeline(&title, &panes, sim.end_tick(), &names);
                let _ = page::download(&export_name(&state, "svg"), "image/svg+xml", &text);
            })
        });
        // A link the page would refuse to open is not offered: the file is.
        let too_long = (!share::fits_a_link(&fragment)).then(|| {
            AttrValue::from(format!(
                "This scenario is too large for a link: its link would be {} characters, and a link opens up to {}. Download the scenario (.rs) and share the file; whoever gets it pastes it into the editor.",
                fragment.len(),
                share::MAX_LINK_CHARS
            ))
        });
        let on_download = {
            let (source, name) = (shared.source.clone(), export_name(&state, "rs"));
            Callback::from(move |()| {
                let _ = page::download(&name, "text/plain", &source);
            })
        };
        html! {
            <SharePanel link={AttrValue::from(format!("{base}#{fragment}"))} {too_long} {on_download}
                        embed_code={AttrValue::from(share::embed_code(&format!("{base}?embed=1#{fragment}"), &title))}
                        on_export_trace={export_trace} on_export_svg={export_svg}
                        tick={AttrValue::from(state.settings.scale().words())}
                        on_close={dispatch.reform(|()| Action::ToggleShare)} />
        }
    });

    let close_help = dispatch.reform(|_| Action::CloseHelp);
    html! {
        <main class={classes!("app", theme_class, state.embed.then_some("embed"), narrow.then_some("narrow"))} data-testid="app">
            if state.tab == Tab::Simulator {
                <a class="skip-link" href="#player" onclick={skip}>{ "Skip to the player" }</a>
            }
            <Header tab={state.tab} theme={state.theme} share_open={state.share} preset={state.preset}
                    edited={state.edited} embed={state.embed} on_open_full={open_full}
                    full_page_href={AttrValue::from(page::base_url())} dispatch={dispatch.clone()} />
            if let Some(b) = &state.banner {
                <Banner banner={b.clone()} dispatch={dispatch.clone()} />
            }
            { for share_panel }
            { body }
            if state.help { <HelpOverlay on_close={close_help} /> }
        </main>
    }
}
