//! Following a container's logs: frames from the engine become safe lines, sent to the loop
//! in batches (at most every [`BATCH_WINDOW`] or [`BATCH_LINES`] lines) so a container
//! printing 100,000 lines a second makes about a hundred messages, not 100,000. The loop's
//! channel is bounded: when the loop is busy the tail waits (and the engine buffers), the UI
//! never does.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use crate::app::Msg;
use crate::app::logs::LogMsg;
use crate::backend::docker::{DockerEngine, DockerError};
use crate::domain::logs::LogLine;
use crate::domain::status::ContainerState;
use crate::runtime::docker::DockerHandle;

/// Lines are held back at most this long before they are sent.
pub const BATCH_WINDOW: Duration = Duration::from_millis(16);
/// A batch is sent as soon as it has this many lines.
pub const BATCH_LINES: usize = 1_000;

/// Follow a container's logs from its last `history` lines; `LogMsg::Ended` when the
/// container stops or disappears (the view keeps what it has).
pub fn spawn_tail(
    docker: &DockerHandle,
    tail: u64,
    id: String,
    history: usize,
    tx: mpsc::Sender<Msg>,
) -> JoinHandle<()> {
    let engine = docker.engine();
    tokio::spawn(async move {
        let reason = match engine {
            Ok(engine) => follow(&engine, tail, &id, history, &tx).await,
            Err(message) => Some(message),
        };
        if let Some(reason) = reason {
            let _ = tx.send(Msg::Log(LogMsg::Ended { tail, reason })).await;
        }
    })
}

/// Stream and batch until the logs end. Returns why they ended (`None`: the loop is gone).
async fn follow(
    engine: &Arc<DockerEngine>,
    tail: u64,
    id: &str,
    history: usize,
    tx: &mpsc::Sender<Msg>,
) -> Option<String> {
    let mut frames = match engine.logs(id, history).await {
        Ok(frames) => frames,
        Err(e) => return Some(e.user_message()),
    };
    let mut batch: Vec<LogLine> = Vec::with_capacity(BATCH_LINES);
    let mut deadline: Option<Instant> = None;
    loop {
        tokio::select! {
            frame = frames.next() => match frame {
                Some(Ok(frame)) => {
                    frame.append_to(&mut batch);
                    let now = Instant::now();
                    let due = *deadline.get_or_insert(now + BATCH_WINDOW);
                    if batch.len() >= BATCH_LINES || now >= due {
                        send(tx, tail, &mut batch).await?;
                        deadline = None;
                    }
                }
                Some(Err(e)) => {
                    send(tx, tail, &mut batch).await?;
                    return Some(ended(engine, id, Some(e)).await);
                }
                None => {
                    send(tx, tail, &mut batch).await?;
                    return Some(ended(engine, id, None).await);
                }
            },
            _ = sleep_until(deadline.unwrap_or_else(Instant::now)), if deadline.is_some() => {
                send(tx, tail, &mut batch).await?;
                deadline = None;
            }
        }
    }
}

/// Send the batch (if any). `None` when the loop is gone.
async fn send(tx: &mpsc::Sender<Msg>, tail: u64, batch: &mut Vec<LogLine>) -> Option<()> {
    if batch.is_empty() {
        return Some(());
    }
    let lines = std::mem::replace(batch, Vec::with_capacity(BATCH_LINES));
    tx.send(Msg::Log(LogMsg::Lines { tail, lines })).await.ok()
}

/// Why a container's logs ended: it stopped (with its exit code), it was removed, or the
/// engine went away.
async fn ended(engine: &DockerEngine, id: &str, error: Option<DockerError>) -> String {
    match engine.detail(id).await {
        Ok(detail) if detail.run_state == ContainerState::Running => match error {
            Some(e) => format!("the log stream broke: {}", e.user_message()),
            None => "the log stream ended".to_string(),
        },
        Ok(detail) => format!("the container stopped: {}", detail.state),
        Err(DockerError::NoSuchContainer(_)) => "the container was removed".to_string(),
        Err(e) => e.user_message(),
    }
}
