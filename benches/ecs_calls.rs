//! The ECS calls behind opsdeck's clusters and services views, timed on their own, and the
//! requests one refresh of the services view sends compared with the least possible.
//!
//! scripts/bench.sh runs it against the moto it seeded, to compare with what the console
//! shows:
//!
//! ```sh
//! cargo bench --bench ecs_calls -- --endpoint http://127.0.0.1:PORT [--cluster bench-wide] [--runs 10]
//! ```
//!
//! Prints a table for people and `BENCH key=value` lines for the script.

use std::time::{Duration, Instant};

use opsdeck::backend::ecs::DESCRIBE_SERVICES_BATCH;
use opsdeck::backend::{AwsEcs, AwsTarget, connect};
use opsdeck::domain::ids::ClusterName;

/// AWS's page size for `ListServices` and `ListClusters`.
const LIST_PAGE: usize = 100;

struct Args {
    endpoint: String,
    region: String,
    cluster: String,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        endpoint: String::new(),
        region: "eu-west-1".to_string(),
        cluster: "bench-wide".to_string(),
        runs: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--endpoint" => args.endpoint = value("--endpoint")?,
            "--region" => args.region = value("--region")?,
            "--cluster" => args.cluster = value("--cluster")?,
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
    if args.endpoint.is_empty() {
        return Err("--endpoint URL is required (a moto seeded with --size bench)".into());
    }
    Ok(args)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Min, median and max in milliseconds.
fn spread(samples: &mut [Duration]) -> (f64, f64, f64) {
    samples.sort();
    let n = samples.len();
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let median = if n % 2 == 1 {
        ms(samples[n / 2])
    } else {
        (ms(samples[n / 2 - 1]) + ms(samples[n / 2])) / 2.0
    };
    (ms(samples[0]), median, ms(samples[n - 1]))
}

async fn run(args: Args) -> Result<(), String> {
    let target = AwsTarget {
        region: Some(args.region.clone()),
        endpoint_url: Some(args.endpoint.clone()),
        ..AwsTarget::default()
    };

    // Cold: what opsdeck does at start before its first screen with data.
    let started = Instant::now();
    let clients = connect(&target).await.map_err(|e| e.to_string())?;
    let connected = started.elapsed();
    let ecs = AwsEcs::from_clients(&clients);
    let clusters = ecs.clusters().await.map_err(|e| e.to_string())?;
    let cold = started.elapsed();
    let cold_calls = clients.counter.snapshot();

    // Warm: every later refresh of the clusters view.
    let mut cluster_times = Vec::new();
    for _ in 0..args.runs {
        let t = Instant::now();
        ecs.clusters().await.map_err(|e| e.to_string())?;
        cluster_times.push(t.elapsed());
    }

    // The services view of the wide cluster.
    let cluster = ClusterName::from(args.cluster.as_str());
    let mut service_times = Vec::new();
    let mut services = 0;
    let mut per_refresh = Default::default();
    for _ in 0..args.runs.max(1) {
        clients.counter.reset();
        let t = Instant::now();
        services = ecs
            .services(&cluster)
            .await
            .map_err(|e| e.to_string())?
            .len();
        service_times.push(t.elapsed());
        per_refresh = clients.counter.snapshot();
    }
    let get = |counts: &std::collections::BTreeMap<String, u64>, op: &str| {
        counts.get(op).copied().unwrap_or(0)
    };
    let list_calls = get(&per_refresh, "ListServices");
    let describe_calls = get(&per_refresh, "DescribeServices");
    let calls: u64 = per_refresh.values().sum();
    // The least any client can send: every list page, and describes of the most AWS allows.
    let min_describes = services.div_ceil(DESCRIBE_SERVICES_BATCH) as u64;
    let aws_list_pages = services.div_ceil(LIST_PAGE).max(1) as u64;
    // moto never paginates: one ListServices page holds every service.
    let served_pages = list_calls.max(1);
    let minimum = served_pages + min_describes;

    let (c_min, c_med, c_max) = spread(&mut cluster_times);
    let (s_min, s_med, s_max) = spread(&mut service_times);
    println!("ecs_calls against {} ({} runs)", args.endpoint, args.runs);
    println!(
        "  {:<52} {:>8}",
        "connect (profile, region, clients) [ms]",
        format!("{:.1}", ms(connected))
    );
    println!(
        "  {:<52} {:>8}",
        format!(
            "cold: connect + clusters() of {} clusters [ms]",
            clusters.len()
        ),
        format!("{:.1}", ms(cold))
    );
    println!(
        "  {:<52} {:>8} {:>8} {:>8}",
        "call [ms]", "min", "median", "max"
    );
    println!(
        "  {:<52} {:>8.1} {:>8.1} {:>8.1}",
        "clusters() warm", c_min, c_med, c_max
    );
    println!(
        "  {:<52} {:>8.1} {:>8.1} {:>8.1}",
        format!("services({}) warm, {services} services", args.cluster),
        s_min,
        s_med,
        s_max
    );
    println!(
        "  cold start calls: {}",
        cold_calls
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  calls per services refresh: {calls} (ListServices {list_calls} + DescribeServices {describe_calls}); \
         minimum {minimum} ({served_pages} list page(s) as served + ceil({services}/{DESCRIBE_SERVICES_BATCH}) = {min_describes} describes; \
         AWS would serve {aws_list_pages} list page(s))"
    );
    println!("BENCH clusters={}", clusters.len());
    println!("BENCH connect_ms={:.1}", ms(connected));
    println!("BENCH cold_clusters_ms={:.1}", ms(cold));
    println!("BENCH clusters_warm_median_ms={c_med:.1}");
    println!("BENCH services={services}");
    println!("BENCH services_warm_min_ms={s_min:.1}");
    println!("BENCH services_warm_median_ms={s_med:.1}");
    println!("BENCH calls_per_services_refresh={calls}");
    println!("BENCH min_calls_per_services_refresh={minimum}");
    Ok(())
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("ecs_calls: {e}");
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
            eprintln!("ecs_calls: cannot start tokio: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(args)) {
        eprintln!("ecs_calls: {e}");
        std::process::exit(1);
    }
}
