//! Runs confirmed mutating operations and reports the outcome.

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::op::Op;

/// Run `op` in a task; the result comes back as `Msg::OpFinished`.
pub fn spawn_op(backends: &super::Backends, op: Op, tx: mpsc::Sender<Msg>) {
    let docker = backends.docker.clone();
    tokio::spawn(async move {
        let result = if op.is_docker() {
            docker.run_op(&op).await
        } else {
            Err(format!("{} is not supported yet", op.title()))
        };
        let _ = tx
            .send(Msg::OpFinished {
                op: Box::new(op),
                result,
            })
            .await;
    });
}
