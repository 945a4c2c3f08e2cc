//! The terminal side of an SSH session: raw mode with non-blocking reads for the built-in
//! client, or the system `ssh` with the terminal handed over.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::process::{Command, Stdio};

use rustix::termios::{OptionalActions, SpecialCodeIndex, Termios, tcgetattr, tcsetattr};

use crate::backend::hosts::ssh::{Connection, ShellIo, SshError, run_shell};
use crate::domain::ssh::SshPlan;

/// The terminal type announced to the remote side when `TERM` is unset.
const DEFAULT_TERM: &str = "xterm-256color";

/// Raw mode on stdin with reads that never block (`VMIN = 0`, `VTIME = 0`); the terminal's
/// previous settings come back on drop, also when unwinding from a panic.
struct RawTerminal {
    saved: Termios,
}

impl RawTerminal {
    fn enter() -> io::Result<RawTerminal> {
        let stdin = io::stdin();
        let saved = tcgetattr(stdin.as_fd())?;
        let mut raw = saved.clone();
        raw.make_raw();
        raw.special_codes[SpecialCodeIndex::VMIN] = 0;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        tcsetattr(stdin.as_fd(), OptionalActions::Now, &raw)?;
        Ok(RawTerminal { saved })
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        let _ = tcsetattr(io::stdin().as_fd(), OptionalActions::Now, &self.saved);
    }
}

/// Run an interactive shell on `conn` in this terminal until it ends.
pub fn shell_in_terminal(conn: &Connection) -> Result<(), SshError> {
    let term = std::env::var("TERM")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_TERM.to_string());
    let terminal_error = |e: io::Error| SshError::Terminal {
        detail: e.to_string(),
    };
    // Our own handle on stdin: raw bytes, no std buffering, no escape-sequence parsing.
    let mut input = File::from(
        io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map_err(terminal_error)?,
    );
    let input_fd = input.as_raw_fd();
    let _raw = RawTerminal::enter().map_err(terminal_error)?;
    let stdout = io::stdout();
    let mut output = stdout.lock();
    let mut size = || {
        rustix::termios::tcgetwinsize(io::stdout().as_fd())
            .ok()
            .filter(|w| w.ws_col > 0 && w.ws_row > 0)
            .map(|w| (w.ws_col, w.ws_row))
    };
    let end = run_shell(
        conn,
        &term,
        ShellIo {
            input_fd,
            input: &mut input,
            output: &mut output,
            size: &mut size,
        },
    )?;
    let _ = output.flush();
    tracing::info!(host = %conn.hop_name, status = ?end.exit_status, "ssh session ended");
    Ok(())
}

/// The system `ssh` for `plan`: same target, user, port, keys, known_hosts and bastion.
/// `remote` is a command to run instead of a login shell.
pub fn openssh_command(plan: &SshPlan, remote: Option<&str>) -> Command {
    let mut cmd = Command::new("ssh");
    if let Some(config) = &plan.ssh_config {
        cmd.arg("-F").arg(config);
    }
    cmd.arg("-p")
        .arg(plan.target.port.to_string())
        .arg("-l")
        .arg(&plan.target.user);
    for identity in &plan.target.identity_files {
        cmd.arg("-i").arg(identity);
    }
    cmd.arg("-o")
        .arg(format!("UserKnownHostsFile={}", plan.known_hosts.display()))
        .arg("-o")
        .arg(format!("ConnectTimeout={}", plan.timeout_secs));
    if let Some(bastion) = &plan.bastion {
        cmd.arg("-J").arg(format!(
            "{}@{}:{}",
            bastion.user, bastion.host, bastion.port
        ));
    }
    if let Some(socket) = &plan.agent_socket {
        cmd.env("SSH_AUTH_SOCK", socket);
    }
    match remote {
        Some(command) => {
            cmd.arg("-o").arg("BatchMode=yes");
            cmd.arg(&plan.target.host).arg("--").arg(command);
        }
        None => {
            cmd.arg(&plan.target.host);
        }
    }
    cmd
}

/// Hand the terminal to `ssh` until it exits.
pub fn openssh_session(plan: &SshPlan) -> Result<(), SshError> {
    let status = openssh_command(plan, None)
        .stdin(Stdio::inherit())
        .stdout(Stdio::inherit())
        .stderr(Stdio::inherit())
        .status()
        .map_err(|e| SshError::OpenSsh {
            detail: e.to_string(),
        })?;
    match status.code() {
        // 255 is ssh's own failure (connection, authentication, host key); it printed why.
        Some(255) => Err(SshError::Disconnected {
            hop: format!("host {}", plan.label),
            detail: "ssh exited with status 255 (see the message it printed)".to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ssh::SshHop;
    use std::path::PathBuf;

    #[test]
    fn openssh_gets_the_same_target_and_bastion() {
        let plan = SshPlan {
            label: "web-1".into(),
            target: SshHop {
                name: "web-1.internal".into(),
                host: "10.0.1.5".into(),
                port: 2200,
                user: "admin".into(),
                identity_files: vec![PathBuf::from("/k/id")],
            },
            bastion: Some(SshHop {
                name: "jump".into(),
                host: "198.51.100.7".into(),
                port: 22,
                user: "hopper".into(),
                identity_files: Vec::new(),
            }),
            known_hosts: PathBuf::from("/k/known_hosts"),
            timeout_secs: 7,
            ..SshPlan::default()
        };
        let cmd = openssh_command(&plan, Some("uptime"));
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "-p",
                "2200",
                "-l",
                "admin",
                "-i",
                "/k/id",
                "-o",
                "UserKnownHostsFile=/k/known_hosts",
                "-o",
                "ConnectTimeout=7",
                "-J",
                "hopper@198.51.100.7:22",
                "-o",
                "BatchMode=yes",
                "10.0.1.5",
                "--",
                "uptime"
            ]
        );
    }
}
