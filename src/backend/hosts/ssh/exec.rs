//! One-off commands: run, collect the output (stderr merged in order), report the exit status.

use std::io::Read;

use ssh2::ExtendedData;

use crate::backend::hosts::ssh::connect::Connection;
use crate::backend::hosts::ssh::error::{SshError, channel_failed};

/// Most output kept from one command; the rest is cut (and the command closed).
pub const MAX_OUTPUT_BYTES: usize = 1024 * 1024;

/// What a command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutput {
    /// stdout and stderr, interleaved as the server sent them (lossy UTF-8).
    pub text: String,
    /// The exit status, when the server sent one.
    pub exit_status: Option<i32>,
    /// The output was longer than `max_bytes` and was cut.
    pub truncated: bool,
}

/// Run `command` through the user's login shell on the connection's host.
pub fn run_command(
    conn: &Connection,
    command: &str,
    max_bytes: usize,
) -> Result<CommandOutput, SshError> {
    let hop = conn.hop_name.clone();
    let fail = |action: &'static str| channel_failed(&hop, action);
    conn.session.set_blocking(true);
    let mut channel = conn
        .session
        .channel_session()
        .map_err(fail("opening a session channel"))?;
    channel
        .handle_extended_data(ExtendedData::Merge)
        .map_err(fail("merging stderr"))?;
    channel.exec(command).map_err(fail("running the command"))?;
    let mut bytes = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let mut truncated = false;
    loop {
        match channel.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = max_bytes.saturating_sub(bytes.len());
                bytes.extend_from_slice(&buf[..n.min(room)]);
                if n > room {
                    truncated = true;
                    break;
                }
            }
            Err(e) => {
                return Err(SshError::Channel {
                    hop: hop.clone(),
                    action: "reading the output",
                    detail: e.to_string(),
                });
            }
        }
    }
    let _ = channel.close();
    let _ = channel.wait_close();
    Ok(CommandOutput {
        text: String::from_utf8_lossy(&bytes).into_owned(),
        exit_status: channel.exit_status().ok(),
        truncated,
    })
}
