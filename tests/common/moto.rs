//! Seeding ECS fleets in moto through the SDK: clients against `OPSDECK_MOTO_URL`, clusters,
//! Fargate task definitions with awslogs, services and tasks on the default VPC's network.
//!
//! Included with `#[path]` by the moto tests and the cwlogs bench; each uses a part of it.
#![allow(dead_code)]

use std::error::Error;

use aws_sdk_ec2::types::Filter;
use aws_sdk_ecs::operation::run_task::RunTaskOutput;
use aws_sdk_ecs::types::{
    AwsVpcConfiguration, Compatibility, ContainerDefinition, LaunchType, LogConfiguration,
    LogDriver, NetworkConfiguration, NetworkMode,
};
use opsdeck::backend::{AwsClients, AwsTarget, connect};

pub type Res<T> = Result<T, Box<dyn Error>>;

/// The region every moto test uses.
pub const REGION: &str = "eu-west-1";

/// moto at `url` in [`REGION`], one attempt per request.
pub fn moto_target(url: &str) -> AwsTarget {
    AwsTarget {
        region: Some(REGION.to_string()),
        endpoint_url: Some(url.to_string()),
        max_attempts: 1,
        ..AwsTarget::default()
    }
}

/// SDK clients for [`moto_target`].
pub async fn moto_clients(url: &str) -> Res<AwsClients> {
    Ok(connect(&moto_target(url)).await?)
}

pub async fn create_cluster(clients: &AwsClients, cluster: &str) -> Res<()> {
    clients
        .ecs
        .create_cluster()
        .cluster_name(cluster)
        .send()
        .await?;
    Ok(())
}

/// The awslogs driver to `group` in [`REGION`], streams prefixed `prefix`.
pub fn awslogs(group: &str, prefix: &str) -> Res<LogConfiguration> {
    Ok(LogConfiguration::builder()
        .log_driver(LogDriver::Awslogs)
        .options("awslogs-group", group)
        .options("awslogs-region", REGION)
        .options("awslogs-stream-prefix", prefix)
        .build()?)
}

pub fn container(
    name: &str,
    image: impl Into<String>,
    memory_reservation: i32,
    logs: Option<LogConfiguration>,
) -> ContainerDefinition {
    ContainerDefinition::builder()
        .name(name)
        .image(image)
        .memory_reservation(memory_reservation)
        .set_log_configuration(logs)
        .build()
}

/// Register an awsvpc Fargate task definition (256 CPU, 512 MiB) of `containers`; its ARN.
pub async fn register_fargate(
    clients: &AwsClients,
    family: &str,
    containers: Vec<ContainerDefinition>,
) -> Res<String> {
    let registered = clients
        .ecs
        .register_task_definition()
        .family(family)
        .network_mode(NetworkMode::Awsvpc)
        .requires_compatibilities(Compatibility::Fargate)
        .cpu("256")
        .memory("512")
        .set_container_definitions(Some(containers))
        .send()
        .await?;
    Ok(registered
        .task_definition()
        .and_then(|t| t.task_definition_arn())
        .ok_or("no task definition ARN")?
        .to_string())
}

/// Create a Fargate service of `desired` tasks of `task_definition` on `network`.
pub async fn create_fargate_service(
    clients: &AwsClients,
    cluster: &str,
    service: &str,
    task_definition: &str,
    desired: i32,
    network: &NetworkConfiguration,
) -> Res<()> {
    clients
        .ecs
        .create_service()
        .cluster(cluster)
        .service_name(service)
        .task_definition(task_definition)
        .desired_count(desired)
        .launch_type(LaunchType::Fargate)
        .network_configuration(network.clone())
        .send()
        .await?;
    Ok(())
}

/// RunTask of `count` Fargate tasks in group `service:SERVICE`, as if `started_by` (when given)
/// had started them.
pub async fn run_fargate_tasks(
    clients: &AwsClients,
    cluster: &str,
    task_definition: &str,
    count: i32,
    service: &str,
    started_by: Option<&str>,
    network: &NetworkConfiguration,
) -> Res<RunTaskOutput> {
    Ok(clients
        .ecs
        .run_task()
        .cluster(cluster)
        .task_definition(task_definition)
        .count(count)
        .launch_type(LaunchType::Fargate)
        .group(format!("service:{service}"))
        .set_started_by(started_by.map(str::to_string))
        .network_configuration(network.clone())
        .send()
        .await?)
}

/// The ARNs of the tasks a RunTask started.
pub fn task_arns(out: &RunTaskOutput) -> Vec<String> {
    out.tasks()
        .iter()
        .filter_map(|t| t.task_arn().map(str::to_string))
        .collect()
}

/// moto answers HTTP 500 to awsvpc RunTask/CreateService unless they use the default VPC's
/// subnets and a security group. The network configuration and the subnet's id.
pub async fn default_vpc_network(clients: &AwsClients) -> Res<(NetworkConfiguration, String)> {
    let filter = |name: &str, value: &str| Filter::builder().name(name).values(value).build();
    let vpcs = clients
        .ec2
        .describe_vpcs()
        .filters(filter("isDefault", "true"))
        .send()
        .await?;
    let vpc = vpcs
        .vpcs()
        .first()
        .and_then(|v| v.vpc_id())
        .ok_or("moto has no default VPC")?;
    let subnets = clients
        .ec2
        .describe_subnets()
        .filters(filter("vpc-id", vpc))
        .send()
        .await?;
    let groups = clients
        .ec2
        .describe_security_groups()
        .filters(filter("vpc-id", vpc))
        .filters(filter("group-name", "default"))
        .send()
        .await?;
    let subnet = subnets
        .subnets()
        .first()
        .and_then(|s| s.subnet_id())
        .ok_or("no default subnet")?
        .to_string();
    let group = groups
        .security_groups()
        .first()
        .and_then(|g| g.group_id())
        .ok_or("no default security group")?;
    let vpc_config = AwsVpcConfiguration::builder()
        .subnets(&subnet)
        .security_groups(group)
        .build()?;
    Ok((
        NetworkConfiguration::builder()
            .awsvpc_configuration(vpc_config)
            .build(),
        subnet,
    ))
}
