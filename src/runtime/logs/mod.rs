//! Running log tails: one task per tail id, stopped by id. Sources are routed to their adapter.

pub mod cwlogs;
pub mod docker;
pub mod save;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::Msg;
use crate::app::logs::LogSource;

/// The tails that are running.
#[derive(Clone, Default)]
pub struct Tails {
    running: Arc<Mutex<HashMap<u64, JoinHandle<()>>>>,
}

impl Tails {
    /// Remember a tail's task so it can be stopped.
    pub fn insert(&self, tail: u64, handle: JoinHandle<()>) {
        if let Ok(mut running) = self.running.lock()
            && let Some(old) = running.insert(tail, handle)
        {
            old.abort();
        }
    }

    /// Stop a tail (its task is aborted; nothing more is sent for it).
    pub fn stop(&self, tail: u64) {
        if let Ok(mut running) = self.running.lock()
            && let Some(handle) = running.remove(&tail)
        {
            handle.abort();
        }
    }

    /// How many tails are running.
    pub fn len(&self) -> usize {
        self.running.lock().map(|r| r.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Start a tail for `source`, reporting on `tx`.
pub fn start(
    backends: &crate::runtime::Backends,
    tail: u64,
    source: LogSource,
    history: usize,
    tx: mpsc::Sender<Msg>,
) {
    let handle = match source {
        LogSource::Docker { id, .. } => {
            crate::runtime::docker::spawn_tail(&backends.docker, tail, id, history, tx)
        }
        other => crate::runtime::logs::cwlogs::spawn_tail_with(
            &backends.aws,
            backends.cwlogs,
            tail,
            other,
            history,
            tx,
        ),
    };
    backends.tails.insert(tail, handle);
}
