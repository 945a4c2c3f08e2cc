//! Runs the service side's commands: the detail view's fetch and reading a rollback's task
//! definitions.

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::service::{ServiceCommand, ServiceMsg};
use crate::backend::ecs::ops::AwsOps;
use crate::runtime::aws::{AwsHandle, on_clients};
use crate::runtime::now_epoch;

/// Run a service command in a task; its result comes back as `Msg::Service`.
pub fn run(command: ServiceCommand, aws: &AwsHandle, tx: mpsc::Sender<Msg>) {
    let handle = aws.clone();
    match command {
        ServiceCommand::FetchDetail {
            generation,
            cluster,
            service,
        } => {
            // A view's fetch: aborted when the user moves on.
            aws.spawn_visible(generation, async move {
                let clients = handle.clients().await;
                let result = on_clients(&clients, async |c| {
                    AwsOps::from_clients(c)
                        .service_detail(&cluster, service.as_str())
                        .await
                })
                .await
                .map(Box::new);
                let msg = ServiceMsg::DetailLoaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::Service(msg)).await;
            });
        }
        ServiceCommand::PrepareRollback { cluster, service } => {
            tokio::spawn(async move {
                let clients = handle.clients().await;
                let result = on_clients(&clients, async |c| {
                    AwsOps::from_clients(c)
                        .rollback_plan(&cluster, service.as_str())
                        .await
                })
                .await;
                let msg = ServiceMsg::RollbackPrepared {
                    cluster: cluster.to_string(),
                    service: service.to_string(),
                    result,
                };
                let _ = tx.send(Msg::Service(msg)).await;
            });
        }
    }
}
