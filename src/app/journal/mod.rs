//! The `:journal` view: every change opsdeck made, newest first, and undo.

pub mod entry;

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load::{Slot, store_by};
use crate::app::core::msg::Fetched;
use crate::app::core::state::AppState;
use crate::app::core::table::{TableOps, TableState};
use crate::app::core::view::View;
use crate::app::guard::ecs_ops;
use crate::app::journal::entry::{JournalEntry, JournalLoad, local_time_text};

/// State of the `:journal` view.
#[derive(Debug, Clone, Default)]
pub struct JournalState {
    pub table: TableState<JournalEntry>,
    /// Lines of the journal file that could not be read.
    pub bad_lines: usize,
}

/// What happened on the journal side.
#[derive(Debug, Clone, PartialEq)]
pub enum JournalMsg {
    Loaded {
        generation: u64,
        now: i64,
        result: Fetched<JournalLoad>,
    },
}

/// Journal side effects (writing it is the guard's, through `RunOp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalCommand {
    /// Read the journal file; answered with `JournalMsg::Loaded`.
    Fetch { generation: u64 },
}

/// Apply a journal message.
pub fn update(state: &mut AppState, msg: JournalMsg) -> Vec<Command> {
    match msg {
        JournalMsg::Loaded {
            generation,
            now,
            result,
        } => {
            store_by(state, generation, result, now, put, |s, message| {
                s.journal.table.fail(message)
            });
        }
    }
    Vec::new()
}

/// A read journal: its entries with their local times, and the count of unreadable lines.
/// The times come from the entries alone, so an unchanged file shows no change.
fn put(state: &mut AppState, load: JournalLoad, now: i64) -> bool {
    let offset = state.settings.utc_offset_secs;
    let mut entries = load.entries;
    for entry in &mut entries {
        entry.time_text = entry
            .at
            .map(|at| local_time_text(at, offset))
            .unwrap_or_default();
    }
    let journal = &mut state.journal;
    let bad_changed = journal.bad_lines != load.bad_lines;
    journal.bad_lines = load.bad_lines;
    let rows_changed = journal.table.set_rows(entries, now);
    bad_changed || rows_changed
}

/// `:journal`: open the audit journal.
pub fn open(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    crate::app::core::nav::open_over_root(state, View::Journal)
}

/// Read the journal file.
pub fn fetch(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::Journal(JournalCommand::Fetch { generation })]
}

pub fn table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.journal.table)
}

pub fn filter(state: &AppState) -> &str {
    &state.journal.table.filter.text
}

/// The copy keys: the entry's id, the one its intent and result lines share in the file.
pub fn copy(state: &AppState, _kind: CopyKind) -> Option<Copied> {
    let entry = state.journal.table.selected_row()?;
    Some(Copied::new("journal entry id", entry.id.as_str()))
}

/// `u` undoes the selected entry (only `u`: `enter` is too easy to press twice).
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if action != Action::Undo {
        return None;
    }
    ecs_ops::undo_selected(state);
    Some(Vec::new())
}
