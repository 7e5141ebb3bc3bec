//! The UI crate in a real browser: worker replies as real JS objects, and the mounted app.
#![cfg(target_arch = "wasm32")]

use interleave_web::real::{Piece, RealRun, Workload};
use interleave_web::state::{Action, ThreadsInfo};
use interleave_web::threads::parse_message;
use js_sys::{Reflect, JSON};
use std::rc::Rc;
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
fn a_run_reply_with_typed_arrays_becomes_a_real_run() {
    let msg = js(
        r#"{"type":"run","workload":"amdahl","serialPercent":25,"threads":2,"wallMs":12.5,"checksum":"18446744073709551615"}"#,
    );
    let pieces = js_sys::Float64Array::from(&[0.0, 0.0, 3.0, 1.0, 1.0, 3.0, 12.0, 0.0][..]);
    let pixels = js_sys::Uint32Array::from(&[7u32, 8][..]);
    Reflect::set(&msg, &"pieces".into(), &pieces).unwrap();
    Reflect::set(&msg, &"pixels".into(), &pixels).unwrap();
    assert_eq!(
        parse_message(&msg),
        Some(Action::RealFinished(Box::new(RealRun {
            workload: Workload::Amdahl(25),
            threads: 2,
            wall_ms: 12.5,
            checksum: "18446744073709551615".into(),
            pieces: vec![
                Piece {
                    worker: 0,
                    start: 0.0,
                    end: 3.0,
                    serial: true
                },
                Piece {
                    worker: 1,
                    start: 3.0,
                    end: 12.0,
                    serial: false
                },
            ],
            pixels: Rc::new(vec![7, 8]),
            predicted: None,
        })))
    );
    // Without its pieces it is not a run.
    let bare = js(
        r#"{"type":"run","workload":"mandelbrot","serialPercent":0,"threads":1,"wallMs":1,"checksum":"1"}"#,
    );
    assert_eq!(parse_message(&bare), None);
}

#[wasm_bindgen_test]
fn share_links_decode_in_the_browser_as_natively() {
    use interleave_web::share::{decode, encode};
    // The deadlock link from docs/embed-example.html, made natively: links are stable.
    let link = "v1.eNp9kNEKgjAUhlcRhE9xLrqYBVIRXVhGet9DTJ1l6pQ5MQgfq_drmkal7Nz9Ox_n-9lzkgsiQg9sE86FoPdDuNsewXoH02S0xCt9r7WUo6a0gEFMA4F1eGggJ6YCkkIAkaxtxKkXYd0oWMlJhiVfI2XKI7xpQ8e7kneG-QWBpQXrNrhtqBo3Dy_XvlxxbFCuKKuSJyRkP-5Y3skzUjJc_8mXhH8WTeFuY9zS-sKfkvefK23mU-LXDdF4MkIITVEz8xNCL8Nze2g";
    let shared = decode(link).expect("the documented link opens");
    assert_eq!(shared.preset, Some("deadlock"));
    assert_eq!(shared.tick, 5);
    // Re-encoded, it is a format-4 link: the same characters as natively (share.rs tests
    // the same constant).
    assert_eq!(encode(&shared), "v4.eNp9kEEOgjAQRavGxHCKWbgomhA1xgWKUfceokBRBAopJZgYdl7JvUezRTAqhNn9zsu8nz4GqSDCd2BvwjET9LrxV8stWO9gmozmeKavtYo6dFOaxyCknsA63DSQE1IBUSaASHZvhLETYN3IWM5JgiWvkDzmAV5UoeZtyR_a-QmBqQXzKthVKEo390_nprzjWKu8o2yXPCI--3GH8k6akJxh9SdfEv5ZlIXrjXGJ1YU_JW8-F9rIpcRVDVF_0EMIDVE54x1CKj7v1gsnE3zq");
}

#[wasm_bindgen_test]
fn foreign_and_malformed_messages_are_ignored() {
    assert_eq!(
        parse_message(&js(r#"{"type":"wasm_bindgen_worker_ready"}"#)),
        None
    );
    assert_eq!(parse_message(&JsValue::from(3)), None);
    assert_eq!(parse_message(&JsValue::NULL), None);
    // A run reply without its fields is not a result.
    assert_eq!(parse_message(&js(r#"{"type":"run"}"#)), None);
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
    // Predict mode is on in lessons: the ending (and so the run's length) is not shown yet.
    assert!(
        text.contains("tick 0\n") || text.ends_with("tick 0"),
        "rendered: {text}"
    );
    assert!(
        text.contains("How many ticks will the run take?"),
        "rendered: {text}"
    );
    let canvas = host.query_selector("[data-testid=gantt] canvas").unwrap();
    assert!(canvas.is_some(), "the Gantt chart is on a canvas");
}
