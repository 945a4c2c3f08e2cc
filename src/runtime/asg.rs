//! Runs the `:asgs` view's fetch.

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::asg::{AsgCommand, AsgMsg};
use crate::backend::asg::AwsAsg;
use crate::runtime::aws::{AwsHandle, on_clients};
use crate::runtime::now_epoch;

/// Run an Auto Scaling command in a task; its result comes back as `Msg::Asg`.
pub fn run(command: AsgCommand, aws: &AwsHandle, tx: mpsc::Sender<Msg>) {
    let handle = aws.clone();
    match command {
        AsgCommand::Fetch { generation } => {
            // A view's fetch: aborted when the user moves on.
            aws.spawn_visible(generation, async move {
                let clients = handle.clients().await;
                let result =
                    on_clients(&clients, async |c| AwsAsg::from_clients(c).groups().await).await;
                let msg = AsgMsg::Loaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::Asg(msg)).await;
            });
        }
    }
}
