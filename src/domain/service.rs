//! Plain data of the service detail view: one service's deployments, events and stopped
//! tasks, and the images of a task definition.

use crate::domain::ecs::ServiceRow;
use crate::domain::ids::{ClusterName, ServiceName};
use crate::domain::status::RolloutState;

/// One deployment of an ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeploymentRow {
    pub id: String,
    /// `PRIMARY`, `ACTIVE` or `INACTIVE`.
    pub status: String,
    /// Empty when ECS reports none.
    pub rollout_state: RolloutState,
    pub rollout_reason: String,
    /// `family:revision`.
    pub task_definition: String,
    pub desired: i32,
    pub pending: i32,
    pub running: i32,
    pub failed: i32,
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

impl DeploymentRow {
    pub fn is_primary(&self) -> bool {
        self.status == "PRIMARY"
    }
}

/// One service event (`(service web) has reached a steady state.`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceEventRow {
    pub id: String,
    /// Seconds since the Unix epoch.
    pub at: Option<i64>,
    pub message: String,
}

/// A stopped task of a service and why it stopped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoppedTaskRow {
    pub arn: String,
    /// `family:revision`.
    pub task_definition: String,
    pub stopped_at: Option<i64>,
    pub stop_code: String,
    pub reason: String,
    /// Per container: `app exit 1 (OutOfMemoryError)`.
    pub containers: Vec<String>,
}

impl StoppedTaskRow {
    /// The first 8 characters of the task id.
    pub fn short_id(&self) -> &str {
        let id = crate::domain::ids::name_from_arn(&self.arn);
        match id.char_indices().nth(8) {
            Some((i, _)) => &id[..i],
            None => id,
        }
    }
}

/// Everything the service detail view shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceDetail {
    pub service: ServiceRow,
    /// The full task definition ARN the service runs.
    pub task_definition_arn: String,
    /// PRIMARY first, then the others as ECS lists them.
    pub deployments: Vec<DeploymentRow>,
    /// Newest first.
    pub events: Vec<ServiceEventRow>,
    /// Most recently stopped first.
    pub stopped: Vec<StoppedTaskRow>,
}

impl ServiceDetail {
    /// The PRIMARY deployment, if ECS reported one.
    pub fn primary(&self) -> Option<&DeploymentRow> {
        self.deployments.iter().find(|d| d.is_primary())
    }

    /// Tasks running and wanted for the gauge: the primary deployment's counts while several
    /// deployments run, else the service's own (they agree on AWS; emulators freeze the
    /// deployment counts).
    pub fn progress(&self) -> (i32, i32) {
        match self.primary() {
            Some(p) if self.deployments.len() > 1 => (p.running, p.desired),
            _ => (self.service.running, self.service.desired),
        }
    }
}

/// A task definition revision and the images of its containers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskDefinitionImages {
    pub arn: String,
    /// `family:revision`.
    pub family_revision: String,
    /// `(container, image)` in definition order.
    pub images: Vec<(String, String)>,
}

impl TaskDefinitionImages {
    /// `app=acme/web:2.1, log=fluent-bit:3`.
    pub fn images_text(&self) -> String {
        if self.images.is_empty() {
            return "(no containers)".to_string();
        }
        self.images
            .iter()
            .map(|(name, image)| format!("{name}={image}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a rollback would do: the revision running now and the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RollbackPlan {
    pub cluster: ClusterName,
    pub service: ServiceName,
    pub current: TaskDefinitionImages,
    pub previous: TaskDefinitionImages,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_text_lists_each_container() {
        let td = TaskDefinitionImages {
            images: vec![
                ("app".into(), "acme/web:2".into()),
                ("log".into(), "fluent:3".into()),
            ],
            ..Default::default()
        };
        assert_eq!(td.images_text(), "app=acme/web:2, log=fluent:3");
        assert_eq!(
            TaskDefinitionImages::default().images_text(),
            "(no containers)"
        );
    }

    #[test]
    fn progress_uses_the_primary_while_two_deployments_run() {
        let mut detail = ServiceDetail {
            service: ServiceRow {
                desired: 4,
                running: 4,
                ..Default::default()
            },
            deployments: vec![DeploymentRow {
                status: "PRIMARY".into(),
                desired: 4,
                running: 0,
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(detail.progress(), (4, 4));
        detail.deployments.push(DeploymentRow {
            status: "ACTIVE".into(),
            ..Default::default()
        });
        assert_eq!(detail.progress(), (0, 4));
    }
}
