//! What the guard keeps between operations: the `[ops]` settings and who the user is.

use crate::app::core::command::Command;
use crate::app::core::state::{AppState, Mode};
use crate::app::guard::ecs_ops;
use crate::app::guard::op::Op;
use crate::app::guard::prompt::PromptPurpose;

/// The `[ops]` settings and who the user is locally.
#[derive(Debug, Clone, PartialEq)]
pub struct OpsSettings {
    /// A count change by more than this factor needs the name typed.
    pub max_scale_factor: f64,
    /// No desired count above this is sent.
    pub max_desired: i32,
    /// Production profiles confirm by typing the name.
    pub typed_for_production: bool,
    /// `$USER`, for the default stop reason when the caller identity is unknown.
    pub local_user: String,
}

impl Default for OpsSettings {
    fn default() -> Self {
        Self {
            max_scale_factor: 3.0,
            max_desired: 100,
            typed_for_production: true,
            local_user: String::new(),
        }
    }
}

/// The caller identity (STS), looked up once when first needed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Identity {
    #[default]
    Unknown,
    Pending,
    /// The caller ARN.
    Known(String),
    Failed,
}

/// The guard's state: how changes are checked and who makes them.
#[derive(Debug, Clone, Default)]
pub struct GuardState {
    pub settings: OpsSettings,
    pub identity: Identity,
    /// Changes sent and not finished yet: their rows say so, and the same change on the
    /// same resource is refused until they finish.
    pub pending: Vec<Op>,
}

/// The caller identity ARN came back, or why it is unknown.
pub fn identity_resolved(state: &mut AppState, result: Result<String, String>) -> Vec<Command> {
    let old_default = ecs_ops::default_reason(state);
    state.guard.identity = match result {
        Ok(arn) => Identity::Known(arn),
        Err(_) => Identity::Failed,
    };
    // A stop prompt still showing the old default gets the better one.
    let new_default = ecs_ops::default_reason(state);
    if let Mode::Prompt(prompt) = &mut state.mode
        && matches!(prompt.purpose, PromptPurpose::StopReason { .. })
        && prompt.input == old_default
    {
        prompt.input = new_default;
        state.dirty = true;
    }
    Vec::new()
}
