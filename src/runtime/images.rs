//! Runs the `:images` view's commands against the Docker engine.

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::images::{ImagesCommand, ImagesMsg};
use crate::runtime::{Backends, now_epoch};

pub fn run(backends: &Backends, command: ImagesCommand, tx: mpsc::Sender<Msg>) {
    match command {
        ImagesCommand::Fetch { generation } => {
            let engine = backends.docker.engine();
            tokio::spawn(async move {
                let result = match engine {
                    Ok(engine) => engine.images().await.map_err(|e| e.user_message()),
                    Err(message) => Err(message),
                };
                let msg = ImagesMsg::Loaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::Images(msg)).await;
            });
        }
    }
}
