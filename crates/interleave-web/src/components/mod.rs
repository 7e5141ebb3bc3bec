//! One file per component.

pub mod app;
pub mod banner;
pub mod canvas;
pub mod editor;
pub mod explore_panel;
pub mod gantt;
pub mod header;
pub mod help_overlay;
pub mod legend;
pub mod lesson;
pub mod machine_view;
pub mod memory_panel;
pub mod narration;
pub mod outcome_panel;
pub mod output_panel;
pub mod playback;
pub mod predict_panel;
pub mod run_pane;
pub mod rust_view;
pub mod settings_bar;
pub mod share_panel;
pub mod simulator;
pub mod threads_panel;
pub mod wait_graph;
