//! EC2 adapter: instances as host rows, each marked with the ECS cluster it is registered to.
//!
//! `DescribeInstances` goes through the paginator. The ECS side is one paginated
//! `ListContainerInstances` per cluster plus `DescribeContainerInstances` in batches of 100
//! (the AWS maximum), a few in flight at a time: never one call per instance.

pub mod ssh;

use std::collections::HashMap;
use std::error::Error as StdError;

use aws_sdk_ec2::types::{Filter, Instance};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::{StreamExt, TryStreamExt, stream};

use crate::backend::aws::AwsClients;
use crate::backend::batch::batched;
use crate::backend::error::BackendError;
use crate::domain::hosts::HostRow;
use crate::domain::ids::name_from_arn;
use crate::domain::status::InstanceState;

/// Most container instances one `DescribeContainerInstances` accepts.
pub const DESCRIBE_CONTAINER_INSTANCES_BATCH: usize = 100;
/// ECS calls in flight at once (DescribeContainerInstances shares a small rate limit).
const CONCURRENCY: usize = 4;
/// Page size of the list calls (the AWS maximum for ECS; EC2 allows up to 1000).
const ECS_PAGE: i32 = 100;
const EC2_PAGE: i32 = 1000;

/// What ECS says about one container instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerInstance {
    pub cluster: String,
    pub arn: String,
    pub instance_id: String,
    pub running_tasks: i32,
}

/// Reads EC2 instances and their ECS registrations. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AwsEc2 {
    ec2: aws_sdk_ec2::Client,
    ecs: aws_sdk_ecs::Client,
    /// Named in "cannot reach" errors.
    endpoint: String,
}

impl AwsEc2 {
    /// From the shared clients; errors name the endpoint override when there is one.
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self {
            ec2: clients.ec2.clone(),
            ecs: clients.ecs.clone(),
            endpoint: clients.endpoint_label(),
        }
    }

    /// Every instance (all states), with its ECS cluster and running task count when it is a
    /// container instance. Sorted by name, then id.
    pub async fn hosts(&self) -> Result<Vec<HostRow>, BackendError> {
        let (instances, registrations) =
            futures::try_join!(self.instances(None), self.container_instances())?;
        Ok(join_rows(instances, &registrations))
    }

    /// The instances with these ids (unknown ids are left out).
    pub async fn hosts_by_id(&self, ids: &[String]) -> Result<Vec<HostRow>, BackendError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let instances = self.instances(Some(ids)).await?;
        Ok(join_rows(instances, &[]))
    }

    async fn instances(&self, ids: Option<&[String]>) -> Result<Vec<HostRow>, BackendError> {
        let mut request = self.ec2.describe_instances();
        match ids {
            // A filter, not InstanceIds: an id that no longer exists is not an error.
            Some(ids) => {
                request = request.filters(
                    Filter::builder()
                        .name("instance-id")
                        .set_values(Some(ids.to_vec()))
                        .build(),
                )
            }
            None => request = request.max_results(EC2_PAGE),
        }
        let pages: Vec<_> = request
            .into_paginator()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("DescribeInstances", e))?;
        Ok(pages
            .iter()
            .flat_map(|page| page.reservations())
            .flat_map(|reservation| reservation.instances())
            .map(host_row)
            .collect())
    }

    /// Every container instance of every cluster.
    pub async fn container_instances(&self) -> Result<Vec<ContainerInstance>, BackendError> {
        let clusters: Vec<String> = self
            .ecs
            .list_clusters()
            .max_results(ECS_PAGE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("ListClusters", e))?;
        let per_cluster: Vec<Vec<ContainerInstance>> = stream::iter(clusters)
            .map(|cluster| async move { self.cluster_instances(&cluster).await })
            .buffered(CONCURRENCY)
            .try_collect()
            .await?;
        Ok(per_cluster.into_iter().flatten().collect())
    }

    /// The EC2 instance id behind a container instance ARN of `cluster`.
    pub async fn instance_of(
        &self,
        cluster: &str,
        container_instance_arn: &str,
    ) -> Result<Option<String>, BackendError> {
        let found = self
            .describe_batch(cluster, vec![container_instance_arn.to_string()])
            .await?;
        Ok(found.into_iter().next().map(|c| c.instance_id))
    }

    /// The container instances of one cluster (name or ARN).
    pub async fn cluster_instances(
        &self,
        cluster: &str,
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        let cluster = name_from_arn(cluster).to_string();
        let arns: Vec<String> = self
            .ecs
            .list_container_instances()
            .cluster(&cluster)
            .max_results(ECS_PAGE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("ListContainerInstances", e))?;
        batched(
            &arns,
            DESCRIBE_CONTAINER_INSTANCES_BATCH,
            CONCURRENCY,
            |batch| self.describe_batch(&cluster, batch),
        )
        .await
    }

    async fn describe_batch(
        &self,
        cluster: &str,
        batch: Vec<String>,
    ) -> Result<Vec<ContainerInstance>, BackendError> {
        let out = self
            .ecs
            .describe_container_instances()
            .cluster(cluster)
            .set_container_instances(Some(batch))
            .send()
            .await
            .map_err(|e| self.fail("DescribeContainerInstances", e))?;
        Ok(out
            .container_instances()
            .iter()
            .filter_map(|ci| {
                Some(ContainerInstance {
                    cluster: cluster.to_string(),
                    arn: ci.container_instance_arn()?.to_string(),
                    instance_id: ci.ec2_instance_id()?.to_string(),
                    running_tasks: ci.running_tasks_count(),
                })
            })
            .collect())
    }

    fn fail<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        BackendError::from_sdk(operation, err).with_endpoint(&self.endpoint)
    }
}

/// Mark the rows that are container instances, and sort by name then id.
fn join_rows(mut rows: Vec<HostRow>, registrations: &[ContainerInstance]) -> Vec<HostRow> {
    let by_instance: HashMap<&str, &ContainerInstance> = registrations
        .iter()
        .map(|c| (c.instance_id.as_str(), c))
        .collect();
    for row in &mut rows {
        if let Some(ci) = by_instance.get(row.id.as_str()) {
            row.cluster = Some(ci.cluster.clone());
            row.running_tasks = Some(ci.running_tasks);
            row.container_instance_arn = Some(ci.arn.clone());
        }
    }
    rows.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    rows
}

fn host_row(instance: &Instance) -> HostRow {
    let mut tags: Vec<(String, String)> = instance
        .tags()
        .iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .collect();
    tags.sort();
    let name = tags
        .iter()
        .find(|(k, _)| k == "Name")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    HostRow {
        id: text(instance.instance_id()),
        name,
        state: InstanceState::from(instance.state().and_then(|s| s.name()).map(|n| n.as_str())),
        instance_type: instance
            .instance_type()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default(),
        availability_zone: instance
            .placement()
            .and_then(|p| p.availability_zone())
            .unwrap_or_default()
            .to_string(),
        private_ip: text(instance.private_ip_address()),
        public_ip: text(instance.public_ip_address()),
        private_dns: text(instance.private_dns_name()),
        launched_at: instance.launch_time().map(|t| t.secs()),
        tags,
        cluster: None,
        running_tasks: None,
        container_instance_arn: None,
    }
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_instances_are_joined_by_instance_id() {
        let rows = vec![
            HostRow {
                id: "i-2".into(),
                name: "web".into(),
                ..HostRow::default()
            },
            HostRow {
                id: "i-1".into(),
                name: "api".into(),
                ..HostRow::default()
            },
        ];
        let registrations = vec![ContainerInstance {
            cluster: "prod".into(),
            arn: "arn:ci/1".into(),
            instance_id: "i-2".into(),
            running_tasks: 4,
        }];
        let rows = join_rows(rows, &registrations);
        assert_eq!(rows[0].name, "api");
        assert_eq!(rows[0].cluster, None);
        assert_eq!(rows[1].cluster_cell(), "prod (4)");
        assert_eq!(rows[1].container_instance_arn.as_deref(), Some("arn:ci/1"));
    }
}
