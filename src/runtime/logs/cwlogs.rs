//! CloudWatch Logs tails: live tail with a polling fallback, for a log group, an ECS task or a
//! whole ECS service (its tasks' streams merged in time order, each line labelled).
//!
//! Reports to the loop as `Msg::Log`: `Lines`, `Mode` (`LIVE`, `POLL 2s`), `Sampled`,
//! `Problem` (shown, the tail goes on) and `Ended` (nothing can be followed).

mod fetch;
mod follow;
mod scope;

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::Msg;
use crate::app::logs::{LogMsg, LogSource};
use crate::backend::logs::AwsLogs;
use crate::backend::logs::streams::StreamResolver;
use crate::domain::logs::LogLine;
use crate::runtime::AwsHandle;

pub use follow::{now_ms, poll_mode};
pub use scope::stream_label;

/// How CloudWatch tails behave (from `[logs]` and `[general]` of the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CwSettings {
    /// Between two `FilterLogEvents` polls (`[logs] poll_interval`).
    pub poll_interval: Duration,
    /// Between two listings of a service's tasks (`[general] refresh_interval`).
    pub refresh_interval: Duration,
    /// Try live tail (`StartLiveTail`) first.
    pub live: bool,
    /// After live tail was refused for a passing reason (limits, throttling), poll this long
    /// before trying it again.
    pub live_retry: Duration,
}

impl CwSettings {
    /// `[logs] poll_interval` and `[general] refresh_interval`.
    pub fn from_config(config: &crate::config::Config) -> Self {
        Self {
            poll_interval: Duration::from_secs(config.logs.poll_interval.max(1)),
            refresh_interval: Duration::from_secs(config.general.refresh_interval.max(1)),
            ..Self::default()
        }
    }
}

impl Default for CwSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            refresh_interval: Duration::from_secs(5),
            live: true,
            live_retry: Duration::from_secs(300),
        }
    }
}

/// Follow CloudWatch logs for `source` with the default settings.
pub fn spawn_tail(
    aws: &AwsHandle,
    tail: u64,
    source: LogSource,
    history: usize,
    tx: mpsc::Sender<Msg>,
) -> JoinHandle<()> {
    spawn_tail_with(aws, CwSettings::default(), tail, source, history, tx)
}

/// Follow CloudWatch logs for `source`: `history` past lines first, then new ones as they
/// come. The task runs until aborted (`Tails::stop`) or the receiver is dropped.
pub fn spawn_tail_with(
    aws: &AwsHandle,
    settings: CwSettings,
    tail: u64,
    source: LogSource,
    history: usize,
    tx: mpsc::Sender<Msg>,
) -> JoinHandle<()> {
    let aws = aws.clone();
    tokio::spawn(async move {
        let out = Reporter::new(tail, tx);
        let start_ms = match start_of(&source) {
            Ok(start) => start,
            Err(message) => {
                out.ended(message).await;
                return;
            }
        };
        let clients = {
            let mut delay = settings.poll_interval;
            loop {
                match aws.clients().await {
                    Ok(clients) => break clients,
                    Err(message) => {
                        if !out.problem(message).await {
                            return;
                        }
                        tokio::time::sleep(delay).await;
                        delay = (delay * 2).min(Duration::from_secs(60));
                    }
                }
            }
        };
        let resolver = match &source {
            LogSource::EcsTask { .. } | LogSource::EcsService { .. } => {
                Some(StreamResolver::from_clients(&clients))
            }
            _ => None,
        };
        let follower = follow::Follower::new(
            AwsLogs::from_clients(&clients),
            scope::Scope::new(source, resolver),
            out,
            settings,
            start_ms,
            history,
        );
        follower.run().await;
    })
}

/// The start time of a `:logs` source, ms since the epoch.
fn start_of(source: &LogSource) -> Result<Option<i64>, String> {
    match source {
        LogSource::Group {
            start: Some(start), ..
        } if !start.trim().is_empty() => {
            crate::app::logs::cw::parse_start(start, now_ms() / 1000, 0)
                .map(|secs| Some(secs * 1000))
        }
        LogSource::Docker { .. } => Err("not a CloudWatch source".to_string()),
        _ => Ok(None),
    }
}

/// Sends one tail's reports to the loop. Every method returns `false` once the loop is gone.
pub struct Reporter {
    tail: u64,
    tx: mpsc::Sender<Msg>,
    mode: String,
}

impl Reporter {
    pub fn new(tail: u64, tx: mpsc::Sender<Msg>) -> Self {
        Self {
            tail,
            tx,
            mode: String::new(),
        }
    }

    async fn send(&self, msg: LogMsg) -> bool {
        self.tx.send(Msg::Log(msg)).await.is_ok()
    }

    /// New lines (sent in messages of bounded size; nothing is sent for none).
    pub async fn lines(&self, lines: Vec<LogLine>) -> bool {
        if lines.is_empty() {
            return !self.tx.is_closed();
        }
        for chunk in follow::chunks(lines) {
            if !self
                .send(LogMsg::Lines {
                    tail: self.tail,
                    lines: chunk,
                })
                .await
            {
                return false;
            }
        }
        true
    }

    /// The mode badge, sent when it changes.
    pub async fn mode(&mut self, mode: String) -> bool {
        if self.mode == mode {
            return true;
        }
        self.mode = mode.clone();
        self.send(LogMsg::Mode {
            tail: self.tail,
            mode,
        })
        .await
    }

    pub async fn sampled(&self, sampled: bool) -> bool {
        self.send(LogMsg::Sampled {
            tail: self.tail,
            sampled,
        })
        .await
    }

    pub async fn problem(&self, message: String) -> bool {
        tracing::info!(tail = self.tail, %message, "CloudWatch tail problem");
        self.send(LogMsg::Problem {
            tail: self.tail,
            message,
        })
        .await
    }

    pub async fn ended(&self, reason: String) -> bool {
        tracing::info!(tail = self.tail, %reason, "CloudWatch tail ended");
        self.send(LogMsg::Ended {
            tail: self.tail,
            reason,
        })
        .await
    }
}
