//! `copy_id` and `copy_full`: the visible view says what its selection is called and what to
//! copy (its registry entry's `copy`), this checks the setting and the size, says what was
//! copied, and returns `Command::Copy` for the runtime to write to the terminal.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::nav::flash;
use crate::app::core::state::AppState;
use crate::app::core::table::Tone;

/// Which of the two copy keys was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// `c`: the short id or name (task id, service name, container id).
    Id,
    /// `C`: the ARN or full name (task ARN, full container id).
    Full,
}

/// What a view copies for its selection: what to call it in the message, and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// What the text is, as the status line names it: `task id`, `service ARN`.
    pub what: &'static str,
    pub text: String,
}

impl Copied {
    /// `text`, called `what` in the message.
    pub fn new(what: &'static str, text: impl Into<String>) -> Copied {
        Copied {
            what,
            text: text.into(),
        }
    }
}

/// The most text one copy sends (64 KiB): terminals and multiplexers drop longer OSC 52
/// sequences, some silently, and a user would not know what arrived.
pub const MAX_COPY_BYTES: usize = 64 * 1024;

/// How much of the copied text the status line shows.
const PREVIEW_CHARS: usize = 20;

/// For a view with nothing worth copying.
pub fn nothing_to_copy(_state: &AppState, _kind: CopyKind) -> Option<Copied> {
    None
}

/// The copy keys on any view. Called by the dispatcher after the view's own key handlers.
pub fn on_copy(state: &mut AppState, action: Action) -> Vec<Command> {
    let kind = if action == Action::CopyFull {
        CopyKind::Full
    } else {
        CopyKind::Id
    };
    if !state.settings.clipboard {
        flash(
            state,
            "copying is off; set [ui] clipboard = \"osc52\" in the config to turn it on",
            Tone::Warn,
        );
        return Vec::new();
    }
    let copied = (state.view().entry().copy)(state, kind);
    let Some(copied) = copied.filter(|c| !c.text.is_empty()) else {
        flash(state, "nothing to copy here", Tone::Warn);
        return Vec::new();
    };
    match check(&copied) {
        Ok(message) => {
            flash(state, &message, Tone::Ok);
            vec![Command::Copy { text: copied.text }]
        }
        Err(message) => {
            flash(state, &message, Tone::Error);
            Vec::new()
        }
    }
}

/// The status message for a copy, or the refusal when the text is over the cap.
pub fn check(copied: &Copied) -> Result<String, String> {
    let bytes = copied.text.len();
    if bytes > MAX_COPY_BYTES {
        return Err(format!(
            "{} not copied: {} is over the {} KiB copy limit",
            copied.what,
            size(bytes),
            MAX_COPY_BYTES / 1024
        ));
    }
    Ok(format!(
        "copied {} {} ({})",
        copied.what,
        preview(&copied.text),
        size(bytes)
    ))
}

/// The first characters of `text` on one line, control characters left out.
fn preview(text: &str) -> String {
    let mut chars = text.chars().filter(|c| !c.is_control());
    let mut shown: String = chars.by_ref().take(PREVIEW_CHARS).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}

fn size(bytes: usize) -> String {
    if bytes == 1 {
        "1 byte".to_string()
    } else if bytes < 10 * 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_thing_and_its_size() {
        let copied = Copied::new("task id", "3f2a9c0d1e2f4a5b6c7d8e9f0a1b2c3d");
        assert_eq!(
            check(&copied),
            Ok("copied task id 3f2a9c0d1e2f4a5b6c7d… (32 bytes)".to_string())
        );
        let short = Copied::new("cluster name", "prod");
        assert_eq!(
            check(&short),
            Ok("copied cluster name prod (4 bytes)".to_string())
        );
    }

    #[test]
    fn the_preview_stays_on_one_line() {
        assert_eq!(preview("a\tb\nc"), "abc");
        assert_eq!(
            preview("ü".repeat(25).as_str()),
            format!("{}…", "ü".repeat(20))
        );
    }

    #[test]
    fn text_over_the_cap_is_refused_naming_the_cap() {
        let at_cap = Copied::new("log line", "x".repeat(MAX_COPY_BYTES));
        assert!(check(&at_cap).is_ok());
        let over = Copied::new("log line", "x".repeat(MAX_COPY_BYTES + 1));
        assert_eq!(
            check(&over),
            Err("log line not copied: 65 KiB is over the 64 KiB copy limit".to_string())
        );
    }
}
