//! The EC2 adapter against a real moto server (`OPSDECK_MOTO_URL`): instances as host rows,
//! marked with the ECS cluster they are registered to and their running task count, and the
//! number of requests that takes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;
#[path = "common/moto.rs"]
mod moto;

use std::error::Error;

use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
use moto::{create_cluster, moto_clients as clients};
use opsdeck::backend::AwsClients;
use opsdeck::backend::hosts::{AwsEc2, DESCRIBE_CONTAINER_INSTANCES_BATCH};
use opsdeck::domain::status::InstanceState;

type TestResult = Result<(), Box<dyn Error>>;

/// Launch `n` tagged instances; returns their ids.
async fn launch(
    clients: &AwsClients,
    name: &str,
    env: &str,
    n: i32,
) -> Result<Vec<String>, Box<dyn Error>> {
    let image = clients
        .ec2
        .describe_images()
        .send()
        .await?
        .images()
        .first()
        .and_then(|i| i.image_id())
        .ok_or("moto has no images")?
        .to_string();
    let out = clients
        .ec2
        .run_instances()
        .image_id(image)
        .instance_type(InstanceType::T3Small)
        .min_count(n)
        .max_count(n)
        .tag_specifications(
            TagSpecification::builder()
                .resource_type(ResourceType::Instance)
                .tags(Tag::builder().key("Name").value(name).build())
                .tags(Tag::builder().key("env").value(env).build())
                .build(),
        )
        .send()
        .await?;
    Ok(out
        .instances()
        .iter()
        .filter_map(|i| i.instance_id().map(str::to_string))
        .collect())
}

/// Register `instance` as a container instance of `cluster`; returns its ARN.
async fn register(
    clients: &AwsClients,
    cluster: &str,
    instance: &str,
) -> Result<String, Box<dyn Error>> {
    let document = serde_json::json!({
        "accountId": "123456789012",
        "availabilityZone": "eu-west-1a",
        "instanceId": instance,
        "instanceType": "t3.small",
        "region": "eu-west-1",
    });
    let out = clients
        .ecs
        .register_container_instance()
        .cluster(cluster)
        .instance_identity_document(document.to_string())
        .instance_identity_document_signature("moto-does-not-check")
        .send()
        .await?;
    Ok(out
        .container_instance()
        .and_then(|c| c.container_instance_arn())
        .ok_or("no container instance ARN")?
        .to_string())
}

#[tokio::test]
async fn instances_are_rows_with_their_ecs_cluster() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let token = common::unique_token(10);
    let cluster = format!("odk-ec2-{token}");
    create_cluster(&clients, &cluster).await?;
    let nodes = launch(&clients, &format!("node-{token}"), "prod", 2).await?;
    let loner = launch(&clients, &format!("loner-{token}"), "dev", 1).await?;
    let gone = launch(&clients, &format!("gone-{token}"), "dev", 1).await?;
    for id in &nodes {
        register(&clients, &cluster, id).await?;
    }
    // Two tasks on the EC2 launch type: moto places them on the registered instances.
    let family = format!("odk-ec2-{token}");
    clients
        .ecs
        .register_task_definition()
        .family(&family)
        .requires_compatibilities(aws_sdk_ecs::types::Compatibility::Ec2)
        .container_definitions(
            aws_sdk_ecs::types::ContainerDefinition::builder()
                .name("app")
                .image("web:1")
                .memory(128)
                .cpu(128)
                .build(),
        )
        .send()
        .await?;
    let run = clients
        .ecs
        .run_task()
        .cluster(&cluster)
        .task_definition(&family)
        .launch_type(aws_sdk_ecs::types::LaunchType::Ec2)
        .count(2)
        .send()
        .await?;
    assert_eq!(run.tasks().len(), 2, "{:?}", run.failures());
    clients
        .ec2
        .terminate_instances()
        .set_instance_ids(Some(gone.clone()))
        .send()
        .await?;

    clients.counter.reset();
    let ec2 = AwsEc2::from_clients(&clients);
    let rows = ec2.hosts().await?;
    let mine: Vec<_> = rows.iter().filter(|r| r.name.ends_with(&token)).collect();
    assert_eq!(mine.len(), 4, "{mine:#?}");
    // Sorted by name: gone-, loner-, node-, node-.
    assert!(mine[0].name.starts_with("gone-"));
    assert_eq!(mine[0].state, InstanceState::Terminated);
    assert!(mine[0].is_gone());
    let loner_row = mine[1];
    assert_eq!(loner_row.id, loner[0]);
    assert_eq!(loner_row.state, InstanceState::Running);
    assert_eq!(loner_row.instance_type, "t3.small");
    assert!(loner_row.availability_zone.starts_with("eu-west-1"));
    assert!(!loner_row.private_ip.is_empty());
    assert!(loner_row.launched_at.is_some());
    assert_eq!(loner_row.tag("env"), Some("dev"));
    assert_eq!(loner_row.cluster, None);
    let mut tasks = 0;
    for row in &mine[2..] {
        assert!(nodes.contains(&row.id));
        assert_eq!(row.cluster.as_deref(), Some(cluster.as_str()));
        let n = row.running_tasks.unwrap();
        assert!(row.cluster_cell() == format!("{cluster} ({n})"));
        assert!(row.container_instance_arn.is_some());
        tasks += n;
    }
    assert_eq!(tasks, 2, "the running tasks are counted on their instances");
    // One listing: EC2 through its paginator, one ECS listing per cluster, never per instance.
    assert_eq!(clients.counter.get("DescribeInstances"), 1);
    assert_eq!(clients.counter.get("ListClusters"), 1);
    // At most one describe per 100 container instances of a cluster (plus one per cluster).
    let registered = rows.iter().filter(|r| r.cluster.is_some()).count() as u64;
    assert!(
        clients.counter.get("DescribeContainerInstances")
            <= clients.counter.get("ListContainerInstances") + registered / 100,
        "{:?}",
        clients.counter
    );
    Ok(())
}

#[tokio::test]
async fn container_instances_are_described_in_batches_of_100() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let token = common::unique_token(10);
    let cluster = format!("odk-big-{token}");
    create_cluster(&clients, &cluster).await?;
    let ids = launch(&clients, &format!("big-{token}"), "load", 130).await?;
    let mut arns = Vec::new();
    for id in &ids {
        arns.push(register(&clients, &cluster, id).await?);
    }
    clients.counter.reset();
    let ec2 = AwsEc2::from_clients(&clients);
    let found = ec2.cluster_instances(&cluster).await?;
    assert_eq!(found.len(), 130);
    assert_eq!(
        clients.counter.get("DescribeContainerInstances"),
        130_usize.div_ceil(DESCRIBE_CONTAINER_INSTANCES_BATCH) as u64
    );
    // A task's container instance leads to its EC2 instance.
    let id = ec2.instance_of(&cluster, &arns[7]).await?;
    assert_eq!(id.as_deref(), Some(ids[7].as_str()));
    let hosts = ec2
        .hosts_by_id(&[ids[7].clone(), "i-00000000000000000".into()])
        .await?;
    assert_eq!(hosts.len(), 1, "an id that does not exist is left out");
    assert_eq!(hosts[0].id, ids[7]);
    Ok(())
}

/// A run that requires its peers must not pass a moto test that found no moto: the same test
/// run alone without `OPSDECK_MOTO_URL` skips by default and fails under
/// `OPSDECK_REQUIRE_PEERS=1` and under its older name `OPSDECK_REQUIRE_DOCKER=1`.
#[test]
fn without_moto_a_run_requiring_peers_fails() {
    if common::child_mode().is_some() {
        return;
    }
    let test = "instances_are_rows_with_their_ecs_cluster";
    common::assert_child_passes(test, "no-peers-not-required", &[]);
    for name in [common::REQUIRE_PEERS_ENV, common::REQUIRE_PEERS_ALIAS_ENV] {
        let output = common::run_child(test, name, &[(name, std::ffi::OsStr::new("1"))]);
        assert!(
            !output.status.success(),
            "{test} passed without moto under {name}=1"
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("OPSDECK_REQUIRE_PEERS=1/CI requires moto"),
            "{stderr}"
        );
    }
}
