//! The bridge to the real-threads Web Worker (`www/threads-worker.js`).
//!
//! The threaded wasm module never runs on the page's main thread: wasm-bindgen-rayon's pool
//! must not block it. We post requests to one dedicated module Worker and turn its replies
//! into reducer [`Action`]s.

use crate::real::{Piece, RealRun, Workload};
use crate::state::{Action, ThreadsInfo};
use js_sys::{Float64Array, Object, Reflect, Uint32Array};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

/// Where Trunk puts the worker script (copied from `www/`), relative to the page.
pub const WORKER_URL: &str = "www/threads-worker.js";

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
        let worker = Worker::new_with_options(WORKER_URL, &options)
            .map_err(|e| worker_refused(&js_error(e)))?;
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

    /// Asks the worker to run `workload` on each thread count in turn (one reply each).
    pub fn run(&self, workload: Workload, counts: &[u32]) -> Result<(), String> {
        let (kind, serial) = workload.wire();
        for &threads in counts {
            let msg = Object::new();
            set(&msg, "type", &"run".into());
            set(&msg, "workload", &kind.into());
            set(&msg, "serialPercent", &serial.into());
            set(&msg, "threads", &threads.into());
            self.worker.post_message(&msg).map_err(js_error)?;
        }
        Ok(())
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

/// Why the worker could not start, in words: a sandboxed frame (an opaque origin) may not
/// start workers at all, and the browser's own message says only "cannot be accessed".
fn worker_refused(raw: &str) -> String {
    let sandboxed = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"origin".into()).ok())
        .and_then(|o| o.as_string())
        .is_some_and(|o| o == "null");
    if sandboxed {
        "this page runs in a sandboxed frame (an embed with sandbox=\"allow-scripts\"), where the browser does not let it start the worker that runs real threads".into()
    } else {
        format!("the browser refused to start the threads worker ({raw})")
    }
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
        "run-error" => Some(Action::RealFailed(message())),
        "run" => {
            let (kind, serial) = (
                get(data, "workload").as_string()?,
                get_f64(data, "serialPercent")? as u32,
            );
            let workload = match kind.as_str() {
                "mandelbrot" => Workload::Mandelbrot,
                "amdahl" => Workload::Amdahl(serial),
                _ => return None,
            };
            let flat = get(data, "pieces")
                .dyn_into::<Float64Array>()
                .ok()?
                .to_vec();
            let pieces = flat
                .chunks_exact(4)
                .map(|c| Piece {
                    worker: c[0] as u32,
                    start: c[1],
                    end: c[2],
                    serial: c[3] != 0.0,
                })
                .collect();
            let pixels = get(data, "pixels")
                .dyn_into::<Uint32Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default();
            Some(Action::RealFinished(Box::new(RealRun {
                workload,
                threads: get_f64(data, "threads")? as u32,
                wall_ms: get_f64(data, "wallMs")?,
                checksum: get(data, "checksum").as_string()?,
                pieces,
                pixels: Rc::new(pixels),
                predicted: None,
            })))
        }
        _ => None,
    }
}
