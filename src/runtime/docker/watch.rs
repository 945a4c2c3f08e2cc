//! The containers view's background work: a watcher that follows the engine's event stream
//! and re-lists on change (debounced), samples CPU and memory on each refresh tick, and
//! reconnects with a pause when the engine goes away; and the focused container's live
//! stats for the detail pane. Both stop by themselves when their lease runs out (the view
//! renews it on every refresh tick while it is on screen).

use std::collections::{HashMap, HashSet};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use futures::future::join_all;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep, sleep_until};

use crate::app::Msg;
use crate::app::docker::DockerMsg;
use crate::backend::docker::{DockerEngine, DockerError, DockerEvent, DockerStream};
use crate::domain::docker::{CpuCounters, DockerContainerRow, cpu_percent};
use crate::domain::status::ContainerState;
use crate::runtime::now_epoch;

/// Events closer together than this make one re-list.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// Pause between attempts to reach a lost engine.
const RETRY: Duration = Duration::from_secs(2);
/// After the first CPU reading, the second one (CPU % needs two) comes this soon.
const SECOND_READING: Duration = Duration::from_secs(1);

/// Until when the view wants the background work to go on. Shared and renewed.
#[derive(Clone)]
pub struct Lease(Arc<Mutex<Instant>>);

impl Default for Lease {
    fn default() -> Self {
        Lease(Arc::new(Mutex::new(Instant::now())))
    }
}

impl Lease {
    pub fn renew(&self, until: Instant) {
        if let Ok(mut deadline) = self.0.lock() {
            *deadline = until;
        }
    }

    pub fn deadline(&self) -> Instant {
        self.0.lock().map(|d| *d).unwrap_or_else(|_| Instant::now())
    }

    pub fn alive(&self) -> bool {
        Instant::now() < self.deadline()
    }
}

/// What the watcher remembers between lists.
#[derive(Default)]
struct Memory {
    /// Start times of running containers (from an inspect; the list does not have them).
    started: HashMap<String, Option<i64>>,
    /// The previous CPU counters per container.
    counters: HashMap<String, CpuCounters>,
    /// The last usage per container: CPU %, memory used, memory limit.
    usage: HashMap<String, (Option<f64>, u64, u64)>,
    /// The rows last sent, to send again when new readings arrive.
    rows: Vec<DockerContainerRow>,
    last_error: Option<String>,
}

/// One stats reading per container: CPU counters, memory used, memory limit.
type Readings = Vec<(String, Result<(CpuCounters, u64, u64), DockerError>)>;

/// A round of stats readings in progress.
type Round = Pin<Box<dyn Future<Output = Readings> + Send>>;

/// Read the stats of `ids`, all at once. Runs beside the event loop: a slow round (the
/// engine takes ~100 ms per container) never delays a list.
fn round(engine: Arc<DockerEngine>, ids: Vec<String>) -> Round {
    Box::pin(async move {
        let readings = join_all(ids.iter().map(|id| engine.stats_once(id))).await;
        ids.into_iter().zip(readings).collect()
    })
}

/// Follow the engine until the lease runs out. `nudges` asks for a list with fresh stats.
pub async fn watch(
    engine: Arc<DockerEngine>,
    lease: Lease,
    mut nudges: mpsc::Receiver<()>,
    tx: mpsc::Sender<Msg>,
) {
    let mut memory = Memory::default();
    while lease.alive() {
        if let Err(e) = list(&engine, &mut memory, &tx).await {
            if report(&mut memory, &tx, e).await.is_err() {
                return;
            }
            tokio::select! {
                _ = sleep(RETRY) => {}
                n = nudges.recv() => if n.is_none() { return },
            }
            continue;
        }
        let mut events = match engine.events().await {
            Ok(events) => events,
            Err(e) => {
                if report(&mut memory, &tx, e).await.is_err() {
                    return;
                }
                sleep(RETRY).await;
                continue;
            }
        };
        tracing::debug!(engine = engine.label(), "following Docker events");
        let mut stats: Option<Round> = Some(round(engine.clone(), running(&memory.rows)));
        let mut second: Option<Instant> = None;
        let mut first_round = true;
        loop {
            let lease_end = lease.deadline();
            tokio::select! {
                event = events.next() => match event {
                    Some(Ok(event)) if event.changes_list() => {
                        let mut changed = HashSet::from([event.id]);
                        let lost = debounce(&mut events, &mut changed).await;
                        for id in &changed {
                            memory.started.remove(id);
                        }
                        if lost || list(&engine, &mut memory, &tx).await.is_err() {
                            break;
                        }
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        tracing::info!("Docker event stream failed: {e}");
                        break;
                    }
                    None => {
                        tracing::info!("Docker event stream ended");
                        break;
                    }
                },
                readings = finish(&mut stats), if stats.is_some() => {
                    stats = None;
                    apply(&mut memory, readings);
                    if resend(&memory, &tx).await.is_err() {
                        return;
                    }
                    if first_round {
                        // CPU % needs a second reading: take it soon.
                        first_round = false;
                        second = Some(Instant::now() + SECOND_READING);
                    }
                }
                n = nudges.recv() => {
                    if n.is_none() {
                        return;
                    }
                    if list(&engine, &mut memory, &tx).await.is_err() {
                        break;
                    }
                    if stats.is_none() {
                        stats = Some(round(engine.clone(), running(&memory.rows)));
                    }
                }
                _ = sleep_until(second.unwrap_or(lease_end)), if second.is_some() => {
                    second = None;
                    if stats.is_none() {
                        stats = Some(round(engine.clone(), running(&memory.rows)));
                    }
                }
                _ = sleep_until(lease_end) => {
                    if !lease.alive() {
                        tracing::debug!("containers view left: the Docker watcher stops");
                        return;
                    }
                }
            }
        }
    }
}

/// Wait for the round in progress (forever when there is none).
async fn finish(round: &mut Option<Round>) -> Readings {
    match round {
        Some(round) => round.await,
        None => std::future::pending().await,
    }
}

/// The ids of the running containers (paused ones have no CPU to read).
fn running(rows: &[DockerContainerRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.is_running())
        .map(|r| r.id.clone())
        .collect()
}

/// Swallow the events of the next [`DEBOUNCE`]; true when the stream ended (engine lost).
async fn debounce(events: &mut DockerStream<DockerEvent>, changed: &mut HashSet<String>) -> bool {
    let until = Instant::now() + DEBOUNCE;
    loop {
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    changed.insert(event.id);
                }
                _ => return true,
            },
            _ = sleep_until(until) => return false,
        }
    }
}

/// Send an error once (not again while it stays the same). `Err` when the loop is gone.
async fn report(memory: &mut Memory, tx: &mpsc::Sender<Msg>, e: DockerError) -> Result<(), ()> {
    let message = format!(
        "{} (retrying every {} s)",
        e.user_message(),
        RETRY.as_secs()
    );
    if memory.last_error.as_deref() == Some(message.as_str()) {
        return Ok(());
    }
    tracing::warn!("Docker engine unavailable: {e}");
    memory.last_error = Some(message.clone());
    memory.counters.clear();
    memory.usage.clear();
    memory.rows.clear();
    let msg = Msg::Docker(DockerMsg::Listed {
        now: now_epoch(),
        result: Err(message),
    });
    tx.send(msg).await.map_err(|_| ())
}

/// List the containers (with the start times of new running ones and the last CPU and
/// memory readings) and send the rows.
async fn list(
    engine: &DockerEngine,
    memory: &mut Memory,
    tx: &mpsc::Sender<Msg>,
) -> Result<(), DockerError> {
    let rows = engine.list().await?;
    memory.last_error = None;
    let present: HashSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    memory.started.retain(|id, _| present.contains(id.as_str()));
    memory
        .counters
        .retain(|id, _| present.contains(id.as_str()));
    memory.usage.retain(|id, _| present.contains(id.as_str()));
    fill_start_times(engine, memory, &rows).await;
    memory.rows = rows;
    resend(memory, tx)
        .await
        .map_err(|_| DockerError::Lost(engine.label().to_string()))
}

/// Send the last rows with what is known of their start times and usage.
async fn resend(memory: &Memory, tx: &mpsc::Sender<Msg>) -> Result<(), ()> {
    let mut rows = memory.rows.clone();
    for row in &mut rows {
        row.started_at = memory.started.get(&row.id).copied().flatten();
        if let Some(&(cpu, used, limit)) = memory.usage.get(&row.id) {
            row.cpu_percent = cpu;
            row.memory_bytes = Some(used);
            row.memory_limit = Some(limit);
        }
    }
    let msg = Msg::Docker(DockerMsg::Listed {
        now: now_epoch(),
        result: Ok(rows),
    });
    tx.send(msg).await.map_err(|_| ())
}

/// Inspect the running containers whose start time is not known yet.
async fn fill_start_times(engine: &DockerEngine, memory: &mut Memory, rows: &[DockerContainerRow]) {
    let missing: Vec<&str> = rows
        .iter()
        .filter(|r| (r.is_running() || r.is_paused()) && !memory.started.contains_key(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    let details = join_all(missing.iter().map(|id| engine.detail(id))).await;
    for (id, detail) in missing.into_iter().zip(details) {
        if let Ok(detail) = detail {
            memory.started.insert(id.to_string(), detail.started_at);
        }
    }
}

/// Take in a round of readings: CPU % against each container's previous reading.
fn apply(memory: &mut Memory, readings: Readings) {
    let present: HashSet<&str> = memory.rows.iter().map(|r| r.id.as_str()).collect();
    for (id, reading) in readings {
        let Ok((counters, used, limit)) = reading else {
            continue;
        };
        if !present.contains(id.as_str()) {
            continue;
        }
        let cpu = memory
            .counters
            .get(&id)
            .and_then(|&previous| cpu_percent(previous, counters));
        // Keep the last CPU figure when this reading could not give one.
        let cpu = cpu.or_else(|| memory.usage.get(&id).and_then(|u| u.0));
        memory.counters.insert(id.clone(), counters);
        memory.usage.insert(id, (cpu, used, limit));
    }
}

/// Inspect `id` and send it to the detail pane.
pub async fn send_detail(engine: &DockerEngine, id: &str, tx: &mpsc::Sender<Msg>) -> bool {
    let result = engine.detail(id).await;
    let running = result.as_ref().is_ok_and(|d| {
        matches!(
            d.run_state,
            ContainerState::Running | ContainerState::Paused
        )
    });
    let msg = Msg::Docker(DockerMsg::Detail {
        id: id.to_string(),
        result: result.map(Box::new).map_err(|e| e.user_message()),
    });
    tx.send(msg).await.is_ok() && running
}

/// The detail pane's container: its inspect, then a stats reading a second while it runs
/// and the lease lasts.
pub async fn follow_focus(
    engine: Arc<DockerEngine>,
    id: String,
    lease: Lease,
    tx: mpsc::Sender<Msg>,
) {
    if !send_detail(&engine, &id, &tx).await {
        return;
    }
    let mut stream = match engine.stats_stream(&id).await {
        Ok(stream) => stream,
        Err(e) => {
            tracing::debug!("no live stats for {id}: {e}");
            return;
        }
    };
    loop {
        tokio::select! {
            reading = stream.next() => match reading {
                Some(Ok(sample)) => {
                    let msg = Msg::Docker(DockerMsg::Sample { id: id.clone(), sample });
                    if tx.send(msg).await.is_err() {
                        return;
                    }
                }
                _ => return,
            },
            _ = sleep_until(lease.deadline()) => {
                if !lease.alive() {
                    return;
                }
            }
        }
    }
}
