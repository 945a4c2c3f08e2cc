//! ECS and Auto Scaling operations: scale, redeploy, roll back, stop; the ASG and journal views.

use super::Action;
use super::command::Command;
use super::state::AppState;

/// State of the operations views (`:asgs`, `:journal`, the service detail).
#[derive(Debug, Clone, Default)]
pub struct OpsState {}

/// What happened on the operations side.
#[derive(Debug, Clone, PartialEq)]
pub enum OpsMsg {}

/// Operations side effects other than `RunOp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpsCommand {}

pub fn update(_state: &mut AppState, msg: OpsMsg) -> Vec<Command> {
    match msg {}
}

/// Mutating keys on the services and tasks views, and keys on the ops views.
/// `None` lets the generic handling run.
pub fn on_action(_state: &mut AppState, _action: Action) -> Option<Vec<Command>> {
    None
}

/// A `RunOp` finished.
pub fn finished(
    state: &mut AppState,
    op: super::op::Op,
    result: Result<String, String>,
) -> Vec<Command> {
    state.dirty = true;
    state.flash = Some(match result {
        Ok(summary) => super::state::Flash {
            text: format!("done: {} — {summary}", op.title()),
            tone: super::table::Tone::Ok,
        },
        Err(message) => super::state::Flash {
            text: format!("failed: {} — {message}", op.title()),
            tone: super::table::Tone::Error,
        },
    });
    Vec::new()
}

/// Fetch what the visible ops view shows.
pub fn fetch(state: &mut AppState, _generation: u64) -> Vec<Command> {
    state.in_flight = None;
    Vec::new()
}

/// `:asgs`: open the Auto Scaling groups view.
pub fn open_asgs(_state: &mut AppState) -> Vec<Command> {
    Vec::new()
}

/// `:journal`: open the audit journal.
pub fn open_journal(_state: &mut AppState) -> Vec<Command> {
    Vec::new()
}

/// Keys typed into an ops prompt (the desired-count prompt); `None` when no such prompt is open.
pub fn on_prompt_input(_state: &mut AppState, _key: super::msg::InputKey) -> Option<Vec<Command>> {
    None
}
