//! The page's vocabulary that its state and its share links both speak: which view is
//! shown, and the playback speeds offered.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Simulator,
    RealThreads,
}

/// Playback speeds offered, in ticks per second.
pub const SPEEDS: [f64; 7] = [2.0, 5.0, 10.0, 25.0, 60.0, 200.0, 1000.0];
