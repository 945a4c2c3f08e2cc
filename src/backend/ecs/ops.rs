//! ECS operations: read a service's deployments and events, check a resource before a change,
//! and send the change (UpdateService, StopTask). Also the caller identity from STS.
//!
//! Every sent change returns the AWS request id, so the audit journal can name it.

use std::error::Error as StdError;

use aws_sdk_ecs::operation::update_service::UpdateServiceOutput;
use aws_sdk_ecs::operation::update_service::builders::UpdateServiceFluentBuilder;
use aws_sdk_ecs::types::{DesiredStatus, SortOrder, TaskDefinitionStatus};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

use crate::backend::aws::AwsClients;
use crate::backend::ecs::ops_rows::{service_detail, task_definition_images};
use crate::backend::error::BackendError;
use crate::domain::ecs::family_revision;
use crate::domain::ids::{ClusterName, ServiceName, name_from_arn};
use crate::domain::service::{RollbackPlan, ServiceDetail, TaskDefinitionImages};
use crate::domain::status::TaskStatus;

/// Stopped tasks shown on the detail view (the most recent ones ECS lists).
const STOPPED_SHOWN: i32 = 20;

/// A change AWS accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// What is true now (`desired is now 7`).
    pub summary: String,
    pub request_id: Option<String>,
}

/// A change AWS refused or that could not be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailed {
    pub error: BackendError,
    /// Present when AWS answered.
    pub request_id: Option<String>,
}

/// What a service looks like just before a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceState {
    pub status: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    /// `family:revision`.
    pub task_definition: String,
    pub deployments: usize,
}

/// What a task looks like just before it is stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskState {
    pub last_status: TaskStatus,
    pub desired_status: TaskStatus,
    pub group: String,
}

/// ECS operations and reads for them. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AwsOps {
    ecs: aws_sdk_ecs::Client,
    sts: aws_sdk_sts::Client,
    endpoint: String,
}

impl AwsOps {
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self {
            ecs: clients.ecs.clone(),
            sts: clients.sts.clone(),
            endpoint: clients.endpoint_label(),
        }
    }

    /// The caller identity ARN and account (STS `GetCallerIdentity`).
    pub async fn caller_identity(&self) -> Result<(String, String), BackendError> {
        let out = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| self.fail("GetCallerIdentity", e))?;
        Ok((
            out.arn().unwrap_or_default().to_string(),
            out.account().unwrap_or_default().to_string(),
        ))
    }

    /// A service's deployments, events and recently stopped tasks.
    pub async fn service_detail(
        &self,
        cluster: &ClusterName,
        service: &str,
    ) -> Result<ServiceDetail, BackendError> {
        let svc = self.describe_service(cluster, service).await?;
        let stopped = self
            .stopped_tasks(cluster, service)
            .await
            .unwrap_or_else(|e| {
                tracing::info!("stopped tasks of {cluster}/{service} unknown: {e}");
                Vec::new()
            });
        Ok(service_detail(cluster, &svc, &stopped))
    }

    /// A service's counts and task definition; `NotFound` when it is gone or inactive.
    pub async fn service_state(
        &self,
        cluster: &ClusterName,
        service: &str,
    ) -> Result<ServiceState, BackendError> {
        let svc = self.describe_service(cluster, service).await?;
        Ok(ServiceState {
            status: svc.status().unwrap_or_default().to_string(),
            desired: svc.desired_count(),
            running: svc.running_count(),
            pending: svc.pending_count(),
            task_definition: family_revision(svc.task_definition().unwrap_or_default()),
            deployments: svc.deployments().len(),
        })
    }

    /// A task's status; `NotFound` when ECS does not know it (any more).
    pub async fn task_state(
        &self,
        cluster: &ClusterName,
        task: &str,
    ) -> Result<TaskState, BackendError> {
        let out = self
            .ecs
            .describe_tasks()
            .cluster(cluster.as_str())
            .tasks(task)
            .send()
            .await
            .map_err(|e| self.fail("DescribeTasks", e))?;
        let gone = || BackendError::NotFound {
            what: format!("task {} in cluster {cluster}", short(task)),
        };
        let found = out.tasks().first().ok_or_else(gone)?;
        Ok(TaskState {
            last_status: TaskStatus::from(found.last_status()),
            desired_status: TaskStatus::from(found.desired_status()),
            group: found.group().unwrap_or_default().to_string(),
        })
    }

    /// Set a service's desired count.
    pub async fn set_desired(
        &self,
        cluster: &ClusterName,
        service: &str,
        desired: i32,
    ) -> Result<Sent, SendFailed> {
        let out = self
            .update_service(cluster, service, |b| b.desired_count(desired))
            .await?;
        let now = out.service().map_or(desired, |s| s.desired_count());
        Ok(sent(format!("desired is now {now}"), &out))
    }

    /// Start a new deployment of the same task definition (tasks are replaced).
    pub async fn force_new_deployment(
        &self,
        cluster: &ClusterName,
        service: &str,
    ) -> Result<Sent, SendFailed> {
        let out = self
            .update_service(cluster, service, |b| b.force_new_deployment(true))
            .await?;
        let deployment = out
            .service()
            .and_then(|s| {
                s.deployments()
                    .iter()
                    .find(|d| d.status() == Some("PRIMARY"))
            })
            .and_then(|d| d.id())
            .unwrap_or("a new deployment");
        Ok(sent(format!("{deployment} started"), &out))
    }

    /// Point a service at another task definition (`family:revision` or ARN).
    pub async fn set_task_definition(
        &self,
        cluster: &ClusterName,
        service: &str,
        task_definition: &str,
    ) -> Result<Sent, SendFailed> {
        let out = self
            .update_service(cluster, service, |b| b.task_definition(task_definition))
            .await?;
        let now = out
            .service()
            .and_then(|s| s.task_definition())
            .map(family_revision)
            .unwrap_or_else(|| task_definition.to_string());
        Ok(sent(format!("task definition is now {now}"), &out))
    }

    /// Stop a task, recording `reason` in ECS.
    pub async fn stop_task(
        &self,
        cluster: &ClusterName,
        task: &str,
        reason: &str,
    ) -> Result<Sent, SendFailed> {
        let out = self
            .ecs
            .stop_task()
            .cluster(cluster.as_str())
            .task(task)
            .reason(reason)
            .send()
            .await
            .map_err(|e| self.send_failed("StopTask", e))?;
        let status = out
            .task()
            .and_then(|t| t.desired_status())
            .unwrap_or("STOPPED");
        Ok(sent(
            format!("task {} is {}", short(task), status.to_lowercase()),
            &out,
        ))
    }

    /// The service's task definition and the ACTIVE revision of the same family before it.
    pub async fn rollback_plan(
        &self,
        cluster: &ClusterName,
        service: &str,
    ) -> Result<RollbackPlan, BackendError> {
        let svc = self.describe_service(cluster, service).await?;
        let current_arn = svc.task_definition().unwrap_or_default().to_string();
        let current = self.task_definition(&current_arn).await?;
        let (family, revision) =
            split_family_revision(&current.family_revision).ok_or_else(|| {
                BackendError::Other(format!(
                    "cannot tell the revision of {}",
                    current.family_revision
                ))
            })?;
        let arns: Vec<String> = self
            .ecs
            .list_task_definitions()
            .family_prefix(family)
            .status(TaskDefinitionStatus::Active)
            .sort(SortOrder::Desc)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| self.fail("ListTaskDefinitions", e))?;
        let previous =
            previous_revision(&arns, family, revision).ok_or_else(|| BackendError::NotFound {
                what: format!(
                    "an ACTIVE revision of {family} before {revision} (nothing to roll back to)"
                ),
            })?;
        let previous = self.task_definition(&previous).await?;
        Ok(RollbackPlan {
            cluster: cluster.clone(),
            service: ServiceName::from(service),
            current,
            previous,
        })
    }

    /// One task definition and the images of its containers.
    pub async fn task_definition(&self, td: &str) -> Result<TaskDefinitionImages, BackendError> {
        let out = self
            .ecs
            .describe_task_definition()
            .task_definition(td)
            .send()
            .await
            .map_err(|e| {
                self.fail("DescribeTaskDefinition", e)
                    .with_not_found(format!("task definition {}", family_revision(td)))
            })?;
        out.task_definition()
            .map(task_definition_images)
            .ok_or_else(|| BackendError::NotFound {
                what: format!("task definition {}", family_revision(td)),
            })
    }

    /// Send one `UpdateService` to `service` of `cluster`; `set` adds what changes.
    async fn update_service(
        &self,
        cluster: &ClusterName,
        service: &str,
        set: impl FnOnce(UpdateServiceFluentBuilder) -> UpdateServiceFluentBuilder,
    ) -> Result<UpdateServiceOutput, SendFailed> {
        set(self
            .ecs
            .update_service()
            .cluster(cluster.as_str())
            .service(service))
        .send()
        .await
        .map_err(|e| self.send_failed("UpdateService", e))
    }

    async fn describe_service(
        &self,
        cluster: &ClusterName,
        service: &str,
    ) -> Result<aws_sdk_ecs::types::Service, BackendError> {
        let out = self
            .ecs
            .describe_services()
            .cluster(cluster.as_str())
            .services(service)
            .send()
            .await
            .map_err(|e| {
                let code = e.as_service_error().and_then(ProvideErrorMetadata::code);
                let cluster_gone = code == Some("ClusterNotFoundException");
                let err = self.fail("DescribeServices", e);
                if cluster_gone {
                    err.with_not_found(format!("cluster {cluster}"))
                } else {
                    err
                }
            })?;
        let svc = out
            .services()
            .first()
            .cloned()
            .ok_or_else(|| BackendError::NotFound {
                what: format!("service {service} in cluster {cluster}"),
            })?;
        match svc.status() {
            Some("ACTIVE") | None => Ok(svc),
            Some(other) => Err(BackendError::Other(format!(
                "service {service} in cluster {cluster} is {other}"
            ))),
        }
    }

    async fn stopped_tasks(
        &self,
        cluster: &ClusterName,
        service: &str,
    ) -> Result<Vec<aws_sdk_ecs::types::Task>, BackendError> {
        let listed = self
            .ecs
            .list_tasks()
            .cluster(cluster.as_str())
            .service_name(service)
            .desired_status(DesiredStatus::Stopped)
            .max_results(STOPPED_SHOWN)
            .send()
            .await
            .map_err(|e| self.fail("ListTasks", e))?;
        let arns = listed.task_arns().to_vec();
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let out = self
            .ecs
            .describe_tasks()
            .cluster(cluster.as_str())
            .set_tasks(Some(arns))
            .send()
            .await
            .map_err(|e| self.fail("DescribeTasks", e))?;
        // Emulators ignore the service filter; ECS groups a service's tasks as `service:NAME`.
        let group = format!("service:{service}");
        Ok(out
            .tasks()
            .iter()
            .filter(|t| t.group() == Some(group.as_str()) && t.last_status() == Some("STOPPED"))
            .cloned()
            .collect())
    }

    fn fail<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        BackendError::from_sdk(operation, err).with_endpoint(&self.endpoint)
    }

    fn send_failed<E>(&self, operation: &'static str, err: SdkError<E, HttpResponse>) -> SendFailed
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let request_id = err.request_id().map(str::to_string).or_else(|| {
            err.raw_response()
                .and_then(|r| r.headers().get("x-amzn-requestid"))
                .map(str::to_string)
        });
        SendFailed {
            error: self.fail(operation, err),
            request_id,
        }
    }
}

/// An accepted change: `summary` and the request id AWS answered with.
fn sent(summary: String, out: &impl RequestId) -> Sent {
    Sent {
        summary,
        request_id: out.request_id().map(str::to_string),
    }
}

/// `web:12` → (`web`, 12).
pub fn split_family_revision(text: &str) -> Option<(&str, i32)> {
    let (family, revision) = text.rsplit_once(':')?;
    Some((family, revision.parse().ok()?))
}

/// The highest revision of exactly `family` below `revision` among task definition ARNs
/// (`ListTaskDefinitions` matches families by prefix: `web` also lists `web-worker`).
pub fn previous_revision(arns: &[String], family: &str, revision: i32) -> Option<String> {
    arns.iter()
        .filter_map(|arn| {
            let (f, r) = split_family_revision(name_from_arn(arn))?;
            (f == family && r < revision).then_some((r, arn))
        })
        .max_by_key(|(r, _)| *r)
        .map(|(_, arn)| arn.clone())
}

fn short(task: &str) -> &str {
    let id = name_from_arn(task);
    match id.char_indices().nth(8) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_revision_is_of_the_same_family() {
        let arns: Vec<String> = [
            "arn:aws:ecs:r:1:task-definition/web-worker:9",
            "arn:aws:ecs:r:1:task-definition/web:8",
            "arn:aws:ecs:r:1:task-definition/web:5",
            "arn:aws:ecs:r:1:task-definition/web:7",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            previous_revision(&arns, "web", 8).as_deref(),
            Some("arn:aws:ecs:r:1:task-definition/web:7")
        );
        assert_eq!(previous_revision(&arns, "web", 5), None);
        assert_eq!(split_family_revision("a:b:3"), Some(("a:b", 3)));
        assert_eq!(split_family_revision("web"), None);
    }
}
