//! What the copy keys copy on the ECS views: `c` the name or id, `C` the ARN.

use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::state::AppState;
use crate::app::core::view::View;

/// A cluster: its name, or its ARN.
pub fn copy_cluster(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.clusters.selected_row()?;
    Some(match kind {
        CopyKind::Full if !row.arn.is_empty() => Copied::new("cluster ARN", row.arn.as_str()),
        _ => Copied::new("cluster name", row.name.as_str()),
    })
}

/// A service: its name, or its ARN (`cluster/service` when ECS gave none).
pub fn copy_service(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.services.selected_row()?;
    Some(service(
        kind,
        row.cluster.as_str(),
        row.name.as_str(),
        &row.arn,
    ))
}

/// What the copy keys copy for one service, on its row or its detail.
pub fn service(kind: CopyKind, cluster: &str, name: &str, arn: &str) -> Copied {
    match kind {
        CopyKind::Id => Copied::new("service name", name),
        CopyKind::Full if !arn.is_empty() => Copied::new("service ARN", arn),
        CopyKind::Full => Copied::new("service", format!("{cluster}/{name}")),
    }
}

/// A task: its id, or its ARN.
pub fn copy_task(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.tasks.selected_row()?;
    Some(match kind {
        CopyKind::Id => Copied::new("task id", row.arn.id()),
        CopyKind::Full => Copied::new("task ARN", row.arn.as_str()),
    })
}

/// A container of a task: its name, or its runtime (Docker) id when the agent reported one.
/// With no container selected, the task the view shows.
pub fn copy_container(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let Some(row) = state.containers.selected_row() else {
        let View::Containers { task, .. } = state.view() else {
            return None;
        };
        return Some(match kind {
            CopyKind::Id => Copied::new("task id", task.id()),
            CopyKind::Full => Copied::new("task ARN", task.as_str()),
        });
    };
    Some(match kind {
        CopyKind::Full if !row.runtime_id.is_empty() => {
            Copied::new("container runtime id", row.runtime_id.as_str())
        }
        _ => Copied::new("container name", row.name.as_str()),
    })
}
