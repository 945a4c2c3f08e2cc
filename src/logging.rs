//! The log file in the state directory.
//!
//! opsdeck opens the file itself before handing it to the logging thread: a file it cannot
//! open (a directory in its place, a state directory left to root by one `sudo opsdeck`) is
//! then a line in the status bar and a console without a file log, not a panic at start-up.
//!
//! Secrets never reach the file, at any level. opsdeck's own records never carry them
//! (container environments are masked where they are read, passphrases print as `***`), but
//! dependencies log what they send and receive at debug and trace: bollard the JSON of every
//! inspect (a container's environment in clear), the AWS SDK the signed requests and their
//! headers (`x-amz-security-token`), hyper and h2 the headers on the wire. So whatever level
//! is asked for, records of other crates stop at `info`.

use std::path::Path;

use tracing::{Level, Metadata};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::filter::{EnvFilter, FilterExt, filter_fn};
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

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
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(asked.and(filter_fn(allowed)));
    let installed = tracing_subscriber::registry().with(layer).try_init();
    LogSetup {
        // Another subscriber (a test's) already logs: ours would write nothing.
        guard: installed.is_ok().then_some(guard),
        problem: None,
    }
}

/// The level cap that holds whatever level was asked for: records of opsdeck itself pass,
/// those of any other crate only up to `info`.
pub fn allowed(meta: &Metadata<'_>) -> bool {
    target_allowed(meta.target(), *meta.level())
}

/// [`allowed`] for a target and level (more verbose levels are greater in `tracing`).
pub fn target_allowed(target: &str, level: Level) -> bool {
    let ours = target == "opsdeck" || target.starts_with("opsdeck::");
    ours || level <= Level::INFO
}

/// Open the log file for appending, creating it and its directory; both are made private
/// (0600, 0700) as they can name hosts, accounts and commands.
fn open(path: &Path) -> Result<std::fs::File, String> {
    let no_log = |what: &str, shown: &Path, e: std::io::Error| {
        format!(
            "cannot {what} {}: {e} — running without a log file",
            shown.display()
        )
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fsmode::private_dir(dir).map_err(|e| no_log("create the log directory", dir, e))?;
    }
    crate::fsmode::open_private_append(path).map_err(|e| no_log("open the log file", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_crates_stop_at_info_and_ours_go_to_trace() {
        for target in [
            "bollard::docker",
            "hyper_util::client::legacy::pool",
            "h2::codec",
            "aws_smithy_runtime::client::orchestrator",
            "aws_sigv4::http_request::sign",
            "aws_config::sso",
            "opsdeckx",
        ] {
            assert!(!target_allowed(target, Level::DEBUG), "{target}");
            assert!(!target_allowed(target, Level::TRACE), "{target}");
            assert!(target_allowed(target, Level::INFO), "{target}");
            assert!(target_allowed(target, Level::WARN), "{target}");
        }
        assert!(target_allowed("opsdeck", Level::TRACE));
        assert!(target_allowed("opsdeck::runtime::docker", Level::TRACE));
    }
}
