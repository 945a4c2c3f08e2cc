//! The real binary in tmux against moto: the keyboard never locks up (bursts, long pastes,
//! keys that come with a resize, bracketed paste), and signals and a dead terminal leave the
//! tty as it was found.
//!
//! "Nothing left unread" is measured, not guessed: the bytes still queued on the pane's tty
//! are counted with a FIONREAD ioctl.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rustix::fs::{Mode, OFlags};
use tmux::{Tmux, opsdeck_bin};

/// Long enough for a debug build on a busy 2-core machine.
const WAIT: Duration = Duration::from_secs(20);

/// opsdeck in tmux under a small shell that records the tty modes before and after it runs,
/// and its exit status, then reads one line (to see whether bracketed paste was left on).
struct Console {
    tmux: Tmux,
    home: tempfile::TempDir,
}

impl Console {
    /// Start opsdeck against moto; `None` (skipped) without moto. `setsid` runs it in a
    /// session of its own, so the pane's tty is its input but not its controlling terminal:
    /// a closed pane then reaches it as end of input, not as SIGHUP.
    fn start(url: &str, config: &str, setsid: bool) -> Console {
        let home = tempfile::tempdir().unwrap();
        let path = |p: &str| home.path().join(p).display().to_string();
        std::fs::write(home.path().join("config.toml"), config).unwrap();
        let bin = opsdeck_bin().display().to_string();
        let run = if setsid {
            r#"setsid sh -c 'echo $$ > "$OPSDECK_E2E_DIR/session"; "$0" "$@"; echo $? > "$OPSDECK_E2E_DIR/eof-status"' "$0" "$@""#
        } else {
            r#""$0" "$@""#
        };
        let script = format!(
            r#"d="$OPSDECK_E2E_DIR"; stty -a > "$d/stty-before"; {run}; echo $? > "$d/status"; stty -a > "$d/stty-after.tmp"; mv "$d/stty-after.tmp" "$d/stty-after"; IFS= read -r line; printf '%s' "$line" > "$d/line.tmp"; mv "$d/line.tmp" "$d/line"; exec sleep 600"#
        );
        let config_path = path("config.toml");
        let args = [
            "-c",
            script.as_str(),
            &bin,
            "--config",
            &config_path,
            "--endpoint-url",
            url,
            "--region",
            "eu-west-1",
        ];
        let (home_dir, state, dir) = (path(""), path("state"), path(""));
        let (aws_config, aws_credentials) = (path("aws-config"), path("aws-credentials"));
        let env = [
            ("HOME", home_dir.as_str()),
            ("XDG_CONFIG_HOME", home_dir.as_str()),
            ("XDG_STATE_HOME", state.as_str()),
            ("XDG_DATA_HOME", state.as_str()),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CONFIG_FILE", aws_config.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", aws_credentials.as_str()),
            ("OPSDECK_E2E_DIR", dir.as_str()),
        ];
        let tmux = Tmux::start(Path::new("/bin/sh"), &args, &env, 120, 40);
        Console { tmux, home }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    fn read(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.file(name)).ok()
    }

    /// Wait for a file the shell writes; panics with the screen after the deadline.
    fn wait_file(&self, name: &str, what: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(text) = self.read(name) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{what}; the screen was:\n{}",
                self.tmux.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// opsdeck's pid: the child of the pane's shell, or of the shell `setsid` started.
    fn pid(&self) -> u32 {
        let deadline = Instant::now() + WAIT;
        loop {
            let shell = match self.read("session") {
                Some(pid) => pid.trim().parse().unwrap(),
                None => self.tmux.pane_pid(),
            };
            let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
                .unwrap_or_default();
            let found = children
                .split_whitespace()
                .next()
                .and_then(|p| p.parse().ok());
            if let Some(pid) = found {
                return pid;
            }
            assert!(Instant::now() < deadline, "no opsdeck process in the pane");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Bytes typed into the pane that no one has read yet.
    fn unread(&self) -> u64 {
        let tty = self.tmux.pane_tty();
        let fd = rustix::fs::open(
            tty.as_str(),
            OFlags::RDONLY | OFlags::NOCTTY | OFlags::NONBLOCK,
            Mode::empty(),
        )
        .unwrap_or_else(|e| panic!("open {tty}: {e}"));
        rustix::io::ioctl_fionread(&fd).unwrap()
    }

    /// Wait until opsdeck has read everything typed so far.
    fn wait_all_read(&self, after: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let unread = self.unread();
            if unread == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{unread} bytes still unread on the tty after {after}; the screen was:\n{}",
                self.tmux.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// From another view, `:clusters` brings the clusters screen: the console still answers.
    fn answers_clusters(&self) {
        self.tmux.type_text(":clusters");
        self.tmux.keys(&["Enter"]);
        self.tmux.wait_for("Clusters [", WAIT);
    }

    /// Go to the journal view (local: no AWS call in the way).
    fn to_journal(&self) {
        self.tmux.wait_for("Clusters [", WAIT);
        self.tmux.type_text(":journal");
        self.tmux.keys(&["Enter"]);
        self.tmux.wait_for("Journal", WAIT);
        self.tmux.wait_gone("Clusters [", WAIT);
    }

    /// The pane's tty modes as `stty -a` prints them now.
    fn stty_now(&self) -> String {
        let out = Command::new("stty")
            .args(["-a", "-F", &self.tmux.pane_tty()])
            .output()
            .unwrap();
        assert!(out.status.success(), "stty -F failed");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The process state letter from `/proc/PID/stat` (`S`, `R`, `T` stopped, `Z`), or
    /// `None` once it is gone.
    fn state_of(pid: u32) -> Option<char> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let after = stat.rsplit_once(')')?.1;
        after.trim_start().chars().next()
    }

    fn wait_state(pid: u32, wanted: impl Fn(Option<char>) -> bool, what: &str, t: &Tmux) {
        let deadline = Instant::now() + WAIT;
        while !wanted(Self::state_of(pid)) {
            assert!(
                Instant::now() < deadline,
                "{what} (state {:?}); the screen was:\n{}",
                Self::state_of(pid),
                t.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// After opsdeck exited: the shell found the tty modes as they were before, the pane is
    /// off the alternate screen with the cursor shown, and bracketed paste is off (a paste
    /// reaches the shell without the bracket markers).
    fn assert_restored(&self, how: &str) {
        let status = self.wait_file("status", &format!("opsdeck did not exit on {how}"));
        let before = self.read("stty-before").unwrap();
        let after = self.wait_file("stty-after", "no stty output after exit");
        assert_eq!(after, before, "tty modes after {how} (status {status})");
        assert!(
            self.tmux.terminal_restored(),
            "alternate screen or hidden cursor after {how}:\n{}",
            self.tmux.screen()
        );
        self.tmux
            .command(&["set-buffer", "-b", "probe", "pasted-text\n"]);
        self.tmux
            .command(&["paste-buffer", "-p", "-b", "probe", "-t", "t"]);
        let line = self.wait_file("line", "the shell did not read the pasted line");
        assert_eq!(line, "pasted-text", "bracketed paste still on after {how}");
    }
}

/// A config with a long refresh: nothing redraws by itself during these tests.
const QUIET: &str = "[general]\nrefresh_interval = 3600\n";

fn moto() -> Option<String> {
    common::moto_url()
}

#[test]
fn a_5000_byte_burst_is_read_to_the_end() {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, false);
    c.to_journal();
    c.tmux.type_text(&"j".repeat(5000));
    c.wait_all_read("a 5,000-byte burst");
    c.answers_clusters();
    c.wait_all_read(":clusters");
}

#[test]
fn a_7kb_unbracketed_paste_into_the_filter_is_read_to_the_end() {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, false);
    c.to_journal();
    c.tmux.type_text("/");
    c.tmux.wait_for("█", WAIT);
    // Typed, not pasted: tmux sends it as plain keys, like a terminal without bracketed paste.
    let text: String = (0..7000)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    c.tmux.type_text(&text);
    c.wait_all_read("a 7 KB paste into the filter");
    c.tmux.keys(&["Enter"]);
    c.answers_clusters();
}

#[test]
fn keys_that_come_with_a_resize_are_read() {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, false);
    c.to_journal();
    let busy = "j".repeat(300);
    for i in 0..40 {
        let width = if i % 2 == 0 { "100" } else { "120" };
        // One tmux command: a few hundred keys keep the console busy, and the resize and
        // the key after them arrive together while it is.
        c.tmux.command(&[
            "send-keys",
            "-t",
            "t",
            "-l",
            &busy,
            ";",
            "resize-window",
            "-t",
            "t",
            "-x",
            width,
            ";",
            "send-keys",
            "-t",
            "t",
            "j",
        ]);
        c.wait_all_read(&format!("a key with resize {i}"));
    }
    c.answers_clusters();
}

#[test]
fn bracketed_paste_goes_into_the_prompts_as_text() {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, false);
    c.to_journal();
    // Into the filter: the newline in the paste is text, it does not submit.
    c.tmux.type_text("/");
    c.tmux.wait_for("█", WAIT);
    c.tmux
        .command(&["set-buffer", "-b", "two", "first\nsecond"]);
    c.tmux
        .command(&["paste-buffer", "-p", "-b", "two", "-t", "t"]);
    c.tmux.wait_for("first second█", WAIT);
    c.wait_all_read("a bracketed paste into the filter");
    c.tmux.keys(&["C-u", "Enter"]);
    c.tmux.wait_gone("█", WAIT);
    // Into the command line: the pasted command runs on enter.
    c.tmux.type_text(":");
    c.tmux.wait_for("█", WAIT);
    c.tmux.command(&["set-buffer", "-b", "cmd", "clusters"]);
    c.tmux
        .command(&["paste-buffer", "-p", "-b", "cmd", "-t", "t"]);
    c.tmux.wait_for(":clusters█", WAIT);
    c.tmux.keys(&["Enter"]);
    c.tmux.wait_for("Clusters [", WAIT);
    c.wait_all_read("a bracketed paste into the command line");
    c.to_journal();
    c.answers_clusters();
}

/// Send `signal` to opsdeck; it must exit and leave the tty as it found it.
fn exits_restored_on(signal: &str) {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, false);
    c.tmux.wait_for("Clusters [", WAIT);
    assert!(c.tmux.alternate_screen());
    let pid = c.pid();
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    c.assert_restored(&format!("SIG{signal}"));
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    exits_restored_on("TERM");
}

#[test]
fn sigint_restores_the_terminal_and_exits() {
    exits_restored_on("INT");
}

#[test]
fn sighup_restores_the_terminal_and_exits() {
    exits_restored_on("HUP");
}

/// Suspend with `how`, check the terminal is the shell's again, continue the process group,
/// check the UI is back and still answers.
///
/// opsdeck runs in a session (and so a process group) of its own, as a job-control shell
/// runs a job in a group of its own: suspending stops the job's group, and tmux continues
/// at once any stopped group its pane's first process is in.
fn suspends_and_resumes(how: impl Fn(&Console, u32)) {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, true);
    c.to_journal();
    let before = c.wait_file("stty-before", "no stty output before start");
    let pid = c.pid();
    how(&c, pid);
    Console::wait_state(pid, |s| s == Some('T'), "opsdeck did not stop", &c.tmux);
    assert!(
        c.tmux.terminal_restored(),
        "suspended with the UI still up:\n{}",
        c.tmux.screen()
    );
    assert_eq!(c.stty_now(), before, "tty modes while suspended");

    // `fg` continues the job's process group.
    let group = format!("-{}", c.read("session").unwrap().trim());
    let status = Command::new("kill")
        .args(["-CONT", "--", &group])
        .status()
        .unwrap();
    assert!(status.success());
    Console::wait_state(pid, |s| s != Some('T'), "opsdeck did not continue", &c.tmux);
    // Back on the alternate screen, redrawn (it starts blank), in raw mode.
    c.tmux.wait_for("Journal", WAIT);
    assert!(c.tmux.alternate_screen());
    let modes = c.stty_now();
    assert!(
        ["-icanon", "-echo"]
            .iter()
            .all(|m| modes.split_whitespace().any(|t| t == *m)),
        "not in raw mode after resuming:\n{modes}"
    );
    c.answers_clusters();
}

#[test]
fn ctrl_z_suspends_and_sigcont_resumes() {
    suspends_and_resumes(|c, _| c.tmux.keys(&["C-z"]));
}

#[test]
fn sigtstp_suspends_and_sigcont_resumes() {
    suspends_and_resumes(|_, pid| {
        let status = Command::new("kill")
            .args(["-TSTP", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    });
}

/// The terminal goes away under a console that does not get SIGHUP for it (its own
/// session): reads return end of input, and the console must end, without an error.
#[test]
fn a_closed_terminal_ends_the_console() {
    let Some(url) = moto() else { return };
    let c = Console::start(&url, QUIET, true);
    c.tmux.wait_for("Clusters [", WAIT);
    let pid = c.pid();
    assert!(Console::state_of(pid).is_some());
    c.tmux.command(&["kill-pane", "-t", "t"]);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = c.read("eof-status") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "opsdeck kept running after its terminal closed (state {:?})",
            Console::state_of(pid)
        );
        std::thread::sleep(Duration::from_millis(30));
    };
    let log = std::fs::read_to_string(c.file("state/opsdeck/opsdeck.log")).unwrap_or_default();
    assert_eq!(status.trim(), "0", "exit status; the log:\n{log}");
    assert!(!log.contains("panic"), "{log}");
}
