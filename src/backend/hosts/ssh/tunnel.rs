//! The bastion hop: a `direct-tcpip` channel on the bastion's session, bridged to one end of
//! a local socket pair whose other end the target's session handshakes over.
//!
//! libssh2 has no ProxyJump of its own; this is the same path OpenSSH's `-J` takes (the
//! target's SSH stream rides inside the bastion's encrypted channel), with a thread that
//! copies bytes both ways in non-blocking mode.

use std::io::{self, Read, Write};
use std::os::fd::RawFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use mio::Waker;
use ssh2::{Channel, Session};

use crate::backend::hosts::ssh::poller::Poller;

const BASTION: usize = 0;
const LOCAL: usize = 1;
const STOP: usize = 2;
/// Bytes moved per read.
const CHUNK: usize = 32 * 1024;
/// Upper bound on a missed wake-up (mio is edge-triggered).
const TICK: Duration = Duration::from_millis(100);

/// A running bridge; dropping it stops the thread and closes the bastion session.
pub struct Tunnel {
    stop: Arc<AtomicBool>,
    waker: Waker,
    thread: Option<JoinHandle<()>>,
}

impl Tunnel {
    /// Bridge `channel` (on `session`, whose socket is `bastion_fd`) to `local`.
    pub fn start(
        session: Session,
        channel: Channel,
        bastion_fd: RawFd,
        local: UnixStream,
    ) -> io::Result<Tunnel> {
        session.set_blocking(false);
        local.set_nonblocking(true)?;
        let mut poller = Poller::new()?;
        poller.watch(bastion_fd, BASTION, true)?;
        poller.watch(std::os::fd::AsRawFd::as_raw_fd(&local), LOCAL, true)?;
        let waker = poller.waker(STOP)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("ssh-tunnel".into())
            .spawn(move || {
                let mut bridge = Bridge {
                    session,
                    channel,
                    local,
                    to_remote: Vec::new(),
                    to_local: Vec::new(),
                    local_eof: false,
                    remote_eof: false,
                };
                match bridge.run(&mut poller, &flag) {
                    Ok(()) => tracing::debug!("ssh tunnel closed"),
                    Err(e) => tracing::debug!("ssh tunnel ended: {e}"),
                }
                bridge.close();
            })?;
        Ok(Tunnel {
            stop,
            waker,
            thread: Some(thread),
        })
    }
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Bridge {
    session: Session,
    channel: Channel,
    local: UnixStream,
    to_remote: Vec<u8>,
    to_local: Vec<u8>,
    local_eof: bool,
    remote_eof: bool,
}

impl Bridge {
    fn run(&mut self, poller: &mut Poller, stop: &AtomicBool) -> io::Result<()> {
        let mut buf = vec![0u8; CHUNK];
        loop {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            self.local_to_remote(&mut buf)?;
            self.remote_to_local(&mut buf)?;
            if self.local_eof && self.to_remote.is_empty() {
                // The target's session is gone: nothing more to carry.
                return Ok(());
            }
            if self.remote_eof && self.to_local.is_empty() {
                let _ = self.local.shutdown(std::net::Shutdown::Write);
                return Ok(());
            }
            poller.wait(TICK)?;
        }
    }

    fn local_to_remote(&mut self, buf: &mut [u8]) -> io::Result<()> {
        loop {
            if self.to_remote.is_empty() && !self.local_eof {
                match self.local.read(buf) {
                    Ok(0) => self.local_eof = true,
                    Ok(n) => self.to_remote.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
            if self.to_remote.is_empty() {
                return Ok(());
            }
            match self.channel.write(&self.to_remote) {
                Ok(n) => {
                    self.to_remote.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    fn remote_to_local(&mut self, buf: &mut [u8]) -> io::Result<()> {
        loop {
            if self.to_local.is_empty() && !self.remote_eof {
                match self.channel.read(buf) {
                    Ok(0) => {
                        if self.channel.eof() {
                            self.remote_eof = true;
                        }
                    }
                    Ok(n) => self.to_local.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => return Err(e),
                }
            }
            if self.to_local.is_empty() {
                return Ok(());
            }
            match self.local.write(&self.to_local) {
                Ok(n) => {
                    self.to_local.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Best effort: tell the bastion we are done, without waiting long.
    fn close(&mut self) {
        self.session.set_blocking(true);
        self.session.set_timeout(1_000);
        let _ = self.channel.send_eof();
        let _ = self.channel.close();
        let _ = self.session.disconnect(None, "opsdeck session ended", None);
    }
}
