//! The EC2 hosts view and SSH sessions.

use super::Action;
use super::command::Command;
use super::state::AppState;

/// State of the `:hosts` view.
#[derive(Debug, Clone, Default)]
pub struct HostsState {}

/// What happened on the EC2/SSH side.
#[derive(Debug, Clone, PartialEq)]
pub enum HostsMsg {}

/// EC2/SSH side effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostsCommand {}

pub fn update(_state: &mut AppState, msg: HostsMsg) -> Vec<Command> {
    match msg {}
}

/// Keys on the hosts view; `None` lets the generic handling run.
pub fn on_action(_state: &mut AppState, _action: Action) -> Option<Vec<Command>> {
    None
}

/// `:hosts`: open the view.
pub fn open(_state: &mut AppState) -> Vec<Command> {
    Vec::new()
}

/// An SSH session the runtime runs in the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSession {
    /// What the user asked to reach (instance id or name), for messages.
    pub label: String,
}

/// Fetch the hosts list.
pub fn fetch(state: &mut AppState, _generation: u64) -> Vec<Command> {
    state.in_flight = None;
    Vec::new()
}
