//! The log file in the state directory.
//!
//! opsdeck opens the file itself before handing it to the logging thread: a file it cannot
//! open (a directory in its place, a state directory left to root by one `sudo opsdeck`) is
//! then a line in the status bar and a console without a file log, not a panic at start-up.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// What setting up the log gave: the guard that flushes it on drop, or why there is none.
pub struct LogSetup {
    pub guard: Option<WorkerGuard>,
    /// A one-line message for the user when the file log could not be set up.
    pub problem: Option<String>,
}

/// Log to `path` at `level` (`OPSDECK_LOG` overrides it).
pub fn init(path: &Path, level: &str) -> LogSetup {
    let file = match open(path) {
        Ok(file) => file,
        Err(problem) => {
            return LogSetup {
                guard: None,
                problem: Some(problem),
            };
        }
    };
    let (writer, guard) = tracing_appender::non_blocking(file);
    let asked = EnvFilter::try_from_env("OPSDECK_LOG")
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(asked)
        .try_init();
    LogSetup {
        // Another subscriber (a test's) already logs: ours would write nothing.
        guard: installed.is_ok().then_some(guard),
        problem: None,
    }
}

/// Open the log file for appending, creating it and its directory.
fn open(path: &Path) -> Result<std::fs::File, String> {
    let no_log = |what: &str, shown: &Path, e: std::io::Error| {
        format!(
            "cannot {what} {}: {e} — running without a log file",
            shown.display()
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| no_log("create the log directory", dir, e))?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| no_log("open the log file", path, e))
}
