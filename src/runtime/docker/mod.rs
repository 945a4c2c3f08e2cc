//! Runs Docker commands against the engine: the containers watcher, the focused container's
//! live stats, operations, log tails and exec sessions.

mod exec;
mod watch;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::app::Msg;
use crate::app::docker::{DockerCommand, DockerMsg};
use crate::app::guard::op::Op;
use crate::backend::docker::{ContainerAction, DockerEngine, DockerTarget};
use crate::runtime::docker::watch::{Lease, follow_focus, send_detail, watch};

pub use crate::runtime::docker::exec::exec_session;
pub use crate::runtime::logs::docker::spawn_tail;

/// Access to the Docker engine (connected on first use, and again after it was lost).
#[derive(Clone)]
pub struct DockerHandle {
    /// The engine, or why its address is unusable (a bad `DOCKER_HOST`).
    engine: Result<Arc<DockerEngine>, String>,
    label: String,
    tasks: Arc<Mutex<Tasks>>,
    lease: Lease,
}

/// The background tasks of the containers view.
#[derive(Default)]
struct Tasks {
    /// The watcher and the channel that asks it for a fresh list with stats.
    watcher: Option<(JoinHandle<()>, mpsc::Sender<()>)>,
    /// The container whose stats are streamed, and the task streaming them.
    focus: Option<(String, JoinHandle<()>)>,
}

impl Default for DockerHandle {
    /// The local default socket.
    fn default() -> Self {
        DockerHandle::new(DockerTarget::resolve(None, None, false).map_err(|e| e.to_string()))
    }
}

impl DockerHandle {
    /// A handle on `target`; an `Err` is the one-line reason the address is unusable, shown
    /// on the containers view.
    pub fn new(target: Result<DockerTarget, String>) -> DockerHandle {
        let (engine, label) = match target {
            Ok(target) => {
                let label = target.label();
                (Ok(Arc::new(DockerEngine::new(target))), label)
            }
            Err(message) => (
                Err(message),
                "Docker engine (address not usable)".to_string(),
            ),
        };
        DockerHandle {
            engine,
            label,
            tasks: Arc::new(Mutex::new(Tasks::default())),
            lease: Lease::default(),
        }
    }

    /// `[docker] host` when set, else `DOCKER_HOST`, else the default socket.
    pub fn from_config(config_host: Option<&str>) -> DockerHandle {
        let env_host = std::env::var("DOCKER_HOST").ok();
        let tls = std::env::var_os("DOCKER_TLS_VERIFY").is_some_and(|v| !v.is_empty());
        let target = DockerTarget::resolve(config_host, env_host.as_deref(), tls);
        if let Err(e) = &target {
            tracing::warn!("Docker host not usable: {e}");
        }
        DockerHandle::new(target.map_err(|e| e.to_string()))
    }

    /// How confirmations name the engine: `unix:///var/run/docker.sock`.
    pub fn engine_label(&self) -> String {
        self.label.clone()
    }

    /// The engine, or the one-line reason there is none.
    pub fn engine(&self) -> Result<Arc<DockerEngine>, String> {
        self.engine.clone()
    }

    /// Run a Docker command in the background; results come back on `tx`.
    pub fn run(&self, command: DockerCommand, tx: mpsc::Sender<Msg>) {
        let engine = match &self.engine {
            Ok(engine) => engine.clone(),
            Err(message) => {
                if let DockerCommand::Watch { .. } = command {
                    let msg = Msg::Docker(DockerMsg::Listed {
                        now: crate::runtime::now_epoch(),
                        result: Err(message.clone()),
                    });
                    tokio::spawn(async move {
                        let _ = tx.send(msg).await;
                    });
                }
                return;
            }
        };
        let Ok(mut tasks) = self.tasks.lock() else {
            return;
        };
        match command {
            DockerCommand::Watch { focus, lease_secs } => {
                self.lease
                    .renew(Instant::now() + Duration::from_secs(lease_secs));
                let alive = tasks
                    .watcher
                    .as_ref()
                    .is_some_and(|(handle, _)| !handle.is_finished());
                match &tasks.watcher {
                    Some((_, nudge)) if alive => {
                        // Full already means a refresh is pending: nothing lost.
                        let _ = nudge.try_send(());
                    }
                    _ => {
                        let (nudge, nudges) = mpsc::channel(1);
                        let handle = tokio::spawn(watch(
                            engine.clone(),
                            self.lease.clone(),
                            nudges,
                            tx.clone(),
                        ));
                        tasks.watcher = Some((handle, nudge));
                    }
                }
                if let Some(id) = focus {
                    let same = tasks
                        .focus
                        .as_ref()
                        .is_some_and(|(f, handle)| *f == id && !handle.is_finished());
                    if same {
                        tokio::spawn(async move { send_detail(&engine, &id, &tx).await });
                    } else {
                        self.focus(&mut tasks, engine, id, tx);
                    }
                }
            }
            DockerCommand::Focus { id } => self.focus(&mut tasks, engine, id, tx),
        }
    }

    /// Follow `id` in the detail pane: its inspect, then its live stats.
    fn focus(
        &self,
        tasks: &mut Tasks,
        engine: Arc<DockerEngine>,
        id: String,
        tx: mpsc::Sender<Msg>,
    ) {
        if let Some((_, old)) = tasks.focus.take() {
            old.abort();
        }
        let handle = tokio::spawn(follow_focus(engine, id.clone(), self.lease.clone(), tx));
        tasks.focus = Some((id, handle));
    }

    /// Run a confirmed Docker operation; a summary or a one-line error.
    pub async fn run_op(&self, op: &Op) -> Result<String, String> {
        let engine = self.engine.clone()?;
        let (id, action) = match op {
            Op::DockerRestart { id, .. } => (id, ContainerAction::Restart),
            Op::DockerStop { id, .. } => (id, ContainerAction::Stop),
            Op::DockerStart { id, .. } => (id, ContainerAction::Start),
            Op::DockerPause { id, .. } => (id, ContainerAction::Pause),
            Op::DockerUnpause { id, .. } => (id, ContainerAction::Unpause),
            Op::DockerRemove { id, .. } => (id, ContainerAction::Remove),
            other => return Err(format!("{} is not a Docker operation", other.title())),
        };
        let name = op.resource_name();
        engine
            .act(id, action)
            .await
            .map_err(|e| e.user_message().replace(id.as_str(), &name))?;
        if action == ContainerAction::Remove {
            return Ok(format!("{name} was removed"));
        }
        match engine.state_of(id).await {
            Ok(state) => Ok(format!("{name} is now {state}")),
            Err(_) => Ok(format!("{name}: sent")),
        }
    }
}
