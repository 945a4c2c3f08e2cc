//! ECS adapter: clusters, services and tasks as rows, with batched describes.
//!
//! Every listing is one paginated `List*` plus `Describe*` calls in batches of the AWS maximum
//! (100 clusters, 10 services, 100 tasks), a few batches in flight at a time. Never one call per
//! item.

pub mod ops;
pub mod ops_rows;
mod rows;

use std::collections::HashSet;
use std::error::Error as StdError;

use aws_sdk_ecs::types::DesiredStatus;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::backend::aws::AwsClients;
use crate::backend::batch::batched;
use crate::backend::ecs::rows::{cluster_row, service_row, task_row};
use crate::backend::error::BackendError;
use crate::backend::limiter::RateLimits;
use crate::domain::ecs::{ClusterRow, ServiceRow, TaskRow};
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// Most clusters one `DescribeClusters` accepts.
pub const DESCRIBE_CLUSTERS_BATCH: usize = 100;
/// Most services one `DescribeServices` accepts.
pub const DESCRIBE_SERVICES_BATCH: usize = 10;
/// Most tasks one `DescribeTasks` accepts.
pub const DESCRIBE_TASKS_BATCH: usize = 100;
/// Describe batches in flight at once; the rate limits ([`RateLimits`]) pace them beyond the
/// burst ECS allows.
pub const DESCRIBE_CONCURRENCY: usize = 8;
/// Page size for `List*` calls (the AWS maximum).
const LIST_PAGE: i32 = 100;

/// Reads ECS state. Cheap to clone (the SDK client is an `Arc` inside).
#[derive(Debug, Clone)]
pub struct AwsEcs {
    client: aws_sdk_ecs::Client,
    /// Named in "cannot reach" errors.
    endpoint: String,
    /// Paces the describe calls; shared with every adapter made from the same clients.
    limits: RateLimits,
    /// Describe batches in flight at once.
    concurrency: usize,
}

impl AwsEcs {
    /// From a bare client; errors name the client's region as the unreachable endpoint.
    pub fn new(client: aws_sdk_ecs::Client) -> Self {
        let endpoint = match client.config().region() {
            Some(region) => format!("ECS in {region}"),
            None => "the ECS endpoint".to_string(),
        };
        Self::with_client(client, endpoint)
    }

    /// From the shared clients; errors name the endpoint override when there is one.
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self {
            limits: clients.ecs_limits.clone(),
            ..Self::with_client(clients.ecs.clone(), clients.endpoint_label())
        }
    }

    /// From a bare client; `endpoint` is only used in error messages.
    pub fn with_client(client: aws_sdk_ecs::Client, endpoint: impl Into<String>) -> Self {
        Self {
            client,
            endpoint: endpoint.into(),
            limits: RateLimits::default(),
            concurrency: DESCRIBE_CONCURRENCY,
        }
    }

    /// Describe batches in flight at once (1: one after another); the bench compares them.
    pub fn with_concurrency(self, concurrency: usize) -> Self {
        Self {
            concurrency: concurrency.max(1),
            ..self
        }
    }

    /// Every cluster, in `ListClusters` order.
    pub async fn clusters(&self) -> Result<Vec<ClusterRow>, BackendError> {
        let arns: Vec<String> = self
            .client
            .list_clusters()
            .max_results(LIST_PAGE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("ListClusters", e))?;
        batched(&arns, DESCRIBE_CLUSTERS_BATCH, self.concurrency, |batch| {
            self.describe_clusters(batch)
        })
        .await
    }

    /// Every service of `cluster`, in `ListServices` order.
    pub async fn services(&self, cluster: &ClusterName) -> Result<Vec<ServiceRow>, BackendError> {
        let arns: Vec<String> = self
            .client
            .list_services()
            .cluster(cluster.as_str())
            .max_results(LIST_PAGE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail_in("ListServices", cluster, e))?;
        batched(&arns, DESCRIBE_SERVICES_BATCH, self.concurrency, |batch| {
            self.describe_services(cluster, batch)
        })
        .await
    }

    /// The tasks of `cluster` (of one service when `service` is given): the running ones, then,
    /// with `include_stopped`, the recently stopped ones ECS still remembers.
    pub async fn tasks(
        &self,
        cluster: &ClusterName,
        service: Option<&ServiceName>,
        include_stopped: bool,
    ) -> Result<Vec<TaskRow>, BackendError> {
        let running = self.list_tasks(cluster, service, DesiredStatus::Running);
        let mut arns = if include_stopped {
            let stopped = self.list_tasks(cluster, service, DesiredStatus::Stopped);
            let (mut running, stopped) = futures::try_join!(running, stopped)?;
            running.extend(stopped);
            running
        } else {
            running.await?
        };
        // A task can stop between the two listings and show up in both.
        let mut seen = HashSet::new();
        arns.retain(|arn| seen.insert(arn.clone()));
        let mut rows = self.describe_tasks(cluster, &arns).await?;
        if let Some(service) = service {
            // AWS filters by service already; emulators (moto) ignore the filter. ECS gives
            // every task a service starts the group `service:NAME`.
            let group = format!("service:{service}");
            rows.retain(|row| row.group == group);
        }
        Ok(rows)
    }

    /// One task. [`BackendError::NotFound`] when ECS does not know it (any more).
    pub async fn task(
        &self,
        cluster: &ClusterName,
        arn: &TaskArn,
    ) -> Result<TaskRow, BackendError> {
        let rows = self
            .describe_tasks(cluster, std::slice::from_ref(&arn.0))
            .await?;
        rows.into_iter()
            .next()
            .ok_or_else(|| BackendError::NotFound {
                what: format!("task {} in cluster {cluster}", arn.short_id()),
            })
    }

    async fn list_tasks(
        &self,
        cluster: &ClusterName,
        service: Option<&ServiceName>,
        status: DesiredStatus,
    ) -> Result<Vec<String>, BackendError> {
        self.client
            .list_tasks()
            .cluster(cluster.as_str())
            .set_service_name(service.map(|s| s.0.clone()))
            .desired_status(status)
            .max_results(LIST_PAGE)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail_listing("ListTasks", cluster, service, e))
    }

    async fn describe_tasks(
        &self,
        cluster: &ClusterName,
        arns: &[String],
    ) -> Result<Vec<TaskRow>, BackendError> {
        batched(arns, DESCRIBE_TASKS_BATCH, self.concurrency, |batch| {
            self.describe_tasks_batch(cluster, batch)
        })
        .await
    }

    async fn describe_clusters(&self, batch: Vec<String>) -> Result<Vec<ClusterRow>, BackendError> {
        self.limits.acquire("DescribeClusters").await;
        let out = self
            .client
            .describe_clusters()
            .set_clusters(Some(batch))
            .send()
            .await
            .map_err(|e| self.fail("DescribeClusters", e))?;
        log_failures("DescribeClusters", out.failures());
        Ok(out.clusters().iter().map(cluster_row).collect())
    }

    async fn describe_services(
        &self,
        cluster: &ClusterName,
        batch: Vec<String>,
    ) -> Result<Vec<ServiceRow>, BackendError> {
        self.limits.acquire("DescribeServices").await;
        let out = self
            .client
            .describe_services()
            .cluster(cluster.as_str())
            .set_services(Some(batch))
            .send()
            .await
            .map_err(|e| self.fail_in("DescribeServices", cluster, e))?;
        log_failures("DescribeServices", out.failures());
        Ok(out
            .services()
            .iter()
            .map(|s| service_row(cluster, s))
            .collect())
    }

    async fn describe_tasks_batch(
        &self,
        cluster: &ClusterName,
        batch: Vec<String>,
    ) -> Result<Vec<TaskRow>, BackendError> {
        self.limits.acquire("DescribeTasks").await;
        let out = self
            .client
            .describe_tasks()
            .cluster(cluster.as_str())
            .set_tasks(Some(batch))
            .send()
            .await
            .map_err(|e| self.fail_in("DescribeTasks", cluster, e))?;
        log_failures("DescribeTasks", out.failures());
        Ok(out.tasks().iter().map(|t| task_row(cluster, t)).collect())
    }

    fn fail<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        BackendError::from_sdk(operation, err).with_endpoint(&self.endpoint)
    }

    /// Like [`Self::fail`], naming the cluster when it is the thing not found.
    fn fail_in<E>(
        &self,
        operation: &'static str,
        cluster: &ClusterName,
        err: SdkError<E, HttpResponse>,
    ) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        self.fail_listing(operation, cluster, None, err)
    }

    /// Like [`Self::fail`], naming the cluster or service that was not found.
    fn fail_listing<E>(
        &self,
        operation: &'static str,
        cluster: &ClusterName,
        service: Option<&ServiceName>,
        err: SdkError<E, HttpResponse>,
    ) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let code = err
            .as_service_error()
            .and_then(ProvideErrorMetadata::code)
            .map(str::to_string);
        let err = self.fail(operation, err);
        match (code.as_deref(), service) {
            (Some("ClusterNotFoundException"), _) => {
                err.with_not_found(format!("cluster {cluster}"))
            }
            (Some("ServiceNotFoundException"), Some(s)) => {
                err.with_not_found(format!("service {s} in cluster {cluster}"))
            }
            _ => err,
        }
    }
}

/// Describe calls report unknown items as `failures`, not errors: keep them in the log.
fn log_failures(operation: &'static str, failures: &[aws_sdk_ecs::types::Failure]) {
    for failure in failures {
        tracing::debug!(
            operation,
            arn = failure.arn().unwrap_or_default(),
            reason = failure.reason().unwrap_or_default(),
            "ECS describe failure"
        );
    }
}
