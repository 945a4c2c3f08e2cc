//! Helpers: clients for moto, log groups and events, and a tail whose messages are collected.

use std::error::Error;
use std::time::{Duration, Instant};

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use opsdeck::app::Msg;
use opsdeck::app::logs::{LogMsg, LogSource};
use opsdeck::backend::AwsClients;
use opsdeck::domain::logs::LogLine;
use opsdeck::runtime::AwsHandle;
use opsdeck::runtime::logs::cwlogs::{CwSettings, spawn_tail_with};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

use super::common;

pub type TestResult = Result<(), Box<dyn Error>>;

use super::moto::moto_target;
pub use super::moto::{REGION, moto_clients as clients};

/// Held while creating log groups (see the crate docs).
pub static GROUPS: Mutex<()> = Mutex::const_new(());

/// A new log group with a unique name under `/opsdeck-test/`.
pub async fn new_group(clients: &AwsClients, what: &str) -> Result<String, Box<dyn Error>> {
    let group = format!("/opsdeck-test/{what}-{}", common::unique_token(10));
    clients
        .logs
        .create_log_group()
        .log_group_name(&group)
        .send()
        .await?;
    Ok(group)
}

pub async fn new_stream(clients: &AwsClients, group: &str, stream: &str) -> TestResult {
    clients
        .logs
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name(stream)
        .send()
        .await?;
    Ok(())
}

/// Put `(timestamp ms, message)` events into one stream.
pub async fn put(
    clients: &AwsClients,
    group: &str,
    stream: &str,
    events: &[(i64, String)],
) -> TestResult {
    for chunk in events.chunks(10_000) {
        clients
            .logs
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .set_log_events(Some(
                chunk
                    .iter()
                    .map(|(ts, m)| InputLogEvent::builder().timestamp(*ts).message(m).build())
                    .collect::<Result<Vec<_>, _>>()?,
            ))
            .send()
            .await?;
    }
    Ok(())
}

pub fn now_ms() -> i64 {
    opsdeck::runtime::logs::cwlogs::now_ms()
}

/// A running tail and everything it reported.
pub struct Tail {
    pub aws: AwsHandle,
    rx: mpsc::Receiver<Msg>,
    handle: JoinHandle<()>,
    pub lines: Vec<LogLine>,
    pub modes: Vec<String>,
    pub problems: Vec<String>,
    pub ended: Option<String>,
    pub sampled: Vec<bool>,
}

impl Tail {
    pub fn start(url: &str, settings: CwSettings, source: LogSource, history: usize) -> Tail {
        let (tx, rx) = mpsc::channel(256);
        let aws = AwsHandle::new(moto_target(url), tx.clone());
        let handle = spawn_tail_with(&aws, settings, 1, source, history, tx);
        Tail {
            aws,
            rx,
            handle,
            lines: Vec::new(),
            modes: Vec::new(),
            problems: Vec::new(),
            ended: None,
            sampled: Vec::new(),
        }
    }

    fn take(&mut self, msg: Msg) {
        if let Msg::Log(msg) = msg {
            match msg {
                LogMsg::Lines { lines, .. } => self.lines.extend(lines),
                LogMsg::Mode { mode, .. } => self.modes.push(mode),
                LogMsg::Problem { message, .. } => self.problems.push(message),
                LogMsg::Ended { reason, .. } => self.ended = Some(reason),
                LogMsg::Sampled { sampled, .. } => self.sampled.push(sampled),
                _ => {}
            }
        }
    }

    /// Collect messages until `done` holds; panics with what was seen after `timeout`.
    pub async fn until(&mut self, timeout: Duration, done: impl Fn(&Tail) -> bool) {
        let deadline = Instant::now() + timeout;
        while !done(self) {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.rx.recv()).await {
                Ok(Some(msg)) => self.take(msg),
                Ok(None) => panic!("the tail's channel closed"),
                Err(_) => panic!(
                    "timed out; texts {:?}, modes {:?}, problems {:?}, ended {:?}",
                    self.texts(),
                    self.modes,
                    self.problems,
                    self.ended
                ),
            }
        }
    }

    /// Collect whatever arrives during `time`.
    pub async fn idle(&mut self, time: Duration) {
        let deadline = Instant::now() + time;
        while let Ok(Some(msg)) = tokio::time::timeout(
            deadline.saturating_duration_since(Instant::now()),
            self.rx.recv(),
        )
        .await
        {
            self.take(msg);
        }
    }

    pub fn texts(&self) -> Vec<&str> {
        self.lines.iter().map(|l| l.text.as_str()).collect()
    }

    /// How many lines have exactly `text`.
    pub fn count(&self, text: &str) -> usize {
        self.lines.iter().filter(|l| l.text == text).count()
    }

    pub fn has(&self, text: &str) -> bool {
        self.count(text) > 0
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Polling every second, no live tail; services re-listed every second.
pub fn polling() -> CwSettings {
    CwSettings {
        poll_interval: Duration::from_secs(1),
        refresh_interval: Duration::from_secs(1),
        live: false,
        ..CwSettings::default()
    }
}
