//! ECS and Auto Scaling operations: scale, redeploy, roll back, stop; the ASG and journal views.
//!
//! Keys on the services, service detail and tasks views become [`Op`]s through
//! [`crate::app::guard::op::request`] (read-only refusal, confirmation); the desired count and the stop
//! reason are typed into a [`crate::app::guard::prompt::Prompt`] first (see [`crate::app::ecs::ops`]). A
//! confirmed operation comes back through [`finished`], which starts watching the rollout on
//! the service detail view.

use crate::app::core::command::Command;
use crate::app::core::load::{Slot, store, store_by};
use crate::app::core::msg::{Fetched, InputKey};
use crate::app::core::nav::{fetch_visible, flash};
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::{TableState, Tone};
use crate::app::core::view::View;
use crate::app::ecs::ops as ecs_ops;
use crate::app::guard::op::Op;
use crate::app::guard::prompt::PromptPurpose;
use crate::app::journal::entry::{JournalEntry, JournalLoad, local_time_text};
use crate::app::service;
use crate::app::service::{DetailState, Watch, WatchKind};
use crate::domain::ids::{ClusterName, ServiceName};
use crate::domain::service::{AsgRow, RollbackPlan, ServiceDetail};

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

/// State of the operations views (`:asgs`, `:journal`, the service detail).
#[derive(Debug, Clone, Default)]
pub struct OpsState {
    pub settings: OpsSettings,
    pub detail: DetailState,
    /// The change whose rollout is being watched.
    pub watch: Option<Watch>,
    pub asgs: TableState<AsgRow>,
    pub journal: TableState<JournalEntry>,
    /// Lines of the journal file that could not be read.
    pub journal_bad_lines: usize,
    pub identity: Identity,
    /// The service whose rollback is being prepared.
    pub rollback_pending: Option<(String, String)>,
}

/// What happened on the operations side.
#[derive(Debug, Clone, PartialEq)]
pub enum OpsMsg {
    DetailLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Box<ServiceDetail>>,
    },
    AsgsLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<AsgRow>>,
    },
    JournalLoaded {
        generation: u64,
        now: i64,
        result: Fetched<JournalLoad>,
    },
    /// Both task definitions of a rollback were read.
    RollbackPrepared {
        cluster: String,
        service: String,
        result: Result<RollbackPlan, String>,
    },
    /// The caller identity ARN, or why it is unknown.
    IdentityResolved(Result<String, String>),
}

/// Operations side effects other than `RunOp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpsCommand {
    FetchServiceDetail {
        generation: u64,
        cluster: ClusterName,
        service: ServiceName,
    },
    FetchAsgs {
        generation: u64,
    },
    FetchJournal {
        generation: u64,
    },
    /// Read the service's task definition and the previous revision, with their images.
    PrepareRollback {
        cluster: ClusterName,
        service: ServiceName,
    },
    /// Look up the caller identity (STS `GetCallerIdentity`).
    ResolveIdentity,
}

/// Apply an operations message.
pub fn update(state: &mut AppState, msg: OpsMsg) -> Vec<Command> {
    match msg {
        OpsMsg::DetailLoaded {
            generation,
            now,
            result,
        } => service::loaded(state, generation, now, result),
        OpsMsg::AsgsLoaded {
            generation,
            now,
            result,
        } => {
            store(state, generation, |s| &mut s.ops.asgs, result, now);
        }
        OpsMsg::JournalLoaded {
            generation,
            now,
            result,
        } => {
            store_by(state, generation, result, now, put_journal, |s, message| {
                s.ops.journal.fail(message)
            });
        }
        OpsMsg::RollbackPrepared {
            cluster,
            service,
            result,
        } => {
            state.dirty = true;
            if state.ops.rollback_pending != Some((cluster.clone(), service.clone())) {
                return Vec::new();
            }
            state.ops.rollback_pending = None;
            state.flash = None;
            match result {
                Ok(plan) => ecs_ops::request_rollback(state, plan),
                Err(message) => flash(
                    state,
                    &format!("cannot roll back {cluster}/{service}: {message}"),
                    Tone::Error,
                ),
            }
        }
        OpsMsg::IdentityResolved(result) => {
            let old_default = ecs_ops::default_reason(state);
            state.ops.identity = match result {
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
        }
    }
    Vec::new()
}

/// A read journal: its entries with their local times, and the count of unreadable lines.
/// The times come from the entries alone, so an unchanged file shows no change.
fn put_journal(state: &mut AppState, load: JournalLoad, now: i64) -> bool {
    let offset = state.settings.utc_offset_secs;
    let mut entries = load.entries;
    for entry in &mut entries {
        entry.time_text = entry
            .at
            .map(|at| local_time_text(at, offset))
            .unwrap_or_default();
    }
    let bad_changed = state.ops.journal_bad_lines != load.bad_lines;
    state.ops.journal_bad_lines = load.bad_lines;
    let rows_changed = state.ops.journal.set_rows(entries, now);
    bad_changed || rows_changed
}

/// A `RunOp` finished.
pub fn finished(state: &mut AppState, op: Op, result: Result<String, String>) -> Vec<Command> {
    state.dirty = true;
    let summary = match result {
        Ok(summary) => summary,
        Err(message) => {
            flash(
                state,
                &format!("failed: {} — {message}", op.title()),
                Tone::Error,
            );
            return refresh_after(state);
        }
    };
    let watch = match &op {
        Op::SetDesired {
            cluster,
            service,
            to,
            ..
        } => {
            set_service_desired(state, cluster.as_str(), service.as_str(), *to);
            Some((cluster, service, WatchKind::Scale { to: *to }))
        }
        Op::Redeploy { cluster, service }
        | Op::Rollback {
            cluster, service, ..
        } => Some((cluster, service, WatchKind::Deploy)),
        Op::SetAsgCapacity { group, to, .. } => {
            set_group_desired(state, group, *to);
            None
        }
        _ => None,
    };
    let Some((cluster, service, kind)) = watch else {
        flash(
            state,
            &format!("done: {} — {summary}", op.title()),
            Tone::Ok,
        );
        return refresh_after(state);
    };
    state.ops.watch = Some(Watch {
        cluster: cluster.to_string(),
        service: service.to_string(),
        kind,
    });
    let text = format!("done: {} — {summary}; watching the rollout", op.title());
    let open = matches!(state.view(), View::Services { cluster: c } if c == cluster);
    let commands = if open {
        service::open_detail(state, cluster.as_str().into(), service.as_str().into())
    } else {
        refresh_after(state)
    };
    flash(state, &text, Tone::Ok);
    commands
}

/// Refresh the visible view unless a fetch for it is already on its way.
fn refresh_after(state: &mut AppState) -> Vec<Command> {
    fetch_visible(state)
}

/// Show the new desired count at once; the next refresh confirms it.
fn set_service_desired(state: &mut AppState, cluster: &str, service: &str, to: i32) {
    let mut rows = state.services.rows().to_vec();
    let mut changed = false;
    for row in rows
        .iter_mut()
        .filter(|r| r.cluster.as_str() == cluster && r.name.as_str() == service)
    {
        row.desired = to;
        changed = true;
    }
    if changed {
        let now = state.services.now();
        state.services.set_rows(rows, now);
    }
    if let Some(detail) = &mut state.ops.detail.data
        && detail.service.cluster.as_str() == cluster
        && detail.service.name.as_str() == service
    {
        detail.service.desired = to;
    }
}

fn set_group_desired(state: &mut AppState, group: &str, to: i32) {
    let mut rows = state.ops.asgs.rows().to_vec();
    if let Some(row) = rows.iter_mut().find(|r| r.name == group) {
        row.desired = to;
        let now = state.ops.asgs.now();
        state.ops.asgs.set_rows(rows, now);
    }
}

/// Keys typed into an ops prompt (the desired-count prompt); `None` when no such prompt is open.
pub fn on_prompt_input(state: &mut AppState, key: InputKey) -> Option<Vec<Command>> {
    let Mode::Prompt(prompt) = &mut state.mode else {
        return None;
    };
    state.dirty = true;
    match key {
        InputKey::Char(c) => prompt.input.push(c),
        InputKey::Backspace => {
            prompt.input.pop();
        }
        InputKey::Clear => prompt.input.clear(),
        InputKey::Cancel => {
            state.mode = Mode::Normal;
            flash(state, "cancelled: nothing was sent", Tone::Muted);
        }
        InputKey::Submit => {
            let Mode::Prompt(prompt) = std::mem::take(&mut state.mode) else {
                return Some(Vec::new());
            };
            if let Err(message) = ecs_ops::submit(state, &prompt) {
                // Keep the prompt open so the input can be fixed.
                state.mode = Mode::Prompt(prompt);
                flash(state, &message, Tone::Error);
            }
        }
    }
    Some(Vec::new())
}
