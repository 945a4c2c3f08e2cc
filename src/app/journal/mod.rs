//! The `:journal` view: every change opsdeck made, newest first, and undo.

pub mod entry;

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::state::AppState;
use crate::app::core::table::TableOps;
use crate::app::core::view::View;
use crate::app::ecs::ops as ecs_ops;
use crate::app::guard::ops::OpsCommand;

/// `:journal`: open the audit journal.
pub fn open(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    crate::app::core::nav::open_over_root(state, View::Journal)
}

/// Read the journal file.
pub fn fetch(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::Ops(OpsCommand::FetchJournal { generation })]
}

pub fn table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.ops.journal)
}

pub fn filter(state: &AppState) -> &str {
    &state.ops.journal.filter.text
}

/// `u` (and `enter`) undoes the selected entry.
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if !matches!(action, Action::Undo | Action::Enter) {
        return None;
    }
    ecs_ops::undo_selected(state);
    Some(Vec::new())
}
