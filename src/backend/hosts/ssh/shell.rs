//! An interactive shell on a PTY: raw bytes both ways, window size changes forwarded.
//!
//! One thread, libssh2 in non-blocking mode, and a poll on the session's socket and the
//! terminal's input. Keystrokes are read as bytes (never parsed), so escape sequences reach
//! the remote side untouched.

use std::io::{self, Read, Write};
use std::os::fd::RawFd;
use std::time::Duration;

use ssh2::Channel;

use crate::backend::hosts::ssh::connect::Connection;
use crate::backend::hosts::ssh::error::{SshError, channel_failed, detail};
use crate::backend::hosts::ssh::poller::Poller;

const SOCKET: usize = 0;
const INPUT: usize = 1;
const CHUNK: usize = 32 * 1024;
/// Upper bound on a missed wake-up or a resize noticed late.
const TICK: Duration = Duration::from_millis(100);
/// Seconds between keepalives, so idle sessions survive NAT and idle timeouts.
const KEEPALIVE_SECS: u32 = 30;
/// libssh2's "would block".
const LIBSSH2_ERROR_EAGAIN: i32 = -37;

/// The local side of a shell: where keystrokes come from and output goes.
pub struct ShellIo<'a> {
    /// The input's descriptor, to poll on.
    pub input_fd: RawFd,
    /// Keystrokes. `Ok(0)` or `WouldBlock` mean "nothing waiting now".
    pub input: &'a mut dyn Read,
    pub output: &'a mut dyn Write,
    /// The terminal size as `(columns, rows)`, asked again on every wake-up.
    pub size: &'a mut dyn FnMut() -> Option<(u16, u16)>,
}

/// How a shell ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShellEnd {
    /// The remote shell's exit status, when the server sent one.
    pub exit_status: Option<i32>,
}

/// Open a PTY with `term` at the current size, start the login shell and carry bytes until
/// it exits.
pub fn run_shell(conn: &Connection, term: &str, io: ShellIo<'_>) -> Result<ShellEnd, SshError> {
    let hop = conn.hop_name.clone();
    let fail = |action: &'static str| channel_failed(&hop, action);
    let session = &conn.session;
    session.set_blocking(true);
    let mut channel = session
        .channel_session()
        .map_err(fail("opening a session channel"))?;
    let (cols, rows) = (io.size)().unwrap_or((80, 24));
    channel
        .request_pty(term, None, Some((cols.into(), rows.into(), 0, 0)))
        .map_err(fail("requesting a terminal"))?;
    channel.shell().map_err(fail("starting the shell"))?;
    session.set_keepalive(true, KEEPALIVE_SECS);
    session.set_blocking(false);

    let mut pump = Pump {
        channel: &mut channel,
        hop: &hop,
        pending: Vec::new(),
        last_size: (cols, rows),
        resize_pending: false,
    };
    let result = pump.run(conn, io);
    session.set_blocking(true);
    session.set_timeout(2_000);
    let _ = channel.close();
    let _ = channel.wait_close();
    result?;
    Ok(ShellEnd {
        exit_status: channel.exit_status().ok(),
    })
}

struct Pump<'a> {
    channel: &'a mut Channel,
    hop: &'a str,
    /// Keystrokes read but not yet accepted by the channel.
    pending: Vec<u8>,
    last_size: (u16, u16),
    resize_pending: bool,
}

impl Pump<'_> {
    fn run(&mut self, conn: &Connection, io: ShellIo<'_>) -> Result<(), SshError> {
        let ShellIo {
            input_fd,
            input,
            output,
            size,
        } = io;
        let mut poller = Poller::new().map_err(terminal)?;
        poller.watch(conn.fd, SOCKET, true).map_err(terminal)?;
        poller.watch(input_fd, INPUT, false).map_err(terminal)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            self.keystrokes(input, &mut buf)?;
            self.output(output, &mut buf)?;
            if self.channel.eof() {
                return Ok(());
            }
            self.resize(size);
            if let Err(e) = conn.session.keepalive_send() {
                tracing::trace!("keepalive not sent now: {}", detail(&e));
            }
            poller.wait(TICK).map_err(terminal)?;
        }
    }

    /// Terminal → channel, until the terminal has nothing more or the channel is full.
    fn keystrokes(&mut self, input: &mut dyn Read, buf: &mut [u8]) -> Result<(), SshError> {
        loop {
            if self.pending.is_empty() {
                match input.read(buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => self.pending.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(terminal(e)),
                }
            }
            match self.channel.write(&self.pending) {
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(self.dropped(e)),
            }
        }
    }

    /// Channel → terminal, until the channel has nothing more.
    fn output(&mut self, output: &mut dyn Write, buf: &mut [u8]) -> Result<(), SshError> {
        let mut wrote = false;
        loop {
            match self.channel.read(buf) {
                Ok(0) => break,
                Ok(n) => {
                    output.write_all(&buf[..n]).map_err(terminal)?;
                    wrote = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(self.dropped(e)),
            }
        }
        if wrote {
            output.flush().map_err(terminal)?;
        }
        Ok(())
    }

    fn resize(&mut self, size: &mut dyn FnMut() -> Option<(u16, u16)>) {
        if let Some(now) = size()
            && now != self.last_size
        {
            self.last_size = now;
            self.resize_pending = true;
        }
        if !self.resize_pending {
            return;
        }
        let (cols, rows) = self.last_size;
        match self
            .channel
            .request_pty_size(cols.into(), rows.into(), None, None)
        {
            Ok(()) => self.resize_pending = false,
            Err(e) if e.code() == ssh2::ErrorCode::Session(LIBSSH2_ERROR_EAGAIN) => {}
            Err(e) => {
                tracing::debug!("window size not forwarded: {}", detail(&e));
                self.resize_pending = false;
            }
        }
    }

    fn dropped(&self, e: io::Error) -> SshError {
        SshError::Disconnected {
            hop: self.hop.to_string(),
            detail: e.to_string(),
        }
    }
}

fn terminal(e: io::Error) -> SshError {
    SshError::Terminal {
        detail: e.to_string(),
    }
}
