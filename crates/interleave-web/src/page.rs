//! The page's few touches of the browser beyond rendering: its address, the saved draft, the
//! clipboard and file downloads. Each one fails quietly where the browser forbids it (a
//! sandboxed iframe has no storage, and may have no clipboard or downloads): the page must
//! keep working, and the caller gets a `Result` to say so in words.

use crate::share::{self, Shared};
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Storage, Url};

/// Where the person's own scenario is kept between visits (one per browser profile).
pub const DRAFT_KEY: &str = "interleave.draft.v1";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `localStorage`, or `None` where it is forbidden (opaque-origin iframes throw on access).
fn storage() -> Option<Storage> {
    window()?.local_storage().ok().flatten()
}

/// The saved draft, if there is one and it still decodes.
pub fn load_draft() -> Option<Shared> {
    let text = storage()?.get_item(DRAFT_KEY).ok().flatten()?;
    share::decode_draft(&text).ok()
}

pub fn save_draft(s: &Shared) {
    if let Some(st) = storage() {
        // A full or forbidden storage loses only the convenience, never the open page.
        let _ = st.set_item(DRAFT_KEY, &share::encode(s));
    }
}

/// The fragment of the address, without `#`.
pub fn fragment() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// True when the address asks for embed mode (`?embed` or `?embed=1`).
pub fn embed_requested() -> bool {
    let search = window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|kv| kv == "embed" || kv.starts_with("embed=") && kv != "embed=0")
}

/// True inside another page's frame (where the page can never be cross-origin isolated).
pub fn in_iframe() -> bool {
    window().is_some_and(|w| match w.top() {
        Ok(Some(top)) => top != w,
        _ => true,
    })
}

/// The page's address without query or fragment: where links point.
pub fn base_url() -> String {
    let href = window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_string()
}

/// Copies `text` to the clipboard; `Err` says to copy by hand (blocked in some iframes).
pub async fn copy_text(text: &str) -> Result<(), String> {
    let refused =
        || "the browser refused the clipboard here: select the text and copy it".to_string();
    let nav = window().ok_or_else(refused)?.navigator();
    let clipboard = Reflect::get(&nav, &"clipboard".into()).map_err(|_| refused())?;
    let write = Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(refused)?;
    let promise = write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())
        .ok_or_else(refused)?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| refused())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not save {name}: {what}");
    let parts = Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| fail("the browser could not hold the file"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let doc = window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let a: HtmlAnchorElement = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into().ok())
        .ok_or_else(|| fail("no link element"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // Revoked on the next turn: the click has started the download by then.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = window() {
        let _ = w.set_timeout_with_callback(revoke.unchecked_ref());
    }
    Ok(())
}
