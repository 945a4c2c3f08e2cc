//! Mutating operations: what they are, the read-only gate and the confirmation they need.
//!
//! Every change opsdeck makes to AWS or Docker is an [`Op`]. `update` never sends one
//! directly: [`request`] refuses it in read-only mode, otherwise opens a confirmation;
//! only the confirmation's "yes" turns it into [`Command::RunOp`].

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::state::{AppState, Flash, Mode};
use super::table::Tone;

/// A mutating operation, with what the user saw before asking (for the journal and undo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Force a new deployment of an ECS service.
    Redeploy {
        cluster: String,
        service: String,
    },
    /// Change an ECS service's desired count.
    SetDesired {
        cluster: String,
        service: String,
        from: i32,
        to: i32,
    },
    /// Point an ECS service at another task definition revision.
    Rollback {
        cluster: String,
        service: String,
        from: String,
        to: String,
    },
    /// Stop one ECS task.
    StopTask {
        cluster: String,
        task: String,
        reason: String,
    },
    /// Change an Auto Scaling group's desired capacity.
    SetAsgCapacity {
        group: String,
        from: i32,
        to: i32,
    },
    DockerRestart {
        id: String,
        name: String,
    },
    DockerStop {
        id: String,
        name: String,
    },
    DockerStart {
        id: String,
        name: String,
    },
    DockerPause {
        id: String,
        name: String,
    },
    DockerUnpause {
        id: String,
        name: String,
    },
    DockerRemove {
        id: String,
        name: String,
    },
}

impl Op {
    /// A short verb phrase: `scale payments/api`.
    pub fn title(&self) -> String {
        match self {
            Op::Redeploy { cluster, service } => format!("redeploy {cluster}/{service}"),
            Op::SetDesired {
                cluster, service, ..
            } => format!("scale {cluster}/{service}"),
            Op::Rollback {
                cluster, service, ..
            } => format!("roll back {cluster}/{service}"),
            Op::StopTask { cluster, task, .. } => {
                format!(
                    "stop task {cluster}/{}",
                    crate::domain::ids::name_from_arn(task)
                )
            }
            Op::SetAsgCapacity { group, .. } => format!("scale Auto Scaling group {group}"),
            Op::DockerRestart { name, .. } => format!("restart container {name}"),
            Op::DockerStop { name, .. } => format!("stop container {name}"),
            Op::DockerStart { name, .. } => format!("start container {name}"),
            Op::DockerPause { name, .. } => format!("pause container {name}"),
            Op::DockerUnpause { name, .. } => format!("unpause container {name}"),
            Op::DockerRemove { name, .. } => format!("remove container {name}"),
        }
    }

    /// The exact change, as the confirmation shows it (`desired 3 → 7`).
    pub fn change(&self) -> String {
        match self {
            Op::Redeploy { .. } => "force a new deployment (tasks are replaced)".to_string(),
            Op::SetDesired { from, to, .. } => format!("desired {from} → {to}"),
            Op::Rollback { from, to, .. } => format!("task definition {from} → {to}"),
            Op::StopTask { reason, .. } => format!("stop, reason: {reason}"),
            Op::SetAsgCapacity { from, to, .. } => format!("desired capacity {from} → {to}"),
            Op::DockerRestart { .. } => "restart".to_string(),
            Op::DockerStop { .. } => "stop".to_string(),
            Op::DockerStart { .. } => "start".to_string(),
            Op::DockerPause { .. } => "pause".to_string(),
            Op::DockerUnpause { .. } => "unpause".to_string(),
            Op::DockerRemove { .. } => "remove (the container is deleted)".to_string(),
        }
    }

    /// The name a typed confirmation asks for.
    pub fn resource_name(&self) -> String {
        match self {
            Op::Redeploy { service, .. }
            | Op::SetDesired { service, .. }
            | Op::Rollback { service, .. } => service.clone(),
            Op::StopTask { task, .. } => crate::domain::ids::name_from_arn(task).to_string(),
            Op::SetAsgCapacity { group, .. } => group.clone(),
            Op::DockerRestart { name, .. }
            | Op::DockerStop { name, .. }
            | Op::DockerStart { name, .. }
            | Op::DockerPause { name, .. }
            | Op::DockerUnpause { name, .. }
            | Op::DockerRemove { name, .. } => name.clone(),
        }
    }

    /// Whether this acts on the local Docker engine rather than AWS.
    pub fn is_docker(&self) -> bool {
        matches!(
            self,
            Op::DockerRestart { .. }
                | Op::DockerStop { .. }
                | Op::DockerStart { .. }
                | Op::DockerPause { .. }
                | Op::DockerUnpause { .. }
                | Op::DockerRemove { .. }
        )
    }

    /// Scaling to zero: always confirmed by typing the name.
    pub fn scales_to_zero(&self) -> bool {
        matches!(
            self,
            Op::SetDesired { to: 0, from, .. } | Op::SetAsgCapacity { to: 0, from, .. } if *from > 0
        )
    }
}

/// An open confirmation dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub op: Op,
    /// Context lines: account, region, cluster or engine, resource.
    pub lines: Vec<(String, String)>,
    /// When set, the user must type this exact text.
    pub typed: Option<String>,
    /// What the user typed so far.
    pub input: String,
    /// Why typing is required, if it is.
    pub why_typed: Option<String>,
}

/// Ask for `op`: refused in read-only mode, else a confirmation dialog opens.
/// `typed_reason` forces a typed confirmation (production, scale to zero, big change).
pub fn request(state: &mut AppState, op: Op, typed_reason: Option<String>) {
    state.dirty = true;
    if state.ctx.read_only {
        state.flash = Some(Flash {
            text: format!("read-only mode: refused to {}", op.title()),
            tone: Tone::Error,
        });
        return;
    }
    let mut lines = Vec::new();
    if op.is_docker() {
        lines.push(("engine".to_string(), state.docker_engine.clone()));
    } else {
        let account = state
            .ctx
            .account
            .clone()
            .unwrap_or_else(|| "unknown".into());
        lines.push(("account".to_string(), account));
        lines.push(("profile".to_string(), state.ctx.profile.clone()));
        lines.push(("region".to_string(), state.ctx.region.clone()));
    }
    lines.push(("resource".to_string(), op.resource_name()));
    lines.push(("change".to_string(), op.change()));
    let why_typed = typed_reason.or_else(|| {
        if op.scales_to_zero() {
            Some("this scales to zero".to_string())
        } else if state.ctx.production && !op.is_docker() {
            Some("this is a production profile".to_string())
        } else {
            None
        }
    });
    let typed = why_typed.as_ref().map(|_| op.resource_name());
    state.mode = Mode::Confirm(Box::new(Confirm {
        op,
        lines,
        typed,
        input: String::new(),
        why_typed,
    }));
}

/// A key typed in the confirmation dialog. Returns the command to run once confirmed.
pub fn on_confirm_input(state: &mut AppState, key: super::msg::InputKey) -> Vec<Command> {
    use super::msg::InputKey;
    let Mode::Confirm(mut confirm) = std::mem::take(&mut state.mode) else {
        return Vec::new();
    };
    state.dirty = true;
    match (&confirm.typed, key) {
        (_, InputKey::Cancel) => {
            state.flash = Some(Flash {
                text: format!("cancelled: {}", confirm.op.title()),
                tone: Tone::Muted,
            });
            Vec::new()
        }
        (None, InputKey::Char('y' | 'Y')) | (None, InputKey::Submit) => {
            vec![Command::RunOp(confirm.op)]
        }
        (None, InputKey::Char('n' | 'N')) => Vec::new(),
        (None, _) => {
            state.mode = Mode::Confirm(confirm);
            Vec::new()
        }
        (Some(expected), InputKey::Submit) => {
            if confirm.input == *expected {
                vec![Command::RunOp(confirm.op)]
            } else {
                confirm.input.clear();
                state.mode = Mode::Confirm(confirm);
                state.flash = Some(Flash {
                    text: "the name does not match: nothing was sent".to_string(),
                    tone: Tone::Error,
                });
                Vec::new()
            }
        }
        (Some(_), key) => {
            match key {
                InputKey::Char(c) => confirm.input.push(c),
                InputKey::Backspace => {
                    confirm.input.pop();
                }
                InputKey::Clear => confirm.input.clear(),
                InputKey::Submit | InputKey::Cancel => {}
            }
            state.mode = Mode::Confirm(confirm);
            Vec::new()
        }
    }
}
