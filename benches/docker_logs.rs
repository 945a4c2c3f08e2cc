//! The Docker log pipeline end to end, against the machine's engine: a container prints
//! 1,000,000 lines as fast as it can (`seq`), `runtime::docker::spawn_tail` follows it, and a
//! loop shaped like the console's (receive, drain what is queued, draw once at 160×48) feeds
//! every batch through `update` into the log view's ring buffer. Prints lines/s reaching the
//! buffer, the longest loop turn (a key waits at most that long), and RSS as lines arrive.
//! Run with `cargo bench --bench docker_logs` (or `scripts/bench_docker.sh`); nothing is
//! asserted. Needs `OPSDECK_TEST_IMAGE` (default `opsdeck-test/busybox:1`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{RemoveContainerOptionsBuilder, StartContainerOptions};
use opsdeck::app::logs::{self, LogMsg, LogSource};
use opsdeck::app::{AppState, ContextInfo, Msg, Settings, update};
use opsdeck::config::Theme;
use opsdeck::input::keymap::Keymap;
use opsdeck::runtime::DockerHandle;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const LINES: u64 = 1_000_000;

/// CPU time this process has used (user + system), seconds.
fn cpu_secs() -> f64 {
    let ticks: u64 = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.to_string();
            let fields: Vec<&str> = rest.split_whitespace().collect();
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    ticks as f64 / 100.0
}

/// Resident memory of this process, KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-test/busybox:1".into());
    let docker = Docker::connect_with_local_defaults()
        .unwrap()
        .negotiate_version()
        .await
        .expect("a Docker engine");
    let labels: HashMap<String, String> =
        [("opsdeck.test".to_string(), "bench".to_string())].into();
    // Wait for the file the bench creates once the tail is attached, then print.
    let script = format!("while [ ! -f /tmp/go ]; do sleep 0.05; done; seq 1 {LINES}; sleep 3600");
    let body = ContainerCreateBody {
        image: Some(image),
        cmd: Some(vec!["sh".into(), "-c".into(), script]),
        labels: Some(labels),
        ..Default::default()
    };
    let created = docker
        .create_container(
            None::<bollard::query_parameters::CreateContainerOptions>,
            body,
        )
        .await
        .unwrap();
    let id = created.id;
    docker
        .start_container(&id, None::<StartContainerOptions>)
        .await
        .unwrap();

    run(&docker, &id).await;
    let options = RemoveContainerOptionsBuilder::new().force(true).build();
    let _ = docker.remove_container(&id, Some(options)).await;
}

async fn run(docker: &Docker, id: &str) {
    let handle = DockerHandle::from_config(None);
    let mut state = AppState::new(
        ContextInfo::default(),
        Settings::default(),
        Keymap::default(),
    );
    update(
        &mut state,
        Msg::Resized {
            width: 80,
            height: 48,
        },
    );
    let commands = logs::open(
        &mut state,
        LogSource::Docker {
            id: id.to_string(),
            name: "bench".into(),
        },
    );
    let tail = commands
        .iter()
        .find_map(|c| match c {
            opsdeck::app::Command::StartTail { tail, .. } => Some(*tail),
            _ => None,
        })
        .unwrap();
    let (tx, mut rx) = opsdeck::runtime::channel();
    let task = opsdeck::runtime::docker::spawn_tail(&handle, tail, id.to_string(), 0, tx);
    tokio::time::sleep(Duration::from_millis(500)).await;
    exec_go(docker, id).await;

    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let rss_start = rss_kib();
    let mut received: u64 = 0;
    let mut messages: u64 = 0;
    let mut first: Option<Instant> = None;
    let mut last = Instant::now();
    let mut cpu_first = 0.0;
    let mut cpu_last = 0.0;
    let mut ended: Option<String> = None;
    let mut longest = Duration::ZERO;
    let mut frames = 0u64;
    let mut marks = vec![100_000u64, 500_000, 1_000_000];
    let deadline = Instant::now() + Duration::from_secs(120);
    while received < LINES && ended.is_none() && Instant::now() < deadline {
        let Ok(Some(msg)) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await else {
            break;
        };
        let turn = Instant::now();
        if first.is_none() {
            first = Some(turn);
            cpu_first = cpu_secs();
        }
        let mut pending = vec![msg];
        while let Ok(msg) = rx.try_recv() {
            pending.push(msg);
        }
        for msg in pending {
            match &msg {
                Msg::Log(LogMsg::Lines { lines, .. }) => {
                    received += lines.len() as u64;
                    messages += 1;
                    last = Instant::now();
                    cpu_last = cpu_secs();
                }
                Msg::Log(LogMsg::Ended { reason, .. }) => ended = Some(reason.clone()),
                _ => {}
            }
            update(&mut state, msg);
        }
        if state.dirty {
            state.dirty = false;
            terminal
                .draw(|frame| opsdeck::ui::render(frame, &state, &theme))
                .unwrap();
            frames += 1;
        }
        longest = longest.max(turn.elapsed());
        while marks.first().is_some_and(|&m| received >= m) {
            println!(
                "  {:>9} lines received: RSS {:>7} KiB (+{} KiB since the first line)",
                marks.remove(0),
                rss_kib(),
                rss_kib().saturating_sub(rss_start)
            );
        }
    }
    task.abort();
    // From the first line to the last one (not to the silence that ends the wait).
    let took = first.map(|f| last.duration_since(f)).unwrap_or_default();
    let cpu = cpu_last - cpu_first;
    if let Some(reason) = &ended {
        println!("  the tail ended: {reason}");
    }
    println!(
        "docker log pipeline: {received} lines in {:.2} s = {:.0} lines/s reaching the buffer",
        took.as_secs_f64(),
        received as f64 / took.as_secs_f64().max(1e-9)
    );
    println!(
        "  {messages} batches ({:.0} lines each), {frames} frames drawn at 160×48; \
         longest loop turn (receive + drain + draw): {:.1} ms",
        received as f64 / messages.max(1) as f64,
        longest.as_secs_f64() * 1e3
    );
    println!(
        "  opsdeck's side used {cpu:.2} CPU s: {:.0} lines per CPU second (the rest of the \
         wall time is the engine: dockerd reads its json-file log back as it follows)",
        received as f64 / cpu.max(0.01)
    );
    if received < LINES {
        println!(
            "  {} lines never arrived: the engine rotated its log files (json-file max-size) \
             before its follow reader got to them",
            LINES - received
        );
    }
    println!(
        "  buffer holds {} lines; RSS now {} KiB",
        state.logs.buffer.len(),
        rss_kib()
    );
}

async fn exec_go(docker: &Docker, id: &str) {
    use futures::StreamExt;
    let config = bollard::models::ExecConfig {
        cmd: Some(vec!["sh".into(), "-c".into(), ": > /tmp/go".into()]),
        attach_stdout: Some(true),
        ..Default::default()
    };
    let exec = docker.create_exec(id, config).await.unwrap();
    if let bollard::exec::StartExecResults::Attached { mut output, .. } =
        docker.start_exec(&exec.id, None).await.unwrap()
    {
        while output.next().await.is_some() {}
    }
}
