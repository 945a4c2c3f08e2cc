//! Where an ECS task's logs are: the log group and stream of each container, from the task
//! definition's `awslogs` options.
//!
//! With `awslogs-stream-prefix` the stream is `PREFIX/CONTAINER/TASK-ID`; without it (EC2
//! launch type only) it is the Docker container id. Containers that use another log driver, or
//! none, are reported in plain words instead of being silently skipped.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_ecs::types::TaskDefinition;

use crate::backend::aws::AwsClients;
use crate::backend::ecs::AwsEcs;
use crate::backend::error::BackendError;
use crate::domain::ecs::TaskRow;
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};
use crate::domain::status::TaskStatus;

/// The `awslogs` option naming the log group.
const GROUP: &str = "awslogs-group";
/// The `awslogs` option naming the stream prefix.
const PREFIX: &str = "awslogs-stream-prefix";
/// The `awslogs` option naming the region the logs go to.
const REGION: &str = "awslogs-region";

/// How one container of a task definition logs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerLogs {
    pub container: String,
    /// `awslogs`, `awsfirelens`, `splunk`…; `None` without a log configuration.
    pub driver: Option<String>,
    pub options: BTreeMap<String, String>,
}

/// One container's log stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskStream {
    pub group: String,
    pub stream: String,
    /// The full task id (last part of the task ARN).
    pub task_id: String,
    pub container: String,
}

/// One task's streams and what could not be followed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TaskLogs {
    pub task_id: String,
    pub last_status: TaskStatus,
    pub stopped_reason: String,
    pub streams: Vec<TaskStream>,
    /// One-line explanations (another log driver, no log configuration…).
    pub problems: Vec<String>,
}

impl TaskLogs {
    /// Whether the task has stopped (or is about to).
    pub fn stopped(&self) -> bool {
        self.last_status.is_stopping_or_stopped()
    }
}

/// The log settings of every container of a task definition.
pub fn container_logs(definition: &TaskDefinition) -> Vec<ContainerLogs> {
    definition
        .container_definitions()
        .iter()
        .map(|c| ContainerLogs {
            container: c.name().unwrap_or_default().to_string(),
            driver: c
                .log_configuration()
                .map(|l| l.log_driver().as_str().to_string()),
            options: c
                .log_configuration()
                .and_then(|l| l.options())
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// The streams of task `task_id` (of one container when `only` is given).
///
/// `runtime_ids` maps container names to Docker ids (the stream name when there is no stream
/// prefix); `region` is the region opsdeck reads from.
pub fn task_streams(
    task_id: &str,
    containers: &[ContainerLogs],
    runtime_ids: &HashMap<String, String>,
    only: Option<&str>,
    region: &str,
) -> (Vec<TaskStream>, Vec<String>) {
    let mut streams = Vec::new();
    let mut problems = Vec::new();
    if let Some(name) = only
        && !containers.iter().any(|c| c.container == name)
    {
        problems.push(format!(
            "container {name} is not in the task definition: check the name"
        ));
        return (streams, problems);
    }
    for c in containers
        .iter()
        .filter(|c| only.is_none_or(|name| c.container == name))
    {
        match stream_of(task_id, c, runtime_ids, region) {
            Ok(stream) => streams.push(stream),
            Err(problem) => problems.push(problem),
        }
    }
    (streams, problems)
}

fn stream_of(
    task_id: &str,
    c: &ContainerLogs,
    runtime_ids: &HashMap<String, String>,
    region: &str,
) -> Result<TaskStream, String> {
    let name = &c.container;
    match c.driver.as_deref() {
        None => {
            return Err(format!(
                "container {name} has no log configuration: its output does not go to CloudWatch Logs"
            ));
        }
        Some("awslogs") => {}
        Some("awsfirelens") => {
            return Err(format!(
                "container {name} logs through FireLens (awsfirelens): follow it where FireLens sends it"
            ));
        }
        Some(other) => {
            return Err(format!(
                "container {name} uses the {other} log driver: opsdeck follows only awslogs (CloudWatch Logs)"
            ));
        }
    }
    let group = c
        .options
        .get(GROUP)
        .filter(|g| !g.is_empty())
        .ok_or_else(|| {
            format!("container {name} uses awslogs without {GROUP}: no log group to read")
        })?;
    if let Some(other) = c
        .options
        .get(REGION)
        .filter(|r| !r.is_empty() && *r != region)
    {
        return Err(format!(
            "container {name} logs to region {other}: start opsdeck with --region {other} to follow it"
        ));
    }
    let stream = match c.options.get(PREFIX).filter(|p| !p.is_empty()) {
        Some(prefix) => format!("{prefix}/{name}/{task_id}"),
        None => match runtime_ids.get(name).filter(|id| !id.is_empty()) {
            Some(id) => id.clone(),
            None => {
                return Err(format!(
                    "container {name} has no {PREFIX} and no Docker id yet: its stream cannot be named"
                ));
            }
        },
    };
    Ok(TaskStream {
        group: group.clone(),
        stream,
        task_id: task_id.to_string(),
        container: name.clone(),
    })
}

/// Finds the streams of tasks and services. Task definitions are described once per
/// `family:revision` and kept (they never change).
#[derive(Debug, Clone)]
pub struct StreamResolver {
    client: aws_sdk_ecs::Client,
    ecs: AwsEcs,
    region: String,
    definitions: HashMap<String, Vec<ContainerLogs>>,
}

impl StreamResolver {
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self {
            client: clients.ecs.clone(),
            ecs: AwsEcs::from_clients(clients),
            region: clients.region.clone(),
            definitions: HashMap::new(),
        }
    }

    /// One task's streams (one container's with `container`).
    pub async fn task(
        &mut self,
        cluster: &ClusterName,
        task: &TaskArn,
        container: Option<&str>,
    ) -> Result<TaskLogs, BackendError> {
        let row = self.ecs.task(cluster, task).await?;
        self.task_logs(&row, container).await
    }

    /// The streams of a service's running tasks, and of those that stopped recently (with
    /// their stop reason).
    pub async fn service(
        &mut self,
        cluster: &ClusterName,
        service: &ServiceName,
    ) -> Result<Vec<TaskLogs>, BackendError> {
        let rows = self.ecs.tasks(cluster, Some(service), true).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.task_logs(row, None).await?);
        }
        Ok(out)
    }

    async fn task_logs(
        &mut self,
        row: &TaskRow,
        container: Option<&str>,
    ) -> Result<TaskLogs, BackendError> {
        let region = self.region.clone();
        let containers = self.definition(&row.task_definition).await?;
        let runtime_ids: HashMap<String, String> = row
            .containers
            .iter()
            .map(|c| (c.name.clone(), c.runtime_id.clone()))
            .collect();
        let (streams, problems) =
            task_streams(row.arn.id(), containers, &runtime_ids, container, &region);
        Ok(TaskLogs {
            task_id: row.arn.id().to_string(),
            last_status: row.last_status.clone(),
            stopped_reason: row.stopped_reason.clone(),
            streams,
            problems,
        })
    }

    /// The containers' log settings of `family:revision` (or an ARN), described once.
    pub async fn definition(&mut self, name: &str) -> Result<&[ContainerLogs], BackendError> {
        if !self.definitions.contains_key(name) {
            let out = self
                .client
                .describe_task_definition()
                .task_definition(name)
                .send()
                .await
                .map_err(|e| {
                    BackendError::from_sdk("DescribeTaskDefinition", e)
                        .with_not_found(format!("task definition {name}"))
                })?;
            let logs = out
                .task_definition()
                .map(container_logs)
                .unwrap_or_default();
            self.definitions.insert(name.to_string(), logs);
        }
        Ok(self
            .definitions
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use aws_sdk_ecs::types::{ContainerDefinition, LogConfiguration, LogDriver};

    use super::*;

    fn awslogs(group: &str, prefix: Option<&str>) -> LogConfiguration {
        let mut b = LogConfiguration::builder()
            .log_driver(LogDriver::Awslogs)
            .options(GROUP, group)
            .options(REGION, "eu-west-1");
        if let Some(p) = prefix {
            b = b.options(PREFIX, p);
        }
        b.build().unwrap()
    }

    fn definition() -> TaskDefinition {
        TaskDefinition::builder()
            .container_definitions(
                ContainerDefinition::builder()
                    .name("web")
                    .log_configuration(awslogs("/ecs/shop", Some("shop")))
                    .build(),
            )
            .container_definitions(
                ContainerDefinition::builder()
                    .name("sidecar")
                    .log_configuration(awslogs("/ecs/sidecars", None))
                    .build(),
            )
            .container_definitions(
                ContainerDefinition::builder()
                    .name("router")
                    .log_configuration(
                        LogConfiguration::builder()
                            .log_driver(LogDriver::Awsfirelens)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .container_definitions(
                ContainerDefinition::builder()
                    .name("legacy")
                    .log_configuration(
                        LogConfiguration::builder()
                            .log_driver(LogDriver::Splunk)
                            .build()
                            .unwrap(),
                    )
                    .build(),
            )
            .container_definitions(ContainerDefinition::builder().name("silent").build())
            .build()
    }

    #[test]
    fn streams_are_named_prefix_container_task_id() {
        let logs = container_logs(&definition());
        let ids = HashMap::from([("sidecar".to_string(), "d0c4e2".to_string())]);
        let (streams, problems) = task_streams("abc123", &logs, &ids, None, "eu-west-1");
        assert_eq!(
            streams,
            vec![
                TaskStream {
                    group: "/ecs/shop".into(),
                    stream: "shop/web/abc123".into(),
                    task_id: "abc123".into(),
                    container: "web".into(),
                },
                // Without a stream prefix the stream is the Docker container id.
                TaskStream {
                    group: "/ecs/sidecars".into(),
                    stream: "d0c4e2".into(),
                    task_id: "abc123".into(),
                    container: "sidecar".into(),
                },
            ]
        );
        assert_eq!(
            problems,
            vec![
                "container router logs through FireLens (awsfirelens): follow it where FireLens sends it",
                "container legacy uses the splunk log driver: opsdeck follows only awslogs (CloudWatch Logs)",
                "container silent has no log configuration: its output does not go to CloudWatch Logs",
            ]
        );
    }

    #[test]
    fn one_container_can_be_chosen() {
        let logs = container_logs(&definition());
        let (streams, problems) =
            task_streams("t1", &logs, &HashMap::new(), Some("web"), "eu-west-1");
        assert_eq!(streams.len(), 1);
        assert_eq!(streams[0].stream, "shop/web/t1");
        assert!(problems.is_empty());
        let (streams, problems) =
            task_streams("t1", &logs, &HashMap::new(), Some("legacy"), "eu-west-1");
        assert!(streams.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("splunk"), "{problems:?}");
        let (_, problems) = task_streams("t1", &logs, &HashMap::new(), Some("nope"), "eu-west-1");
        assert_eq!(
            problems,
            vec!["container nope is not in the task definition: check the name"]
        );
    }

    #[test]
    fn unnameable_streams_and_other_regions_are_explained() {
        let logs = container_logs(&definition());
        let (_, problems) =
            task_streams("t1", &logs, &HashMap::new(), Some("sidecar"), "eu-west-1");
        assert!(
            problems[0].contains("no awslogs-stream-prefix"),
            "{problems:?}"
        );
        let (streams, problems) =
            task_streams("t1", &logs, &HashMap::new(), Some("web"), "us-east-1");
        assert!(streams.is_empty());
        assert!(problems[0].contains("--region eu-west-1"), "{problems:?}");
    }
}
