//! Interleave's page: a Yew app over the simulator core, plus the bridge to the real-threads
//! Web Worker.
//!
//! **Architecture invariant:** the UI holds no simulation semantics. It changes state only
//! through [`state::Action`]s on one reducer, and everything it shows about a run comes from
//! the core's trace.

pub mod components;
pub mod explored;
pub mod explorer;
pub mod keys;
pub mod page;
pub mod palette;
pub mod predict;
pub mod real;
pub mod share;
pub mod sim;
pub mod state;
pub mod svg;
pub mod threads;
pub mod view;

/// Mounts the app on `<body>`, replacing the static loading message (`#boot` in
/// `index.html`); called by the thin `main.rs`.
pub fn start() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    yew::Renderer::<components::app::App>::new().render();
}
