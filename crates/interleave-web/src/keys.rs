//! The page's keyboard shortcuts: which key does what, and when a key belongs to the
//! focused control instead (typing in a field, Space on a button or a checkbox).

use crate::state::Action;

/// What the focused element is, as far as keys are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Nothing that takes keys (the page itself, text, a chart).
    Page,
    /// A control that Space and Enter activate: a button, link, checkbox, summary…
    Control,
    /// A field that takes typed text (the editor, a number, a list).
    Typing,
    /// A slider: arrows belong to it, Space is free.
    Slider,
}

/// Classifies an element by tag, `type` and `role`.
pub fn focus_of(tag: &str, input_type: Option<&str>, role: Option<&str>) -> Focus {
    match tag {
        "TEXTAREA" | "SELECT" => Focus::Typing,
        "INPUT" => match input_type {
            Some("range") => Focus::Slider,
            Some("checkbox" | "radio" | "button" | "submit" | "reset") => Focus::Control,
            _ => Focus::Typing,
        },
        "BUTTON" | "A" | "SUMMARY" => Focus::Control,
        _ if matches!(
            role,
            Some("button" | "tab" | "checkbox" | "menuitem" | "link")
        ) =>
        {
            Focus::Control
        }
        _ => Focus::Page,
    }
}

/// The action for `key` (with Shift held or not) where the focus is `focus`, if the page
/// takes the key. Space plays and pauses only when no control would take it itself.
pub fn shortcut(key: &str, shift: bool, focus: Focus, help_open: bool) -> Option<Action> {
    if focus == Focus::Typing {
        return None;
    }
    if help_open {
        // The dialog is modal: only its own keys.
        return matches!(key, "Escape" | "?").then_some(Action::CloseHelp);
    }
    let big = if shift { 10 } else { 1 };
    Some(match key {
        " " if focus == Focus::Page => Action::TogglePlay,
        "ArrowRight" if focus != Focus::Slider => Action::Step(big),
        "ArrowLeft" if focus != Focus::Slider => Action::Step(-big),
        "Home" if focus != Focus::Slider => Action::ToStart,
        "End" if focus != Focus::Slider => Action::ToEnd,
        "+" | "=" => Action::SpeedStep(1),
        "-" => Action::SpeedStep(-1),
        "c" => Action::ToggleCompare,
        "n" => Action::NewSchedule,
        "r" => Action::Reveal,
        "?" => Action::ToggleHelp,
        _ => return None,
    })
}

/// (keys, what they do), as the help lists them; [`shortcut`] implements exactly these,
/// and the timeline's own keys (when it has the focus) are the last rows.
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Space",
        "play / pause (on a button or checkbox, Space presses it)",
    ),
    ("→ / ←", "step forward / back one tick"),
    ("Shift + → / ←", "ten ticks forward / back"),
    ("Home / End", "jump to the start / end"),
    ("+ / -", "faster / slower"),
    ("c", "compare 1 core with N cores"),
    ("n", "new random schedule"),
    ("r", "reveal the outcome (predict mode)"),
    ("?", "show or hide this help"),
    ("Esc", "close this help"),
    ("W / S", "timeline focused: zoom in / out at the cursor"),
    ("A / D", "timeline focused: move left / right"),
    ("0", "timeline focused: show the whole run"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_presses_a_focused_control_and_plays_only_from_the_page() {
        let button = focus_of("BUTTON", None, None);
        let checkbox = focus_of("INPUT", Some("checkbox"), None);
        assert_eq!(shortcut(" ", false, button, false), None);
        assert_eq!(shortcut(" ", false, checkbox, false), None);
        assert_eq!(
            shortcut(" ", false, Focus::Page, false),
            Some(Action::TogglePlay)
        );
        assert_eq!(
            shortcut(" ", false, focus_of("INPUT", Some("range"), None), false),
            None,
            "a slider keeps Space too"
        );
    }

    #[test]
    fn typing_keeps_every_key_and_sliders_keep_their_arrows() {
        for (tag, ty) in [
            ("TEXTAREA", None),
            ("INPUT", Some("number")),
            ("SELECT", None),
        ] {
            let f = focus_of(tag, ty, None);
            for k in [" ", "ArrowRight", "c", "n", "?", "End"] {
                assert_eq!(shortcut(k, false, f, false), None, "{tag} {k}");
            }
        }
        let slider = focus_of("INPUT", Some("range"), None);
        assert_eq!(shortcut("ArrowRight", false, slider, false), None);
        assert_eq!(
            shortcut("ArrowRight", true, Focus::Control, false),
            Some(Action::Step(10))
        );
    }

    #[test]
    fn an_open_help_dialog_takes_only_its_own_keys() {
        assert_eq!(shortcut(" ", false, Focus::Page, true), None);
        assert_eq!(shortcut("n", false, Focus::Page, true), None);
        assert_eq!(
            shortcut("Escape", false, Focus::Control, true),
            Some(Action::CloseHelp)
        );
        assert_eq!(shortcut("Escape", false, Focus::Page, false), None);
    }
}
