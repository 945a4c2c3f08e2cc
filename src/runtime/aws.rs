//! Runs AWS commands: connects lazily (and again after a failure), fetches, reports back.

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};

use crate::app::{Command, Msg};
use crate::backend::aws::{AwsClients, AwsTarget, connect};
use crate::backend::ecs::AwsEcs;
use crate::backend::error::BackendError;
use crate::runtime::now_epoch;
use crate::runtime::visible::VisibleFetch;

/// Shared access to the AWS clients; the connection is made on first use.
#[derive(Clone)]
pub struct AwsHandle {
    target: Arc<AwsTarget>,
    clients: Arc<Mutex<Option<AwsClients>>>,
    tx: mpsc::Sender<Msg>,
    /// The visible view's fetch (ECS, hosts, operations views), aborted by a newer one.
    visible: VisibleFetch,
}

impl AwsHandle {
    /// `tx` receives `Connected` and `AccountResolved` when a connection is made.
    pub fn new(target: AwsTarget, tx: mpsc::Sender<Msg>) -> Self {
        Self {
            target: Arc::new(target),
            clients: Arc::new(Mutex::new(None)),
            tx,
            visible: VisibleFetch::default(),
        }
    }

    /// The clients, connecting first if needed. Errors are one-line user messages.
    pub async fn clients(&self) -> Result<AwsClients, String> {
        let mut guard = self.clients.lock().await;
        if let Some(clients) = guard.as_ref() {
            return Ok(clients.clone());
        }
        match connect(&self.target).await {
            Ok(clients) => {
                *guard = Some(clients.clone());
                self.announce(&clients);
                Ok(clients)
            }
            Err(e) => {
                tracing::warn!("AWS connection failed: {e:?}");
                Err(e.user_message())
            }
        }
    }

    /// Tell the loop about a new connection and look up the account in the background.
    fn announce(&self, clients: &AwsClients) {
        let tx = self.tx.clone();
        let clients = clients.clone();
        tokio::spawn(async move {
            let connected = Msg::Connected {
                profile: clients.profile.clone(),
                region: clients.region.clone(),
                endpoint: clients.endpoint.clone(),
            };
            if tx.send(connected).await.is_err() {
                return;
            }
            match clients.account_id().await {
                Ok(account) if !account.is_empty() => {
                    let _ = tx.send(Msg::AccountResolved(account)).await;
                }
                Ok(_) => {}
                Err(e) => tracing::info!("account id unknown: {e:?}"),
            }
        });
    }

    /// Run one fetch command in a task and send its result back. It is the visible view's
    /// fetch: the one still running for an older generation is aborted.
    pub fn spawn_fetch(&self, command: Command, tx: mpsc::Sender<Msg>) {
        let handle = self.clone();
        let generation = command.generation().unwrap_or(0);
        self.spawn_visible(generation, async move {
            let msg = handle.fetch(command).await;
            if let Some(msg) = msg {
                let _ = tx.send(msg).await;
            }
        });
    }

    /// Run the visible view's fetch of `generation`, aborting the older one still running.
    pub fn spawn_visible(&self, generation: u64, fetch: impl Future<Output = ()> + Send + 'static) {
        self.visible.spawn(generation, fetch);
    }

    /// The visible view is of `generation`: abort fetches for views the user has left.
    pub fn leave_older_than(&self, generation: u64) {
        self.visible.abort_older_than(generation);
    }

    async fn fetch(&self, command: Command) -> Option<Msg> {
        let ecs = self.clients().await.map(|c| AwsEcs::from_clients(&c));
        let msg = match command {
            Command::FetchClusters { generation } => {
                let result = on_clients(&ecs, async |ecs| ecs.clusters().await).await;
                Msg::ClustersLoaded {
                    generation,
                    now: now_epoch(),
                    result,
                }
            }
            Command::FetchServices {
                generation,
                cluster,
            } => {
                let result = on_clients(&ecs, async |ecs| ecs.services(&cluster).await).await;
                Msg::ServicesLoaded {
                    generation,
                    now: now_epoch(),
                    result,
                }
            }
            Command::FetchTasks {
                generation,
                cluster,
                service,
                include_stopped,
            } => {
                let result = on_clients(&ecs, async |ecs| {
                    ecs.tasks(&cluster, service.as_ref(), include_stopped).await
                })
                .await;
                Msg::TasksLoaded {
                    generation,
                    now: now_epoch(),
                    result,
                }
            }
            Command::FetchTask {
                generation,
                cluster,
                task,
            } => {
                let result = on_clients(&ecs, async |ecs| ecs.task(&cluster, &task).await)
                    .await
                    .map(Box::new);
                Msg::TaskLoaded {
                    generation,
                    now: now_epoch(),
                    result,
                }
            }
            _ => return None,
        };
        Some(msg)
    }
}

/// Run `call` on the AWS clients (or an adapter made from them) when there are some; either
/// failure comes back as the one-line message for the user.
pub(crate) async fn on_clients<C, T>(
    clients: &Result<C, String>,
    call: impl AsyncFnOnce(&C) -> Result<T, BackendError>,
) -> Result<T, String> {
    match clients {
        Ok(c) => call(c).await.map_err(|e| e.user_message()),
        Err(e) => Err(e.clone()),
    }
}
