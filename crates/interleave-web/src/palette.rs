//! One colour per thread, the same in every view (Gantt, cores, code markers, graph).

use interleave_core::trace::ThreadId;

/// Hue by the golden angle, so neighbouring thread numbers get distant colours.
pub fn hue(t: ThreadId) -> f64 {
    (f64::from(t.0) * 137.508 + 210.0) % 360.0
}

/// HSL (hue in degrees, saturation and lightness in 0..=1) to RGB bytes.
pub fn hsl_to_rgb(h: f64, s: f64, l: f64) -> [u8; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h.rem_euclid(360.0) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r, g, b].map(|v| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8)
}

/// A CSS colour readable on both themes (white text stays legible on it).
pub fn thread_colour(t: ThreadId) -> String {
    format!("hsl({:.0} 62% 42%)", hue(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_threads_get_clearly_different_hues() {
        let hues: Vec<f64> = (0..8).map(|i| hue(ThreadId(i))).collect();
        for (i, a) in hues.iter().enumerate() {
            for b in &hues[i + 1..] {
                let d = (a - b).abs().min(360.0 - (a - b).abs());
                assert!(d > 15.0, "{hues:?}");
            }
        }
    }
}
