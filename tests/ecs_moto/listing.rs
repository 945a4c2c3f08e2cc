//! Clusters, services and tasks as rows, and the requests each listing takes.

use std::net::Ipv4Addr;

use opsdeck::backend::{AwsEcs, BackendError, connect};
use opsdeck::domain::ids::{ClusterName, ServiceName, TaskArn};
use opsdeck::domain::status::{ClusterStatus, RolloutState, ServiceStatus, TaskStatus};

use super::fleet::{Fleet, service_names};
use super::{REGION, TestResult, common, moto_target};

#[tokio::test]
async fn clusters_are_listed_with_their_counts() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    fleet.create_services(&service_names("web", 2)).await?;
    fleet.run_tasks("web000", 3).await?;

    let clusters = fleet.ecs.clusters().await?;
    let row = clusters
        .iter()
        .find(|c| c.name == fleet.cluster)
        .ok_or("seeded cluster not listed")?;
    assert_eq!(row.status, ClusterStatus::Active);
    assert!(row.arn.ends_with(&format!(":cluster/{}", fleet.cluster)));
    // moto derives the task counts from the services' initial counts (desired 1 each) rather
    // than from RunTask, and never counts services: compare with what it answers.
    assert_eq!(row.running_tasks + row.pending_tasks, 2);
    assert_eq!(row.container_instances, 0);
    assert_eq!(fleet.count("ListClusters"), 1);
    let batches = clusters.len().div_ceil(100) as u64;
    assert_eq!(fleet.count("DescribeClusters"), batches);
    let raw = fleet
        .clients
        .ecs
        .describe_clusters()
        .clusters(fleet.cluster.as_str())
        .send()
        .await?;
    let raw = raw.clusters().first().ok_or("cluster not described")?;
    assert_eq!(row.active_services, raw.active_services_count());
    assert_eq!(row.running_tasks, raw.running_tasks_count());
    assert_eq!(row.pending_tasks, raw.pending_tasks_count());
    Ok(())
}

#[tokio::test]
async fn services_are_described_ten_at_a_time() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let names = service_names("svc", 25);
    fleet.create_services(&names).await?;

    let rows = fleet.ecs.services(&fleet.cluster).await?;
    assert_eq!(fleet.count("ListServices"), 1);
    assert_eq!(fleet.count("DescribeServices"), 3, "ceil(25 / 10)");
    assert_eq!(fleet.clients.counter.total(), 4);

    // Rows keep ListServices order.
    let listed = fleet
        .clients
        .ecs
        .list_services()
        .cluster(fleet.cluster.as_str())
        .send()
        .await?;
    let listed: Vec<&str> = listed
        .service_arns()
        .iter()
        .map(|arn| arn.rsplit('/').next().unwrap_or(arn))
        .collect();
    let got: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(got, listed);

    let row = &rows[0];
    assert_eq!(row.cluster, fleet.cluster);
    assert_eq!(row.status, ServiceStatus::Active);
    assert_eq!(row.task_definition, format!("{}:1", fleet.family));
    assert_eq!(row.launch_type, "FARGATE");
    assert_eq!(row.desired, 1);
    assert_eq!(row.rollout, RolloutState::InProgress);
    // moto gives services no createdAt (the conversion is unit-tested in the backend).
    assert!(
        row.arn
            .ends_with(&format!("service/{}/{}", fleet.cluster, row.name))
    );
    Ok(())
}

#[tokio::test]
async fn two_hundred_fifty_services_take_twenty_five_describes() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    fleet.create_services(&service_names("s", 250)).await?;

    let rows = fleet.ecs.services(&fleet.cluster).await?;
    assert_eq!(rows.len(), 250);
    assert_eq!(fleet.count("DescribeServices"), 25);
    // moto never paginates; against AWS this would be 3 pages of 100.
    assert_eq!(fleet.count("ListServices"), 1);
    Ok(())
}

#[tokio::test]
async fn tasks_are_described_a_hundred_at_a_time() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    fleet.create_services(&["api".to_string()]).await?;
    let arns = fleet.run_tasks("api", 150).await?;

    let rows = fleet.ecs.tasks(&fleet.cluster, None, false).await?;
    assert_eq!(rows.len(), 150);
    assert_eq!(fleet.count("ListTasks"), 1);
    assert_eq!(fleet.count("DescribeTasks"), 2, "ceil(150 / 100)");

    let row = rows
        .iter()
        .find(|r| r.arn.0 == arns[0])
        .ok_or("first task missing")?;
    assert_eq!(row.cluster, fleet.cluster);
    assert_eq!(row.group, "service:api");
    assert_eq!(row.launch_type, "FARGATE");
    assert_eq!(row.task_definition, format!("{}:1", fleet.family));
    assert_eq!(row.last_status, TaskStatus::Running);
    assert_eq!(row.desired_status, TaskStatus::Running);
    assert!(
        row.private_ip.parse::<Ipv4Addr>().is_ok(),
        "moto fills the ENI's privateIPv4Address: {:?}",
        row.private_ip
    );
    assert_eq!(row.containers.len(), 1);
    assert_eq!(row.containers[0].name, "app");
    assert_eq!(row.containers[0].image, "public.ecr.aws/nginx/nginx:1.27");
    assert!(!row.containers[0].last_status.is_empty());
    Ok(())
}

#[tokio::test]
async fn tasks_filter_by_service_and_include_stopped_ones() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    fleet
        .create_services(&["web".to_string(), "worker".to_string()])
        .await?;
    let web = fleet.run_tasks("web", 3).await?;
    fleet.run_tasks("worker", 2).await?;
    fleet
        .clients
        .ecs
        .stop_task()
        .cluster(fleet.cluster.as_str())
        .task(&web[0])
        .reason("scaled in by test")
        .send()
        .await?;

    let service = ServiceName::from("web");
    let running = fleet
        .ecs
        .tasks(&fleet.cluster, Some(&service), false)
        .await?;
    assert_eq!(running.len(), 2);
    assert!(running.iter().all(|r| r.group == "service:web"));

    let all = fleet
        .ecs
        .tasks(&fleet.cluster, Some(&service), true)
        .await?;
    assert_eq!(all.len(), 3);
    let stopped = all
        .iter()
        .find(|r| r.arn.0 == web[0])
        .ok_or("stopped task missing")?;
    assert_eq!(stopped.desired_status, TaskStatus::Stopped);
    assert_eq!(stopped.stopped_reason, "scaled in by test");

    let everything = fleet.ecs.tasks(&fleet.cluster, None, true).await?;
    assert_eq!(everything.len(), 5);
    Ok(())
}

#[tokio::test]
async fn one_task_is_found_or_not_found() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let fleet = Fleet::new(&url).await?;
    let arns = fleet.run_tasks("solo", 1).await?;

    let arn = TaskArn(arns[0].clone());
    let row = fleet.ecs.task(&fleet.cluster, &arn).await?;
    assert_eq!(row.arn, arn);
    assert_eq!(fleet.count("DescribeTasks"), 1);

    let missing = TaskArn(format!(
        "arn:aws:ecs:{REGION}:123456789012:task/{}/0123456789abcdef0123456789abcdef",
        fleet.cluster
    ));
    let err = fleet.ecs.task(&fleet.cluster, &missing).await.unwrap_err();
    assert!(
        matches!(&err, BackendError::NotFound { what } if what.contains("01234567")),
        "{err:?}"
    );
    Ok(())
}

#[tokio::test]
async fn a_missing_cluster_is_not_found() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let ecs = AwsEcs::from_clients(&connect(&moto_target(&url)).await?);
    let cluster = ClusterName(format!("odk-{}", common::unique_token(12)));
    let err = ecs.services(&cluster).await.unwrap_err();
    assert_eq!(
        err,
        BackendError::NotFound {
            what: format!("cluster {cluster}")
        }
    );
    let err = ecs.tasks(&cluster, None, false).await.unwrap_err();
    assert!(matches!(err, BackendError::NotFound { .. }), "{err:?}");
    Ok(())
}
