//! Runs the log groups view's fetch.

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::loggroups::{LogGroupsCommand, LogGroupsMsg};
use crate::backend::logs::AwsLogs;
use crate::runtime::aws::{AwsHandle, on_clients};
use crate::runtime::now_epoch;

/// Run a log groups command in a task; its result comes back as `Msg::LogGroups`.
pub fn run(command: LogGroupsCommand, aws: &AwsHandle, tx: mpsc::Sender<Msg>) {
    let handle = aws.clone();
    match command {
        LogGroupsCommand::Fetch { generation } => {
            // A view's fetch: aborted when the user moves on.
            aws.spawn_visible(generation, async move {
                let clients = handle.clients().await;
                let result =
                    on_clients(&clients, async |c| AwsLogs::from_clients(c).groups().await).await;
                let msg = LogGroupsMsg::Loaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::LogGroups(msg)).await;
            });
        }
    }
}
