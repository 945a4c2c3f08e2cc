//! Saving a log view's buffer to a file (`Command::SaveLog`).

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::logs::LogMsg;

/// Write `text` to a new file in `dir` and report the path (or the problem) as
/// `LogMsg::Saved`.
pub fn spawn_save(dir: PathBuf, stem: String, text: String, tx: mpsc::Sender<Msg>) {
    tokio::spawn(async move {
        let result = save(&dir, &stem, &text, crate::runtime::now_epoch()).await;
        let _ = tx.send(Msg::Log(LogMsg::Saved { result })).await;
    });
}

/// Write `text` to `<dir>/<stem>-<epoch>.log` (or `…-<epoch>-N.log` when that exists); see
/// [`crate::runtime::save::save_as`].
pub async fn save(dir: &Path, stem: &str, text: &str, epoch: i64) -> Result<PathBuf, String> {
    crate::runtime::save::save_as(dir, stem, "log", text, epoch).await
}
