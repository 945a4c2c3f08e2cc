//! The last problem a tail reported: shown until the tail shows it works again.
//!
//! The bottom rule of the view keeps the problem (cut to fit) and the status line gets its
//! full text. It is cleared when lines arrive, or when the mode goes back to `LIVE` or to a
//! shorter poll interval (a backoff is over). Falling back from `LIVE` to polling is not a
//! recovery: the problem says why it happened.

use crate::app::core::nav::flash;
use crate::app::core::state::AppState;
use crate::app::core::table::Tone;
use crate::app::logs::{LogMsg, one_line};

/// Keep the problem and its status-line text in step with `msg`, before it is applied.
/// Returns whether something on screen changed.
pub(crate) fn track(state: &mut AppState, msg: &LogMsg, on_screen: bool) -> bool {
    match msg {
        LogMsg::Problem { message, .. } => {
            if on_screen {
                flash(state, &one_line(message.clone()), Tone::Error);
            }
            on_screen
        }
        LogMsg::Lines { lines, .. } if !lines.is_empty() => clear(state),
        LogMsg::Mode { mode, .. } if recovers(&state.logs.mode, mode) => clear(state),
        LogMsg::Ended { .. } => {
            // The end is what the view says now; the problem's message is old news.
            let problem = state.logs.problem.clone();
            clear_flash(state, problem.as_deref())
        }
        _ => false,
    }
}

fn clear(state: &mut AppState) -> bool {
    let Some(problem) = state.logs.problem.take() else {
        return false;
    };
    clear_flash(state, Some(&problem));
    true
}

/// Drop the status-line message when it is the text of `problem`.
fn clear_flash(state: &mut AppState, problem: Option<&str>) -> bool {
    let shown = state.flash.as_ref().map(|f| f.text.as_str());
    if problem.is_some() && shown == problem {
        state.flash = None;
        true
    } else {
        false
    }
}

/// Whether the mode going from `old` to `new` means the tail works again.
fn recovers(old: &str, new: &str) -> bool {
    if new == "LIVE" {
        return old != "LIVE";
    }
    match (poll_secs(old), poll_secs(new)) {
        (Some(old), Some(new)) => new < old,
        _ => false,
    }
}

/// `POLL 8s` → 8.
fn poll_secs(mode: &str) -> Option<u64> {
    mode.strip_prefix("POLL ")?.strip_suffix('s')?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_again_or_a_shorter_poll_is_a_recovery_falling_back_is_not() {
        assert!(recovers("POLL 2s", "LIVE"));
        assert!(recovers("", "LIVE"));
        assert!(recovers("POLL 8s", "POLL 2s"));
        assert!(!recovers("POLL 2s", "POLL 4s"));
        assert!(!recovers("LIVE", "POLL 2s"));
        assert!(!recovers("", "POLL 2s"));
    }
}
