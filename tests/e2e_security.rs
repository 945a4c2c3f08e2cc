//! The real binary in tmux, for what a user must be able to count on: start-up never panics
//! over a log file it cannot open.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::time::Duration;

use tmux::{Tmux, opsdeck_bin};

const WAIT: Duration = Duration::from_secs(20);

/// opsdeck in tmux under `sh -c` (which records the exit status and keeps the pane alive),
/// with HOME and the XDG dirs in a temp dir unless `env` says otherwise.
struct Console {
    tmux: Tmux,
    home: tempfile::TempDir,
}

impl Console {
    fn start_in(
        home: tempfile::TempDir,
        args: &[&str],
        env: &[(&str, &str)],
        umask: Option<&str>,
    ) -> Console {
        let dir = home.path().display().to_string();
        let status = home.path().join("exit-status").display().to_string();
        let bin = opsdeck_bin().display().to_string();
        let script = format!(
            r#"{}"$0" "$@"; echo $? > "$OPSDECK_E2E_STATUS.tmp"; mv "$OPSDECK_E2E_STATUS.tmp" "$OPSDECK_E2E_STATUS"; exec sleep 600"#,
            umask.map(|u| format!("umask {u}; ")).unwrap_or_default()
        );
        let mut sh_args: Vec<&str> = vec!["-c", &script, &bin];
        sh_args.extend_from_slice(args);
        let mut all: Vec<(&str, &str)> = vec![
            ("HOME", dir.as_str()),
            ("XDG_CONFIG_HOME", dir.as_str()),
            ("XDG_STATE_HOME", dir.as_str()),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("OPSDECK_E2E_STATUS", status.as_str()),
        ];
        let docker_host = std::env::var("DOCKER_HOST").unwrap_or_default();
        if !docker_host.is_empty() {
            all.push(("DOCKER_HOST", docker_host.as_str()));
        }
        // Later entries win in `env`: the test's own go last.
        all.extend_from_slice(env);
        let tmux = Tmux::start(Path::new("/bin/sh"), &sh_args, &all, 160, 48);
        tmux.wait_for("clusters", WAIT);
        Console { tmux, home }
    }

    /// Press `q` (from the view it is on); opsdeck must exit 0.
    fn quit_cleanly(&self) {
        self.tmux.keys(&["q"]);
        let path = self.home.path().join("exit-status");
        let deadline = std::time::Instant::now() + WAIT;
        let status = loop {
            if let Ok(status) = std::fs::read_to_string(&path) {
                break status.trim().to_string();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "opsdeck did not exit on q; the screen was:\n{}",
                self.tmux.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status, "0", "exit status; screen:\n{}", self.tmux.screen());
    }
}

// ---------------------------------------------------------------- start-up never panics

#[test]
fn a_log_file_that_cannot_be_opened_is_a_message_and_the_console_runs() {
    // Root can open any file, so make the path unopenable for anyone: a directory.
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("opsdeck").join("opsdeck.log");
    std::fs::create_dir_all(&log).unwrap();
    let console = Console::start_in(home, &["--endpoint-url", "http://127.0.0.1:9"], &[], None);
    let t = &console.tmux;
    let screen = t.wait_for("running without a log file", WAIT);
    assert!(screen.contains("cannot open the log file"), "{screen}");
    assert!(screen.contains("opsdeck.log"), "{screen}");
    // The console works: another view opens, and q quits with status 0.
    t.type_text(":containers");
    t.keys(&["Enter"]);
    t.wait_for("Containers", WAIT);
    console.quit_cleanly();
}

#[test]
fn a_state_dir_that_cannot_be_created_is_a_message_and_the_console_runs() {
    let home = tempfile::tempdir().unwrap();
    let blocker = home.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let state_home = blocker.display().to_string();
    let console = Console::start_in(
        home,
        &["--endpoint-url", "http://127.0.0.1:9"],
        &[("XDG_STATE_HOME", &state_home)],
        None,
    );
    let t = &console.tmux;
    let screen = t.wait_for("running without a log file", WAIT);
    assert!(
        screen.contains("cannot create the log directory"),
        "{screen}"
    );
    t.type_text(":containers");
    t.keys(&["Enter"]);
    t.wait_for("Containers", WAIT);
    console.quit_cleanly();
}
