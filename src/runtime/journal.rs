//! The audit journal file: JSON lines appended and flushed to disk (fsync) before a change is
//! sent, and once more with its result. See [`crate::app::journal::entry`] for the records.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::app::journal::entry::{JournalLoad, JournalRecord, read_entries};
use crate::app::journal::{JournalCommand, JournalMsg};
use crate::runtime::aws::AwsHandle;
use crate::runtime::now_epoch;

/// Run a journal command in a task; its result comes back as `Msg::Journal`. `aws` keeps the
/// visible view's fetch, so that leaving the view drops the read.
pub fn run(
    command: JournalCommand,
    journal: &Arc<Journal>,
    aws: &AwsHandle,
    tx: mpsc::Sender<Msg>,
) {
    let journal = journal.clone();
    match command {
        JournalCommand::Fetch { generation } => {
            aws.spawn_visible(generation, async move {
                let path = journal.path().display().to_string();
                let result = match tokio::task::spawn_blocking(move || journal.read()).await {
                    Ok(Ok(load)) => Ok(load),
                    Ok(Err(e)) => Err(format!("cannot read the journal {path}: {e}")),
                    Err(e) => Err(format!("cannot read the journal {path}: {e}")),
                };
                let msg = JournalMsg::Loaded {
                    generation,
                    now: now_epoch(),
                    result,
                };
                let _ = tx.send(Msg::Journal(msg)).await;
            });
        }
    }
}

/// The most of the file's end that is read back for the view.
pub const READ_LIMIT: u64 = 8 * 1024 * 1024;

/// An append-only journal file. Appends from one process are serialised; each record is one
/// `write` of a whole line in append mode, so concurrent opsdeck processes don't interleave.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    lock: Mutex<()>,
}

impl Journal {
    pub fn new(path: impl Into<PathBuf>) -> Journal {
        Journal {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record and wait until it is on disk. Creates the file (mode 0600) and its
    /// directory (0700) when needed, and makes an existing one private.
    pub fn append(&self, record: &JournalRecord) -> io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(io::Error::other)?;
        line.push('\n');
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let dir = self.path.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            crate::fsmode::private_dir(dir)?;
        }
        let created = !self.path.exists();
        let mut options = OpenOptions::new();
        options.create(true).append(true).read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&self.path)?;
        crate::fsmode::make_private(&file, &self.path);
        if !created && ends_torn(&mut file)? {
            // A crash cut the last line short: start ours on a line of its own.
            line.insert(0, '\n');
        }
        file.write_all(line.as_bytes())?;
        file.sync_data()?;
        if created && let Some(dir) = dir {
            // Make the new directory entry durable too (best effort: not every platform can).
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    /// Read the journal back (its last [`READ_LIMIT`] bytes); no file is an empty journal.
    pub fn read(&self) -> io::Result<JournalLoad> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(JournalLoad::default()),
            Err(e) => return Err(e),
        };
        let len = file.metadata()?.len();
        let cut = len > READ_LIMIT;
        if cut {
            file.seek(SeekFrom::Start(len - READ_LIMIT))?;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        if cut {
            // Drop the partial first line.
            let start = text.find('\n').map_or(text.len(), |i| i + 1);
            text.drain(..start);
        }
        Ok(read_entries(&text))
    }
}

/// Whether the file's last byte is not a newline (a line cut short by a crash).
fn ends_torn(file: &mut File) -> io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}

/// A new id that pairs an intent with its result: unique across processes and restarts.
pub fn new_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{nanos:x}-{:x}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
