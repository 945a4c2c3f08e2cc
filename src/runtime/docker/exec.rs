//! An interactive shell in a container (`docker exec -it`): the terminal in raw mode, keys
//! passed to the exec, its output to the screen, the window size forwarded, and back to the
//! console when the shell exits.
//!
//! Keys are read by a thread whose reads time out every 100 ms (the terminal's `VMIN = 0`,
//! `VTIME = 1`), so it stops when the shell ends instead of waiting for, and eating, the
//! next key meant for the console.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use futures::StreamExt;
use tokio::io::AsyncWriteExt;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;

use crate::backend::docker::{DockerEngine, ExecIo};
use crate::runtime::docker::DockerHandle;

/// Shells tried in order.
const SHELLS: [&str; 2] = ["/bin/bash", "/bin/sh"];

/// Run a shell in container `id` until it exits. The caller has left the alternate screen
/// and raw mode; this turns raw mode on for the session and off again before returning.
pub async fn exec_session(docker: &DockerHandle, id: &str) -> Result<(), String> {
    let engine = docker.engine()?;
    let mut shell = SHELLS[1];
    for candidate in SHELLS {
        if engine.can_run(id, candidate).await {
            shell = candidate;
            break;
        }
    }
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let term = std::env::var("TERM").unwrap_or_else(|_| "xterm-256color".to_string());
    let short: String = id.chars().take(12).collect();
    println!("opsdeck: {shell} in container {short} — type `exit` to come back\r");
    let io = engine
        .exec_tty(
            id,
            vec![shell.to_string()],
            vec![format!("TERM={term}")],
            size,
        )
        .await
        .map_err(|e| e.user_message())?;
    let exec_id = io.exec_id.clone();
    engine.resize_exec(&exec_id, size).await;

    let raw = RawTerminal::enter()?;
    let mut keys = KeyReader::start()?;
    let result = pass_through(&engine, io, &mut keys.rx).await;
    keys.stop();
    drop(raw);

    match engine.exec_exit_code(&exec_id).await {
        Some(126 | 127) if result.is_ok() => Err(format!(
            "could not start a shell in {short}: it has neither /bin/bash nor /bin/sh"
        )),
        _ => result,
    }
}

/// Copy output to the screen and keys to the exec until the exec's output ends.
async fn pass_through(
    engine: &DockerEngine,
    mut io: ExecIo,
    keys: &mut mpsc::Receiver<Vec<u8>>,
) -> Result<(), String> {
    // Writes to a terminal are short: plain blocking writes (tokio's stdout would need
    // another tokio feature, which rebuilds every dependency).
    let mut stdout = std::io::stdout();
    let mut winch = signal(SignalKind::window_change()).ok();
    loop {
        tokio::select! {
            out = io.output.next() => match out {
                Some(Ok(bytes)) => {
                    if stdout.write_all(&bytes).is_err() || stdout.flush().is_err() {
                        return Err("the terminal could not be written".to_string());
                    }
                }
                Some(Err(e)) => return Err(e.user_message()),
                None => return Ok(()),
            },
            Some(bytes) = keys.recv() => {
                if io.input.write_all(&bytes).await.is_err() {
                    return Ok(());
                }
                let _ = io.input.flush().await;
            }
            _ = window_changed(&mut winch) => {
                if let Ok(size) = crossterm::terminal::size() {
                    engine.resize_exec(&io.exec_id, size).await;
                }
            }
        }
    }
}

async fn window_changed(winch: &mut Option<Signal>) {
    match winch {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending().await,
    }
}

/// Raw mode with reads that time out; off again when dropped.
struct RawTerminal;

impl RawTerminal {
    fn enter() -> Result<RawTerminal, String> {
        let stdin = std::io::stdin();
        let mut termios = rustix::termios::tcgetattr(stdin.as_fd())
            .map_err(|_| "exec needs a terminal: standard input is not one".to_string())?;
        crossterm::terminal::enable_raw_mode()
            .map_err(|e| format!("could not put the terminal in raw mode: {e}"))?;
        let guard = RawTerminal;
        if let Ok(raw) = rustix::termios::tcgetattr(stdin.as_fd()) {
            termios = raw;
        }
        termios.special_codes[rustix::termios::SpecialCodeIndex::VMIN] = 0;
        termios.special_codes[rustix::termios::SpecialCodeIndex::VTIME] = 1;
        rustix::termios::tcsetattr(
            stdin.as_fd(),
            rustix::termios::OptionalActions::Now,
            &termios,
        )
        .map_err(|e| format!("could not set up the terminal: {e}"))?;
        Ok(guard)
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        let _ = crossterm::terminal::disable_raw_mode();
    }
}

/// A thread reading the terminal and sending what it reads.
struct KeyReader {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    rx: mpsc::Receiver<Vec<u8>>,
}

impl KeyReader {
    fn start() -> Result<KeyReader, String> {
        let fd = std::io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|e| format!("could not read the terminal: {e}"))?;
        let mut input = File::from(fd);
        let stop = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel(64);
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("exec-keys".into())
            .spawn(move || {
                let mut buf = [0u8; 4096];
                while !flag.load(Ordering::Relaxed) {
                    match input.read(&mut buf) {
                        // VTIME ran out with nothing typed.
                        Ok(0) => continue,
                        Ok(n) => {
                            if tx.blocking_send(buf[..n].to_vec()).is_err() {
                                break;
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    }
                }
            })
            .map_err(|e| format!("could not read the terminal: {e}"))?;
        Ok(KeyReader {
            stop,
            thread: Some(thread),
            rx,
        })
    }

    /// Stop reading (within one read timeout) and wait for the thread.
    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.rx.close();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for KeyReader {
    fn drop(&mut self) {
        self.stop();
    }
}
