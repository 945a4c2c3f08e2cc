//! The describe view's AWS reads: one resource at a time, as a `serde_json::Value` document
//! with its secret values masked (`domain::describe::mask_secrets`). SDK types are mapped by
//! hand in `ecs.rs` and `ec2.rs`; Docker's inspect is in `backend/docker/describe.rs`.

mod doc;
mod ec2;
mod ecs;

use std::error::Error as StdError;

use aws_sdk_ec2::types::Filter;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::Value;

use crate::backend::aws::AwsClients;
pub use crate::backend::describe::ecs::SERVICE_EVENTS;
use crate::backend::error::BackendError;
use crate::domain::describe::{DescribeTarget, mask_secrets};
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// Reads one ECS, EC2 or Auto Scaling resource as a document. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AwsDescribe {
    ecs: aws_sdk_ecs::Client,
    ec2: aws_sdk_ec2::Client,
    autoscaling: aws_sdk_autoscaling::Client,
    endpoint: String,
}

impl AwsDescribe {
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self {
            ecs: clients.ecs.clone(),
            ec2: clients.ec2.clone(),
            autoscaling: clients.autoscaling.clone(),
            endpoint: clients.endpoint_label(),
        }
    }

    /// The document for `target`, secrets masked. A Docker container is not an AWS resource:
    /// asking for one is a `NotFound`.
    pub async fn describe(&self, target: &DescribeTarget) -> Result<Value, BackendError> {
        let mut doc = match target {
            DescribeTarget::Cluster { cluster } => self.cluster(cluster).await?,
            DescribeTarget::Service { cluster, service } => self.service(cluster, service).await?,
            DescribeTarget::Task { cluster, task } => self.task(cluster, task).await?,
            DescribeTarget::Container {
                cluster,
                task,
                container,
            } => self.container(cluster, task, container).await?,
            DescribeTarget::TaskDefinition { arn } => self.task_definition(arn).await?,
            DescribeTarget::Instance { id } => self.instance(id).await?,
            DescribeTarget::Asg { name } => self.asg(name).await?,
            DescribeTarget::DockerContainer { name, .. } => {
                return Err(BackendError::NotFound {
                    what: format!("Docker container {name} in AWS"),
                });
            }
        };
        mask_secrets(&mut doc);
        Ok(doc)
    }

    async fn cluster(&self, cluster: &ClusterName) -> Result<Value, BackendError> {
        let out = self
            .ecs
            .describe_clusters()
            .clusters(cluster.as_str())
            .include(aws_sdk_ecs::types::ClusterField::Settings)
            .include(aws_sdk_ecs::types::ClusterField::Statistics)
            .include(aws_sdk_ecs::types::ClusterField::Tags)
            .send()
            .await
            .map_err(|e| self.fail("DescribeClusters", e))?;
        out.clusters()
            .first()
            .map(ecs::cluster)
            .ok_or_else(|| not_found(format!("cluster {cluster}")))
    }

    async fn service(
        &self,
        cluster: &ClusterName,
        service: &ServiceName,
    ) -> Result<Value, BackendError> {
        let out = self
            .ecs
            .describe_services()
            .cluster(cluster.as_str())
            .services(service.as_str())
            .include(aws_sdk_ecs::types::ServiceField::Tags)
            .send()
            .await
            .map_err(|e| self.fail("DescribeServices", e))?;
        out.services()
            .first()
            .map(ecs::service)
            .ok_or_else(|| not_found(format!("service {service} in cluster {cluster}")))
    }

    async fn describe_task(
        &self,
        cluster: &ClusterName,
        task: &TaskArn,
    ) -> Result<aws_sdk_ecs::types::Task, BackendError> {
        let out = self
            .ecs
            .describe_tasks()
            .cluster(cluster.as_str())
            .tasks(task.as_str())
            .include(aws_sdk_ecs::types::TaskField::Tags)
            .send()
            .await
            .map_err(|e| self.fail("DescribeTasks", e))?;
        out.tasks()
            .first()
            .cloned()
            .ok_or_else(|| not_found(format!("task {} in cluster {cluster}", task.short_id())))
    }

    async fn task(&self, cluster: &ClusterName, task: &TaskArn) -> Result<Value, BackendError> {
        Ok(ecs::task(&self.describe_task(cluster, task).await?))
    }

    async fn container(
        &self,
        cluster: &ClusterName,
        task: &TaskArn,
        name: &str,
    ) -> Result<Value, BackendError> {
        let described = self.describe_task(cluster, task).await?;
        described
            .containers()
            .iter()
            .find(|c| c.name() == Some(name))
            .map(ecs::container)
            .ok_or_else(|| not_found(format!("container {name} of task {}", task.short_id())))
    }

    async fn task_definition(&self, arn: &str) -> Result<Value, BackendError> {
        let out = self
            .ecs
            .describe_task_definition()
            .task_definition(arn)
            .send()
            .await
            .map_err(|e| self.fail("DescribeTaskDefinition", e))?;
        out.task_definition()
            .map(ecs::task_definition)
            .ok_or_else(|| not_found(format!("task definition {arn}")))
    }

    async fn instance(&self, id: &str) -> Result<Value, BackendError> {
        // A filter, not InstanceIds: an id that no longer exists is "not found", not an error.
        let out = self
            .ec2
            .describe_instances()
            .filters(Filter::builder().name("instance-id").values(id).build())
            .send()
            .await
            .map_err(|e| self.fail("DescribeInstances", e))?;
        out.reservations()
            .iter()
            .flat_map(|r| r.instances())
            .next()
            .map(ec2::instance)
            .ok_or_else(|| not_found(format!("instance {id}")))
    }

    async fn asg(&self, name: &str) -> Result<Value, BackendError> {
        let out = self
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(name)
            .send()
            .await
            .map_err(|e| self.fail("DescribeAutoScalingGroups", e))?;
        out.auto_scaling_groups()
            .first()
            .map(ec2::asg)
            .ok_or_else(|| not_found(format!("Auto Scaling group {name}")))
    }

    fn fail<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        BackendError::from_sdk(operation, err).with_endpoint(&self.endpoint)
    }
}

fn not_found(what: String) -> BackendError {
    BackendError::NotFound { what }
}
