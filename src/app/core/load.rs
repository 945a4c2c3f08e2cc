//! The one path every loaded result takes: drop a stale answer, store rows or a failure, and
//! mark the screen dirty only when something it shows changed. An idle view that refreshes to
//! the same data draws nothing (ages move at most once a minute).

use crate::app::core::msg::Fetched;
use crate::app::core::nav::accept;
use crate::app::core::state::AppState;
use crate::app::core::table::{Load, TableRow, TableState};

/// What storing a result did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The answer to a fetch no longer in flight: dropped.
    Stale,
    /// Equal to what is shown: nothing to draw.
    Unchanged,
    /// Something shown changed.
    Changed,
}

/// Where a view keeps what it loads.
pub trait Slot<T> {
    /// Store fresh data; whether anything shown changed.
    fn put(&mut self, data: T, now: i64) -> bool;
    /// Record a failure; whether anything shown changed.
    fn fail(&mut self, message: String) -> bool;
}

impl<R: TableRow> Slot<Vec<R>> for TableState<R> {
    fn put(&mut self, rows: Vec<R>, now: i64) -> bool {
        self.set_rows(rows, now)
    }

    fn fail(&mut self, message: String) -> bool {
        fail_into(&mut self.load, message)
    }
}

/// Mark `load` failed, keeping whatever rows are there; the same failure again is no change.
pub fn fail_into(load: &mut Load, message: String) -> bool {
    let failed = Load::Failed(message);
    if *load == failed {
        return false;
    }
    *load = failed;
    true
}

/// Store the answer to fetch `generation` in the slot `slot_of` finds.
pub fn store<T, S: Slot<T>>(
    state: &mut AppState,
    generation: u64,
    slot_of: fn(&mut AppState) -> &mut S,
    result: Fetched<T>,
    now: i64,
) -> Stored {
    store_by(
        state,
        generation,
        result,
        now,
        |s, data, now| slot_of(s).put(data, now),
        |s, message| slot_of(s).fail(message),
    )
}

/// [`store`] for results that land in more than one place (a task and its containers, the
/// journal and its unreadable lines): `put` and `fail` say whether anything shown changed.
pub fn store_by<T>(
    state: &mut AppState,
    generation: u64,
    result: Fetched<T>,
    now: i64,
    put: impl FnOnce(&mut AppState, T, i64) -> bool,
    fail: impl FnOnce(&mut AppState, String) -> bool,
) -> Stored {
    if !accept(state, generation) {
        return Stored::Stale;
    }
    let ok = result.is_ok();
    let stored = keep(state, result, now, put, fail);
    mark(state, stored, ok, now);
    stored
}

/// Store a result nobody asked for (the Docker watcher pushes lists as they change); only a
/// `visible` view marks the screen.
pub fn store_pushed<T, S: Slot<T>>(
    state: &mut AppState,
    visible: bool,
    slot_of: fn(&mut AppState) -> &mut S,
    result: Fetched<T>,
    now: i64,
) -> Stored {
    let ok = result.is_ok();
    let stored = keep(
        state,
        result,
        now,
        |s, data, now| slot_of(s).put(data, now),
        |s, message| slot_of(s).fail(message),
    );
    if visible {
        mark(state, stored, ok, now);
    }
    stored
}

fn keep<T>(
    state: &mut AppState,
    result: Fetched<T>,
    now: i64,
    put: impl FnOnce(&mut AppState, T, i64) -> bool,
    fail: impl FnOnce(&mut AppState, String) -> bool,
) -> Stored {
    let changed = match result {
        Ok(data) => put(state, data, now),
        Err(message) => fail(state, message),
    };
    if changed {
        Stored::Changed
    } else {
        Stored::Unchanged
    }
}

/// A change is drawn; new data also moves the refresh time, and any good answer keeps the
/// view fresh (no stale header).
fn mark(state: &mut AppState, stored: Stored, ok: bool, now: i64) {
    if ok {
        state.last_ok = Some(now);
        if state.stale_secs.take().is_some() {
            state.dirty = true;
        }
    }
    if stored == Stored::Changed {
        state.dirty = true;
        if ok {
            state.last_refresh = Some(now);
        }
    }
}
