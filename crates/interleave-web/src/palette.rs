//! One colour per thread, the same in every view (Gantt, cores, code markers, graph).

use interleave_core::trace::ThreadId;

/// Hue by the golden angle, so neighbouring thread numbers get distant colours.
pub fn hue(t: ThreadId) -> f64 {
    (f64::from(t.0) * 137.508 + 210.0) % 360.0
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
