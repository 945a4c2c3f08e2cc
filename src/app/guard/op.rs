//! Mutating operations: what they are, the read-only gate and the confirmation they need.
//!
//! Every change opsdeck makes to AWS or Docker is an [`Op`]. `update` never sends one
//! directly: [`request`] refuses it in read-only mode, otherwise opens a confirmation;
//! only the confirmation's "yes" turns it into [`Command::RunOp`].

use serde::{Deserialize, Serialize};

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::nav::flash;
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::Tone;
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};
use crate::input::keymap::{KeyContext, Keymap};

/// A mutating operation, with what the user saw before asking (for the journal and undo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Force a new deployment of an ECS service.
    Redeploy {
        cluster: ClusterName,
        service: ServiceName,
    },
    /// Change an ECS service's desired count.
    SetDesired {
        cluster: ClusterName,
        service: ServiceName,
        from: i32,
        to: i32,
    },
    /// Point an ECS service at another task definition revision.
    Rollback {
        cluster: ClusterName,
        service: ServiceName,
        from: String,
        to: String,
    },
    /// Stop one ECS task.
    StopTask {
        cluster: ClusterName,
        task: TaskArn,
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
                format!("stop task {cluster}/{}", task.id())
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
            | Op::Rollback { service, .. } => service.to_string(),
            Op::StopTask { task, .. } => task.id().to_string(),
            Op::SetAsgCapacity { group, .. } => group.clone(),
            Op::DockerRestart { name, .. }
            | Op::DockerStop { name, .. }
            | Op::DockerStart { name, .. }
            | Op::DockerPause { name, .. }
            | Op::DockerUnpause { name, .. }
            | Op::DockerRemove { name, .. } => name.clone(),
        }
    }

    /// What is being done, for the row while it is in flight: `scaling 3 → 4…`.
    pub fn progress(&self) -> String {
        match self {
            Op::Redeploy { .. } => "redeploying…".to_string(),
            Op::SetDesired { from, to, .. } | Op::SetAsgCapacity { from, to, .. } => {
                format!("scaling {from} → {to}…")
            }
            Op::Rollback { .. } => "rolling back…".to_string(),
            Op::StopTask { .. } | Op::DockerStop { .. } => "stopping…".to_string(),
            Op::DockerRestart { .. } => "restarting…".to_string(),
            Op::DockerStart { .. } => "starting…".to_string(),
            Op::DockerPause { .. } => "pausing…".to_string(),
            Op::DockerUnpause { .. } => "unpausing…".to_string(),
            Op::DockerRemove { .. } => "removing…".to_string(),
        }
    }

    /// The resource acted on, as one id: `cluster/service`, a task ARN, a group name, a
    /// container id. Two changes with the same target are one too many in flight.
    pub fn target(&self) -> String {
        match self {
            Op::Redeploy { cluster, service }
            | Op::SetDesired {
                cluster, service, ..
            }
            | Op::Rollback {
                cluster, service, ..
            } => format!("{cluster}/{service}"),
            Op::StopTask { task, .. } => task.to_string(),
            Op::SetAsgCapacity { group, .. } => group.clone(),
            Op::DockerRestart { id, .. }
            | Op::DockerStop { id, .. }
            | Op::DockerStart { id, .. }
            | Op::DockerPause { id, .. }
            | Op::DockerUnpause { id, .. }
            | Op::DockerRemove { id, .. } => id.clone(),
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
    /// Hard to reverse: removing a container, stopping a task, scaling to zero, rolling back.
    /// Their confirmations take only `y` (or the typed name), never `enter`.
    pub fn hard_to_reverse(&self) -> bool {
        matches!(
            self,
            Op::DockerRemove { .. } | Op::StopTask { .. } | Op::Rollback { .. }
        ) || self.scales_to_zero()
    }

    pub fn scales_to_zero(&self) -> bool {
        matches!(
            self,
            Op::SetDesired { to: 0, from, .. } | Op::SetAsgCapacity { to: 0, from, .. } if *from > 0
        )
    }

    /// The ECS cluster an ECS operation acts in.
    pub fn cluster(&self) -> Option<&str> {
        match self {
            Op::Redeploy { cluster, .. }
            | Op::SetDesired { cluster, .. }
            | Op::Rollback { cluster, .. }
            | Op::StopTask { cluster, .. } => Some(cluster.as_str()),
            _ => None,
        }
    }

    /// A count change by more than `factor` in one step, either way (`3 → 12` with 3.0;
    /// from or to zero counts as from or to one). Scaling to zero has its own rule.
    pub fn exceeds_factor(&self, factor: f64) -> bool {
        let (from, to) = match self {
            Op::SetDesired { from, to, .. } | Op::SetAsgCapacity { from, to, .. } => (*from, *to),
            _ => return false,
        };
        if to == 0 {
            return false;
        }
        let (low, high) = (from.min(to).max(1), from.max(to).max(1));
        f64::from(high) > f64::from(low) * factor
    }

    /// The operation that undoes this one, when there is one (the journal's undo). The keys
    /// named in the reason there is none come from `keymap`.
    pub fn inverse(&self, keymap: &Keymap) -> Result<Op, String> {
        match self {
            Op::SetDesired {
                cluster,
                service,
                from,
                to,
            } => Ok(Op::SetDesired {
                cluster: cluster.clone(),
                service: service.clone(),
                from: *to,
                to: *from,
            }),
            Op::SetAsgCapacity { group, from, to } => Ok(Op::SetAsgCapacity {
                group: group.clone(),
                from: *to,
                to: *from,
            }),
            Op::Rollback {
                cluster,
                service,
                from,
                to,
            } => Ok(Op::Rollback {
                cluster: cluster.clone(),
                service: service.clone(),
                from: to.clone(),
                to: from.clone(),
            }),
            Op::DockerStop { id, name } => Ok(Op::DockerStart {
                id: id.clone(),
                name: name.clone(),
            }),
            Op::DockerStart { id, name } => Ok(Op::DockerStop {
                id: id.clone(),
                name: name.clone(),
            }),
            Op::DockerPause { id, name } => Ok(Op::DockerUnpause {
                id: id.clone(),
                name: name.clone(),
            }),
            Op::DockerUnpause { id, name } => Ok(Op::DockerPause {
                id: id.clone(),
                name: name.clone(),
            }),
            Op::Redeploy { .. } => Err(format!(
                "a redeploy cannot be undone: roll back with {} or redeploy again",
                keymap.key_name(KeyContext::Services, Action::Rollback)
            )),
            Op::StopTask { .. } => Err(
                "a stopped task cannot be started again: its service starts a replacement".into(),
            ),
            Op::DockerRestart { .. } => Err("a restart cannot be undone".into()),
            Op::DockerRemove { .. } => Err("a removed container cannot be brought back".into()),
        }
    }

    /// The position of this variant in [`Op::all_examples`]. Exhaustive on purpose: a new
    /// variant does not compile until it gets an index here, and the test that checks
    /// `all_examples` against [`Op::VARIANTS`] fails until it gets an example too.
    pub fn variant_index(&self) -> usize {
        match self {
            Op::Redeploy { .. } => 0,
            Op::SetDesired { .. } => 1,
            Op::Rollback { .. } => 2,
            Op::StopTask { .. } => 3,
            Op::SetAsgCapacity { .. } => 4,
            Op::DockerRestart { .. } => 5,
            Op::DockerStop { .. } => 6,
            Op::DockerStart { .. } => 7,
            Op::DockerPause { .. } => 8,
            Op::DockerUnpause { .. } => 9,
            Op::DockerRemove { .. } => 10,
        }
    }

    /// How many variants [`Op`] has.
    pub const VARIANTS: usize = 11;

    /// One example of every variant, in [`Op::variant_index`] order: tests that must cover
    /// every mutating operation (the read-only refusal) iterate over these.
    pub fn all_examples() -> Vec<Op> {
        let (cluster, service) = (ClusterName::from("payments"), ServiceName::from("api"));
        let (id, name) = ("0123456789ab".to_string(), "web-1".to_string());
        vec![
            Op::Redeploy {
                cluster: cluster.clone(),
                service: service.clone(),
            },
            Op::SetDesired {
                cluster: cluster.clone(),
                service: service.clone(),
                from: 3,
                to: 7,
            },
            Op::Rollback {
                cluster: cluster.clone(),
                service,
                from: "api:8".into(),
                to: "api:7".into(),
            },
            Op::StopTask {
                cluster,
                task: "arn:aws:ecs:eu-west-1:123456789012:task/payments/0123456789abcdef".into(),
                reason: "stopped from opsdeck by alice".into(),
            },
            Op::SetAsgCapacity {
                group: "payments-ecs-asg".into(),
                from: 2,
                to: 3,
            },
            Op::DockerRestart {
                id: id.clone(),
                name: name.clone(),
            },
            Op::DockerStop {
                id: id.clone(),
                name: name.clone(),
            },
            Op::DockerStart {
                id: id.clone(),
                name: name.clone(),
            },
            Op::DockerPause {
                id: id.clone(),
                name: name.clone(),
            },
            Op::DockerUnpause {
                id: id.clone(),
                name: name.clone(),
            },
            Op::DockerRemove { id, name },
        ]
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
    /// Whether `enter` confirms too (`y` always does): not for changes that are hard to
    /// reverse, undos, or anything on a production profile.
    pub enter_confirms: bool,
    /// The journal entry this change undoes, if it is an undo.
    pub undoes: Option<String>,
}

/// Ask for `op`: refused in read-only mode, else a confirmation dialog opens.
/// `typed_reason` forces a typed confirmation (production, scale to zero, big change).
pub fn request(state: &mut AppState, op: Op, typed_reason: Option<String>) {
    request_with(state, op, Vec::new(), typed_reason);
}

/// In read-only mode, refuse `op` (with the same message as [`request`]) and return true:
/// for keys that would ask something (a prompt, a lookup) before the dialog.
pub fn refused_read_only(state: &mut AppState, op: &Op) -> bool {
    if state.ctx.read_only {
        request(state, op.clone(), None);
    }
    state.ctx.read_only
}

/// [`request`] with more lines for the dialog, shown before the change (a rollback's images).
pub fn request_with(
    state: &mut AppState,
    op: Op,
    extra: Vec<(String, String)>,
    typed_reason: Option<String>,
) {
    ask(state, op, extra, typed_reason, None);
}

/// Ask for `op`, which undoes the journal entry `undoes`.
pub fn request_undo(state: &mut AppState, op: Op, extra: Vec<(String, String)>, undoes: String) {
    ask(state, op, extra, None, Some(undoes));
}

fn ask(
    state: &mut AppState,
    op: Op,
    extra: Vec<(String, String)>,
    typed_reason: Option<String>,
    undoes: Option<String>,
) {
    state.dirty = true;
    let target = op.target();
    if let Some(busy) = state.guard.pending.iter().find(|p| p.target() == target) {
        let text = format!(
            "{} is {} already: nothing was sent",
            busy.resource_name(),
            busy.progress().trim_end_matches('…')
        );
        flash(state, &text, Tone::Warn);
        return;
    }
    if state.ctx.read_only {
        let text = format!(
            "read-only mode: refused to {}, nothing was sent",
            op.title()
        );
        flash(state, &text, Tone::Error);
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
        if let Some(cluster) = op.cluster() {
            lines.push(("cluster".to_string(), cluster.to_string()));
        }
    }
    lines.push(("resource".to_string(), op.resource_name()));
    lines.extend(extra);
    lines.push(("change".to_string(), op.change()));
    let settings = &state.guard.settings;
    let why_typed = typed_reason.or_else(|| {
        if op.scales_to_zero() {
            Some("this scales to zero".to_string())
        } else if op.exceeds_factor(settings.max_scale_factor) {
            Some(format!(
                "this changes the count by more than {}x",
                settings.max_scale_factor
            ))
        } else if state.ctx.production && settings.typed_for_production && !op.is_docker() {
            Some("this is a production profile".to_string())
        } else {
            None
        }
    });
    let typed = why_typed.as_ref().map(|_| op.resource_name());
    let enter_confirms = !op.hard_to_reverse() && undoes.is_none() && !state.ctx.production;
    state.mode = Mode::Confirm(Box::new(Confirm {
        op,
        lines,
        typed,
        input: String::new(),
        why_typed,
        enter_confirms,
        undoes,
    }));
}

/// Show each change in flight on its row: the services, tasks, Auto Scaling groups and
/// Docker containers tables carry what is being done to which row.
pub fn mark_rows(state: &mut AppState) {
    state.services.marks.clear();
    state.tasks.marks.clear();
    state.asgs.marks.clear();
    state.docker.table.marks.clear();
    for op in &state.guard.pending {
        let mark = (op.progress(), op);
        match mark {
            (label, Op::Redeploy { cluster, service })
            | (
                label,
                Op::SetDesired {
                    cluster, service, ..
                },
            )
            | (
                label,
                Op::Rollback {
                    cluster, service, ..
                },
            ) => {
                let shown = state.services.rows().iter().any(|r| r.cluster == *cluster);
                if shown {
                    state.services.marks.push((service.to_string(), label));
                }
            }
            (label, Op::StopTask { task, .. }) => state.tasks.marks.push((task.to_string(), label)),
            (label, Op::SetAsgCapacity { group, .. }) => {
                state.asgs.marks.push((group.clone(), label));
            }
            (label, Op::DockerRestart { id, .. })
            | (label, Op::DockerStop { id, .. })
            | (label, Op::DockerStart { id, .. })
            | (label, Op::DockerPause { id, .. })
            | (label, Op::DockerUnpause { id, .. })
            | (label, Op::DockerRemove { id, .. }) => {
                state.docker.table.marks.push((id.clone(), label));
            }
        }
    }
}

/// The command a confirmed change runs: an undo names the entry it undoes.
fn run(state: &mut AppState, confirm: Confirm) -> Vec<Command> {
    state.guard.pending.push(confirm.op.clone());
    mark_rows(state);
    match confirm.undoes {
        Some(undoes) => vec![Command::Undo {
            op: confirm.op,
            undoes,
        }],
        None => vec![Command::RunOp(confirm.op)],
    }
}

/// A key typed in the confirmation dialog. Returns the command to run once confirmed.
pub fn on_confirm_input(
    state: &mut AppState,
    key: crate::app::core::msg::InputKey,
) -> Vec<Command> {
    use crate::app::core::msg::InputKey;
    let Mode::Confirm(mut confirm) = std::mem::take(&mut state.mode) else {
        return Vec::new();
    };
    state.dirty = true;
    match (&confirm.typed, key) {
        (_, InputKey::Cancel) | (None, InputKey::Char('n' | 'N')) => {
            flash(
                state,
                &format!("cancelled: {}, nothing was sent", confirm.op.title()),
                Tone::Muted,
            );
            Vec::new()
        }
        (None, InputKey::Char('y' | 'Y')) => run(state, *confirm),
        (None, InputKey::Submit) if confirm.enter_confirms => run(state, *confirm),
        (None, _) => {
            state.mode = Mode::Confirm(confirm);
            Vec::new()
        }
        (Some(expected), InputKey::Submit) => {
            if confirm.input == *expected {
                run(state, *confirm)
            } else {
                confirm.input.clear();
                state.mode = Mode::Confirm(confirm);
                flash(
                    state,
                    "the name does not match: nothing was sent",
                    Tone::Error,
                );
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
                InputKey::Submit
                | InputKey::Cancel
                | InputKey::Up
                | InputKey::Down
                | InputKey::Complete => {}
            }
            state.mode = Mode::Confirm(confirm);
            Vec::new()
        }
    }
}
