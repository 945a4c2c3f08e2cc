//! CloudWatch Logs tails: live tail with a polling fallback.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::AwsHandle;
use crate::app::Msg;
use crate::app::logs::LogSource;

/// Follow CloudWatch logs for `source`.
pub fn spawn_tail(
    _aws: &AwsHandle,
    tail: u64,
    _source: LogSource,
    _history: usize,
    tx: mpsc::Sender<Msg>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let _ = tx
            .send(Msg::Log(crate::app::logs::LogMsg::Ended {
                tail,
                reason: "CloudWatch tails are not supported yet".to_string(),
            }))
            .await;
    })
}
