//! Drive the real opsdeck binary in a private tmux server, as a person would.
//!
//! Include with `#[path = "../common/tmux.rs"] mod tmux;` (or `mod common;` + this file as a
//! module). Every session gets its own tmux socket, so tests can run in parallel, and the
//! server is killed on drop.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server with one window running a command.
pub struct Tmux {
    socket: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmux {
    /// Start `program args…` in a `width`×`height` window with exactly `env` added to a
    /// minimal environment (PATH, HOME, TERM).
    pub fn start(
        program: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        width: u16,
        height: u16,
    ) -> Tmux {
        let dir = tempfile::tempdir().expect("temp dir");
        let socket = dir.path().join("tmux.sock");
        let mut command_line = String::from("exec env");
        for (k, v) in env {
            command_line.push_str(&format!(" {}={}", k, shell_quote(v)));
        }
        command_line.push(' ');
        command_line.push_str(&shell_quote(&program.display().to_string()));
        for a in args {
            command_line.push(' ');
            command_line.push_str(&shell_quote(a));
        }
        let status = Command::new("tmux")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(&socket)
            .args(["new-session", "-d", "-s", "t", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg(command_line)
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux runs (apt-get install tmux)");
        assert!(status.success(), "tmux new-session failed");
        // Keep the pane after the program exits, to read what it left behind.
        let tmux = Tmux { socket, _dir: dir };
        tmux.run(&["set-option", "-t", "t", "remain-on-exit", "on"]);
        tmux
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Send keys as `tmux send-keys` takes them (`Enter`, `Escape`, `C-c`, or literal text).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Type text literally (no key-name interpretation).
    pub fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "t", "-l", text]);
    }

    /// Run any tmux command against this server (`resize-window`, `paste-buffer` ...).
    pub fn command(&self, args: &[&str]) -> String {
        self.run(args)
    }

    /// The pane's terminal device (`/dev/pts/N`).
    pub fn pane_tty(&self) -> String {
        self.run(&["display-message", "-p", "-t", "t", "#{pane_tty}"])
            .trim()
            .to_string()
    }

    /// The pid of the pane's first process (the command `start` was given).
    pub fn pane_pid(&self) -> u32 {
        let out = self.run(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
        out.trim()
            .parse()
            .unwrap_or_else(|_| panic!("no pane pid in {out:?}"))
    }

    /// The visible screen, as text.
    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    /// Wait until the screen contains `text`; panics with the last screen after `timeout`.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {text:?}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait until the screen no longer contains `text`.
    pub fn wait_gone(&self, text: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let screen = self.screen();
            if !screen.contains(text) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {text:?} to go; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the program in the pane has exited.
    pub fn exited(&self) -> bool {
        self.run(&["display-message", "-p", "-t", "t", "#{pane_dead}"])
            .trim()
            == "1"
    }

    /// Wait for the program to exit.
    pub fn wait_exit(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.exited() {
            if Instant::now() > deadline {
                panic!(
                    "the program did not exit; the screen was:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the pane is on the alternate screen (a full-screen UI is up).
    pub fn alternate_screen(&self) -> bool {
        self.run(&["display-message", "-p", "-t", "t", "#{alternate_on}"])
            .trim()
            == "1"
    }

    /// The pane's terminal modes are back to normal: not on the alternate screen and the
    /// cursor visible. Only meaningful while the pane is alive: tmux reports the cursor of a
    /// dead pane as hidden, so run the program under a shell that outlives it.
    pub fn terminal_restored(&self) -> bool {
        let flags = self.run(&[
            "display-message",
            "-p",
            "-t",
            "t",
            "#{alternate_on} #{cursor_flag}",
        ]);
        flags.trim() == "0 1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .status();
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The opsdeck binary cargo built for the integration tests, or the one `OPSDECK_E2E_BIN`
/// names (to run the same tests against another build, e.g. to see one fail before a fix).
pub fn opsdeck_bin() -> PathBuf {
    std::env::var_os("OPSDECK_E2E_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_opsdeck")))
}
