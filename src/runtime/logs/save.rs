//! Saving a log view's buffer to a file (`Command::SaveLog`).

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;
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

/// Write `text` to `<dir>/<stem>-<epoch>.log` (or `…-<epoch>-N.log` when that exists; an
/// existing file is never overwritten), creating `dir`. The file (0600) and `dir` (0700) are
/// readable by their owner only: logs can hold secrets. Returns the path, or a one-line
/// message for the user.
pub async fn save(dir: &Path, stem: &str, text: &str, epoch: i64) -> Result<PathBuf, String> {
    // One mkdir and chmod: too short to be worth a blocking task.
    crate::fsmode::private_dir(dir).map_err(|e| {
        tracing::warn!("creating {}: {e:?}", dir.display());
        format!(
            "cannot create {}: {e} — check that the directory is writable",
            dir.display()
        )
    })?;
    for n in 0..1000 {
        let name = if n == 0 {
            format!("{stem}-{epoch}.log")
        } else {
            format!("{stem}-{epoch}-{n}.log")
        };
        let path = dir.join(name);
        let mut options = tokio::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut file = match options.open(&path).await {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(write_failed(&path, &e)),
        };
        file.write_all(text.as_bytes())
            .await
            .map_err(|e| write_failed(&path, &e))?;
        file.flush().await.map_err(|e| write_failed(&path, &e))?;
        return Ok(path);
    }
    Err(format!(
        "cannot save: too many files named {stem}-{epoch}* in {} — remove some",
        dir.display()
    ))
}

fn write_failed(path: &Path, e: &std::io::Error) -> String {
    tracing::warn!("writing {}: {e:?}", path.display());
    format!(
        "cannot write {}: {e} — check free space and permissions",
        path.display()
    )
}
