//! One file per component.
pub mod app;
pub mod threads_panel;
