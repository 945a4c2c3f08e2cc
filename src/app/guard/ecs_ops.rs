//! ECS service and task operations from the keyboard: `r`, `+`, `-`, `S`, `ctrl-l` on a
//! service, `ctrl-k` on a task, undo in the journal, and what a submitted prompt asks for.
//! Each ends in [`op::request`] (read-only refusal, confirmation) or a precise refusal.

use crate::app::core::command::Command;
use crate::app::core::keys::fixed::CANCEL;
use crate::app::core::nav::flash;
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::Tone;
use crate::app::guard::op::{self, Op};
use crate::app::guard::prompt::{Prompt, PromptPurpose};
use crate::app::guard::scale::{Limits, check_target, target_from_text};
use crate::app::guard::state::Identity;
use crate::app::service::ServiceCommand;
use crate::app::{Action, asg};
use crate::domain::ecs::{ServiceRow, TaskRow};
use crate::domain::format::short_who;
use crate::domain::ids::{ClusterName, ServiceName};
use crate::domain::service::RollbackPlan;
use crate::domain::status::TaskStatus;

/// Longest stop reason ECS accepts.
const MAX_REASON: usize = 255;

/// `r`, `+`, `-`, `S`, `ctrl-l` on a service.
pub(crate) fn service_action(
    state: &mut AppState,
    action: Action,
    cluster: &ClusterName,
    row: Option<ServiceRow>,
) -> Option<Vec<Command>> {
    if !matches!(
        action,
        Action::Redeploy
            | Action::ScaleUp
            | Action::ScaleDown
            | Action::SetDesired
            | Action::Rollback
    ) {
        return None;
    }
    let Some(row) = row else {
        flash(state, "no service selected", Tone::Warn);
        return Some(Vec::new());
    };
    let (c, s) = (cluster.clone(), row.name.clone());
    match action {
        Action::Redeploy => op::request(
            state,
            Op::Redeploy {
                cluster: c,
                service: s,
            },
            None,
        ),
        Action::ScaleUp | Action::ScaleDown => {
            let delta = if action == Action::ScaleUp { 1 } else { -1 };
            let target = row.desired.saturating_add(delta);
            if target < 0 {
                flash(
                    state,
                    &format!("service {s} is already at 0: nothing was sent"),
                    Tone::Error,
                );
            } else {
                request_desired(state, &c, &s, row.desired, target);
            }
        }
        Action::SetDesired => {
            let op = Op::SetDesired {
                cluster: c.clone(),
                service: s.clone(),
                from: row.desired,
                to: row.desired,
            };
            if !op::refused_read_only(state, &op) {
                state.mode = Mode::Prompt(Box::new(Prompt::new(
                    PromptPurpose::ServiceDesired {
                        cluster: c,
                        service: s,
                        desired: row.desired,
                        running: row.running,
                        pending: row.pending,
                    },
                    "",
                )));
            }
        }
        Action::Rollback => {
            let op = Op::Rollback {
                cluster: c.clone(),
                service: s.clone(),
                from: row.task_definition.clone(),
                to: String::new(),
            };
            if !op::refused_read_only(state, &op) {
                flash(
                    state,
                    &format!("looking up the revision before {}…", row.task_definition),
                    Tone::Muted,
                );
                state.service.rollback_pending = Some((c.to_string(), s.to_string()));
                return Some(vec![Command::Service(ServiceCommand::PrepareRollback {
                    cluster: cluster.clone(),
                    service: row.name.clone(),
                })]);
            }
        }
        _ => {}
    }
    Some(Vec::new())
}

fn service_limits<'a>(state: &AppState, what: &'a str) -> Limits<'a> {
    Limits {
        what,
        ceiling: state.guard.settings.max_desired,
        group_bounds: None,
    }
}

fn request_desired(
    state: &mut AppState,
    cluster: &ClusterName,
    service: &ServiceName,
    from: i32,
    to: i32,
) {
    let what = format!("service {service}");
    if let Err(message) = check_target(from, to, service_limits(state, &what)) {
        flash(state, &message, Tone::Error);
        return;
    }
    op::request(
        state,
        Op::SetDesired {
            cluster: cluster.clone(),
            service: service.clone(),
            from,
            to,
        },
        None,
    );
}

pub(crate) fn request_rollback(state: &mut AppState, plan: RollbackPlan) {
    let extra = vec![
        (
            "now".to_string(),
            format!(
                "{}: {}",
                plan.current.family_revision,
                plan.current.images_text()
            ),
        ),
        (
            "back to".to_string(),
            format!(
                "{}: {}",
                plan.previous.family_revision,
                plan.previous.images_text()
            ),
        ),
    ];
    let op = Op::Rollback {
        cluster: plan.cluster,
        service: plan.service,
        from: plan.current.family_revision,
        to: plan.previous.family_revision,
    };
    op::request_with(state, op, extra, None);
}

/// `ctrl-k` on a task: ask for the reason, prefilled.
pub(crate) fn stop_task(
    state: &mut AppState,
    cluster: &ClusterName,
    task: Option<TaskRow>,
) -> Vec<Command> {
    let Some(task) = task else {
        flash(state, "no task selected", Tone::Warn);
        return Vec::new();
    };
    let op = Op::StopTask {
        cluster: cluster.clone(),
        task: task.arn.clone(),
        reason: String::new(),
    };
    if op::refused_read_only(state, &op) {
        return Vec::new();
    }
    if task.last_status == TaskStatus::Stopped || task.desired_status == TaskStatus::Stopped {
        flash(
            state,
            &format!(
                "task {} is already stopped or stopping: nothing to do",
                task.arn.short_id()
            ),
            Tone::Warn,
        );
        return Vec::new();
    }
    let reason = default_reason(state);
    state.mode = Mode::Prompt(Box::new(Prompt::new(
        PromptPurpose::StopReason {
            cluster: cluster.clone(),
            task: task.arn.clone(),
        },
        reason,
    )));
    resolve_identity(state)
}

/// `stopped from opsdeck by USER`: the caller identity's user, else `$USER`.
pub fn default_reason(state: &AppState) -> String {
    let user = match &state.guard.identity {
        Identity::Known(arn) => short_who(arn).to_string(),
        _ if !state.guard.settings.local_user.is_empty() => state.guard.settings.local_user.clone(),
        _ => "unknown user".to_string(),
    };
    format!("stopped from opsdeck by {user}")
}

fn resolve_identity(state: &mut AppState) -> Vec<Command> {
    if state.guard.identity == Identity::Unknown {
        state.guard.identity = Identity::Pending;
        vec![Command::ResolveIdentity]
    } else {
        Vec::new()
    }
}

pub(crate) fn undo_selected(state: &mut AppState) {
    let Some(entry) = state.journal.table.selected_row().cloned() else {
        flash(state, "no journal entry selected", Tone::Warn);
        return;
    };
    match entry.undo(&state.keymap) {
        Ok(op) => {
            let when = if entry.time_text.is_empty() {
                entry.id.clone()
            } else {
                entry.time_text.clone()
            };
            let extra = vec![(
                "undoes".to_string(),
                format!("{} ({when}, {})", entry.op.change(), short_who(&entry.who)),
            )];
            op::request_undo(state, op, extra, entry.id.clone());
        }
        Err(message) => flash(state, &message, Tone::Warn),
    }
}

/// What is wrong with the prompt's input, as `submit` would refuse it; `None` when it
/// would go on to the confirmation.
pub(crate) fn problem(state: &AppState, prompt: &Prompt) -> Option<String> {
    match &prompt.purpose {
        PromptPurpose::ServiceDesired {
            service, desired, ..
        } => {
            let what = format!("service {service}");
            target_from_text(*desired, &prompt.input, service_limits(state, &what)).err()
        }
        PromptPurpose::AsgDesired { group, .. } => asg::prompt_problem(state, group, &prompt.input),
        PromptPurpose::StopReason { .. } => reason_problem(prompt.input.trim()),
    }
}

fn reason_problem(reason: &str) -> Option<String> {
    if reason.is_empty() {
        return Some(format!("type a reason to stop the task ({CANCEL} cancels)"));
    }
    let length = reason.chars().count();
    (length > MAX_REASON)
        .then(|| format!("the reason is {length} characters; ECS takes at most {MAX_REASON}"))
}

pub(crate) fn submit(state: &mut AppState, prompt: &Prompt) -> Result<(), String> {
    match &prompt.purpose {
        PromptPurpose::ServiceDesired {
            cluster,
            service,
            desired,
            ..
        } => {
            let what = format!("service {service}");
            let target = target_from_text(*desired, &prompt.input, service_limits(state, &what))?;
            request_desired(state, cluster, service, *desired, target);
            Ok(())
        }
        PromptPurpose::AsgDesired { group, .. } => {
            asg::on_prompt_submit(state, group, &prompt.input)
        }
        PromptPurpose::StopReason { cluster, task } => {
            let reason = prompt.input.trim();
            if let Some(problem) = reason_problem(reason) {
                return Err(problem);
            }
            op::request(
                state,
                Op::StopTask {
                    cluster: cluster.clone(),
                    task: task.clone(),
                    reason: reason.to_string(),
                },
                None,
            );
            Ok(())
        }
    }
}
