//! The ECS browsing views: clusters → services → tasks → containers. Their fetches, what
//! `enter` opens, and the `:services` and `:tasks` commands.

use crate::app::Action;
use crate::app::core::columns::beside_pane;
use crate::app::core::command::Command;
use crate::app::core::nav::{fetch_visible, flash, jump};
use crate::app::core::state::AppState;
use crate::app::core::table::{TableOps, Tone};
use crate::app::core::view::View;
use crate::app::guard::ecs_ops;
use crate::domain::ids::{ClusterName, ServiceName};

pub fn fetch_clusters(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::FetchClusters { generation }]
}

pub fn fetch_services(state: &mut AppState, generation: u64) -> Vec<Command> {
    let View::Services { cluster } = state.view().clone() else {
        return Vec::new();
    };
    vec![Command::FetchServices {
        generation,
        cluster,
    }]
}

pub fn fetch_tasks(state: &mut AppState, generation: u64) -> Vec<Command> {
    let View::Tasks { cluster, service } = state.view().clone() else {
        return Vec::new();
    };
    vec![Command::FetchTasks {
        generation,
        cluster,
        service,
        include_stopped: state.include_stopped,
    }]
}

pub fn fetch_task(state: &mut AppState, generation: u64) -> Vec<Command> {
    let View::Containers { cluster, task } = state.view().clone() else {
        return Vec::new();
    };
    vec![Command::FetchTask {
        generation,
        cluster,
        task,
    }]
}

pub fn clusters_table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.clusters)
}
pub fn services_table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.services)
}
pub fn tasks_table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.tasks)
}
pub fn containers_table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.containers)
}

pub fn clusters_filter(state: &AppState) -> &str {
    &state.clusters.filter.text
}
pub fn services_filter(state: &AppState) -> &str {
    &state.services.filter.text
}
pub fn tasks_filter(state: &AppState) -> &str {
    &state.tasks.filter.text
}
pub fn containers_filter(state: &AppState) -> &str {
    &state.containers.filter.text
}

pub fn reset_services(state: &mut AppState) {
    state.services.reset();
}
pub fn reset_tasks(state: &mut AppState) {
    state.tasks.reset();
}
pub fn reset_containers(state: &mut AppState) {
    state.containers.reset();
    state.task = None;
}

/// After a `:` jump the services kept may be another cluster's.
pub fn services_stale(state: &AppState) -> bool {
    let View::Services { cluster } = state.view() else {
        return false;
    };
    state
        .services
        .rows()
        .first()
        .is_some_and(|s| &s.cluster != cluster)
}

/// After a `:` jump the tasks kept may be another cluster's.
pub fn tasks_stale(state: &AppState) -> bool {
    let View::Tasks { cluster, .. } = state.view() else {
        return false;
    };
    state
        .tasks
        .rows()
        .first()
        .is_some_and(|t| &t.cluster != cluster)
}

/// `enter` on a cluster: its services.
pub fn on_clusters_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if action != Action::Enter {
        return None;
    }
    let cluster = state.clusters.selected_row()?.name.clone();
    Some(crate::app::core::nav::enter(
        state,
        View::Services { cluster },
    ))
}

/// `enter` on a service: its tasks; `d`: its detail; the service operations.
pub fn on_services_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let View::Services { cluster } = state.view().clone() else {
        return None;
    };
    match action {
        Action::Enter => {
            let service = state.services.selected_row()?.name.clone();
            Some(crate::app::core::nav::enter(
                state,
                View::Tasks {
                    cluster,
                    service: Some(service),
                },
            ))
        }
        Action::ToggleDetail => {
            let service = state.services.selected_row()?.name.clone();
            Some(crate::app::core::nav::enter(
                state,
                View::ServiceDetail { cluster, service },
            ))
        }
        _ => {
            let row = state.services.selected_row().cloned();
            ecs_ops::service_action(state, action, &cluster, row)
        }
    }
}

/// `enter` on a task: its containers; `a`: stopped tasks too; `ctrl-k`: stop it.
pub fn on_tasks_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let View::Tasks { cluster, .. } = state.view().clone() else {
        return None;
    };
    match action {
        Action::Enter => {
            let task = state.tasks.selected_row()?.arn.clone();
            Some(crate::app::core::nav::enter(
                state,
                View::Containers { cluster, task },
            ))
        }
        Action::StopTask => {
            let task = state.tasks.selected_row().cloned();
            Some(ecs_ops::stop_task(state, &cluster, task))
        }
        Action::ToggleAll => {
            state.include_stopped = !state.include_stopped;
            let which = if state.include_stopped {
                "showing stopped tasks too"
            } else {
                "showing running tasks"
            };
            flash(state, which, Tone::Normal);
            Some(fetch_visible(state))
        }
        _ => None,
    }
}

/// `enter` on a container shows or hides its detail pane.
pub fn on_containers_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if action != Action::Enter {
        return None;
    }
    state.show_detail = !state.show_detail;
    Some(Vec::new())
}

/// `:clusters`.
pub fn open_clusters(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    crate::app::core::nav::jump(state, Vec::new())
}

/// `:services [CLUSTER]`.
pub fn open_services(state: &mut AppState, args: &[&str]) -> Vec<Command> {
    let Some(cluster) = args
        .first()
        .map(|c| ClusterName::from(*c))
        .or_else(|| current_cluster(state))
    else {
        flash(state, "which cluster? type :services CLUSTER", Tone::Error);
        return Vec::new();
    };
    jump(state, vec![View::Services { cluster }])
}

/// `:tasks [CLUSTER] [SERVICE]`.
pub fn open_tasks(state: &mut AppState, args: &[&str]) -> Vec<Command> {
    let cluster = args.first().map(|c| ClusterName::from(*c));
    let service = args.get(1).map(|s| ServiceName::from(*s));
    let (cluster, service) = match cluster {
        Some(c) => (c, service),
        None => match current_cluster(state) {
            Some(c) => (c, current_service(state)),
            None => {
                flash(
                    state,
                    "which cluster? type :tasks CLUSTER [SERVICE]",
                    Tone::Error,
                );
                return Vec::new();
            }
        },
    };
    jump(
        state,
        vec![
            View::Services {
                cluster: cluster.clone(),
            },
            View::Tasks { cluster, service },
        ],
    )
}

/// The cluster the user is in, or the one selected on the clusters view.
fn current_cluster(state: &AppState) -> Option<ClusterName> {
    if *state.view() == View::Clusters {
        return state.clusters.selected_row().map(|c| c.name.clone());
    }
    state.view().cluster().cloned()
}

fn current_service(state: &AppState) -> Option<ServiceName> {
    match state.view() {
        View::Tasks { service, .. } => service.clone(),
        View::Clusters
        | View::ServiceDetail { .. }
        | View::Services { .. }
        | View::Containers { .. }
        | View::Docker
        | View::Logs { .. }
        | View::Hosts
        | View::Asgs
        | View::Journal
        | View::LogGroups
        | View::Images
        | View::Describe { .. } => None,
    }
}

/// From this width a task's containers and the detail pane sit side by side.
pub const CONTAINERS_BESIDE_FROM: u16 = 120;
/// The containers table's share of the width then, in percent.
pub const CONTAINERS_PERCENT: u16 = 50;

/// The containers table's width beside the detail pane; `None` when it is not beside one
/// (or the containers are not on screen).
pub fn containers_list_width(state: &AppState) -> Option<u16> {
    let width = state.screen.0;
    let beside = matches!(state.view(), View::Containers { .. })
        && state.show_detail
        && width >= CONTAINERS_BESIDE_FROM;
    beside.then(|| beside_pane(width, CONTAINERS_PERCENT))
}
