//! The bridge to the explorer's Web Worker (`crates/interleave-worker`, built by Trunk as
//! `interleave-explore_loader.js`). The page never explores on its own thread: it posts the
//! scenario, turns the worker's replies into reducer actions, and cancels by terminating
//! the worker (a new one starts for the next exploration). The worker also tells a
//! followed witness in words, so that the page's own module carries no explorer.

use crate::explored::{End, Explored, Row};
use crate::state::Action;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker};
use yew::Callback;

/// Where Trunk puts the worker's loader, relative to the page.
pub const WORKER_URL: &str = "interleave-explore_loader.js";
/// The most states the page lets an exploration visit: about 160 bytes each, so the
/// worker stays under about 256 MB with its witness search.
pub const PAGE_MAX_STATES: u64 = 1_000_000;

pub struct ExploreWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl ExploreWorker {
    /// Starts a worker and asks it to explore `source`.
    pub fn start(source: &str, dispatch: Callback<Action>) -> Result<ExploreWorker, String> {
        let msg = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&msg, &k.into(), &v);
        };
        set("type", "explore".into());
        set("source", source.into());
        set("maxStates", (PAGE_MAX_STATES as f64).into());
        ExploreWorker::ask(msg, dispatch)
    }

    /// Starts a worker and asks it to tell the witness `schedule` of `source` in words.
    pub fn tell(
        source: &str,
        schedule: &str,
        dispatch: Callback<Action>,
    ) -> Result<ExploreWorker, String> {
        let msg = Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = Reflect::set(&msg, &k.into(), &v);
        };
        set("type", "tell".into());
        set("source", source.into());
        set("schedule", schedule.into());
        ExploreWorker::ask(msg, dispatch)
    }

    /// Starts a worker and posts `msg` once it is ready.
    fn ask(msg: Object, dispatch: Callback<Action>) -> Result<ExploreWorker, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| {
            format!(
                "the browser did not start the explorer's worker ({})",
                e.as_string()
                    .or_else(|| Reflect::get(&e, &"message".into()).ok()?.as_string())
                    .unwrap_or_default()
            )
        })?;
        let on_message = {
            let (dispatch, worker2) = (dispatch.clone(), worker.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                // The worker says when its wasm is loaded: a message before would be lost.
                if get(&data, "type").as_string().as_deref() == Some("ready") {
                    if worker2.post_message(&msg).is_err() {
                        dispatch.emit(Action::ExploreFailed(
                            "the explorer's worker did not take the scenario".into(),
                        ));
                    }
                } else if let Some(a) = parse_message(&data) {
                    dispatch.emit(a);
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            dispatch.emit(Action::ExploreFailed(format!(
                "the explorer's worker stopped: {}",
                e.message()
            )));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(ExploreWorker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

impl Drop for ExploreWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED)
}

fn row(o: &JsValue) -> Option<Row> {
    let values = Array::from(&get(o, "values"))
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            // A number, or a vector's elements in words.
            let v = pair.get(1);
            let v = match v.as_f64() {
                Some(n) => (n as i64).to_string(),
                None => v.as_string()?,
            };
            Some((pair.get(0).as_string()?, v))
        })
        .collect();
    let schedule = get(o, "schedule").as_string()?;
    Some(Row {
        end: End::from_key(&get(o, "end").as_string()?)?,
        values,
        message: get(o, "message").as_string(),
        output: get(o, "output").as_string().unwrap_or_default(),
        count: get(o, "count").as_f64()?,
        preemptions: get(o, "preemptions").as_f64()? as u32,
        minimal: get(o, "minimal").as_bool().unwrap_or(false),
        schedule,
    })
}

/// Turns one worker reply into an action; `None` for messages that are not ours.
pub fn parse_message(data: &JsValue) -> Option<Action> {
    Some(match get(data, "type").as_string()?.as_str() {
        "progress" => Action::ExploreProgress {
            states: get(data, "states").as_f64(),
            per_second: get(data, "perSecond").as_f64(),
            witnesses: get(data, "witnesses").as_bool().unwrap_or(false),
        },
        "diagnostics" => Action::ExploreFailed(format!(
            "the scenario does not compile:\n{}",
            get(data, "text").as_string().unwrap_or_default()
        )),
        "error" => Action::ExploreFailed(get(data, "message").as_string()?),
        "told" => Action::FollowTold {
            schedule: get(data, "schedule").as_string()?,
            story: Array::from(&get(data, "story"))
                .iter()
                .filter_map(|l| l.as_string())
                .collect(),
            preemptions: get(data, "preemptions").as_f64().map(|n| n as u32),
        },
        "done" => {
            let rows: Option<Vec<Row>> = Array::from(&get(data, "outcomes"))
                .iter()
                .map(|o| row(&o))
                .collect();
            Action::ExploreDone(Box::new(Explored {
                complete: get(data, "verdict").as_string()? == "complete",
                bound: get(data, "bound").as_string(),
                executions: get(data, "executions").as_f64()?,
                states: get(data, "states").as_f64()?,
                caveats: get(data, "caveats").as_string().unwrap_or_default(),
                rows: rows?,
            }))
        }
        _ => return None,
    })
}
