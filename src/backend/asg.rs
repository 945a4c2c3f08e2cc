//! Auto Scaling groups: list them with the ECS cluster each feeds (best effort), read one
//! before a change, set its desired capacity.
//!
//! The cluster is found, in this order:
//! 1. an ECS capacity provider of a cluster names the group's ARN (authoritative);
//! 2. a tag on the group names the cluster (`ecs-cluster`, `ecs:cluster`, ...);
//! 3. the group's instances are registered as container instances of a cluster
//!    (asked only for groups still unknown, and only up to [`MEMBERSHIP_CLUSTERS`] clusters).
//!
//! Each row says which one it was. A failure while linking only leaves the cluster unknown.

use std::collections::HashMap;
use std::error::Error as StdError;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

use crate::backend::aws::AwsClients;
use crate::backend::ecs::ops::{SendFailed, Sent};
use crate::backend::ecs::ops_rows::{asg_row, cluster_from_tags};
use crate::backend::error::BackendError;
use crate::domain::asg::{AsgRow, ClusterLink};
use crate::domain::ids::name_from_arn;

/// Most clusters whose container instances are read to link groups by membership.
pub const MEMBERSHIP_CLUSTERS: usize = 30;
/// Most names one `DescribeClusters` / `DescribeCapacityProviders` accepts.
const DESCRIBE_BATCH: usize = 100;

/// Auto Scaling reads and changes. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AwsAsg {
    autoscaling: aws_sdk_autoscaling::Client,
    ecs: aws_sdk_ecs::Client,
    endpoint: String,
}

impl AwsAsg {
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self {
            autoscaling: clients.autoscaling.clone(),
            ecs: clients.ecs.clone(),
            endpoint: clients.endpoint_label(),
        }
    }

    /// Every group, by name, with the ECS cluster it feeds when that can be found.
    pub async fn groups(&self) -> Result<Vec<AsgRow>, BackendError> {
        let groups: Vec<_> = self
            .autoscaling
            .describe_auto_scaling_groups()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("DescribeAutoScalingGroups", e))?;
        let mut rows: Vec<AsgRow> = groups.iter().map(asg_row).collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        if !rows.is_empty()
            && let Err(e) = self.link_clusters(&mut rows).await
        {
            tracing::info!("Auto Scaling groups not linked to ECS clusters: {e}");
        }
        Ok(rows)
    }

    /// One group; `NotFound` when it no longer exists.
    pub async fn group(&self, name: &str) -> Result<AsgRow, BackendError> {
        let out = self
            .autoscaling
            .describe_auto_scaling_groups()
            .auto_scaling_group_names(name)
            .send()
            .await
            .map_err(|e| self.fail("DescribeAutoScalingGroups", e))?;
        out.auto_scaling_groups()
            .iter()
            .find(|g| g.auto_scaling_group_name() == Some(name))
            .map(asg_row)
            .ok_or_else(|| BackendError::NotFound {
                what: format!("Auto Scaling group {name}"),
            })
    }

    /// Set a group's desired capacity (cooldowns are not honoured: a person asked for it).
    pub async fn set_desired(&self, name: &str, desired: i32) -> Result<Sent, SendFailed> {
        let out = self
            .autoscaling
            .set_desired_capacity()
            .auto_scaling_group_name(name)
            .desired_capacity(desired)
            .honor_cooldown(false)
            .send()
            .await
            .map_err(|e| SendFailed {
                request_id: e.request_id().map(str::to_string),
                error: self.fail("SetDesiredCapacity", e),
            })?;
        Ok(Sent {
            summary: format!("desired capacity is now {desired}"),
            request_id: out.request_id().map(str::to_string),
        })
    }

    async fn link_clusters(&self, rows: &mut [AsgRow]) -> Result<(), BackendError> {
        let cluster_arns: Vec<String> = self
            .ecs
            .list_clusters()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("ListClusters", e))?;
        // 1. Capacity providers.
        let mut provider_cluster: HashMap<String, String> = HashMap::new();
        for batch in cluster_arns.chunks(DESCRIBE_BATCH) {
            let out = self
                .ecs
                .describe_clusters()
                .set_clusters(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| self.fail("DescribeClusters", e))?;
            for cluster in out.clusters() {
                let name = cluster.cluster_name().unwrap_or_default();
                for provider in cluster.capacity_providers() {
                    if !provider.starts_with("FARGATE") {
                        provider_cluster.insert(provider.clone(), name.to_string());
                    }
                }
            }
        }
        let providers: Vec<String> = provider_cluster.keys().cloned().collect();
        let mut by_group_arn: HashMap<String, String> = HashMap::new();
        for batch in providers.chunks(DESCRIBE_BATCH) {
            let out = self
                .ecs
                .describe_capacity_providers()
                .set_capacity_providers(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| self.fail("DescribeCapacityProviders", e))?;
            for provider in out.capacity_providers() {
                let (Some(name), Some(asg)) =
                    (provider.name(), provider.auto_scaling_group_provider())
                else {
                    continue;
                };
                if let Some(cluster) = provider_cluster.get(name) {
                    by_group_arn.insert(asg.auto_scaling_group_arn().to_string(), cluster.clone());
                }
            }
        }
        for row in rows.iter_mut() {
            if let Some(cluster) = lookup_group(&by_group_arn, row) {
                row.cluster = Some(cluster);
                row.link = Some(ClusterLink::CapacityProvider);
            } else if let Some(cluster) = cluster_from_tags(row) {
                // 2. Tags.
                row.cluster = Some(cluster);
                row.link = Some(ClusterLink::Tag);
            }
        }
        // 3. Container instance membership, for the groups still unknown.
        let unknown = rows
            .iter()
            .any(|r| r.cluster.is_none() && !r.instance_ids.is_empty());
        if unknown && cluster_arns.len() <= MEMBERSHIP_CLUSTERS {
            let by_instance = self.container_instances(&cluster_arns).await?;
            for row in rows.iter_mut().filter(|r| r.cluster.is_none()) {
                if let Some(cluster) = row.instance_ids.iter().find_map(|i| by_instance.get(i)) {
                    row.cluster = Some(cluster.clone());
                    row.link = Some(ClusterLink::ContainerInstances);
                }
            }
        }
        Ok(())
    }

    /// EC2 instance id → cluster name, for every container instance of `cluster_arns`.
    async fn container_instances(
        &self,
        cluster_arns: &[String],
    ) -> Result<HashMap<String, String>, BackendError> {
        let mut by_instance = HashMap::new();
        for cluster_arn in cluster_arns {
            let name = name_from_arn(cluster_arn).to_string();
            let arns: Vec<String> = self
                .ecs
                .list_container_instances()
                .cluster(cluster_arn)
                .into_paginator()
                .items()
                .send()
                .try_collect()
                .await
                .map_err(|e| self.fail("ListContainerInstances", e))?;
            for batch in arns.chunks(DESCRIBE_BATCH) {
                let out = self
                    .ecs
                    .describe_container_instances()
                    .cluster(cluster_arn)
                    .set_container_instances(Some(batch.to_vec()))
                    .send()
                    .await
                    .map_err(|e| self.fail("DescribeContainerInstances", e))?;
                for ci in out.container_instances() {
                    if let Some(id) = ci.ec2_instance_id() {
                        by_instance.insert(id.to_string(), name.clone());
                    }
                }
            }
        }
        Ok(by_instance)
    }

    fn fail<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        BackendError::from_sdk(operation, err).with_endpoint(&self.endpoint)
    }
}

/// A capacity provider names its group by ARN; match on the ARN, else on the name at its end
/// (`...:autoScalingGroupName/NAME`).
fn lookup_group(by_group_arn: &HashMap<String, String>, row: &AsgRow) -> Option<String> {
    by_group_arn.get(&row.arn).cloned().or_else(|| {
        by_group_arn
            .iter()
            .find(|(arn, _)| name_from_arn(arn) == row.name)
            .map(|(_, cluster)| cluster.clone())
    })
}
