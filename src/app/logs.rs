//! The log view: one component for Docker and CloudWatch tails.

use super::Action;
use super::command::Command;
use super::state::AppState;
use crate::domain::log::LogLine;

/// What a log view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSource {
    /// A local Docker container.
    Docker { id: String, name: String },
    /// One ECS task (all its containers, or one).
    EcsTask {
        cluster: String,
        task: String,
        container: Option<String>,
    },
    /// Every running task of an ECS service, merged.
    EcsService { cluster: String, service: String },
    /// Any log group (`:logs GROUP [PREFIX]`).
    Group {
        group: String,
        prefix: Option<String>,
        /// Start time as typed (`-15m`, `-2h`, an ISO time).
        start: Option<String>,
        /// Server-side filter pattern.
        pattern: Option<String>,
    },
}

impl LogSource {
    /// The title of the log view.
    pub fn title(&self) -> String {
        match self {
            LogSource::Docker { name, .. } => format!("container {name}"),
            LogSource::EcsTask {
                task, container, ..
            } => match container {
                Some(c) => format!("task {} / {c}", crate::domain::ids::name_from_arn(task)),
                None => format!("task {}", crate::domain::ids::name_from_arn(task)),
            },
            LogSource::EcsService { cluster, service } => format!("service {cluster}/{service}"),
            LogSource::Group { group, prefix, .. } => match prefix {
                Some(p) => format!("{group} {p}*"),
                None => group.clone(),
            },
        }
    }
}

/// What a tail reports.
#[derive(Debug, Clone, PartialEq)]
pub enum LogMsg {
    /// New lines for the tail with this id.
    Lines { tail: u64, lines: Vec<LogLine> },
    /// The tail's mode changed (`LIVE`, `POLL 2s`, `SAMPLED`).
    Mode { tail: u64, mode: String },
    /// A recoverable problem: shown, and the tail goes on.
    Problem { tail: u64, message: String },
    /// The source ended (container gone, stream closed); the buffer is kept.
    Ended { tail: u64, reason: String },
}

/// Apply a log message.
pub fn update(_state: &mut AppState, _msg: LogMsg) -> Vec<Command> {
    Vec::new()
}

/// Keys on the log view; `None` lets the generic handling run.
pub fn on_action(_state: &mut AppState, _action: Action) -> Option<Vec<Command>> {
    None
}

/// State of the log view.
#[derive(Debug, Clone, Default)]
pub struct LogViewState {}

/// The log view is being left: stop its tail.
pub fn on_close(_state: &mut AppState) -> Vec<Command> {
    Vec::new()
}

/// The `/` filter typed on the log view.
pub fn set_filter(_state: &mut AppState, _text: &str) {}

/// `:logs GROUP [PREFIX] [START]`.
pub fn open_command(_state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    Vec::new()
}
