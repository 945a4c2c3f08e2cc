//! What `y` (describe) and `Y` (its task definition) open on the ECS views.

use crate::app::core::state::AppState;
use crate::app::core::view::View;
use crate::domain::describe::{DescribeKind, DescribeTarget};

/// A cluster; it has no task definition.
pub fn describe_cluster(state: &AppState, kind: DescribeKind) -> Option<DescribeTarget> {
    let row = state.clusters.selected_row()?;
    match kind {
        DescribeKind::Item => Some(DescribeTarget::Cluster {
            cluster: row.name.clone(),
        }),
        DescribeKind::TaskDefinition => None,
    }
}

/// A service, or the task definition it runs.
pub fn describe_service(state: &AppState, kind: DescribeKind) -> Option<DescribeTarget> {
    let row = state.services.selected_row()?;
    Some(match kind {
        DescribeKind::Item => DescribeTarget::Service {
            cluster: row.cluster.clone(),
            service: row.name.clone(),
        },
        DescribeKind::TaskDefinition => task_definition(&row.task_definition)?,
    })
}

/// A task, or the task definition it was started from.
pub fn describe_task(state: &AppState, kind: DescribeKind) -> Option<DescribeTarget> {
    let row = state.tasks.selected_row()?;
    Some(match kind {
        DescribeKind::Item => DescribeTarget::Task {
            cluster: row.cluster.clone(),
            task: row.arn.clone(),
        },
        DescribeKind::TaskDefinition => task_definition(&row.task_definition)?,
    })
}

/// A container of the task on screen (the task itself when none is selected), or the task's
/// task definition.
pub fn describe_container(state: &AppState, kind: DescribeKind) -> Option<DescribeTarget> {
    let View::Containers { cluster, task } = state.view() else {
        return None;
    };
    if kind == DescribeKind::TaskDefinition {
        let arn = state.task.as_ref().map(|t| t.task_definition.as_str());
        return task_definition(arn.unwrap_or_default());
    }
    Some(match state.containers.selected_row() {
        Some(row) => DescribeTarget::Container {
            cluster: cluster.clone(),
            task: task.clone(),
            container: row.name.clone(),
        },
        None => DescribeTarget::Task {
            cluster: cluster.clone(),
            task: task.clone(),
        },
    })
}

/// The task definition `arn` (none when ECS did not say which).
pub fn task_definition(arn: &str) -> Option<DescribeTarget> {
    (!arn.is_empty()).then(|| DescribeTarget::TaskDefinition {
        arn: arn.to_string(),
    })
}
