//! The bridge to the real-threads Web Worker (`www/threads-worker.js`).
//!
//! The threaded wasm module never runs on the page's main thread: wasm-bindgen-rayon's pool
//! must not block it. We post requests to one dedicated module Worker and turn its replies
//! into reducer [`Action`]s.

use crate::state::{Action, CheckResult, ParallelResult, ThreadsInfo};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

/// Where Trunk puts the worker script (copied from `www/`), relative to the page.
pub const WORKER_URL: &str = "www/threads-worker.js";

/// The check workload: a Mandelbrot frame big enough that every pool worker takes rows.
pub const CHECK_FRAME: (u32, u32, u32) = (640, 480, 600);

/// A running worker; terminated when dropped.
pub struct ThreadsWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl ThreadsWorker {
    pub fn spawn(dispatch: Callback<Action>) -> Result<Self, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_URL, &options).map_err(js_error)?;
        let on_message = {
            let dispatch = dispatch.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(action) = parse_message(&event.data()) {
                    dispatch.emit(action);
                }
            })
        };
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            dispatch.emit(Action::ThreadsFailed(format!(
                "the threads worker failed to load: {}",
                event.message()
            )));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(ThreadsWorker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Asks the worker to run the check workload serially and, if it has a pool, in parallel.
    pub fn run_check(&self) -> Result<(), String> {
        let (width, height, max_iter) = CHECK_FRAME;
        let msg = Object::new();
        set(&msg, "type", &"check".into());
        set(&msg, "width", &width.into());
        set(&msg, "height", &height.into());
        set(&msg, "maxIter", &max_iter.into());
        self.worker.post_message(&msg).map_err(js_error)
    }
}

impl Drop for ThreadsWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Setting a plain property on a fresh Object cannot fail.
    let _ = Reflect::set(obj, &key.into(), value);
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn get_f64(obj: &JsValue, key: &str) -> Option<f64> {
    get(obj, key).as_f64()
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| get(&e, "message").as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Turns one worker reply into an action; `None` for messages that are not ours.
pub fn parse_message(data: &JsValue) -> Option<Action> {
    let kind = get(data, "type").as_string()?;
    let message = || {
        get(data, "message")
            .as_string()
            .unwrap_or_else(|| "unknown error".into())
    };
    match kind.as_str() {
        "ready" => Some(Action::ThreadsReady(ThreadsInfo {
            isolated: get(data, "isolated").as_bool().unwrap_or(false),
            cores: get_f64(data, "cores").unwrap_or(1.0) as u32,
            workers: get_f64(data, "workers").unwrap_or(0.0) as u32,
            fallback_reason: get(data, "reason").as_string(),
        })),
        "fatal" => Some(Action::ThreadsFailed(message())),
        "check-error" => Some(Action::CheckFailed(message())),
        "check" => {
            let parallel = get_f64(data, "parallelTotal").map(|total| ParallelResult {
                total,
                ms: get_f64(data, "parallelMs").unwrap_or(0.0),
                distinct_workers: get_f64(data, "distinctWorkers").unwrap_or(0.0) as u32,
            });
            Some(Action::CheckFinished(CheckResult {
                serial_total: get_f64(data, "serialTotal")?,
                serial_ms: get_f64(data, "serialMs").unwrap_or(0.0),
                parallel,
            }))
        }
        _ => None,
    }
}
