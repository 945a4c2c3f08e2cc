//! Moving between views: push, pop, jump, and the fetch of the visible view. Features call
//! these with a `View` value; what a view needs on entry comes from its registry entry.

use crate::app::core::command::Command;
use crate::app::core::state::{AppState, Flash};
use crate::app::core::table::Tone;
use crate::app::core::view::View;

/// Show a one-line message in the status bar, and keep it for `:messages`.
pub fn flash(state: &mut AppState, text: &str, tone: Tone) {
    state.messages.push(state.clock, text, tone);
    state.flash = Some(Flash {
        text: text.to_string(),
        tone,
    });
}

/// Whether a result is the answer to the fetch in flight; stale ones are dropped.
pub fn accept(state: &mut AppState, generation: u64) -> bool {
    if state.in_flight == Some(generation) {
        state.in_flight = None;
        true
    } else {
        false
    }
}

/// Push a view, clear what it shows and fetch it. The view's `reset` runs with the view on
/// top, so it can read its scope (which service) from `state.view()`.
pub fn enter(state: &mut AppState, view: View) -> Vec<Command> {
    let reset = view.entry().reset;
    state.stack.push(view);
    fresh_from_now(state);
    reset(state);
    reset_columns(state);
    fetch_visible(state)
}

/// Leave the visible view (after clearing its filter, if one is set).
pub fn back(state: &mut AppState) -> Vec<Command> {
    let entry = state.view().entry();
    if !(entry.filter_text)(state).is_empty() {
        if let Some(table) = (entry.table)(state) {
            table.set_filter("");
        }
        return Vec::new();
    }
    if state.stack.len() <= 1 {
        return Vec::new();
    }
    let mut commands = Vec::new();
    if let Some(left) = state.stack.pop() {
        commands.extend((left.entry().leave)(state));
    }
    fresh_from_now(state);
    // The parent's rows may belong to another scope after a `:` jump.
    if (state.view().entry().stale)(state) {
        (state.view().entry().reset)(state);
    }
    reset_columns(state);
    commands.extend(fetch_visible(state));
    commands
}

/// Replace the stack with the root plus `views`, and fetch the last.
pub fn jump(state: &mut AppState, views: Vec<View>) -> Vec<Command> {
    let target = views.last().cloned().unwrap_or(View::Clusters);
    let mut commands = leave_for(state, &target);
    fresh_from_now(state);
    state.stack.truncate(1);
    state.stack[0] = View::Clusters;
    for view in views {
        let reset = view.entry().reset;
        state.stack.push(view);
        reset(state);
    }
    reset_columns(state);
    commands.extend(fetch_visible(state));
    commands
}

/// What the visible view stops when `next` replaces it (a log view its tail); nothing when
/// it stays on screen.
fn leave_for(state: &mut AppState, next: &View) -> Vec<Command> {
    if state.view() == next {
        return Vec::new();
    }
    (state.view().entry().leave)(state)
}

/// Open `view` over the root, or refresh it when it is already on screen; an older copy
/// further down the stack is dropped.
pub fn open_over_root(state: &mut AppState, view: View) -> Vec<Command> {
    if *state.view() == view {
        return fetch_visible(state);
    }
    let mut commands = leave_for(state, &view);
    state.stack.retain(|v| *v != view);
    if state.stack.is_empty() {
        state.stack.push(View::Clusters);
    }
    commands.extend(enter(state, view));
    commands
}

/// The visible view's table starts at its first columns again.
fn reset_columns(state: &mut AppState) {
    if let Some(table) = (state.view().entry().table)(state) {
        table.reset_columns();
    }
}

/// Issue a fetch for the visible view with a fresh generation.
pub fn fetch_visible(state: &mut AppState) -> Vec<Command> {
    state.generation += 1;
    let generation = state.generation;
    state.in_flight = Some(generation);
    (state.view().entry().fetch)(state, generation)
}

/// Another view is on screen: its data counts as fresh until three intervals pass without
/// an answer.
fn fresh_from_now(state: &mut AppState) {
    state.last_ok = Some(state.clock);
    state.stale_secs = None;
}

/// How old the visible view's data is at `now`, if more than three refresh intervals; log
/// views show their own state (live, polling, the last event) instead.
pub fn staleness(state: &AppState, now: i64) -> Option<i64> {
    if state.view().freshness() != crate::app::core::view::Freshness::Polled {
        return None;
    }
    let limit = 3 * i64::try_from(state.settings.refresh_secs.max(1)).unwrap_or(i64::MAX);
    let age = now - state.last_ok?;
    (age > limit).then_some(age)
}

/// Nothing to do (an entry's hook that this view does not need).
pub fn nothing(_state: &mut AppState) {}

/// Nothing to stop when the view is left.
pub fn nothing_to_stop(_state: &mut AppState) -> Vec<Command> {
    Vec::new()
}

/// The rows shown are never another scope's.
pub fn never_stale(_state: &AppState) -> bool {
    false
}

/// Stop the console.
pub fn quit(state: &mut AppState) -> Vec<Command> {
    state.quit = true;
    Vec::new()
}
