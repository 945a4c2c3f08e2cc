//! The service detail view (`View::ServiceDetail`): deployments, progress, events and stopped
//! tasks of one service, and the watch that reports when a rollout completes or fails.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load::{Slot, Stored, fail_into, store};
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{back, enter, flash};
use crate::app::core::state::AppState;
use crate::app::core::table::{Load, Tone};
use crate::app::core::view::View;
use crate::app::guard::ecs_ops;
use crate::domain::ids::{ClusterName, ServiceName};
use crate::domain::logs::LogSource;
use crate::domain::service::{RollbackPlan, ServiceDetail};
use crate::domain::status::RolloutState;

/// State of the service detail view.
#[derive(Debug, Clone, Default)]
pub struct DetailState {
    /// The last detail fetched (of the service on screen, or of the one before).
    pub data: Option<ServiceDetail>,
    pub load: Load,
    /// Epoch seconds of the fetch, for ages.
    pub now: i64,
    /// Events scrolled past (0: the newest event is at the top).
    pub events_scroll: usize,
}

impl DetailState {
    /// The detail of `cluster/service`, if that is what was fetched last.
    pub fn of(&self, cluster: &str, service: &str) -> Option<&ServiceDetail> {
        self.data
            .as_ref()
            .filter(|d| d.service.cluster.as_str() == cluster && d.service.name.as_str() == service)
    }
}

/// State of the service side: the detail view, the watched rollout, a rollback being prepared.
#[derive(Debug, Clone, Default)]
pub struct ServiceState {
    pub detail: DetailState,
    /// The change whose rollout is being watched.
    pub watch: Option<Watch>,
    /// The service whose rollback is being prepared (cluster, service).
    pub rollback_pending: Option<(String, String)>,
}

/// What happened on the service side.
#[derive(Debug, Clone, PartialEq)]
pub enum ServiceMsg {
    DetailLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Box<ServiceDetail>>,
    },
    /// Both task definitions of a rollback were read.
    RollbackPrepared {
        cluster: String,
        service: String,
        result: Result<RollbackPlan, String>,
    },
}

/// Service side effects (changes are the guard's, through `RunOp`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceCommand {
    /// Describe one service; answered with `ServiceMsg::DetailLoaded`.
    FetchDetail {
        generation: u64,
        cluster: ClusterName,
        service: ServiceName,
    },
    /// Read the service's task definition and the previous revision, with their images;
    /// answered with `ServiceMsg::RollbackPrepared`.
    PrepareRollback {
        cluster: ClusterName,
        service: ServiceName,
    },
}

/// Apply a service message.
pub fn update(state: &mut AppState, msg: ServiceMsg) -> Vec<Command> {
    match msg {
        ServiceMsg::DetailLoaded {
            generation,
            now,
            result,
        } => loaded(state, generation, now, result),
        ServiceMsg::RollbackPrepared {
            cluster,
            service,
            result,
        } => {
            state.dirty = true;
            if state.service.rollback_pending != Some((cluster.clone(), service.clone())) {
                return Vec::new();
            }
            state.service.rollback_pending = None;
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
    }
    Vec::new()
}

/// What a watch waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchKind {
    /// A desired count change: done when `to` tasks run.
    Scale { to: i32 },
    /// A new deployment (redeploy, rollback): done when it is the only one and completed.
    Deploy,
}

/// A change being watched until its rollout completes or fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watch {
    pub cluster: String,
    pub service: String,
    pub kind: WatchKind,
}

/// Where a watched rollout stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchStatus {
    Pending,
    Completed(String),
    Failed(String),
}

/// Judge a watch from a fresh detail of its service.
pub fn watch_status(watch: &Watch, detail: &ServiceDetail) -> WatchStatus {
    let name = format!("{}/{}", watch.cluster, watch.service);
    let svc = &detail.service;
    let primary = detail.primary();
    if let Some(p) = primary.filter(|p| p.rollout_state == RolloutState::Failed) {
        let reason = if p.rollout_reason.is_empty() {
            "see the service events".to_string()
        } else {
            p.rollout_reason.clone()
        };
        return WatchStatus::Failed(format!("rollout of {name} failed: {reason}"));
    }
    let single = detail.deployments.len() <= 1;
    let settled = single && svc.pending == 0 && svc.running == svc.desired;
    match watch.kind {
        WatchKind::Scale { to } if svc.desired != to => WatchStatus::Completed(format!(
            "{name}: desired is now {} (changed since)",
            svc.desired
        )),
        WatchKind::Scale { .. } if settled => WatchStatus::Completed(format!(
            "scaling of {name} completed: {}/{} running",
            svc.running, svc.desired
        )),
        WatchKind::Scale { .. } => WatchStatus::Pending,
        WatchKind::Deploy => {
            let none = RolloutState::default();
            let state = primary.map(|p| &p.rollout_state).unwrap_or(&none);
            let done = match state {
                RolloutState::Completed => single,
                RolloutState::Unknown(text) if text.is_empty() => settled,
                _ => false,
            };
            if done {
                WatchStatus::Completed(format!(
                    "rollout of {name} completed: {}/{} running",
                    svc.running, svc.desired
                ))
            } else {
                WatchStatus::Pending
            }
        }
    }
}

impl Slot<Box<ServiceDetail>> for DetailState {
    /// Equal data within the same minute (the event ages move once a minute) is no change.
    fn put(&mut self, detail: Box<ServiceDetail>, now: i64) -> bool {
        if self.load == Load::Loaded
            && self.data.as_ref() == Some(&*detail)
            && now / 60 == self.now / 60
        {
            return false;
        }
        let same = self
            .data
            .as_ref()
            .is_some_and(|d| d.service.arn == detail.service.arn);
        if !same {
            self.events_scroll = 0;
        }
        self.data = Some(*detail);
        self.load = Load::Loaded;
        self.now = now;
        true
    }

    fn fail(&mut self, message: String) -> bool {
        fail_into(&mut self.load, message)
    }
}

/// A detail fetch answered. The watch is judged on every answer, changed or not: it may have
/// started after the detail now shown was fetched.
fn loaded(state: &mut AppState, generation: u64, now: i64, result: Fetched<Box<ServiceDetail>>) {
    let ok = result.is_ok();
    let stored = store(state, generation, |s| &mut s.service.detail, result, now);
    if ok && stored != Stored::Stale {
        check_watch(state);
    }
}

/// Flash and forget the watch when its service's rollout is over.
fn check_watch(state: &mut AppState) {
    let (Some(watch), Some(detail)) = (&state.service.watch, &state.service.detail.data) else {
        return;
    };
    if detail.service.cluster.as_str() != watch.cluster
        || detail.service.name.as_str() != watch.service
    {
        return;
    }
    match watch_status(watch, detail) {
        WatchStatus::Pending => {}
        WatchStatus::Completed(text) => {
            state.service.watch = None;
            flash(state, &text, Tone::Ok);
            state.dirty = true;
        }
        WatchStatus::Failed(text) => {
            state.service.watch = None;
            flash(state, &text, Tone::Error);
            state.dirty = true;
        }
    }
}

/// The detail view was entered: it shows "loading" unless the detail kept is of its service.
pub fn reset(state: &mut AppState) {
    let View::ServiceDetail { cluster, service } = state.view().clone() else {
        return;
    };
    if state
        .service
        .detail
        .of(cluster.as_str(), service.as_str())
        .is_none()
    {
        state.service.detail.load = Load::Loading;
    }
}

/// Fetch the visible service's detail.
pub fn fetch(state: &mut AppState, generation: u64) -> Vec<Command> {
    let View::ServiceDetail { cluster, service } = state.view().clone() else {
        return Vec::new();
    };
    vec![Command::Service(ServiceCommand::FetchDetail {
        generation,
        cluster,
        service,
    })]
}

/// The copy keys on the detail: the service's name, or its ARN (`cluster/service` until the
/// detail has loaded).
pub fn copy(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let View::ServiceDetail { cluster, service } = state.view() else {
        return None;
    };
    let arn = state
        .service
        .detail
        .of(cluster.as_str(), service.as_str())
        .map(|d| d.service.arn.as_str())
        .unwrap_or_default();
    Some(match kind {
        CopyKind::Id => Copied::new("service name", service.as_str()),
        CopyKind::Full if !arn.is_empty() => Copied::new("service ARN", arn),
        CopyKind::Full => Copied::new("service", format!("{cluster}/{service}")),
    })
}

/// `y` describes the service on screen, `Y` the task definition it runs.
pub fn describe(
    state: &AppState,
    kind: crate::domain::describe::DescribeKind,
) -> Option<crate::domain::describe::DescribeTarget> {
    use crate::domain::describe::{DescribeKind, DescribeTarget};
    let View::ServiceDetail { cluster, service } = state.view() else {
        return None;
    };
    match kind {
        DescribeKind::Item => Some(DescribeTarget::Service {
            cluster: cluster.clone(),
            service: service.clone(),
        }),
        DescribeKind::TaskDefinition => {
            let detail = state
                .service
                .detail
                .of(cluster.as_str(), service.as_str())?;
            let arn = &detail.task_definition_arn;
            (!arn.is_empty()).then(|| DescribeTarget::TaskDefinition { arn: arn.clone() })
        }
    }
}

/// Keys on the service detail view: the service operations first, then its own keys.
pub fn on_detail_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let View::ServiceDetail { cluster, service } = state.view().clone() else {
        return None;
    };
    let row = state
        .service
        .detail
        .of(cluster.as_str(), service.as_str())
        .map(|d| d.service.clone())
        .or_else(|| {
            state
                .services
                .rows()
                .iter()
                .find(|s| s.cluster == cluster && s.name == service)
                .cloned()
        });
    match ecs_ops::service_action(state, action, &cluster, row) {
        Some(commands) => Some(commands),
        None => on_action(state, action, cluster.as_str(), service.as_str()),
    }
}

/// Keys on the service detail view that are not operations; `None` for the generic ones.
fn on_action(
    state: &mut AppState,
    action: Action,
    cluster: &str,
    service: &str,
) -> Option<Vec<Command>> {
    let events = state
        .service
        .detail
        .of(cluster, service)
        .map_or(0, |d| d.events.len());
    let scroll = &mut state.service.detail.events_scroll;
    let last = events.saturating_sub(1);
    match action {
        Action::Down => *scroll = (*scroll + 1).min(last),
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll = (*scroll + 10).min(last),
        Action::PageUp => *scroll = scroll.saturating_sub(10),
        Action::Top => *scroll = 0,
        Action::Bottom => *scroll = last,
        Action::ToggleDetail => return Some(back(state)),
        // The merged logs of the service's running tasks (the new ones after a rollout).
        Action::TailLogs => {
            let source = LogSource::EcsService {
                cluster: cluster.into(),
                service: service.into(),
            };
            return Some(enter(state, View::Logs { source }));
        }
        Action::Enter => {
            // The tasks of the service, as `enter` on the services view opens them.
            return Some(enter(
                state,
                View::Tasks {
                    cluster: cluster.into(),
                    service: Some(service.into()),
                },
            ));
        }
        _ => return None,
    }
    Some(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ecs::ServiceRow;
    use crate::domain::service::DeploymentRow;

    fn detail(desired: i32, running: i32, deployments: &[(&str, &str)]) -> ServiceDetail {
        ServiceDetail {
            service: ServiceRow {
                cluster: "c".into(),
                name: "web".into(),
                desired,
                running,
                ..Default::default()
            },
            deployments: deployments
                .iter()
                .map(|(status, rollout)| DeploymentRow {
                    status: status.to_string(),
                    rollout_state: (*rollout).into(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn watch(kind: WatchKind) -> Watch {
        Watch {
            cluster: "c".into(),
            service: "web".into(),
            kind,
        }
    }

    #[test]
    fn scaling_completes_when_the_tasks_run() {
        let w = watch(WatchKind::Scale { to: 4 });
        let pending = detail(4, 2, &[("PRIMARY", "COMPLETED")]);
        assert_eq!(watch_status(&w, &pending), WatchStatus::Pending);
        let done = detail(4, 4, &[("PRIMARY", "COMPLETED")]);
        assert_eq!(
            watch_status(&w, &done),
            WatchStatus::Completed("scaling of c/web completed: 4/4 running".into())
        );
    }

    #[test]
    fn deployments_complete_or_fail_with_the_primary() {
        let w = watch(WatchKind::Deploy);
        let rolling = detail(2, 2, &[("PRIMARY", "IN_PROGRESS"), ("ACTIVE", "COMPLETED")]);
        assert_eq!(watch_status(&w, &rolling), WatchStatus::Pending);
        let mut failed = rolling.clone();
        failed.deployments[0].rollout_state = "FAILED".into();
        failed.deployments[0].rollout_reason = "tasks failed to start".into();
        assert_eq!(
            watch_status(&w, &failed),
            WatchStatus::Failed("rollout of c/web failed: tasks failed to start".into())
        );
        let done = detail(2, 2, &[("PRIMARY", "COMPLETED")]);
        assert!(matches!(watch_status(&w, &done), WatchStatus::Completed(_)));
    }
}
