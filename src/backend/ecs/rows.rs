//! Conversions from ECS SDK types to the plain rows the UI shows.

use aws_sdk_ecs::types::{
    CapacityProviderStrategyItem, Cluster, Container, LaunchType, Service, Task,
};
use aws_smithy_types::DateTime;

use crate::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow, family_revision};
use crate::domain::ids::{ClusterName, ServiceName, TaskArn, name_from_arn};
use crate::domain::status::{ClusterStatus, HealthStatus, RolloutState, ServiceStatus, TaskStatus};

/// The ENI attachment detail that carries a task's private address.
const PRIVATE_IP_DETAIL: &str = "privateIPv4Address";

pub(crate) fn cluster_row(cluster: &Cluster) -> ClusterRow {
    let arn = text(cluster.cluster_arn());
    let name = cluster
        .cluster_name()
        .map(str::to_string)
        .unwrap_or_else(|| name_from_arn(&arn).to_string());
    ClusterRow {
        name: ClusterName(name),
        arn,
        status: ClusterStatus::from(cluster.status()),
        active_services: cluster.active_services_count(),
        running_tasks: cluster.running_tasks_count(),
        pending_tasks: cluster.pending_tasks_count(),
        container_instances: cluster.registered_container_instances_count(),
    }
}

pub(crate) fn service_row(cluster: &ClusterName, service: &Service) -> ServiceRow {
    let arn = text(service.service_arn());
    let name = service
        .service_name()
        .map(str::to_string)
        .unwrap_or_else(|| name_from_arn(&arn).to_string());
    let rollout = service
        .deployments()
        .iter()
        .find(|d| d.status() == Some("PRIMARY"))
        .and_then(|d| d.rollout_state())
        .map(|s| RolloutState::parse(s.as_str()))
        .unwrap_or_default();
    ServiceRow {
        cluster: cluster.clone(),
        name: ServiceName(name),
        arn,
        status: ServiceStatus::from(service.status()),
        desired: service.desired_count(),
        running: service.running_count(),
        pending: service.pending_count(),
        launch_type: launch_label(
            service.launch_type(),
            strategy_provider(service.capacity_provider_strategy()),
        ),
        task_definition: family_revision(service.task_definition().unwrap_or_default()),
        rollout,
        created_at: service.created_at().map(DateTime::secs),
    }
}

pub(crate) fn task_row(cluster: &ClusterName, task: &Task) -> TaskRow {
    TaskRow {
        cluster: cluster.clone(),
        arn: TaskArn(text(task.task_arn())),
        last_status: TaskStatus::from(task.last_status()),
        desired_status: TaskStatus::from(task.desired_status()),
        health: HealthStatus::from(task.health_status().map(|h| h.as_str())),
        task_definition: family_revision(task.task_definition_arn().unwrap_or_default()),
        launch_type: launch_label(task.launch_type(), task.capacity_provider_name()),
        availability_zone: text(task.availability_zone()),
        private_ip: private_ip(task),
        group: text(task.group()),
        container_instance_arn: text(task.container_instance_arn()),
        started_at: task.started_at().map(DateTime::secs),
        stopped_at: task.stopped_at().map(DateTime::secs),
        stopped_reason: text(task.stopped_reason()),
        containers: task.containers().iter().map(container_row).collect(),
    }
}

fn container_row(container: &Container) -> ContainerRow {
    ContainerRow {
        name: text(container.name()),
        image: text(container.image()),
        last_status: TaskStatus::from(container.last_status()),
        exit_code: container.exit_code(),
        health: HealthStatus::from(container.health_status().map(|h| h.as_str())),
        cpu: text(container.cpu()),
        memory: text(container.memory().or(container.memory_reservation())),
        reason: text(container.reason()),
        runtime_id: text(container.runtime_id()),
    }
}

/// The task's private address: from its ENI attachment (awsvpc), else from a container's
/// network interface. Bridge/host-mode tasks have none in ECS.
fn private_ip(task: &Task) -> String {
    let from_eni = task
        .attachments()
        .iter()
        .flat_map(|a| a.details())
        .find(|d| d.name() == Some(PRIVATE_IP_DETAIL))
        .and_then(|d| d.value());
    let from_containers = || {
        task.containers()
            .iter()
            .flat_map(|c| c.network_interfaces())
            .find_map(|n| n.private_ipv4_address())
    };
    text(from_eni.or_else(from_containers))
}

/// The provider with the largest weight (the first on a tie) in a capacity provider strategy.
fn strategy_provider(strategy: &[CapacityProviderStrategyItem]) -> Option<&str> {
    strategy
        .iter()
        .rev()
        .max_by_key(|item| (item.weight(), item.base()))
        .map(CapacityProviderStrategyItem::capacity_provider)
}

/// `FARGATE`, `EC2`, `FARGATE_SPOT`, or `CP:name` for a custom capacity provider.
fn launch_label(launch_type: Option<&LaunchType>, provider: Option<&str>) -> String {
    if let Some(lt) = launch_type {
        return lt.as_str().to_string();
    }
    match provider {
        Some(p) if p.starts_with("FARGATE") => p.to_string(),
        Some(p) if !p.is_empty() => format!("CP:{p}"),
        _ => String::new(),
    }
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use aws_sdk_ecs::types::{
        Attachment, Deployment, DeploymentRolloutState, HealthStatus, KeyValuePair,
        NetworkInterface,
    };

    use super::*;

    fn item(name: &str, weight: i32, base: i32) -> CapacityProviderStrategyItem {
        CapacityProviderStrategyItem::builder()
            .capacity_provider(name)
            .weight(weight)
            .base(base)
            .build()
            .unwrap()
    }

    #[test]
    fn launch_type_falls_back_to_the_capacity_provider() {
        assert_eq!(launch_label(Some(&LaunchType::Fargate), None), "FARGATE");
        assert_eq!(launch_label(None, Some("FARGATE_SPOT")), "FARGATE_SPOT");
        assert_eq!(launch_label(None, Some("asg-prod")), "CP:asg-prod");
        assert_eq!(launch_label(None, None), "");
        let strategy = [item("FARGATE", 1, 1), item("FARGATE_SPOT", 4, 0)];
        assert_eq!(strategy_provider(&strategy), Some("FARGATE_SPOT"));
        let tie = [item("a", 1, 0), item("b", 1, 0)];
        assert_eq!(strategy_provider(&tie), Some("a"));
    }

    #[test]
    fn service_rows_take_the_primary_rollout() {
        let service = Service::builder()
            .service_name("web")
            .service_arn("arn:aws:ecs:eu-west-1:1:service/prod/web")
            .task_definition("arn:aws:ecs:eu-west-1:1:task-definition/web:7")
            .capacity_provider_strategy(item("spot-asg", 1, 0))
            .deployments(
                Deployment::builder()
                    .status("ACTIVE")
                    .rollout_state(DeploymentRolloutState::Completed)
                    .build(),
            )
            .deployments(
                Deployment::builder()
                    .status("PRIMARY")
                    .rollout_state(DeploymentRolloutState::InProgress)
                    .build(),
            )
            .created_at(DateTime::from_secs(1_700_000_000))
            .desired_count(3)
            .build();
        let row = service_row(&ClusterName::from("prod"), &service);
        assert_eq!(row.name.as_str(), "web");
        assert_eq!(row.task_definition, "web:7");
        assert_eq!(row.rollout, RolloutState::InProgress);
        assert_eq!(row.launch_type, "CP:spot-asg");
        assert_eq!(row.created_at, Some(1_700_000_000));
        assert_eq!(row.desired, 3);
    }

    #[test]
    fn task_ip_comes_from_the_eni_then_the_containers() {
        let eni = Attachment::builder()
            .r#type("ElasticNetworkInterface")
            .details(
                KeyValuePair::builder()
                    .name("subnetId")
                    .value("subnet-1")
                    .build(),
            )
            .details(
                KeyValuePair::builder()
                    .name(PRIVATE_IP_DETAIL)
                    .value("10.0.1.5")
                    .build(),
            )
            .build();
        let container = Container::builder()
            .name("app")
            .memory_reservation("256")
            .exit_code(137)
            .health_status(HealthStatus::Unhealthy)
            .network_interfaces(
                NetworkInterface::builder()
                    .private_ipv4_address("10.0.9.9")
                    .build(),
            )
            .build();
        let task = Task::builder()
            .task_arn("arn:aws:ecs:eu-west-1:1:task/prod/abc")
            .attachments(eni)
            .containers(container.clone())
            .build();
        let row = task_row(&ClusterName::from("prod"), &task);
        assert_eq!(row.private_ip, "10.0.1.5");
        assert_eq!(row.containers[0].memory, "256");
        assert_eq!(row.containers[0].exit_code, Some(137));
        assert_eq!(
            row.containers[0].health,
            crate::domain::status::HealthStatus::Unhealthy
        );
        let bare = Task::builder().containers(container).build();
        assert_eq!(private_ip(&bare), "10.0.9.9");
        assert_eq!(private_ip(&Task::builder().build()), "");
    }
}
