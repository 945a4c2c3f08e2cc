//! Runs the ECS browsing views' fetches: clusters, services, tasks and one task.

use tokio::sync::mpsc;

use crate::app::{Command, Msg};
use crate::backend::ecs::AwsEcs;
use crate::runtime::aws::{AwsHandle, on_clients};
use crate::runtime::now_epoch;

/// Run one ECS fetch in a task and send its result back. It is the visible view's fetch:
/// the one still running for an older generation is aborted.
pub fn run(command: Command, aws: &AwsHandle, tx: mpsc::Sender<Msg>) {
    let handle = aws.clone();
    let generation = command.generation().unwrap_or(0);
    aws.spawn_visible(generation, async move {
        if let Some(msg) = fetch(&handle, command).await {
            let _ = tx.send(msg).await;
        }
    });
}

async fn fetch(aws: &AwsHandle, command: Command) -> Option<Msg> {
    let ecs = aws.clients().await.map(|c| AwsEcs::from_clients(&c));
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
