//! Scrolling the log view: following the newest line, or pinned to a line by its sequence
//! number so that what the user reads stays put while lines arrive and old ones drop.

use crate::app::logs::LogViewState;
use crate::app::logs::buffer::LineView;

/// Where a pinned line sits on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Top,
    Middle,
    Bottom,
}

/// What part of the buffer is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scroll {
    /// The newest lines, scrolling as lines arrive.
    #[default]
    Follow,
    /// Paused: the line with this sequence number (or the nearest one shown) sits at `at`.
    Pinned { seq: u64, at: Anchor },
}

/// Pause on what `Follow` shows now: the newest line at the bottom.
pub(crate) fn pause_here(logs: &mut LogViewState) {
    let view = logs.lines();
    match view.len().checked_sub(1).and_then(|last| view.seq(last)) {
        Some(seq) => logs.pin(seq, Anchor::Bottom),
        // Nothing yet: lines that arrive fill the screen from the top and stay there.
        None => logs.pin(logs.buffer.end_seq(), Anchor::Top),
    }
}

/// Display index of the line a pinned view is anchored on.
pub fn anchor_index(view: &LineView<'_>, seq: u64, at: Anchor) -> Option<usize> {
    match at {
        Anchor::Top => view.index_at_or_after(seq),
        Anchor::Middle | Anchor::Bottom => view.index_at_or_before(seq),
    }
}

/// Scroll by `delta` lines (negative: up). Moving pauses following. Near either end the
/// anchor flips so every key press moves what is on screen.
pub(crate) fn move_by(logs: &mut LogViewState, delta: isize) {
    let rows = usize::from(logs.view_rows.max(1));
    let view = logs.lines();
    let Some(last) = view.len().checked_sub(1) else {
        if delta < 0 {
            pause_here(logs);
        }
        return;
    };
    let (index, at) = match logs.scroll {
        Scroll::Follow => (last, Anchor::Bottom),
        Scroll::Pinned { seq, at } => (anchor_index(&view, seq, at).unwrap_or(last), at),
    };
    let target = index.saturating_add_signed(delta).min(last);
    let (target, at) = match at {
        Anchor::Bottom if delta < 0 && target + 1 < rows => (0, Anchor::Top),
        Anchor::Middle if delta < 0 && target < rows / 2 => (0, Anchor::Top),
        Anchor::Top if delta > 0 && last - target < rows => (last, Anchor::Bottom),
        Anchor::Middle if delta > 0 && last - target < rows / 2 => (last, Anchor::Bottom),
        other => (target, other),
    };
    if let Some(seq) = view.seq(target) {
        logs.pin(seq, at);
    }
}
