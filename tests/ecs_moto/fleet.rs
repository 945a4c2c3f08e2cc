//! Seeding one test's ECS fleet in moto through the SDK.

use std::error::Error;

use aws_sdk_ec2::types::Filter;
use aws_sdk_ecs::types::{
    AwsVpcConfiguration, Compatibility, ContainerDefinition, LaunchType, LogConfiguration,
    LogDriver, NetworkConfiguration, NetworkMode,
};
use futures::{StreamExt, TryStreamExt, stream};
use opsdeck::backend::{AwsClients, AwsEcs, connect};
use opsdeck::domain::ids::ClusterName;

use super::{REGION, TestResult, common, moto_target};

/// Most tasks one RunTask starts.
const RUN_TASK_MAX: usize = 10;

/// One test's corner of moto: a cluster, an awsvpc Fargate task definition with awslogs, and
/// the default VPC's network settings.
pub struct Fleet {
    pub clients: AwsClients,
    pub ecs: AwsEcs,
    pub cluster: ClusterName,
    pub family: String,
    pub task_definition: String,
    pub network: NetworkConfiguration,
}

impl Fleet {
    pub async fn new(url: &str) -> Result<Fleet, Box<dyn Error>> {
        let clients = connect(&moto_target(url)).await?;
        let cluster = ClusterName(format!("odk-{}", common::unique_token(12)));
        clients
            .ecs
            .create_cluster()
            .cluster_name(cluster.as_str())
            .send()
            .await?;
        let family = format!("{cluster}-web");
        let logs = LogConfiguration::builder()
            .log_driver(LogDriver::Awslogs)
            .options("awslogs-group", format!("/ecs/{family}"))
            .options("awslogs-region", REGION)
            .options("awslogs-stream-prefix", "app")
            .build()?;
        let registered = clients
            .ecs
            .register_task_definition()
            .family(&family)
            .network_mode(NetworkMode::Awsvpc)
            .requires_compatibilities(Compatibility::Fargate)
            .cpu("256")
            .memory("512")
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image("public.ecr.aws/nginx/nginx:1.27")
                    .memory_reservation(128)
                    .log_configuration(logs)
                    .build(),
            )
            .send()
            .await?;
        let task_definition = registered
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .ok_or("no task definition ARN")?
            .to_string();
        let network = default_vpc_network(&clients).await?;
        clients.counter.reset();
        Ok(Fleet {
            ecs: AwsEcs::from_clients(&clients),
            clients,
            cluster,
            family,
            task_definition,
            network,
        })
    }

    /// Create services (8 requests in flight), in `names` order.
    pub async fn create_services(&self, names: &[String]) -> TestResult {
        stream::iter(names)
            .map(|name| async move {
                self.clients
                    .ecs
                    .create_service()
                    .cluster(self.cluster.as_str())
                    .service_name(name)
                    .task_definition(&self.task_definition)
                    .desired_count(1)
                    .launch_type(LaunchType::Fargate)
                    .network_configuration(self.network.clone())
                    .send()
                    .await
                    .map(|_| ())
            })
            .buffered(8)
            .try_collect::<Vec<_>>()
            .await?;
        self.clients.counter.reset();
        Ok(())
    }

    /// Start `count` Fargate tasks as if `service` had started them; returns their ARNs.
    pub async fn run_tasks(
        &self,
        service: &str,
        count: usize,
    ) -> Result<Vec<String>, Box<dyn Error>> {
        let mut arns = Vec::with_capacity(count);
        let mut left = count;
        while left > 0 {
            let now = left.min(RUN_TASK_MAX);
            let out = self
                .clients
                .ecs
                .run_task()
                .cluster(self.cluster.as_str())
                .task_definition(&self.task_definition)
                .count(i32::try_from(now)?)
                .launch_type(LaunchType::Fargate)
                .group(format!("service:{service}"))
                .started_by(format!("ecs-svc/{service}"))
                .network_configuration(self.network.clone())
                .send()
                .await?;
            assert!(out.failures().is_empty(), "RunTask failures: {out:?}");
            arns.extend(
                out.tasks()
                    .iter()
                    .filter_map(|t| t.task_arn().map(str::to_string)),
            );
            left -= now;
        }
        self.clients.counter.reset();
        Ok(arns)
    }

    pub fn count(&self, operation: &str) -> u64 {
        self.clients.counter.get(operation)
    }
}

/// moto answers HTTP 500 to awsvpc RunTask/CreateService unless they use the default VPC's
/// subnets and a security group.
async fn default_vpc_network(clients: &AwsClients) -> Result<NetworkConfiguration, Box<dyn Error>> {
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
        .ok_or("no default subnet")?;
    let group = groups
        .security_groups()
        .first()
        .and_then(|g| g.group_id())
        .ok_or("no default security group")?;
    let vpc_config = AwsVpcConfiguration::builder()
        .subnets(subnet)
        .security_groups(group)
        .build()?;
    Ok(NetworkConfiguration::builder()
        .awsvpc_configuration(vpc_config)
        .build())
}

pub fn service_names(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}{i:03}")).collect()
}
