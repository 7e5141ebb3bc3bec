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

/// Lightness (percent, at 62% saturation) per 10° of hue: the lightest at which white text
/// on every hue of the band meets WCAG AA with a margin (4.7:1). Greens and yellows must be
/// darker than blues. A table, not a computation, because the exact formula needs `powf`,
/// whose code the page would pay for; the tests check the table with the formula.
const LIGHTNESS: [u8; 36] = [
    45, 44, 39, 35, 32, 28, 28, 29, 30, 31, 31, 32, 32, 32, 31, 31, 31, 31, 31, 35, 40, 45, 45, 45,
    45, 45, 45, 45, 45, 45, 45, 45, 45, 45, 45, 45,
];

/// Thread `t`'s colour as RGB: its hue, as light as white text on it allows at WCAG AA, so
/// a label on a bar or chip is always readable.
pub fn thread_rgb(t: ThreadId) -> [u8; 3] {
    let h = hue(t);
    let band = ((h / 10.0) as usize).min(35);
    hsl_to_rgb(h, 0.62, f64::from(LIGHTNESS[band]) / 100.0)
}

/// A CSS colour readable on both themes (white text on it meets WCAG AA).
pub fn thread_colour(t: ThreadId) -> String {
    let [r, g, b] = thread_rgb(t);
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of an sRGB colour.
    fn luminance([r, g, b]: [u8; 3]) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    fn contrast_with_white(rgb: [u8; 3]) -> f64 {
        1.05 / (luminance(rgb) + 0.05)
    }

    #[test]
    fn white_text_on_every_thread_colour_meets_wcag_aa() {
        for i in 0..300 {
            let c = contrast_with_white(thread_rgb(ThreadId(i)));
            assert!(c >= 4.5, "thread {i}: {c:.2}:1");
        }
        assert_eq!(thread_colour(ThreadId(1)).len(), 7);
    }

    #[test]
    fn the_lightness_table_is_the_lightest_that_passes_for_each_band() {
        for (band, &l) in LIGHTNESS.iter().enumerate() {
            let passes = |l: u8| {
                (0..100).all(|k| {
                    let h = band as f64 * 10.0 + f64::from(k) / 10.0;
                    contrast_with_white(hsl_to_rgb(h, 0.62, f64::from(l) / 100.0)) >= 4.7
                })
            };
            assert!(passes(l), "band {band} at {l}%");
            assert!(
                l == 45 || !passes(l + 1),
                "band {band} could be lighter than {l}%"
            );
        }
    }

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
