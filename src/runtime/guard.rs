//! Runs confirmed mutating operations, and looks up who makes them.
//!
//! A confirmed [`Op`] goes: check the resource (it still exists, it still is what the user saw)
//! → journal the intent (who, what, the state before) and fsync → send → journal the result.
//! Nothing is sent when the check fails or the journal cannot be written.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::{Mutex, mpsc};

use crate::app::Msg;
use crate::app::guard::op::Op;
use crate::app::journal::entry::{Intent, JOURNAL_VERSION, JournalRecord, OpOutcome, format_time};
use crate::backend::AwsClients;
use crate::backend::asg::AwsAsg;
use crate::backend::ecs::ops::{AwsOps, SendFailed, Sent};
use crate::backend::error::BackendError;
use crate::domain::status::TaskStatus;
use crate::runtime::aws::AwsHandle;
use crate::runtime::journal::{Journal, new_id};
use crate::runtime::now_epoch;

/// The caller identity (ARN, account), asked of STS once per connection.
#[derive(Debug, Default)]
pub struct IdentityCache {
    known: Mutex<Option<(String, String)>>,
}

impl IdentityCache {
    /// The caller ARN and account; `None` when STS cannot say (retried next time).
    pub async fn get(&self, ops: &AwsOps) -> Option<(String, String)> {
        let mut known = self.known.lock().await;
        if known.is_none() {
            match ops.caller_identity().await {
                Ok(identity) if !identity.0.is_empty() => *known = Some(identity),
                Ok(_) => {}
                Err(e) => tracing::info!("caller identity unknown: {e}"),
            }
        }
        known.clone()
    }
}

/// What runs operations: the journal and who the user is.
#[derive(Debug, Clone)]
pub struct OpsRunner {
    pub journal: Arc<Journal>,
    pub identity: Arc<IdentityCache>,
    /// `$USER`, for Docker operations' journal lines.
    pub local_user: String,
}

impl OpsRunner {
    pub fn new(journal_path: PathBuf, local_user: impl Into<String>) -> OpsRunner {
        OpsRunner {
            journal: Arc::new(Journal::new(journal_path)),
            identity: Arc::new(IdentityCache::default()),
            local_user: local_user.into(),
        }
    }

    /// Look up the caller identity in a task; it comes back as `Msg::IdentityResolved`.
    pub fn resolve_identity(&self, aws: &AwsHandle, tx: mpsc::Sender<Msg>) {
        let runner = self.clone();
        let handle = aws.clone();
        tokio::spawn(async move {
            let result = match &handle.clients().await {
                Ok(c) => runner
                    .identity
                    .get(&AwsOps::from_clients(c))
                    .await
                    .map(|(arn, _)| arn)
                    .ok_or_else(|| "the caller identity is unknown".to_string()),
                Err(e) => Err(e.clone()),
            };
            let _ = tx.send(Msg::IdentityResolved(result)).await;
        });
    }
}

/// Run `op` (which undoes the journal entry `undoes`, if given) in a task; the result
/// comes back as `Msg::OpFinished`.
pub fn spawn_op(
    backends: &crate::runtime::Backends,
    op: Op,
    undoes: Option<String>,
    tx: mpsc::Sender<Msg>,
) {
    let docker = backends.docker.clone();
    let aws = backends.aws.clone();
    let runner = backends.ops.clone();
    tokio::spawn(async move {
        let result = if op.is_docker() {
            run_docker_op(&runner, &docker, &op, undoes).await
        } else {
            match aws.clients().await {
                Ok(clients) => run_aws_change(&runner, &clients, &op, undoes).await,
                Err(e) => Err(format!("{e}: nothing was sent")),
            }
        };
        let _ = tx
            .send(Msg::OpFinished {
                op: Box::new(op),
                result,
            })
            .await;
    });
}

async fn run_docker_op(
    runner: &OpsRunner,
    docker: &crate::runtime::DockerHandle,
    op: &Op,
    undoes: Option<String>,
) -> Result<String, String> {
    let intent = Intent {
        v: JOURNAL_VERSION,
        id: new_id(),
        time: format_time(now_epoch()),
        who: format!("local:{}", runner.local_user),
        profile: String::new(),
        region: String::new(),
        account: None,
        op: op.clone(),
        before: BTreeMap::from([("engine".to_string(), json!(docker.engine_label()))]),
        undoes,
    };
    let id = intent.id.clone();
    write(runner, JournalRecord::Intent(intent)).await?;
    let result = docker.run_op(op).await;
    let outcome = match &result {
        Ok(summary) => Ok(Sent {
            summary: summary.clone(),
            request_id: None,
        }),
        Err(e) => Err(SendFailed {
            error: BackendError::Other(e.clone()),
            request_id: None,
        }),
    };
    finish(runner, id, outcome).await
}

/// Check, journal, send and journal again one AWS operation against `clients`.
/// The `Ok` text says what is true now; the `Err` text is one line for the user.
pub async fn run_aws_op(
    runner: &OpsRunner,
    clients: &AwsClients,
    op: &Op,
) -> Result<String, String> {
    run_aws_change(runner, clients, op, None).await
}

/// [`run_aws_op`] for a change that undoes the journal entry `undoes`, if given.
pub async fn run_aws_change(
    runner: &OpsRunner,
    clients: &AwsClients,
    op: &Op,
    undoes: Option<String>,
) -> Result<String, String> {
    let ops = AwsOps::from_clients(clients);
    let asg = AwsAsg::from_clients(clients);
    let before = preflight(&ops, &asg, op).await?;
    let identity = runner.identity.get(&ops).await;
    let (who, account) = match identity {
        Some((arn, account)) => (arn, Some(account)),
        None => (format!("profile:{}", clients.profile), None),
    };
    let intent = Intent {
        v: JOURNAL_VERSION,
        id: new_id(),
        time: format_time(now_epoch()),
        who,
        profile: clients.profile.clone(),
        region: clients.region.clone(),
        account,
        op: op.clone(),
        before,
        undoes,
    };
    let id = intent.id.clone();
    write(runner, JournalRecord::Intent(intent)).await?;
    let outcome = send(&ops, &asg, op).await;
    finish(runner, id, outcome).await
}

/// Append a record; a journal that cannot be written stops the operation.
async fn write(runner: &OpsRunner, record: JournalRecord) -> Result<(), String> {
    let journal = runner.journal.clone();
    let path = journal.path().display().to_string();
    let written = tokio::task::spawn_blocking(move || journal.append(&record)).await;
    match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => {
            tracing::error!("journal {path} not written: {e}");
            Err(format!(
                "cannot write the audit journal {path}: {e} — nothing was sent"
            ))
        }
        Err(e) => Err(format!(
            "cannot write the audit journal {path}: {e} — nothing was sent"
        )),
    }
}

/// Journal the outcome and turn it into the user's line.
async fn finish(
    runner: &OpsRunner,
    id: String,
    outcome: Result<Sent, SendFailed>,
) -> Result<String, String> {
    let (record, result) = match outcome {
        Ok(sent) => (
            OpOutcome {
                v: JOURNAL_VERSION,
                id,
                time: format_time(now_epoch()),
                ok: true,
                summary: Some(sent.summary.clone()),
                request_id: sent.request_id,
                error: None,
            },
            Ok(sent.summary),
        ),
        Err(failed) => {
            let message = failed.error.user_message();
            (
                OpOutcome {
                    v: JOURNAL_VERSION,
                    id,
                    time: format_time(now_epoch()),
                    ok: false,
                    summary: None,
                    request_id: failed.request_id,
                    error: Some(message.clone()),
                },
                Err(message),
            )
        }
    };
    let journal = runner.journal.clone();
    let written =
        tokio::task::spawn_blocking(move || journal.append(&JournalRecord::Result(record))).await;
    let note = match written {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(e) => Some(e.to_string()),
    };
    match (result, note) {
        (result, None) => result,
        (Ok(summary), Some(e)) => Ok(format!(
            "{summary} (the journal did not record the result: {e})"
        )),
        (Err(message), Some(e)) => Err(format!(
            "{message} (the journal did not record the result: {e})"
        )),
    }
}

/// Read the resource just before the change: it must exist and be what the user saw.
/// Returns the state to journal as "before".
async fn preflight(ops: &AwsOps, asg: &AwsAsg, op: &Op) -> Result<BTreeMap<String, Value>, String> {
    let unchecked = |e: BackendError| match e {
        BackendError::NotFound { what } => format!("{what} no longer exists: nothing was sent"),
        other => format!(
            "cannot check {} before the change: {} — nothing was sent",
            op.title(),
            other.user_message()
        ),
    };
    match op {
        Op::SetDesired {
            cluster, service, ..
        }
        | Op::Redeploy { cluster, service }
        | Op::Rollback {
            cluster, service, ..
        } => {
            let state = ops
                .service_state(cluster, service.as_str())
                .await
                .map_err(unchecked)?;
            match op {
                Op::SetDesired { from, .. } if state.desired != *from => {
                    return Err(format!(
                        "{cluster}/{service} has desired {} now, not {from} as shown: nothing was sent (refresh and retry)",
                        state.desired
                    ));
                }
                Op::Rollback { from, .. } if state.task_definition != *from => {
                    return Err(format!(
                        "{cluster}/{service} runs {} now, not {from}: nothing was sent (refresh and retry)",
                        state.task_definition
                    ));
                }
                _ => {}
            }
            Ok(BTreeMap::from([
                ("desired".to_string(), json!(state.desired)),
                ("running".to_string(), json!(state.running)),
                ("pending".to_string(), json!(state.pending)),
                ("task_definition".to_string(), json!(state.task_definition)),
                ("deployments".to_string(), json!(state.deployments)),
            ]))
        }
        Op::StopTask { cluster, task, .. } => {
            let state = ops
                .task_state(cluster, task.as_str())
                .await
                .map_err(unchecked)?;
            if state.last_status == TaskStatus::Stopped {
                return Err(format!(
                    "task {} has already stopped: nothing was sent",
                    task.short_id()
                ));
            }
            Ok(BTreeMap::from([
                ("last_status".to_string(), json!(state.last_status.as_str())),
                (
                    "desired_status".to_string(),
                    json!(state.desired_status.as_str()),
                ),
                ("group".to_string(), json!(state.group)),
            ]))
        }
        Op::SetAsgCapacity { group, from, to } => {
            let row = asg.group(group).await.map_err(unchecked)?;
            if row.desired != *from {
                return Err(format!(
                    "group {group} has desired {} now, not {from} as shown: nothing was sent (refresh and retry)",
                    row.desired
                ));
            }
            // Auto Scaling checks this too; emulators don't.
            if *to > row.max || *to < row.min {
                return Err(format!(
                    "{to} is outside group {group}'s size {}..{}: nothing was sent",
                    row.min, row.max
                ));
            }
            Ok(BTreeMap::from([
                ("min".to_string(), json!(row.min)),
                ("desired".to_string(), json!(row.desired)),
                ("max".to_string(), json!(row.max)),
                ("in_service".to_string(), json!(row.in_service)),
            ]))
        }
        other => Err(format!(
            "{} is not an AWS operation: nothing was sent",
            other.title()
        )),
    }
}

async fn send(ops: &AwsOps, asg: &AwsAsg, op: &Op) -> Result<Sent, SendFailed> {
    match op {
        Op::SetDesired {
            cluster,
            service,
            to,
            ..
        } => ops.set_desired(cluster, service.as_str(), *to).await,
        Op::Redeploy { cluster, service } => {
            ops.force_new_deployment(cluster, service.as_str()).await
        }
        Op::Rollback {
            cluster,
            service,
            to,
            ..
        } => ops.set_task_definition(cluster, service.as_str(), to).await,
        Op::StopTask {
            cluster,
            task,
            reason,
        } => ops.stop_task(cluster, task.as_str(), reason).await,
        Op::SetAsgCapacity { group, to, .. } => asg.set_desired(group, *to).await,
        other => Err(SendFailed {
            error: BackendError::Other(format!("{} is not an AWS operation", other.title())),
            request_id: None,
        }),
    }
}
