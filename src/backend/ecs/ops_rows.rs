//! Conversions from ECS and Auto Scaling SDK types to the plain data of the operations views.
//! Public so tests can build SDK values with the builders (moto does not simulate rollouts)
//! and check what the views get.

use aws_sdk_autoscaling::types::{AutoScalingGroup, LifecycleState};
use aws_sdk_ecs::types::{Deployment, Service, ServiceEvent, Task, TaskDefinition};
use aws_smithy_types::DateTime;

use crate::backend::ecs::rows::service_row;
use crate::domain::asg::AsgRow;
use crate::domain::ecs::family_revision;
use crate::domain::ids::ClusterName;
use crate::domain::service::{
    DeploymentRow, ServiceDetail, ServiceEventRow, StoppedTaskRow, TaskDefinitionImages,
};
use crate::domain::status::RolloutState;

/// The tag Auto Scaling groups get when an ECS capacity provider manages them.
pub const ECS_MANAGED_TAG: &str = "AmazonECSManaged";

/// Tag keys that name the ECS cluster a group feeds (conventions, none official).
pub const CLUSTER_TAG_KEYS: &[&str] = &[
    "ecs-cluster",
    "ecs:cluster",
    "ecs:cluster-name",
    "ecs_cluster",
    "EcsCluster",
    "ECSCluster",
];

/// One service with its deployments and events; `stopped` are its stopped tasks.
pub fn service_detail(cluster: &ClusterName, service: &Service, stopped: &[Task]) -> ServiceDetail {
    let mut deployments: Vec<DeploymentRow> =
        service.deployments().iter().map(deployment_row).collect();
    // PRIMARY first; the rest keep ECS's order (newest first).
    deployments.sort_by_key(|d| !d.is_primary());
    let mut events: Vec<ServiceEventRow> = service.events().iter().map(event_row).collect();
    events.sort_by_key(|e| std::cmp::Reverse(e.at));
    let mut stopped: Vec<StoppedTaskRow> = stopped.iter().map(stopped_task_row).collect();
    stopped.sort_by_key(|t| std::cmp::Reverse(t.stopped_at));
    ServiceDetail {
        service: service_row(cluster, service),
        task_definition_arn: service.task_definition().unwrap_or_default().to_string(),
        deployments,
        events,
        stopped,
    }
}

pub fn deployment_row(deployment: &Deployment) -> DeploymentRow {
    DeploymentRow {
        id: text(deployment.id()),
        status: text(deployment.status()),
        rollout_state: RolloutState::from(deployment.rollout_state().map(|s| s.as_str())),
        rollout_reason: text(deployment.rollout_state_reason()),
        task_definition: family_revision(deployment.task_definition().unwrap_or_default()),
        desired: deployment.desired_count(),
        pending: deployment.pending_count(),
        running: deployment.running_count(),
        failed: deployment.failed_tasks(),
        created_at: deployment.created_at().map(DateTime::secs),
        updated_at: deployment.updated_at().map(DateTime::secs),
    }
}

pub fn event_row(event: &ServiceEvent) -> ServiceEventRow {
    ServiceEventRow {
        id: text(event.id()),
        at: event.created_at().map(DateTime::secs),
        message: one_line(event.message().unwrap_or_default()),
    }
}

pub fn stopped_task_row(task: &Task) -> StoppedTaskRow {
    let containers = task
        .containers()
        .iter()
        .filter_map(|c| {
            let name = c.name().unwrap_or("?");
            let reason = c.reason().map(one_line).unwrap_or_default();
            match (c.exit_code(), reason.is_empty()) {
                (Some(code), true) => Some(format!("{name} exit {code}")),
                (Some(code), false) => Some(format!("{name} exit {code} ({reason})")),
                (None, false) => Some(format!("{name}: {reason}")),
                (None, true) => None,
            }
        })
        .collect();
    StoppedTaskRow {
        arn: text(task.task_arn()),
        task_definition: family_revision(task.task_definition_arn().unwrap_or_default()),
        stopped_at: task.stopped_at().map(DateTime::secs),
        stop_code: task
            .stop_code()
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        reason: one_line(task.stopped_reason().unwrap_or_default()),
        containers,
    }
}

pub fn task_definition_images(td: &TaskDefinition) -> TaskDefinitionImages {
    let arn = text(td.task_definition_arn());
    TaskDefinitionImages {
        family_revision: match td.family() {
            Some(family) if td.revision() > 0 => format!("{family}:{}", td.revision()),
            _ => family_revision(&arn),
        },
        arn,
        images: td
            .container_definitions()
            .iter()
            .map(|c| (text(c.name()), text(c.image())))
            .collect(),
    }
}

/// A group without its ECS cluster (found later, best effort).
pub fn asg_row(group: &AutoScalingGroup) -> AsgRow {
    let mut in_service = 0;
    let mut pending = 0;
    for instance in group.instances() {
        match instance.lifecycle_state() {
            Some(LifecycleState::InService) => in_service += 1,
            Some(
                LifecycleState::Pending
                | LifecycleState::PendingProceed
                | LifecycleState::PendingWait,
            ) => pending += 1,
            _ => {}
        }
    }
    let tags: Vec<(String, String)> = group
        .tags()
        .iter()
        .map(|t| (text(t.key()), text(t.value())))
        .collect();
    AsgRow {
        name: text(group.auto_scaling_group_name()),
        arn: text(group.auto_scaling_group_arn()),
        min: group.min_size().unwrap_or(0),
        desired: group.desired_capacity().unwrap_or(0),
        max: group.max_size().unwrap_or(0),
        in_service,
        pending,
        instances: group.instances().len() as i32,
        instance_ids: group
            .instances()
            .iter()
            .filter_map(|i| i.instance_id().map(str::to_string))
            .collect(),
        cluster: None,
        link: None,
        ecs_managed: tags.iter().any(|(k, _)| k == ECS_MANAGED_TAG),
        tags,
        status: text(group.status()),
        created_at: group.created_time().map(DateTime::secs),
    }
}

/// The cluster a group's tags name, if any.
pub fn cluster_from_tags(row: &AsgRow) -> Option<String> {
    CLUSTER_TAG_KEYS.iter().find_map(|key| {
        row.tags
            .iter()
            .find(|(k, v)| k == key && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    })
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use aws_sdk_autoscaling::types::{Instance, TagDescription};
    use aws_sdk_ecs::types::{Container, ContainerDefinition, TaskStopCode};

    use super::*;

    #[test]
    fn groups_count_instances_by_lifecycle_and_read_tags() {
        let instance = |id: &str, state: LifecycleState| {
            Instance::builder()
                .instance_id(id)
                .lifecycle_state(state)
                .build()
        };
        let group = AutoScalingGroup::builder()
            .auto_scaling_group_name("web-asg")
            .min_size(1)
            .max_size(6)
            .desired_capacity(3)
            .instances(instance("i-1", LifecycleState::InService))
            .instances(instance("i-2", LifecycleState::InService))
            .instances(instance("i-3", LifecycleState::Pending))
            .tags(
                TagDescription::builder()
                    .key("ecs-cluster")
                    .value("prod")
                    .build(),
            )
            .tags(
                TagDescription::builder()
                    .key(ECS_MANAGED_TAG)
                    .value("")
                    .build(),
            )
            .build();
        let row = asg_row(&group);
        assert_eq!((row.min, row.desired, row.max), (1, 3, 6));
        assert_eq!((row.in_service, row.pending, row.instances), (2, 1, 3));
        assert_eq!(row.instance_ids, ["i-1", "i-2", "i-3"]);
        assert!(row.ecs_managed);
        assert_eq!(cluster_from_tags(&row), Some("prod".to_string()));
    }

    #[test]
    fn stopped_tasks_say_why() {
        let task = Task::builder()
            .task_arn("arn:aws:ecs:eu-west-1:1:task/c/0123456789abcdef")
            .stopped_reason("Essential container in task exited")
            .stop_code(TaskStopCode::EssentialContainerExited)
            .stopped_at(DateTime::from_secs(100))
            .containers(
                Container::builder()
                    .name("app")
                    .exit_code(137)
                    .reason("OutOfMemoryError: Container killed")
                    .build(),
            )
            .containers(Container::builder().name("log").build())
            .build();
        let row = stopped_task_row(&task);
        assert_eq!(row.short_id(), "01234567");
        assert_eq!(row.stop_code, "EssentialContainerExited");
        assert_eq!(
            row.containers,
            ["app exit 137 (OutOfMemoryError: Container killed)"]
        );
    }

    #[test]
    fn task_definitions_list_their_images() {
        let td = TaskDefinition::builder()
            .task_definition_arn("arn:aws:ecs:eu-west-1:1:task-definition/web:7")
            .family("web")
            .revision(7)
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image("acme/web:2.1")
                    .build(),
            )
            .build();
        let images = task_definition_images(&td);
        assert_eq!(images.family_revision, "web:7");
        assert_eq!(images.images_text(), "app=acme/web:2.1");
    }
}
