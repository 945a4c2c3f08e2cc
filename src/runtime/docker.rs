//! Runs Docker commands against the local engine.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::Msg;
use crate::app::docker::DockerCommand;
use crate::app::op::Op;

/// Access to the Docker engine (connected lazily).
#[derive(Clone, Default)]
pub struct DockerHandle {}

impl DockerHandle {
    /// How confirmations name the engine.
    pub fn engine_label(&self) -> String {
        String::from("local Docker engine")
    }

    pub fn run(&self, command: DockerCommand, _tx: mpsc::Sender<Msg>) {
        match command {}
    }

    /// Run a confirmed Docker operation; the summary or a one-line error.
    pub async fn run_op(&self, op: &Op) -> Result<String, String> {
        Err(format!("{} is not supported yet", op.title()))
    }
}

/// Follow a container's logs.
pub fn spawn_tail(
    _docker: &DockerHandle,
    tail: u64,
    _id: String,
    _history: usize,
    tx: mpsc::Sender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = tx
            .send(Msg::Log(crate::app::logs::LogMsg::Ended {
                tail,
                reason: "Docker logs are not supported yet".to_string(),
            }))
            .await;
    })
}

/// An interactive shell in a container; returns when it ends.
pub async fn exec_session(_docker: &DockerHandle, _id: &str) -> Result<(), String> {
    Err("exec is not supported yet".to_string())
}
