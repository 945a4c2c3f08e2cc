//! ECS tails: a service's tasks merged, a task, a container, and what cannot be followed.

use std::error::Error;
use std::time::Duration;

use aws_sdk_ecs::types::{ContainerDefinition, LogConfiguration, LogDriver, NetworkConfiguration};
use opsdeck::app::logs::LogSource;
use opsdeck::backend::AwsClients;

use super::support::{GROUPS, Tail, TestResult, clients, new_stream, now_ms, polling, put};
use super::{common, moto};

/// One test's service: a cluster, a Fargate task definition whose `app` container logs to
/// `/ecs/FAMILY` with stream prefix `app`, and a service.
struct Service {
    clients: AwsClients,
    cluster: String,
    service: String,
    group: String,
    task_definition: String,
    network: NetworkConfiguration,
}

impl Service {
    async fn new(url: &str) -> Result<Service, Box<dyn Error>> {
        let clients = clients(url).await?;
        let cluster = format!("odl-{}", common::unique_token(12));
        moto::create_cluster(&clients, &cluster).await?;
        let family = format!("{cluster}-web");
        let group = format!("/ecs/{family}");
        {
            let _lock = GROUPS.lock().await;
            clients
                .logs
                .create_log_group()
                .log_group_name(&group)
                .send()
                .await?;
        }
        let containers = vec![
            container("app", Some(awslogs(&group))),
            container("proxy", Some(splunk())),
            container("init", None),
        ];
        let task_definition = moto::register_fargate(&clients, &family, containers).await?;
        let (network, _) = moto::default_vpc_network(&clients).await?;
        let service = "web".to_string();
        moto::create_fargate_service(&clients, &cluster, &service, &task_definition, 1, &network)
            .await?;
        Ok(Service {
            clients,
            cluster,
            service,
            group,
            task_definition,
            network,
        })
    }

    /// Start `count` tasks as the service would; their ids.
    async fn run_tasks(&self, count: i32) -> Result<Vec<String>, Box<dyn Error>> {
        let out = moto::run_fargate_tasks(
            &self.clients,
            &self.cluster,
            &self.task_definition,
            count,
            &self.service,
            Some(&format!("ecs-svc/{}", self.service)),
            &self.network,
        )
        .await?;
        assert!(out.failures().is_empty(), "{out:?}");
        let mut ids = Vec::new();
        for arn in out.tasks().iter().filter_map(|t| t.task_arn()) {
            let id = arn.rsplit('/').next().unwrap_or(arn).to_string();
            new_stream(&self.clients, &self.group, &stream("app", &id)).await?;
            ids.push(id);
        }
        Ok(ids)
    }

    async fn stop(&self, task_id: &str, reason: &str) -> TestResult {
        self.clients
            .ecs
            .stop_task()
            .cluster(&self.cluster)
            .task(task_id)
            .reason(reason)
            .send()
            .await?;
        Ok(())
    }

    fn source(&self) -> LogSource {
        LogSource::EcsService {
            cluster: self.cluster.as_str().into(),
            service: self.service.as_str().into(),
        }
    }
}

fn stream(container: &str, task_id: &str) -> String {
    format!("app/{container}/{task_id}")
}

fn awslogs(group: &str) -> LogConfiguration {
    moto::awslogs(group, "app").unwrap()
}

fn splunk() -> LogConfiguration {
    LogConfiguration::builder()
        .log_driver(LogDriver::Splunk)
        .build()
        .unwrap()
}

fn container(name: &str, logs: Option<LogConfiguration>) -> ContainerDefinition {
    moto::container(name, "public.ecr.aws/nginx/nginx:1.27", 64, logs)
}

#[tokio::test]
async fn a_service_tail_merges_its_tasks_streams_in_time_order() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let svc = Service::new(&url).await?;
    let ids = svc.run_tasks(3).await?;
    let t0 = now_ms() - 10_000;
    // Interleaved across the three tasks' streams.
    for (i, id) in ids.iter().enumerate() {
        let events: Vec<(i64, String)> = (0..3)
            .map(|k| {
                (
                    t0 + (k * 3 + i as i64) * 10,
                    format!("line-{}", k * 3 + i as i64),
                )
            })
            .collect();
        put(&svc.clients, &svc.group, &stream("app", id), &events).await?;
    }
    let mut tail = Tail::start(&url, polling(), svc.source(), 100);
    tail.until(Duration::from_secs(15), |t| t.lines.len() >= 9)
        .await;
    let expected: Vec<String> = (0..9).map(|n| format!("line-{n}")).collect();
    assert_eq!(tail.texts(), expected);
    // Each line says which task and container it comes from; a colour per task.
    for line in &tail.lines {
        let n: usize = line.text["line-".len()..].parse()?;
        let id = &ids[n % 3];
        assert_eq!(line.label, format!("{}/app", &id[..8]));
    }
    let colours: std::collections::HashSet<u8> =
        tail.lines.iter().map(|l| l.label_colour).collect();
    assert_eq!(colours.len(), 3);
    // The containers that cannot be followed are named, once each.
    assert!(
        tail.problems.iter().any(|p| p == "container proxy uses the splunk log driver: opsdeck follows only awslogs (CloudWatch Logs)"),
        "{:?}",
        tail.problems
    );
    assert!(
        tail.problems.iter().any(|p| p == "container init has no log configuration: its output does not go to CloudWatch Logs"),
        "{:?}",
        tail.problems
    );

    // Lines put while the tail is open, in several streams.
    let now = now_ms();
    put(
        &svc.clients,
        &svc.group,
        &stream("app", &ids[2]),
        &[(now, "live-a".into())],
    )
    .await?;
    put(
        &svc.clients,
        &svc.group,
        &stream("app", &ids[0]),
        &[(now + 1, "live-b".into())],
    )
    .await?;
    tail.until(Duration::from_secs(10), |t| {
        t.has("live-a") && t.has("live-b")
    })
    .await;
    let texts = tail.texts();
    assert_eq!(&texts[9..], ["live-a", "live-b"]);
    Ok(())
}

#[tokio::test]
async fn replaced_tasks_join_the_tail_and_stopped_ones_are_reported() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let svc = Service::new(&url).await?;
    let first = svc.run_tasks(1).await?;
    let mut tail = Tail::start(&url, polling(), svc.source(), 100);
    tail.until(Duration::from_secs(10), |t| !t.modes.is_empty())
        .await;
    put(
        &svc.clients,
        &svc.group,
        &stream("app", &first[0]),
        &[(now_ms(), "from-old-task".into())],
    )
    .await?;
    tail.until(Duration::from_secs(10), |t| t.has("from-old-task"))
        .await;

    // A deployment: the old task stops, a new one starts and logs at once.
    svc.stop(&first[0], "Deployment replaced the task").await?;
    let second = svc.run_tasks(1).await?;
    put(
        &svc.clients,
        &svc.group,
        &stream("app", &second[0]),
        &[(now_ms(), "from-new-task".into())],
    )
    .await?;
    tail.until(Duration::from_secs(10), |t| t.has("from-new-task"))
        .await;
    let label = &tail
        .lines
        .iter()
        .find(|l| l.text == "from-new-task")
        .unwrap()
        .label;
    assert_eq!(label, &format!("{}/app", &second[0][..8]));
    let stopped = format!(
        "task {} stopped: Deployment replaced the task",
        &first[0][..8]
    );
    tail.until(Duration::from_secs(5), |t| t.problems.contains(&stopped))
        .await;
    Ok(())
}

#[tokio::test]
async fn one_filter_call_per_poll_for_a_ten_task_service() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let svc = Service::new(&url).await?;
    svc.run_tasks(10).await?;
    let settings = opsdeck::runtime::logs::cwlogs::CwSettings {
        refresh_interval: Duration::from_secs(60),
        ..polling()
    };
    let mut tail = Tail::start(&url, settings, svc.source(), 100);
    tail.until(Duration::from_secs(10), |t| !t.modes.is_empty())
        .await;
    let counter = tail.aws.clients().await?.counter;
    counter.reset();
    let window = Duration::from_millis(5_500);
    tail.idle(window).await;
    let filters = counter.get("FilterLogEvents");
    // One per poll (a poll a second), never one per stream (10 streams).
    assert!((4..=6).contains(&filters), "{:?}", counter.snapshot());
    assert_eq!(
        counter.get("DescribeLogStreams"),
        0,
        "{:?}",
        counter.snapshot()
    );
    assert_eq!(
        counter.get("DescribeTaskDefinition"),
        0,
        "{:?}",
        counter.snapshot()
    );
    Ok(())
}

#[tokio::test]
async fn a_container_and_a_task_can_be_followed_alone() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let svc = Service::new(&url).await?;
    let ids = svc.run_tasks(2).await?;
    let now = now_ms();
    put(
        &svc.clients,
        &svc.group,
        &stream("app", &ids[0]),
        &[(now - 1_000, "mine".into())],
    )
    .await?;
    put(
        &svc.clients,
        &svc.group,
        &stream("app", &ids[1]),
        &[(now - 900, "not mine".into())],
    )
    .await?;
    // DescribeTasks takes a task id as well as an ARN.
    let arn = ids[0].clone();
    let source = LogSource::EcsTask {
        cluster: svc.cluster.as_str().into(),
        task: arn.clone().into(),
        container: Some("app".into()),
    };
    let mut tail = Tail::start(&url, polling(), source, 100);
    tail.until(Duration::from_secs(10), |t| t.has("mine")).await;
    tail.idle(Duration::from_millis(1_500)).await;
    assert_eq!(tail.texts(), ["mine"]);
    // A single container's lines need no label.
    assert_eq!(tail.lines[0].label, "");

    // A container that logs elsewhere: said plainly, and the tail ends.
    let source = LogSource::EcsTask {
        cluster: svc.cluster.as_str().into(),
        task: arn.into(),
        container: Some("proxy".into()),
    };
    let mut tail = Tail::start(&url, polling(), source, 100);
    tail.until(Duration::from_secs(10), |t| t.ended.is_some())
        .await;
    assert_eq!(
        tail.ended.as_deref(),
        Some(
            "container proxy uses the splunk log driver: opsdeck follows only awslogs (CloudWatch Logs)"
        )
    );
    Ok(())
}
