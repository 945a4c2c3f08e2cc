//! The local Docker containers view: state, messages, commands and their update.

use super::Action;
use super::command::Command;
use super::state::AppState;
use super::table::TableState;
use crate::domain::docker::DockerContainerRow;

/// State of the `:containers` view.
#[derive(Debug, Clone, Default)]
pub struct DockerState {
    pub table: TableState<DockerContainerRow>,
}

/// What happened on the Docker side.
#[derive(Debug, Clone, PartialEq)]
pub enum DockerMsg {}

/// Docker side effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerCommand {}

/// Apply a Docker message.
pub fn update(_state: &mut AppState, msg: DockerMsg) -> Vec<Command> {
    match msg {}
}

/// Keys on the containers view; `None` lets the generic handling run.
pub fn on_action(_state: &mut AppState, _action: Action) -> Option<Vec<Command>> {
    None
}

/// `:containers`: open the view.
pub fn open(_state: &mut AppState) -> Vec<Command> {
    Vec::new()
}

/// Fetch the containers list (the view also follows the engine's events).
pub fn fetch(state: &mut AppState, _generation: u64) -> Vec<Command> {
    state.in_flight = None;
    Vec::new()
}

impl super::table::TableRow for DockerContainerRow {
    fn columns() -> &'static [super::table::Column] {
        use super::table::Column;
        const C: &[Column] = &[
            Column::text("NAME", 24),
            Column::text("IMAGE", 24),
            Column::text("STATE", 9),
            Column::text("STATUS", 24),
        ];
        C
    }

    fn cells(&self, _now: i64) -> Vec<String> {
        vec![
            self.name.clone(),
            self.image.clone(),
            self.state.clone(),
            self.status.clone(),
        ]
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}
