//! Writing a file the user asked for (a saved log buffer, a describe document): always a new
//! file, private to the user, in a private directory.

use std::path::{Path, PathBuf};

use tokio::io::AsyncWriteExt;

/// Write `text` to `<dir>/<stem>-<epoch>.<ext>` (or `…-<epoch>-N.<ext>` when that exists; an
/// existing file is never overwritten), creating `dir`. The file (0600) and `dir` (0700) are
/// readable by their owner only: logs and documents can hold secrets. Returns the path, or a
/// one-line message for the user.
pub async fn save_as(
    dir: &Path,
    stem: &str,
    ext: &str,
    text: &str,
    epoch: i64,
) -> Result<PathBuf, String> {
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
            format!("{stem}-{epoch}.{ext}")
        } else {
            format!("{stem}-{epoch}-{n}.{ext}")
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
