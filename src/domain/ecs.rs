//! ECS rows: what the clusters, services, tasks and containers views show.

use crate::domain::ids::{ClusterName, ServiceName, TaskArn};
use crate::domain::status::{ClusterStatus, HealthStatus, RolloutState, ServiceStatus, TaskStatus};

/// One ECS cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterRow {
    pub name: ClusterName,
    pub arn: String,
    pub status: ClusterStatus,
    pub active_services: i32,
    pub running_tasks: i32,
    pub pending_tasks: i32,
    pub container_instances: i32,
}

/// One ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceRow {
    pub cluster: ClusterName,
    pub name: ServiceName,
    pub arn: String,
    pub status: ServiceStatus,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub launch_type: String,
    /// `family:revision` of the service's task definition.
    pub task_definition: String,
    /// Rollout state of the PRIMARY deployment, or empty.
    pub rollout: RolloutState,
    /// Creation time, seconds since the Unix epoch.
    pub created_at: Option<i64>,
}

/// One ECS task with its containers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskRow {
    pub cluster: ClusterName,
    pub arn: TaskArn,
    pub last_status: TaskStatus,
    pub desired_status: TaskStatus,
    pub health: HealthStatus,
    /// `family:revision`.
    pub task_definition: String,
    pub launch_type: String,
    pub availability_zone: String,
    pub private_ip: String,
    /// `service:NAME` for service tasks.
    pub group: String,
    pub container_instance_arn: String,
    pub started_at: Option<i64>,
    pub stopped_at: Option<i64>,
    pub stopped_reason: String,
    pub containers: Vec<ContainerRow>,
}

/// One container of a task.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerRow {
    pub name: String,
    pub image: String,
    pub last_status: TaskStatus,
    pub exit_code: Option<i32>,
    pub health: HealthStatus,
    /// CPU units reserved, as ECS reports them (may be empty).
    pub cpu: String,
    /// Memory (hard limit or reservation), MiB, as ECS reports them (may be empty).
    pub memory: String,
    pub reason: String,
    pub runtime_id: String,
}

/// `arn:aws:ecs:r:1:task-definition/web:12` → `web:12`.
pub fn family_revision(task_definition_arn: &str) -> String {
    crate::domain::ids::name_from_arn(task_definition_arn).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_revision_is_the_last_segment() {
        assert_eq!(
            family_revision("arn:aws:ecs:eu-west-1:123:task-definition/web:12"),
            "web:12"
        );
        assert_eq!(family_revision(""), "");
    }
}
