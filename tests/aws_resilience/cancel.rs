//! Leaving a view stops its fetch: a newer fetch aborts the one still sending requests.

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt, stream};
use opsdeck::app::{Command, Msg};
use opsdeck::domain::ids::ClusterName;
use opsdeck::runtime::{AwsHandle, ecs};
use tokio::sync::mpsc;

use super::moto::{self, moto_target};
use super::{TestResult, common};

/// Services in the slow view: 3 pages of ListServices, then 30 DescribeServices.
const SERVICES: usize = 300;
const DESCRIBES: u64 = (SERVICES / 10) as u64;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newer_fetch_stops_the_one_in_flight() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let seed = moto::moto_clients(&url).await?;
    let cluster = format!("odk-{}", common::unique_token(12));
    moto::create_cluster(&seed, &cluster).await?;
    let app = moto::container("app", "public.ecr.aws/nginx/nginx:1.27", 128, None);
    let task_definition =
        moto::register_fargate(&seed, &format!("{cluster}-web"), vec![app]).await?;
    let (network, _) = moto::default_vpc_network(&seed).await?;
    stream::iter(0..SERVICES)
        .map(|i| {
            let (seed, cluster, task_definition, network) =
                (&seed, &cluster, &task_definition, &network);
            async move {
                let name = format!("svc-{i:04}");
                moto::create_fargate_service(seed, cluster, &name, task_definition, 0, network)
                    .await
            }
        })
        .buffer_unordered(8)
        .try_collect::<Vec<_>>()
        .await?;

    let (tx, mut rx) = mpsc::channel(64);
    let aws = AwsHandle::new(moto_target(&url), tx.clone());
    let clients = aws.clients().await?;
    let counter = clients.counter.clone();
    let sent = || counter.get("ListServices") + counter.get("DescribeServices");

    // The services view of a big cluster: slow. Wait until it is on the wire.
    ecs::run(
        Command::FetchServices {
            generation: 1,
            cluster: ClusterName(cluster.clone()),
        },
        &aws,
        tx.clone(),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while counter.get("ListServices") == 0 {
        assert!(
            Instant::now() < deadline,
            "the services fetch never started"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // The user moves on to the clusters view.
    ecs::run(Command::FetchClusters { generation: 2 }, &aws, tx.clone());
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await?
            .ok_or("channel closed")?;
        match msg {
            Msg::ClustersLoaded {
                generation, result, ..
            } => {
                assert_eq!(generation, 2);
                result?;
                break;
            }
            Msg::ServicesLoaded { .. } => panic!("the services fetch ran to its end"),
            _ => {}
        }
    }
    let stopped_at = sent();
    // Give a fetch that still ran the time to show it: it would finish in well under this.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        sent(),
        stopped_at,
        "the left view's fetch kept sending requests"
    );
    assert!(
        counter.get("DescribeServices") < DESCRIBES,
        "all {DESCRIBES} describes were sent"
    );
    while let Ok(msg) = rx.try_recv() {
        assert!(
            !matches!(msg, Msg::ServicesLoaded { .. }),
            "the services fetch ran to its end"
        );
    }
    Ok(())
}
