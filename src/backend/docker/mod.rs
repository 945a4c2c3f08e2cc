//! The Docker Engine adapter: where the engine is (`DOCKER_HOST`, `[docker] host`), a lazily
//! made and re-made connection, and the calls the console needs. bollard types stop here.

mod describe;
mod error;
mod images;
mod logs;
pub mod rows;

use std::collections::HashMap;
use std::pin::Pin;
use std::time::Duration;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::exec::{StartExecOptions, StartExecResults};
use bollard::models::ExecConfig;
use bollard::query_parameters::{
    EventsOptionsBuilder, InspectContainerOptions, ListContainersOptionsBuilder,
    LogsOptionsBuilder, RemoveContainerOptions, ResizeExecOptions, RestartContainerOptions,
    StartContainerOptions, StatsOptionsBuilder, StopContainerOptions,
};
use futures::{Stream, StreamExt};
use tokio::io::AsyncWrite;
use tokio::sync::Mutex;

pub use crate::backend::docker::error::DockerError;
use crate::backend::docker::rows::{counters, detail_from_inspect, memory, row_from_summary};
use crate::domain::docker::{CpuCounters, DockerContainerDetail, DockerContainerRow, StatsSample};
use crate::domain::logs::LogLine;

/// Where bollard looks when nothing is configured.
pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";

/// How long quick calls (list, inspect, one stats reading) may take.
const QUICK: Duration = Duration::from_secs(5);

/// Seconds bollard waits for any answer's headers (stop and restart wait for the container).
const CLIENT_TIMEOUT_SECS: u64 = 120;

/// Where the Docker Engine listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerTarget {
    /// A unix socket path.
    Unix(String),
    /// Plain HTTP to `host:port`.
    Tcp(String),
}

impl DockerTarget {
    /// The engine to use: `[docker] host` when set, else `DOCKER_HOST`, else the default
    /// socket. `tls` is whether `DOCKER_TLS_VERIFY` is set (TLS is not supported).
    pub fn resolve(
        config_host: Option<&str>,
        env_host: Option<&str>,
        tls: bool,
    ) -> Result<DockerTarget, DockerError> {
        let host = config_host
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .or_else(|| env_host.map(str::trim).filter(|h| !h.is_empty()));
        let target = match host {
            Some(host) => DockerTarget::parse(host)?,
            None => DockerTarget::Unix(DEFAULT_SOCKET.to_string()),
        };
        if tls && matches!(target, DockerTarget::Tcp(_)) {
            return Err(DockerError::UnsupportedScheme(format!(
                "{} with DOCKER_TLS_VERIFY (TLS)",
                target.label()
            )));
        }
        Ok(target)
    }

    /// Parse a Docker host address: `unix:///path`, `tcp://host:port`, `http://host:port`,
    /// or a bare absolute socket path.
    pub fn parse(host: &str) -> Result<DockerTarget, DockerError> {
        let host = host.trim();
        if let Some(path) = host.strip_prefix("unix://") {
            if path.is_empty() {
                return Err(DockerError::NoScheme(host.to_string()));
            }
            return Ok(DockerTarget::Unix(path.to_string()));
        }
        for scheme in ["tcp://", "http://"] {
            if let Some(addr) = host.strip_prefix(scheme) {
                let addr = addr.trim_end_matches('/');
                if addr.is_empty() {
                    return Err(DockerError::NoScheme(host.to_string()));
                }
                let has_port = addr
                    .rsplit_once(':')
                    .is_some_and(|(_, port)| port.parse::<u16>().is_ok());
                let addr = if has_port {
                    addr.to_string()
                } else {
                    format!("{addr}:2375")
                };
                return Ok(DockerTarget::Tcp(addr));
            }
        }
        if host.starts_with('/') {
            return Ok(DockerTarget::Unix(host.to_string()));
        }
        if host.contains("://") {
            return Err(DockerError::UnsupportedScheme(host.to_string()));
        }
        Err(DockerError::NoScheme(host.to_string()))
    }

    /// How messages and confirmations name the engine: `unix:///var/run/docker.sock`.
    pub fn label(&self) -> String {
        match self {
            DockerTarget::Unix(path) => format!("unix://{path}"),
            DockerTarget::Tcp(addr) => format!("tcp://{addr}"),
        }
    }

    fn connect(&self) -> Result<Docker, bollard::errors::Error> {
        match self {
            DockerTarget::Unix(path) => {
                Docker::connect_with_unix(path, CLIENT_TIMEOUT_SECS, bollard::API_DEFAULT_VERSION)
            }
            DockerTarget::Tcp(addr) => Docker::connect_with_http(
                &format!("http://{addr}"),
                CLIENT_TIMEOUT_SECS,
                bollard::API_DEFAULT_VERSION,
            ),
        }
    }
}

/// A change to a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerAction {
    Restart,
    Stop,
    Start,
    Pause,
    Unpause,
    Remove,
}

/// One frame of log output; [`DockerLogFrame::append_to`] turns it into lines.
pub struct DockerLogFrame(LogOutput);

impl DockerLogFrame {
    /// Append this frame's lines to `out`; returns how many were added.
    pub fn append_to(self, out: &mut Vec<LogLine>) -> usize {
        crate::backend::docker::logs::frame_lines(self.0, out)
    }
}

/// A container event from the engine's event stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerEvent {
    /// `start`, `die`, `destroy`, `exec_start: sh`, `health_status: healthy`, ...
    pub action: String,
    pub id: String,
}

impl DockerEvent {
    /// Whether the event can change what the containers list shows.
    pub fn changes_list(&self) -> bool {
        let action = self.action.as_str();
        !(action.starts_with("exec_")
            || matches!(
                action,
                "attach" | "detach" | "resize" | "top" | "copy" | "export" | "commit"
            )
            || action.starts_with("archive-path")
            || action.starts_with("extract-to-dir"))
    }
}

/// The two ends of an interactive exec: the program's output and its input.
pub struct ExecIo {
    pub exec_id: String,
    pub output: Pin<Box<dyn Stream<Item = Result<Vec<u8>, DockerError>> + Send>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
}

/// A stream of results from the engine.
pub type DockerStream<T> = Pin<Box<dyn Stream<Item = Result<T, DockerError>> + Send>>;

/// The Docker Engine: its address and the connection, made on first use and again after
/// the engine was lost.
pub struct DockerEngine {
    target: DockerTarget,
    label: String,
    client: Mutex<Option<Docker>>,
}

impl DockerEngine {
    pub fn new(target: DockerTarget) -> DockerEngine {
        DockerEngine {
            label: target.label(),
            target,
            client: Mutex::new(None),
        }
    }

    /// `unix:///var/run/docker.sock`, `tcp://host:2375`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The client, connecting (and agreeing on the API version) first if needed.
    pub async fn client(&self) -> Result<Docker, DockerError> {
        let mut guard = self.client.lock().await;
        if let Some(client) = guard.as_ref() {
            return Ok(client.clone());
        }
        let docker = self.target.connect().map_err(|e| self.error("", &e))?;
        let docker = match tokio::time::timeout(QUICK, docker.negotiate_version()).await {
            Ok(Ok(docker)) => docker,
            Ok(Err(e)) => return Err(self.error("", &e)),
            Err(_) => return Err(DockerError::Timeout(self.label.clone())),
        };
        tracing::info!(engine = %self.label, "connected to the Docker engine");
        *guard = Some(docker.clone());
        Ok(docker)
    }

    /// Classify an error; a lost engine drops the connection so the next call makes a new one
    /// (the daemon may come back as another version).
    fn error(&self, what: &str, err: &bollard::errors::Error) -> DockerError {
        let e = DockerError::from_bollard(&self.label, what, err);
        if e.is_unreachable()
            && let Ok(mut guard) = self.client.try_lock()
        {
            *guard = None;
        }
        e
    }

    async fn quick<T>(
        &self,
        what: &str,
        call: impl Future<Output = Result<T, bollard::errors::Error>>,
    ) -> Result<T, DockerError> {
        match tokio::time::timeout(QUICK, call).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.error(what, &e)),
            Err(_) => Err(DockerError::Timeout(self.label.clone())),
        }
    }

    /// Every container, running or not.
    pub async fn list(&self) -> Result<Vec<DockerContainerRow>, DockerError> {
        let client = self.client().await?;
        let options = ListContainersOptionsBuilder::new().all(true).build();
        let list = self
            .quick("", client.list_containers(Some(options)))
            .await?;
        Ok(list.into_iter().map(row_from_summary).collect())
    }

    /// The detail pane's data for one container.
    pub async fn detail(&self, id: &str) -> Result<DockerContainerDetail, DockerError> {
        let client = self.client().await?;
        let inspect = self
            .quick(
                id,
                client.inspect_container(id, None::<InspectContainerOptions>),
            )
            .await?;
        Ok(detail_from_inspect(inspect))
    }

    /// One stats reading, without waiting for a second one: CPU counters (to be compared with
    /// the previous reading), memory used and limit.
    pub async fn stats_once(&self, id: &str) -> Result<(CpuCounters, u64, u64), DockerError> {
        let client = self.client().await?;
        let options = StatsOptionsBuilder::new()
            .stream(false)
            .one_shot(true)
            .build();
        let mut stream = client.stats(id, Some(options));
        let reading = self
            .quick(id, async { stream.next().await.transpose() })
            .await?;
        let Some(reading) = reading else {
            return Err(DockerError::NoSuchContainer(id.to_string()));
        };
        let (used, limit) = memory(reading.memory_stats.as_ref());
        Ok((counters(reading.cpu_stats.as_ref()), used, limit))
    }

    /// A reading about every second while the container runs.
    pub async fn stats_stream(&self, id: &str) -> Result<DockerStream<StatsSample>, DockerError> {
        let client = self.client().await?;
        let options = StatsOptionsBuilder::new().stream(true).build();
        let label = self.label.clone();
        let what = id.to_string();
        let stream = client.stats(id, Some(options)).map(move |r| {
            r.map(|s| crate::backend::docker::rows::sample_from_stats(&s))
                .map_err(|e| DockerError::from_bollard(&label, &what, &e))
        });
        Ok(Box::pin(stream))
    }

    /// Container events as they happen. The stream ends or fails when the engine goes away.
    pub async fn events(&self) -> Result<DockerStream<DockerEvent>, DockerError> {
        let client = self.client().await?;
        let filters: HashMap<&str, Vec<&str>> = [("type", vec!["container"])].into();
        let options = EventsOptionsBuilder::new().filters(&filters).build();
        let label = self.label.clone();
        let stream = client.events(Some(options)).map(move |r| {
            r.map(|ev| DockerEvent {
                action: ev.action.unwrap_or_default(),
                id: ev.actor.and_then(|a| a.id).unwrap_or_default(),
            })
            .map_err(|e| DockerError::from_bollard(&label, "", &e))
        });
        Ok(Box::pin(stream))
    }

    /// Follow a container's output (stdout and stderr, with timestamps), starting with the
    /// last `history` lines. The stream ends when the container stops.
    pub async fn logs(
        &self,
        id: &str,
        history: usize,
    ) -> Result<DockerStream<DockerLogFrame>, DockerError> {
        let client = self.client().await?;
        let options = LogsOptionsBuilder::new()
            .follow(true)
            .stdout(true)
            .stderr(true)
            .timestamps(true)
            .tail(&history.to_string())
            .build();
        let label = self.label.clone();
        let what = id.to_string();
        let stream = client.logs(id, Some(options)).map(move |r| {
            r.map(DockerLogFrame)
                .map_err(|e| DockerError::from_bollard(&label, &what, &e))
        });
        Ok(Box::pin(stream))
    }

    /// Restart, stop, start, pause, unpause or remove a container.
    pub async fn act(&self, id: &str, action: ContainerAction) -> Result<(), DockerError> {
        let client = self.client().await?;
        let result = match action {
            ContainerAction::Restart => {
                client
                    .restart_container(id, None::<RestartContainerOptions>)
                    .await
            }
            ContainerAction::Stop => {
                client
                    .stop_container(id, None::<StopContainerOptions>)
                    .await
            }
            ContainerAction::Start => {
                client
                    .start_container(id, None::<StartContainerOptions>)
                    .await
            }
            ContainerAction::Pause => client.pause_container(id).await,
            ContainerAction::Unpause => client.unpause_container(id).await,
            ContainerAction::Remove => {
                client
                    .remove_container(id, None::<RemoveContainerOptions>)
                    .await
            }
        };
        result.map_err(|e| self.error(id, &e))
    }

    /// The state a container is in now (`running`, `exited (0)`), for reports.
    pub async fn state_of(&self, id: &str) -> Result<String, DockerError> {
        Ok(self.detail(id).await?.state)
    }

    /// Whether `program` can run in the container (a quick `program -c 'exit 0'`).
    pub async fn can_run(&self, id: &str, program: &str) -> bool {
        let Ok(client) = self.client().await else {
            return false;
        };
        let config = ExecConfig {
            cmd: Some(vec![program.to_string(), "-c".into(), "exit 0".into()]),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            ..Default::default()
        };
        let probe = async {
            let exec = client.create_exec(id, config).await?;
            if let StartExecResults::Attached { mut output, .. } = client
                .start_exec(&exec.id, None::<StartExecOptions>)
                .await?
            {
                while output.next().await.is_some() {}
            }
            client.inspect_exec(&exec.id).await
        };
        matches!(
            tokio::time::timeout(QUICK, probe).await,
            Ok(Ok(inspect)) if inspect.exit_code == Some(0)
        )
    }

    /// Start `cmd` in the container on a TTY of `cols`×`rows`, attached both ways.
    pub async fn exec_tty(
        &self,
        id: &str,
        cmd: Vec<String>,
        env: Vec<String>,
        (cols, rows): (u16, u16),
    ) -> Result<ExecIo, DockerError> {
        let client = self.client().await?;
        let config = ExecConfig {
            cmd: Some(cmd),
            env: Some(env),
            attach_stdin: Some(true),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            tty: Some(true),
            console_size: Some(vec![usize::from(rows), usize::from(cols)]),
            ..Default::default()
        };
        let exec = self.quick(id, client.create_exec(id, config)).await?;
        let options = StartExecOptions {
            detach: false,
            tty: true,
            output_capacity: None,
        };
        let started = self
            .quick(id, client.start_exec(&exec.id, Some(options)))
            .await?;
        let StartExecResults::Attached { output, input } = started else {
            return Err(DockerError::Api("the exec did not attach".into()));
        };
        let label = self.label.clone();
        let what = id.to_string();
        let output = output.map(move |r| {
            r.map(|o| o.into_bytes().to_vec())
                .map_err(|e| DockerError::from_bollard(&label, &what, &e))
        });
        Ok(ExecIo {
            exec_id: exec.id,
            output: Box::pin(output),
            input,
        })
    }

    /// Tell an exec's TTY its new size.
    pub async fn resize_exec(&self, exec_id: &str, (cols, rows): (u16, u16)) {
        let Ok(client) = self.client().await else {
            return;
        };
        let options = ResizeExecOptions {
            h: i32::from(rows),
            w: i32::from(cols),
        };
        if let Err(e) = client.resize_exec(exec_id, options).await {
            tracing::debug!("resizing the exec failed: {e}");
        }
    }

    /// The exit code of a finished exec.
    pub async fn exec_exit_code(&self, exec_id: &str) -> Option<i64> {
        let client = self.client().await.ok()?;
        client.inspect_exec(exec_id).await.ok()?.exit_code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_parse_with_a_clear_error_for_scheme_less_ones() {
        assert_eq!(
            DockerTarget::parse("unix:///run/user/1000/docker.sock"),
            Ok(DockerTarget::Unix("/run/user/1000/docker.sock".into()))
        );
        assert_eq!(
            DockerTarget::parse("tcp://10.0.0.5:2376"),
            Ok(DockerTarget::Tcp("10.0.0.5:2376".into()))
        );
        assert_eq!(
            DockerTarget::parse("tcp://docker.internal"),
            Ok(DockerTarget::Tcp("docker.internal:2375".into()))
        );
        assert_eq!(
            DockerTarget::parse("/var/run/docker.sock"),
            Ok(DockerTarget::Unix("/var/run/docker.sock".into()))
        );
        let e = DockerTarget::parse("localhost:2375").unwrap_err();
        assert_eq!(
            e.to_string(),
            "DOCKER_HOST `localhost:2375` has no scheme: use unix:///path/to/docker.sock or tcp://host:2375"
        );
        assert!(matches!(
            DockerTarget::parse("ssh://me@box"),
            Err(DockerError::UnsupportedScheme(_))
        ));
        assert!(DockerTarget::parse("unix://").is_err());
    }

    #[test]
    fn the_config_wins_over_docker_host() {
        let t = DockerTarget::resolve(Some("tcp://a:1"), Some("unix:///b.sock"), false);
        assert_eq!(t, Ok(DockerTarget::Tcp("a:1".into())));
        let t = DockerTarget::resolve(Some("  "), Some("unix:///b.sock"), false);
        assert_eq!(t, Ok(DockerTarget::Unix("/b.sock".into())));
        let t = DockerTarget::resolve(None, None, false);
        assert_eq!(
            t.map(|t| t.label()),
            Ok("unix:///var/run/docker.sock".into())
        );
        assert!(DockerTarget::resolve(None, Some("tcp://a:2376"), true).is_err());
    }

    #[test]
    fn exec_and_attach_events_do_not_change_the_list() {
        let ev = |action: &str| DockerEvent {
            action: action.into(),
            id: "x".into(),
        };
        assert!(!ev("exec_start: sh").changes_list());
        assert!(!ev("exec_die").changes_list());
        assert!(!ev("resize").changes_list());
        assert!(ev("start").changes_list());
        assert!(ev("health_status: healthy").changes_list());
        assert!(ev("destroy").changes_list());
    }
}
