//! Runs hosts commands: the EC2 listing, finding a task's host, and SSH work.

pub mod ssh;
mod ssh_term;

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::hosts::{HostsCommand, HostsMsg};
use crate::backend::hosts::AwsEc2;
use crate::domain::hosts::HostRow;
use crate::runtime::{Backends, now_epoch};

/// Run one hosts command; its result comes back as a `Msg::Hosts`.
pub fn run(backends: &Backends, command: HostsCommand, tx: mpsc::Sender<Msg>) {
    match command {
        HostsCommand::Fetch { generation } => {
            let aws = backends.aws.clone();
            backends.aws.spawn_visible(generation, async move {
                let result = match aws.clients().await {
                    Ok(clients) => AwsEc2::from_clients(&clients)
                        .hosts()
                        .await
                        .map_err(|e| e.user_message()),
                    Err(message) => Err(message),
                };
                let msg = HostsMsg::Loaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::Hosts(msg)).await;
            });
        }
        HostsCommand::FindTaskHost {
            cluster,
            container_instance_arn,
            purpose,
        } => {
            let aws = backends.aws.clone();
            tokio::spawn(async move {
                let result = find_host(&aws, &cluster, &container_instance_arn).await;
                let _ = tx
                    .send(Msg::Hosts(HostsMsg::TaskHost { purpose, result }))
                    .await;
            });
        }
        HostsCommand::Connect { request, purpose } => backends.ssh.connect(request, purpose, tx),
        HostsCommand::Trust { plan, key, purpose } => backends.ssh.trust(*plan, key, purpose, tx),
        HostsCommand::Unlock {
            plan,
            key,
            passphrase,
            purpose,
            attempt,
        } => backends
            .ssh
            .unlock(*plan, key, passphrase, purpose, attempt, tx),
    }
}

async fn find_host(
    aws: &crate::runtime::AwsHandle,
    cluster: &str,
    container_instance_arn: &str,
) -> Result<HostRow, String> {
    let clients = aws.clients().await?;
    let ec2 = AwsEc2::from_clients(&clients);
    let id = ec2
        .instance_of(cluster, container_instance_arn)
        .await
        .map_err(|e| e.user_message())?
        .ok_or_else(|| {
            format!(
                "container instance {} is no longer registered in {cluster}",
                crate::domain::ids::name_from_arn(container_instance_arn)
            )
        })?;
    let mut hosts = ec2
        .hosts_by_id(std::slice::from_ref(&id))
        .await
        .map_err(|e| e.user_message())?;
    if hosts.is_empty() {
        return Err(format!("instance {id} is not in EC2 any more"));
    }
    Ok(hosts.swap_remove(0))
}
