//! The UI crate in a real browser: worker replies as real JS objects, and the mounted app.
#![cfg(target_arch = "wasm32")]

use interleave_web::state::{Action, CheckResult, ParallelResult, ThreadsInfo};
use interleave_web::threads::parse_message;
use js_sys::{Reflect, JSON};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

#[wasm_bindgen_test]
fn a_ready_reply_becomes_threads_info() {
    let action = parse_message(&js(
        r#"{"type":"ready","isolated":false,"cores":8,"workers":0,"reason":"not isolated"}"#,
    ));
    assert_eq!(
        action,
        Some(Action::ThreadsReady(ThreadsInfo {
            isolated: false,
            cores: 8,
            workers: 0,
            fallback_reason: Some("not isolated".into()),
        }))
    );
}

#[wasm_bindgen_test]
fn a_check_reply_keeps_both_totals() {
    let action = parse_message(&js(
        r#"{"type":"check","serialTotal":42,"serialMs":10,"parallelTotal":42,"parallelMs":5,"distinctWorkers":2}"#,
    ));
    assert_eq!(
        action,
        Some(Action::CheckFinished(CheckResult {
            serial_total: 42.0,
            serial_ms: 10.0,
            parallel: Some(ParallelResult {
                total: 42.0,
                ms: 5.0,
                distinct_workers: 2,
            }),
        }))
    );
}

#[wasm_bindgen_test]
fn foreign_and_malformed_messages_are_ignored() {
    assert_eq!(
        parse_message(&js(r#"{"type":"wasm_bindgen_worker_ready"}"#)),
        None
    );
    assert_eq!(parse_message(&JsValue::from(3)), None);
    assert_eq!(parse_message(&JsValue::NULL), None);
    // A check reply without its serial total is not a result.
    assert_eq!(parse_message(&js(r#"{"type":"check"}"#)), None);
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_shows_its_heading() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    yew::Renderer::<interleave_web::components::app::App>::with_root(host.clone()).render();
    // Let Yew's scheduler run the first render.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
        .await
        .unwrap();
    let text = Reflect::get(&host, &"innerText".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(text.contains("Interleave"), "rendered: {text}");
    // The first lesson is loaded, simulated and drawn.
    assert!(
        text.contains("Time slicing on one core"),
        "rendered: {text}"
    );
    assert!(text.contains("tick 0 / "), "rendered: {text}");
    let canvas = host.query_selector("[data-testid=gantt] canvas").unwrap();
    assert!(canvas.is_some(), "the Gantt chart is on a canvas");
}
