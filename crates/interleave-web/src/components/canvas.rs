//! What every chart canvas needs before drawing: a crisp backing store and the theme's colours.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, CssStyleDeclaration, HtmlCanvasElement};

/// A 2D context sized for `css_w` x `css_h` CSS pixels at the device's pixel ratio (cleared,
/// scaled so drawing uses CSS pixels), and the canvas's computed style for theme colours.
pub fn prepare(
    canvas: &HtmlCanvasElement,
    css_w: f64,
    css_h: f64,
) -> Option<(CanvasRenderingContext2d, Theme)> {
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    canvas.set_width((css_w * dpr) as u32);
    canvas.set_height((css_h * dpr) as u32);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let _ = ctx.scale(dpr, dpr);
    ctx.clear_rect(0.0, 0.0, css_w, css_h);
    let style = web_sys::window().and_then(|w| w.get_computed_style(canvas).ok().flatten());
    Some((ctx, Theme(style)))
}

/// The page's CSS custom properties as seen by one element.
pub struct Theme(Option<CssStyleDeclaration>);

impl Theme {
    /// The value of `--name`, or `fallback` when it is unset.
    pub fn var(&self, name: &str, fallback: &str) -> String {
        self.0
            .as_ref()
            .and_then(|s| s.get_property_value(name).ok())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| fallback.to_string())
    }

    /// The colours every lane chart draws with: text, muted text, lane background.
    pub fn lane_colours(&self) -> (String, String, String) {
        (
            self.var("--fg", "#222"),
            self.var("--muted", "#666"),
            self.var("--lane", "#eee"),
        )
    }
}
