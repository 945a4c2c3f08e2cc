//! CloudWatch tail figures against a real moto (`OPSDECK_MOTO_URL`; scripts/test.sh or
//! scripts/bench.sh start one). Run with `cargo bench --bench cwlogs`; figures are printed,
//! nothing is asserted. Prints:
//!
//! - events/s a merged service tail (20 tasks, 20 streams) sustains while 20 writers put;
//! - latency from `PutLogEvents` to the line reaching the app, polling every 2 s
//!   (goal: within one poll interval + 200 ms);
//! - API calls per minute of a 10-task service tail while idle (goal: one `FilterLogEvents`
//!   per poll);
//! - RSS after 1,000,000 events went through the tail into a log view (bounded by its ring
//!   buffer). `OPSDECK_BENCH_EVENTS` changes the count.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/moto.rs"]
mod moto;

use std::error::Error;
use std::time::{Duration, Instant};

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use opsdeck::app::logs::{self, LogMsg, LogSource};
use opsdeck::app::{AppState, ContextInfo, Msg, Settings, update};
use opsdeck::backend::{AwsClients, AwsTarget, connect};
use opsdeck::input::keymap::Keymap;
use opsdeck::runtime::AwsHandle;
use opsdeck::runtime::logs::cwlogs::{CwSettings, now_ms, spawn_tail_with};
use tokio::sync::mpsc;

type Res<T> = Result<T, Box<dyn Error>>;

fn target(url: &str) -> AwsTarget {
    AwsTarget {
        attempt_timeout: Duration::from_secs(60),
        ..moto::moto_target(url)
    }
}

fn token() -> String {
    format!("{:x}", now_ms() % 0xffff_ffff)
}

/// A service of `tasks` tasks whose `app` containers log to `/ecs/CLUSTER` (prefix `app`).
struct Service {
    clients: AwsClients,
    cluster: String,
    group: String,
    streams: Vec<String>,
}

impl Service {
    async fn new(url: &str, tasks: i32) -> Res<Service> {
        let clients = connect(&target(url)).await?;
        let cluster = format!("cwb-{}-{tasks}", token());
        let group = format!("/ecs/{cluster}");
        moto::create_cluster(&clients, &cluster).await?;
        clients
            .logs
            .create_log_group()
            .log_group_name(&group)
            .send()
            .await?;
        let logs = moto::awslogs(&group, "app")?;
        let app = moto::container("app", "app:1", 64, Some(logs));
        let td = moto::register_fargate(&clients, &cluster, vec![app]).await?;
        let (network, _) = moto::default_vpc_network(&clients).await?;
        moto::create_fargate_service(&clients, &cluster, "web", &td, tasks, &network).await?;
        let mut streams = Vec::new();
        let mut left = tasks;
        while left > 0 {
            let out = moto::run_fargate_tasks(
                &clients,
                &cluster,
                &td,
                left.min(10),
                "web",
                None,
                &network,
            )
            .await?;
            for arn in out.tasks().iter().filter_map(|t| t.task_arn()) {
                let id = arn.rsplit('/').next().unwrap_or(arn);
                let stream = format!("app/app/{id}");
                clients
                    .logs
                    .create_log_stream()
                    .log_group_name(&group)
                    .log_stream_name(&stream)
                    .send()
                    .await?;
                streams.push(stream);
            }
            left -= 10;
        }
        Ok(Service {
            clients,
            cluster,
            group,
            streams,
        })
    }

    fn source(&self) -> LogSource {
        LogSource::EcsService {
            cluster: self.cluster.as_str().into(),
            service: "web".into(),
        }
    }
}

async fn put(
    clients: &AwsClients,
    group: &str,
    stream: &str,
    events: Vec<(i64, String)>,
) -> Res<()> {
    let events: Vec<InputLogEvent> = events
        .into_iter()
        .map(|(ts, m)| InputLogEvent::builder().timestamp(ts).message(m).build())
        .collect::<Result<_, _>>()?;
    clients
        .logs
        .put_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .set_log_events(Some(events))
        .send()
        .await?;
    Ok(())
}

/// A tail feeding a real log view state, as the loop does.
struct Viewer {
    aws: AwsHandle,
    rx: mpsc::Receiver<Msg>,
    state: AppState,
    tail: u64,
    handle: tokio::task::JoinHandle<()>,
}

impl Viewer {
    fn open(url: &str, settings: CwSettings, source: LogSource) -> Viewer {
        let (tx, rx) = mpsc::channel(256);
        let aws = AwsHandle::new(target(url), tx.clone());
        let mut state = AppState::new(
            ContextInfo::default(),
            Settings::default(),
            Keymap::default(),
        );
        let commands = logs::open(&mut state, source.clone());
        let tail = state.logs.tail;
        let history = commands
            .iter()
            .find_map(|c| match c {
                opsdeck::app::Command::StartTail { history, .. } => Some(*history),
                _ => None,
            })
            .unwrap_or(200);
        let handle = spawn_tail_with(&aws, settings, tail, source, history, tx);
        Viewer {
            aws,
            rx,
            state,
            tail,
            handle,
        }
    }

    /// Apply messages until `deadline`; lines received (with their arrival instants when
    /// `marks` holds texts to look for).
    async fn pump_until(
        &mut self,
        deadline: Instant,
        mut on_lines: impl FnMut(&[opsdeck::domain::logs::LogLine]),
    ) -> usize {
        let mut received = 0;
        while let Ok(Some(msg)) = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            self.rx.recv(),
        )
        .await
        {
            if let Msg::Log(LogMsg::Lines { lines, .. }) = &msg {
                received += lines.len();
                on_lines(lines);
            }
            update(&mut self.state, msg);
        }
        received
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

fn settings(poll: u64, refresh: u64) -> CwSettings {
    CwSettings {
        poll_interval: Duration::from_secs(poll),
        refresh_interval: Duration::from_secs(refresh),
        live: true,
        ..CwSettings::default()
    }
}

/// Events/s through a 20-stream service tail while 20 writers put as fast as moto takes them.
async fn throughput(url: &str) -> Res<()> {
    let svc = Service::new(url, 20).await?;
    let mut viewer = Viewer::open(url, settings(1, 5), svc.source());
    viewer
        .pump_until(Instant::now() + Duration::from_secs(4), |_| {})
        .await;
    let run = Duration::from_secs(20);
    let started = Instant::now();
    let writers: Vec<_> = svc
        .streams
        .iter()
        .map(|stream| {
            let clients = svc.clients.clone();
            let group = svc.group.clone();
            let stream = stream.clone();
            tokio::spawn(async move {
                let mut n = 0usize;
                while started.elapsed() < run {
                    let now = now_ms();
                    let batch: Vec<(i64, String)> = (0..200)
                        .map(|i| (now, format!("{stream} event {}", n + i)))
                        .collect();
                    if put(&clients, &group, &stream, batch).await.is_err() {
                        break;
                    }
                    n += 200;
                }
                n
            })
        })
        .collect();
    let received = viewer.pump_until(started + run, |_| {}).await;
    let mut written = 0;
    for w in writers {
        written += w.await?;
    }
    let wrote_in = started.elapsed();
    // Let the tail catch up, then count what arrived in total.
    let caught_up = viewer
        .pump_until(Instant::now() + Duration::from_secs(30), |_| {})
        .await;
    let secs = run.as_secs_f64();
    println!(
        "throughput  20-stream service tail: {:>7.0} events/s received during the run; moto took {:>7.0} events/s from 20 writers ({written} written in {:.1} s, {} received by the end, {} after the writers stopped)",
        received as f64 / secs,
        written as f64 / wrote_in.as_secs_f64(),
        wrote_in.as_secs_f64(),
        received + caught_up,
        caught_up,
    );
    Ok(())
}

/// Put one event at a random point of the poll cycle; time until its line reaches the app.
async fn latency(url: &str) -> Res<()> {
    let svc = Service::new(url, 2).await?;
    let mut viewer = Viewer::open(url, settings(2, 5), svc.source());
    viewer
        .pump_until(Instant::now() + Duration::from_secs(5), |_| {})
        .await;
    let mut samples = Vec::new();
    for i in 0..12 {
        // Spread the puts over the poll cycle.
        tokio::time::sleep(Duration::from_millis(370 * (i % 6) + 100)).await;
        let text = format!("latency probe {i} {}", token());
        let sent = Instant::now();
        put(
            &svc.clients,
            &svc.group,
            &svc.streams[i as usize % 2],
            vec![(now_ms(), text.clone())],
        )
        .await?;
        let mut arrived = None;
        let deadline = Instant::now() + Duration::from_secs(10);
        while arrived.is_none() && Instant::now() < deadline {
            viewer
                .pump_until(Instant::now() + Duration::from_millis(20), |lines| {
                    if lines.iter().any(|l| l.text == text) {
                        arrived = Some(sent.elapsed());
                    }
                })
                .await;
        }
        samples.push(arrived.ok_or("a probe never arrived")?);
    }
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "latency     PutLogEvents → line in the app, polling every 2 s: median {:.0} ms, max {:.0} ms over {} probes (goal ≤ 2200 ms)",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() - 1]),
        samples.len()
    );
    Ok(())
}

/// Requests per minute of an idle 10-task service tail (poll 2 s, refresh 5 s).
async fn calls(url: &str) -> Res<()> {
    let svc = Service::new(url, 10).await?;
    let mut viewer = Viewer::open(url, settings(2, 5), svc.source());
    viewer
        .pump_until(Instant::now() + Duration::from_secs(5), |_| {})
        .await;
    let counter = viewer.aws.clients().await?.counter;
    counter.reset();
    let window = Duration::from_secs(60);
    viewer.pump_until(Instant::now() + window, |_| {}).await;
    let snapshot = counter.snapshot();
    let list: Vec<String> = snapshot.iter().map(|(op, n)| format!("{op} {n}")).collect();
    println!(
        "api calls   idle 10-task service tail, 60 s (poll 2 s, refresh 5 s): {} in total — {}",
        counter.total(),
        list.join(", ")
    );
    Ok(())
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// RSS after `total` events went through a tail into a log view (default buffer).
async fn memory(url: &str, total: usize) -> Res<()> {
    let clients = connect(&target(url)).await?;
    let group = format!("/opsdeck-bench/rss-{}", token());
    clients
        .logs
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await?;
    let streams = 4;
    for s in 0..streams {
        clients
            .logs
            .create_log_stream()
            .log_group_name(&group)
            .log_stream_name(format!("s{s}"))
            .send()
            .await?;
    }
    let base = now_ms() - 3_600_000;
    let per_stream = total / streams;
    let started = Instant::now();
    for s in 0..streams {
        let mut i = 0;
        while i < per_stream {
            let n = (per_stream - i).min(10_000);
            let batch = (i..i + n)
                .map(|k| {
                    (
                        base + (k as i64 * 3_000_000 / per_stream as i64),
                        format!(
                            "INFO 10.0.3.{} GET /api/orders/{k} HTTP/1.1 200 {}ms stream {s}",
                            k % 255,
                            k % 97
                        ),
                    )
                })
                .collect();
            put(&clients, &group, &format!("s{s}"), batch).await?;
            i += n;
        }
    }
    println!(
        "memory      put {total} events into moto in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let before = rss_kib("VmRSS:");
    let source = LogSource::Group {
        group: group.clone(),
        prefix: None,
        start: Some("-2h".into()),
        pattern: None,
    };
    let mut viewer = Viewer::open(url, settings(1, 5), source);
    let started = Instant::now();
    let mut seen = 0;
    while seen < total && started.elapsed() < Duration::from_secs(3_600) {
        seen += viewer
            .pump_until(Instant::now() + Duration::from_secs(5), |_| {})
            .await;
    }
    println!(
        "memory      {seen} events through the tail into a log view in {:.0} s ({:.0} events/s): RSS {} MiB (before the tail {} MiB, peak {} MiB); the view keeps {} lines",
        started.elapsed().as_secs_f64(),
        seen as f64 / started.elapsed().as_secs_f64(),
        rss_kib("VmRSS:") / 1024,
        before / 1024,
        rss_kib("VmHWM:") / 1024,
        viewer.state.logs.buffer.len(),
    );
    let _ = viewer.tail;
    Ok(())
}

fn main() -> Res<()> {
    let Some(url) = std::env::var("OPSDECK_MOTO_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        println!(
            "cwlogs bench skipped: OPSDECK_MOTO_URL is not set (scripts/test.sh and scripts/bench.sh start a moto)"
        );
        return Ok(());
    };
    let total = std::env::var("OPSDECK_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let only = std::env::var("OPSDECK_BENCH_ONLY").unwrap_or_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        println!("opsdeck CloudWatch tail bench against {url}");
        if only.is_empty() || only == "latency" {
            latency(&url).await?;
        }
        if only.is_empty() || only == "calls" {
            calls(&url).await?;
        }
        if only.is_empty() || only == "throughput" {
            throughput(&url).await?;
        }
        if only.is_empty() || only == "memory" {
            memory(&url, total).await?;
        }
        Ok(())
    })
}
