//! The terminal reader: a thread of its own that reads the tty until it would block, and
//! hands the events to the loop.
//!
//! Why not crossterm's `EventStream`: its default event source reads 1 KiB, returns after
//! the first event it parses, and waits on an edge-triggered epoll registration. Bytes
//! that were queued behind that first KiB raise no new edge, so they stay unread until
//! more keys arrive: a fast burst (or a key that arrived together with a resize) left the
//! console deaf. The `use-dev-tty` source waits with `poll(2)`, which is level-triggered,
//! and this thread asks it for events until the tty is empty.
//!
//! The same source spins when the tty reads end of input (the SSH session died), so this
//! thread checks the tty itself first: a hang-up or an error ends the console.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::Event;
use rustix::event::{PollFd, PollFlags};
use tokio::sync::mpsc;

/// Events queued between the thread and the loop; a full queue holds the thread back, and
/// with it the tty (the terminal's own flow control), nothing is lost.
const QUEUE: usize = 1024;

/// How long crossterm may wait for more once the tty said it has something: enough for
/// the rest of an escape sequence already on its way.
const FOLLOW_UP: Duration = Duration::from_millis(1);

/// What the reader saw.
#[derive(Debug)]
pub enum Input {
    Event(Event),
    /// The terminal is gone (hang-up, end of input): the console should end.
    Closed,
    /// Reading failed for another reason.
    Failed(io::Error),
}

/// The running reader; `stop` it before anything else reads the terminal.
pub struct InputReader {
    rx: mpsc::Receiver<Input>,
    stop: Arc<AtomicBool>,
    /// Writing to it wakes the thread's `poll` so it sees `stop`.
    wake: UnixStream,
}

impl InputReader {
    /// Start reading the terminal (stdin when it is a tty, else `/dev/tty`, as crossterm).
    pub fn start() -> io::Result<InputReader> {
        let tty = Tty::open()?;
        let (wake, wake_rx) = UnixStream::pair()?;
        wake_rx.set_nonblocking(true)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("terminal-input".into())
            .spawn(move || read_loop(&tty, &wake_rx, &flag, &tx))?;
        Ok(InputReader { rx, stop, wake })
    }

    /// The next event. When the thread is gone this says `Closed`.
    pub async fn recv(&mut self) -> Input {
        self.rx.recv().await.unwrap_or(Input::Closed)
    }

    /// An event that is already waiting, if any.
    pub fn try_recv(&mut self) -> Option<Input> {
        self.rx.try_recv().ok()
    }

    /// Whether an event is waiting to be taken.
    pub fn has_waiting(&self) -> bool {
        !self.rx.is_empty()
    }

    /// Stop the thread and wait until it no longer reads the terminal. Events it read in
    /// the meantime are dropped: they were typed before the terminal changed hands.
    pub async fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = io::Write::write(&mut self.wake, &[1]);
        while self.rx.recv().await.is_some() {}
    }
}

/// The terminal device crossterm reads: stdin when it is a tty, else `/dev/tty`.
enum Tty {
    Stdin,
    DevTty(OwnedFd),
}

impl Tty {
    fn open() -> io::Result<Tty> {
        if rustix::termios::isatty(rustix::stdio::stdin()) {
            return Ok(Tty::Stdin);
        }
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")?;
        Ok(Tty::DevTty(file.into()))
    }

    fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Tty::Stdin => rustix::stdio::stdin(),
            Tty::DevTty(fd) => fd.as_fd(),
        }
    }
}

fn read_loop(tty: &Tty, wake: &UnixStream, stop: &AtomicBool, tx: &mpsc::Sender<Input>) {
    loop {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let mut fds = [
            PollFd::from_borrowed_fd(tty.fd(), PollFlags::IN),
            PollFd::new(wake, PollFlags::IN),
        ];
        match rustix::event::poll(&mut fds, None) {
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => {
                let _ = tx.blocking_send(Input::Failed(e.into()));
                return;
            }
        }
        let ready = fds[0].revents();
        if stop.load(Ordering::SeqCst) {
            return;
        }
        if ready.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            tracing::info!("the terminal hung up ({ready:?}): ending");
            let _ = tx.blocking_send(Input::Closed);
            return;
        }
        if !ready.contains(PollFlags::IN) {
            continue;
        }
        // The tty has bytes: take every event crossterm can parse from them.
        while !stop.load(Ordering::SeqCst) {
            match crossterm::event::poll(FOLLOW_UP) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let _ = tx.blocking_send(failed(e));
                    return;
                }
            }
            let input = match crossterm::event::read() {
                Ok(event) => Input::Event(event),
                Err(e) => {
                    let _ = tx.blocking_send(failed(e));
                    return;
                }
            };
            if tx.blocking_send(input).is_err() {
                return;
            }
        }
    }
}

/// A read error: EIO is how a tty whose other end is gone answers, so that is `Closed`.
fn failed(e: io::Error) -> Input {
    if e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error()) {
        tracing::info!("the terminal answered EIO: ending");
        return Input::Closed;
    }
    Input::Failed(e)
}
