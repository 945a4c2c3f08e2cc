//! Keys on the describe view: moving the cursor, search, wrap, JSON, save, back.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::nav::flash;
use crate::app::core::pattern::Pattern;
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::Tone;
use crate::app::core::view::View;
use crate::app::describe::{CHROME_ROWS, DescribeCommand, refetch};
use crate::domain::describe::plain_text;
use crate::input::keymap::KeyContext;

/// Rows of document lines on screen.
fn rows(state: &AppState) -> usize {
    usize::from(state.screen.1.saturating_sub(CHROME_ROWS).max(1))
}

/// Keys on the describe view; `None` lets the shared handling run (copy, help, quit, …).
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let rows = rows(state) as isize;
    match action {
        Action::Up => move_by(state, -1),
        Action::Down => move_by(state, 1),
        Action::PageUp => move_by(state, -rows),
        Action::PageDown => move_by(state, rows),
        Action::Top => move_by(state, isize::MIN / 2),
        Action::Bottom => move_by(state, isize::MAX / 2),
        Action::Wrap => state.describe.wrap = !state.describe.wrap,
        Action::ToggleJson => toggle_json(state),
        Action::SearchNext => jump(state, true),
        Action::SearchPrev => jump(state, false),
        Action::Save => return Some(save(state)),
        Action::Refresh => return Some(refetch(state)),
        Action::Filter => {
            state.mode = Mode::Filter(state.describe.search_text().to_string());
        }
        Action::Back if state.describe.search.is_some() => set_search(state, ""),
        _ => return None,
    }
    Some(Vec::new())
}

/// Move the cursor by `delta` lines, scrolling so it stays on screen.
fn move_by(state: &mut AppState, delta: isize) {
    let rows = rows(state);
    let d = &mut state.describe;
    let last = d.lines.len().saturating_sub(1);
    d.cursor = d.cursor.saturating_add_signed(delta).min(last);
    if d.cursor < d.top {
        d.top = d.cursor;
    } else if d.cursor >= d.top + rows {
        d.top = d.cursor + 1 - rows;
    }
}

/// Put the cursor on `line`, in the middle of the screen.
fn show(state: &mut AppState, line: usize) {
    let rows = rows(state);
    let d = &mut state.describe;
    d.cursor = line.min(d.lines.len().saturating_sub(1));
    d.top = d.cursor.saturating_sub(rows / 2);
}

fn toggle_json(state: &mut AppState) {
    let d = &mut state.describe;
    d.json = !d.json;
    d.cursor = 0;
    d.top = 0;
    d.relayout();
    let text = format!("showing {}", d.format());
    flash(state, &text, Tone::Normal);
}

/// The `/` text typed on the describe view: the search, and the cursor on the first match
/// from where it is.
pub fn set_search(state: &mut AppState, text: &str) {
    state.dirty = true;
    let d = &mut state.describe;
    if text.is_empty() {
        d.search = None;
        d.matches.clear();
        state.flash = None;
        return;
    }
    let pattern = Pattern::new(text);
    let invalid = pattern.invalid().map(str::to_string);
    d.search = Some(pattern);
    d.rematch();
    let first = d
        .matches
        .iter()
        .find(|&&i| i >= d.cursor)
        .or(d.matches.first())
        .copied();
    if let Some(line) = first {
        show(state, line);
    }
    match invalid {
        Some(why) => flash(
            state,
            &format!("not a regex ({why}): matching the text as typed"),
            Tone::Warn,
        ),
        None => state.flash = None,
    }
}

/// `n` (down) or `N` (up): the cursor on the next match, wrapping around the document.
fn jump(state: &mut AppState, forward: bool) {
    let d = &state.describe;
    let Some(search) = &d.search else {
        let key = state.keymap.key_name(KeyContext::Describe, Action::Filter);
        flash(
            state,
            &format!("no search: press {key} and type a pattern first"),
            Tone::Warn,
        );
        return;
    };
    let found = if forward {
        d.matches
            .iter()
            .find(|&&i| i > d.cursor)
            .map(|&i| (i, false))
            .or(d.matches.first().map(|&i| (i, true)))
    } else {
        d.matches
            .iter()
            .rev()
            .find(|&&i| i < d.cursor)
            .map(|&i| (i, false))
            .or(d.matches.last().map(|&i| (i, true)))
    };
    let Some((line, wrapped)) = found else {
        let text = format!("no line matches /{}/", search.text());
        flash(state, &text, Tone::Warn);
        return;
    };
    show(state, line);
    if wrapped {
        let text = if forward {
            "search wrapped to the top"
        } else {
            "search wrapped to the bottom"
        };
        flash(state, text, Tone::Normal);
    }
}

/// `ctrl-s`: the document as shown (YAML or JSON) to a new private file in the save dir.
fn save(state: &mut AppState) -> Vec<Command> {
    let View::Describe { target } = state.view() else {
        return Vec::new();
    };
    if state.describe.lines.is_empty() {
        flash(state, "nothing to save yet", Tone::Warn);
        return Vec::new();
    }
    let stem = format!("opsdeck-{}", target.slug());
    let ext = if state.describe.json { "json" } else { "yaml" };
    let text = plain_text(&state.describe.lines);
    flash(state, "saving…", Tone::Normal);
    vec![Command::Describe(DescribeCommand::Save {
        dir: state.settings.save_dir.clone(),
        stem,
        ext,
        text,
    })]
}
