//! The AWS connection the features' runtimes share: made lazily (and again after a
//! failure), announced to the loop, with the visible view's fetch slot.

use std::sync::Arc;

use tokio::sync::{Mutex, mpsc};

use crate::app::Msg;
use crate::backend::aws::{AwsClients, AwsTarget, connect};
use crate::backend::error::BackendError;
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

    /// Run the visible view's fetch of `generation`, aborting the older one still running.
    pub fn spawn_visible(&self, generation: u64, fetch: impl Future<Output = ()> + Send + 'static) {
        self.visible.spawn(generation, fetch);
    }

    /// The visible view is of `generation`: abort fetches for views the user has left.
    pub fn leave_older_than(&self, generation: u64) {
        self.visible.abort_older_than(generation);
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
