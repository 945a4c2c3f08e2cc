//! One refresh of a 2,000-service cluster's view when every request costs 50 ms more (a
//! far-away region): describe batches one after another vs. several in flight within the
//! ECS rate limits.
//!
//! scripts/bench.sh --describes runs it: moto, with scripts/latency_relay.py in front.
//!
//! ```sh
//! cargo bench --bench ecs_describes -- --seed-endpoint http://127.0.0.1:MOTO \
//!     --endpoint http://127.0.0.1:RELAY [--services 2000] [--runs 3]
//! ```
//!
//! Prints a table for people and `BENCH key=value` lines for the script.

#[path = "../tests/common/moto.rs"]
mod moto;

use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt, stream};
use opsdeck::backend::ecs::DESCRIBE_CONCURRENCY;
use opsdeck::backend::{AwsEcs, connect};
use opsdeck::domain::ids::ClusterName;

const CLUSTER: &str = "bench-describes";

struct Args {
    seed_endpoint: String,
    endpoint: String,
    services: usize,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seed_endpoint: String::new(),
        endpoint: String::new(),
        services: 2000,
        runs: 3,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--seed-endpoint" => args.seed_endpoint = value("--seed-endpoint")?,
            "--endpoint" => args.endpoint = value("--endpoint")?,
            "--services" => {
                args.services = value("--services")?
                    .parse()
                    .map_err(|e| format!("--services: {e}"))?;
            }
            "--runs" => {
                args.runs = value("--runs")?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))?;
            }
            // cargo bench passes --bench to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if args.endpoint.is_empty() || args.seed_endpoint.is_empty() {
        return Err("--seed-endpoint (moto) and --endpoint (the relay) are required".into());
    }
    Ok(args)
}

/// Create the cluster and its services straight against moto (not through the relay).
async fn seed(url: &str, services: usize) -> Result<(), String> {
    let err = |e: Box<dyn std::error::Error>| e.to_string();
    let clients = moto::moto_clients(url).await.map_err(err)?;
    let existing = AwsEcs::from_clients(&clients)
        .services(&ClusterName::from(CLUSTER))
        .await
        .map(|rows| rows.len())
        .unwrap_or(0);
    if existing >= services {
        return Ok(());
    }
    moto::create_cluster(&clients, CLUSTER).await.map_err(err)?;
    let app = moto::container("app", "public.ecr.aws/nginx/nginx:1.27", 128, None);
    let task_definition = moto::register_fargate(&clients, "bench-describes-web", vec![app])
        .await
        .map_err(err)?;
    let (network, _) = moto::default_vpc_network(&clients).await.map_err(err)?;
    stream::iter(existing..services)
        .map(|i| {
            let (clients, task_definition, network) = (&clients, &task_definition, &network);
            async move {
                let name = format!("svc-{i:05}");
                moto::create_fargate_service(clients, CLUSTER, &name, task_definition, 0, network)
                    .await
                    .map_err(|e| e.to_string())
            }
        })
        .buffer_unordered(8)
        .try_collect::<Vec<_>>()
        .await?;
    Ok(())
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

async fn run(args: Args) -> Result<(), String> {
    let seeding = Instant::now();
    seed(&args.seed_endpoint, args.services).await?;
    eprintln!(
        "ecs_describes: seeded in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );

    let target = moto::moto_target(&args.endpoint);
    let clients = connect(&target).await.map_err(|e| e.to_string())?;
    let cluster = ClusterName::from(CLUSTER);
    println!(
        "ecs_describes: services() of {} services through {} ({} runs, median)",
        args.services, args.endpoint, args.runs
    );
    for (label, concurrency) in [("serial", 1), ("parallel", DESCRIBE_CONCURRENCY)] {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..args.runs.max(1) {
            // A fresh adapter: each run starts with a full rate-limit bucket, as the first
            // refresh of the view does.
            let ecs = AwsEcs::with_client(clients.ecs.clone(), args.endpoint.clone())
                .with_concurrency(concurrency);
            clients.counter.reset();
            let started = Instant::now();
            rows = ecs
                .services(&cluster)
                .await
                .map_err(|e| e.to_string())?
                .len();
            times.push(started.elapsed());
        }
        let calls = clients.counter.total();
        let ms = median(&mut times).as_secs_f64() * 1000.0;
        println!("  {label:<9} ({concurrency} in flight) {ms:>9.0} ms  {rows} rows, {calls} calls");
        println!("BENCH {label}_ms={ms:.0}");
        println!("BENCH {label}_calls={calls}");
    }
    Ok(())
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("ecs_describes: {e}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ecs_describes: cannot start tokio: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(args)) {
        eprintln!("ecs_describes: {e}");
        std::process::exit(1);
    }
}
