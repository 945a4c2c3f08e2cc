//! Seeding one test's ECS fleet in moto through the SDK.

use std::error::Error;

use aws_sdk_ecs::types::NetworkConfiguration;
use futures::{StreamExt, TryStreamExt, stream};
use opsdeck::backend::{AwsClients, AwsEcs, connect};
use opsdeck::domain::ids::ClusterName;

use super::{TestResult, common, moto, moto_target};

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
        moto::create_cluster(&clients, cluster.as_str()).await?;
        let family = format!("{cluster}-web");
        let logs = moto::awslogs(&format!("/ecs/{family}"), "app")?;
        let app = moto::container("app", "public.ecr.aws/nginx/nginx:1.27", 128, Some(logs));
        let task_definition = moto::register_fargate(&clients, &family, vec![app]).await?;
        let (network, _) = moto::default_vpc_network(&clients).await?;
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
                moto::create_fargate_service(
                    &self.clients,
                    self.cluster.as_str(),
                    name,
                    &self.task_definition,
                    1,
                    &self.network,
                )
                .await
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
            let out = moto::run_fargate_tasks(
                &self.clients,
                self.cluster.as_str(),
                &self.task_definition,
                i32::try_from(now)?,
                service,
                Some(&format!("ecs-svc/{service}")),
                &self.network,
            )
            .await?;
            assert!(out.failures().is_empty(), "RunTask failures: {out:?}");
            arns.extend(moto::task_arns(&out));
            left -= now;
        }
        self.clients.counter.reset();
        Ok(arns)
    }

    pub fn count(&self, operation: &str) -> u64 {
        self.clients.counter.get(operation)
    }
}

pub fn service_names(prefix: &str, count: usize) -> Vec<String> {
    (0..count).map(|i| format!("{prefix}{i:03}")).collect()
}
