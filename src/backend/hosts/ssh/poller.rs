//! Waiting on several file descriptors at once (mio), for the non-blocking SSH loops.
//!
//! mio is edge-triggered: after a wake-up, callers drain every source until it would block,
//! and a short timeout bounds the cost of any edge they might miss.

use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

use mio::unix::SourceFd;
use mio::{Events, Interest, Poll, Token, Waker};

/// A set of watched descriptors.
pub struct Poller {
    poll: Poll,
    events: Events,
}

impl Poller {
    pub fn new() -> io::Result<Poller> {
        Ok(Poller {
            poll: Poll::new()?,
            events: Events::with_capacity(16),
        })
    }

    /// Watch `fd` for reads (and writes when `writable`).
    pub fn watch(&self, fd: RawFd, token: usize, writable: bool) -> io::Result<()> {
        let interest = if writable {
            Interest::READABLE | Interest::WRITABLE
        } else {
            Interest::READABLE
        };
        self.poll
            .registry()
            .register(&mut SourceFd(&fd), Token(token), interest)
    }

    /// A handle other threads use to wake [`Poller::wait`].
    pub fn waker(&self, token: usize) -> io::Result<Waker> {
        Waker::new(self.poll.registry(), Token(token))
    }

    /// Sleep until something is ready or `timeout` passes. A signal (a terminal resize)
    /// also ends the wait.
    pub fn wait(&mut self, timeout: Duration) -> io::Result<()> {
        match self.poll.poll(&mut self.events, Some(timeout)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(()),
            Err(e) => Err(e),
        }
    }
}
