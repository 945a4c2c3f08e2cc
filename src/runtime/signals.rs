//! Signals the console answers: the ones that end it (the terminal is restored on the way
//! out), job control (suspend with the terminal given back, re-enter it on continue), and
//! window size changes.

use std::io;

use tokio::signal::unix::{Signal, SignalKind, signal};

/// What a signal asks of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalEvent {
    /// SIGTERM, SIGINT or SIGHUP (named): restore the terminal and exit.
    Quit(&'static str),
    /// SIGTSTP: suspend, as ctrl-z does.
    Suspend,
    /// SIGCONT: the process was stopped and continued; the terminal may have been changed
    /// meanwhile, so take it again and redraw.
    Continue,
    /// SIGWINCH: redraw at the new size.
    Resize,
}

/// The signal streams, installed once for the life of the console.
pub struct Signals {
    term: Signal,
    int: Signal,
    hup: Signal,
    tstp: Signal,
    cont: Signal,
    winch: Signal,
}

impl Signals {
    /// Install the handlers. From here on these signals no longer kill or stop the process
    /// by themselves: the loop does it, after restoring the terminal.
    pub fn install() -> io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
            tstp: signal(SignalKind::from_raw(rustix::process::Signal::TSTP.as_raw()))?,
            cont: signal(SignalKind::from_raw(rustix::process::Signal::CONT.as_raw()))?,
            winch: signal(SignalKind::window_change())?,
        })
    }

    /// The next signal.
    pub async fn recv(&mut self) -> SignalEvent {
        tokio::select! {
            _ = self.term.recv() => SignalEvent::Quit("SIGTERM"),
            _ = self.int.recv() => SignalEvent::Quit("SIGINT"),
            _ = self.hup.recv() => SignalEvent::Quit("SIGHUP"),
            _ = self.tstp.recv() => SignalEvent::Suspend,
            _ = self.cont.recv() => SignalEvent::Continue,
            _ = self.winch.recv() => SignalEvent::Resize,
        }
    }

    /// Forget a SIGCONT that is already queued (the one that ended our own suspend).
    pub fn forget_continue(&mut self) {
        use futures::FutureExt;
        while let Some(Some(())) = self.cont.recv().now_or_never() {}
    }
}

/// Stop the process group, as ctrl-z in a cooked terminal does, and return once it is
/// continued (`fg`). SIGSTOP because SIGTSTP is handled here and would not stop anything.
/// The caller has restored the terminal.
pub fn stop_self() -> Result<(), String> {
    rustix::process::kill_current_process_group(rustix::process::Signal::STOP)
        .map_err(|e| format!("could not suspend: {e}"))
}
