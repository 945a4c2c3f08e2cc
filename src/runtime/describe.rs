//! Runs the describe view's commands: the document's fetch (as the visible view's fetch, so
//! leaving the view aborts it) and saving it.

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::describe::{DescribeCommand, DescribeMsg};
use crate::backend::describe::AwsDescribe;
use crate::domain::describe::DescribeTarget;
use crate::runtime::aws::on_clients;
use crate::runtime::{Backends, now_epoch};

pub fn run(backends: &Backends, command: DescribeCommand, tx: mpsc::Sender<Msg>) {
    match command {
        DescribeCommand::Fetch { generation, target } => {
            let aws = backends.aws.clone();
            let docker = backends.docker.engine();
            backends.aws.spawn_visible(generation, async move {
                let result = match &target {
                    DescribeTarget::DockerContainer { id, .. } => match docker {
                        Ok(engine) => engine.inspect(id).await.map_err(|e| e.user_message()),
                        Err(message) => Err(message),
                    },
                    _ => {
                        let clients = aws.clients().await;
                        on_clients(&clients, async |c| {
                            AwsDescribe::from_clients(c).describe(&target).await
                        })
                        .await
                    }
                };
                let msg = DescribeMsg::Loaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::Describe(msg)).await;
            });
        }
        DescribeCommand::Save {
            dir,
            stem,
            ext,
            text,
        } => {
            tokio::spawn(async move {
                let result =
                    crate::runtime::save::save_as(&dir, &stem, ext, &text, now_epoch()).await;
                let _ = tx.send(Msg::Describe(DescribeMsg::Saved { result })).await;
            });
        }
    }
}
