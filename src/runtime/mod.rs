//! The one loop: keys, backend results and the refresh timer in; `update`; draw when changed.

mod asg;
mod aws;
pub mod clipboard;
mod describe;
pub mod docker;
pub mod ecs;
pub mod guard;
pub mod hosts;
mod images;
mod input;
mod interactive;
pub mod journal;
mod loggroups;
pub mod logs;
pub mod save;
mod service;
mod signals;
mod visible;

use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::core::command::Session;
use crate::app::core::keys::event_to_msg;
use crate::app::{AppState, Command, Msg, update};
use crate::config::Theme;
use crate::tui::TerminalGuard;

pub use aws::AwsHandle;
pub use docker::DockerHandle;
pub use hosts::ssh::SshHandle;
pub use logs::Tails;

/// Capacity of the channel that carries backend results to the loop.
pub const MSG_CHANNEL: usize = 256;

/// Longest the loop spends on queued messages before it draws and reads keys again.
const DRAIN_BUDGET: Duration = Duration::from_millis(50);

/// The channel backend tasks report on.
pub fn channel() -> (mpsc::Sender<Msg>, mpsc::Receiver<Msg>) {
    mpsc::channel(MSG_CHANNEL)
}

/// The backends the runtime runs commands against.
pub struct Backends {
    pub aws: AwsHandle,
    pub docker: DockerHandle,
    pub tails: Tails,
    /// Runs operations and looks up who makes them; owns the audit journal.
    pub ops: guard::OpsRunner,
    /// Connects SSH sessions and runs commands on hosts.
    pub ssh: SshHandle,
    /// How CloudWatch tails poll and refresh.
    pub cwlogs: logs::cwlogs::CwSettings,
}

/// Run the console until the user quits.
pub async fn run(
    guard: &mut TerminalGuard,
    mut state: AppState,
    theme: Theme,
    backends: Backends,
    tx: mpsc::Sender<Msg>,
    mut rx: mpsc::Receiver<Msg>,
) -> std::io::Result<()> {
    let mut input = input::InputReader::start()?;
    let mut signals = signals::Signals::install()?;
    let period = Duration::from_secs(state.settings.refresh_secs.max(1));
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut frames = Frames::new(Duration::from_millis(state.settings.log_redraw_ms));

    if let Ok(size) = guard.terminal.size() {
        let resized = Msg::Resized {
            width: size.width,
            height: size.height,
        };
        update(&mut state, resized);
    }
    // A start-up problem (bad config, no log file) stays up until the user's first key.
    let first = update(&mut state, Msg::Started { now: now_epoch() });
    execute(first, guard, &backends, &tx);
    if let Err(e) = frames.draw(guard, &mut state, &theme) {
        return gone_or(e);
    }

    loop {
        let held = frames.held_until(&state);
        let msg = tokio::select! {
            () = sleep_until_some(held) => None,
            read = input.recv() => match input_msg(&state, read) {
                Ok(msg) => msg,
                Err(end) => return end,
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = ticker.tick() => Some(Msg::Tick { now: now_epoch() }),
            signal = signals.recv() => match signal {
                signals::SignalEvent::Quit(name) => {
                    tracing::info!("{name}: restoring the terminal and exiting");
                    return Ok(());
                }
                signals::SignalEvent::Suspend => Some(Msg::Action(crate::app::Action::Suspend)),
                signals::SignalEvent::Continue => {
                    guard.reenter()?;
                    Some(Msg::Reentered)
                }
                signals::SignalEvent::Resize => guard.terminal.size().ok().map(|size| Msg::Resized {
                    width: size.width,
                    height: size.height,
                }),
            },
        };
        let mut session = None;
        if let Some(msg) = msg {
            let commands = update(&mut state, msg);
            session = execute(commands, guard, &backends, &tx).or(session);
        }
        // Take every key that is already waiting before drawing: a burst of keys costs one
        // frame, not one frame per key. Same time budget as the drain below.
        let budget = std::time::Instant::now() + DRAIN_BUDGET;
        while session.is_none() && !state.quit {
            let Some(read) = input.try_recv() else { break };
            match input_msg(&state, read) {
                Ok(Some(msg)) => {
                    let commands = update(&mut state, msg);
                    session = execute(commands, guard, &backends, &tx).or(session);
                }
                Ok(None) => {}
                Err(end) => return end,
            }
            if std::time::Instant::now() >= budget {
                break;
            }
        }
        // Drain what else is queued, then draw once. The drain has a time budget: a tail
        // that produces faster than `update` consumes must not starve keys and redraws. A key
        // that arrives meanwhile ends the drain, so it waits for one message, not a budget.
        let budget = std::time::Instant::now() + DRAIN_BUDGET;
        while let Ok(msg) = rx.try_recv() {
            let commands = update(&mut state, msg);
            session = execute(commands, guard, &backends, &tx).or(session);
            if std::time::Instant::now() >= budget || input.has_waiting() {
                break;
            }
        }
        if state.quit {
            return Ok(());
        }
        // Views that fetch nothing here (Docker, logs) still end the last view's fetch.
        backends.aws.leave_older_than(state.generation);
        if let Some(session) = session {
            // The session owns the terminal: stop reading keys, leave the UI, come back.
            let suspend = session == Session::Suspend;
            input.stop().await;
            guard.suspend()?;
            let result = interactive::run(session, &backends).await;
            if suspend {
                signals.forget_continue();
            }
            guard.resume()?;
            input = input::InputReader::start()?;
            let commands = update(&mut state, Msg::SessionEnded { result });
            let _ = execute(commands, guard, &backends, &tx);
        }
        if let Err(e) = frames.draw(guard, &mut state, &theme) {
            return gone_or(e);
        }
    }
}

/// A write to a terminal that went away (the SSH session died, the pane was closed) ends
/// the console as a closed terminal does: cleanly. Any other error is one.
fn gone_or(e: std::io::Error) -> std::io::Result<()> {
    let gone = matches!(
        e.kind(),
        std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::NotConnected
    ) || e.raw_os_error() == Some(rustix::io::Errno::IO.raw_os_error());
    if gone {
        tracing::info!("the terminal went away while drawing ({e}): exiting");
        Ok(())
    } else {
        Err(e)
    }
}

/// When the screen was last drawn, to hold back frames drawn only for new log lines.
struct Frames {
    last: tokio::time::Instant,
    /// Least time between frames drawn only for new log lines.
    lines_every: Duration,
}

impl Frames {
    fn new(lines_every: Duration) -> Frames {
        Frames {
            last: tokio::time::Instant::now(),
            lines_every,
        }
    }

    /// When held-back lines are due, if any are waiting.
    fn held_until(&self, state: &AppState) -> Option<tokio::time::Instant> {
        state.lines_waiting.then(|| self.last + self.lines_every)
    }

    /// Draw if anything changed. New log lines alone are drawn at most every `lines_every`;
    /// until then they are held, and any other change draws them along at once.
    fn draw(
        &mut self,
        guard: &mut TerminalGuard,
        state: &mut AppState,
        theme: &Theme,
    ) -> std::io::Result<()> {
        let now = tokio::time::Instant::now();
        let lines_due = state.lines_waiting && now >= self.last + self.lines_every;
        if !state.dirty && !lines_due {
            return Ok(());
        }
        self.last = now;
        guard.draw(|frame| crate::ui::render(frame, state, theme))?;
        update(state, Msg::Drawn);
        Ok(())
    }
}

/// Sleep until `at`, or forever when there is nothing to wait for.
async fn sleep_until_some(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// The message a read from the terminal means; `Err` ends the loop with that outcome (the
/// terminal closed, or reading it failed).
fn input_msg(state: &AppState, read: input::Input) -> Result<Option<Msg>, std::io::Result<()>> {
    match read {
        input::Input::Event(event) => Ok(event_to_msg(state, event)),
        input::Input::Closed => {
            tracing::info!("the terminal closed: exiting");
            Err(Ok(()))
        }
        input::Input::Failed(e) => {
            tracing::error!("terminal input failed: {e}");
            Err(Err(e))
        }
    }
}

/// Run commands; an interactive session is returned for the loop to run, since it needs
/// the terminal. A copy is written to the terminal here, between frames.
fn execute(
    commands: Vec<Command>,
    guard: &mut TerminalGuard,
    backends: &Backends,
    tx: &mpsc::Sender<Msg>,
) -> Option<Session> {
    let mut session = None;
    for command in commands {
        match command {
            Command::FetchClusters { .. }
            | Command::FetchServices { .. }
            | Command::FetchTasks { .. }
            | Command::FetchTask { .. } => ecs::run(command, &backends.aws, tx.clone()),
            Command::StartTail {
                tail,
                source,
                history,
            } => logs::start(backends, tail, source, history, tx.clone()),
            Command::StopTail { tail } => backends.tails.stop(tail),
            Command::SaveLog { dir, stem, text } => {
                logs::save::spawn_save(dir, stem, text, tx.clone())
            }
            Command::RunOp(op) => guard::spawn_op(backends, op, None, tx.clone()),
            Command::Undo { op, undoes } => guard::spawn_op(backends, op, Some(undoes), tx.clone()),
            Command::Interactive(s) => session = Some(s),
            Command::Copy { text } => {
                if let Err(e) = clipboard::write(guard, &text) {
                    tracing::warn!("cannot write the copy to the terminal: {e}");
                    let _ = tx.try_send(Msg::CopyFailed(e.to_string()));
                }
            }
            Command::Docker(c) => backends.docker.run(c, tx.clone()),
            Command::ResolveIdentity => backends.ops.resolve_identity(&backends.aws, tx.clone()),
            Command::Service(c) => service::run(c, &backends.aws, tx.clone()),
            Command::Asg(c) => asg::run(c, &backends.aws, tx.clone()),
            Command::Journal(c) => {
                journal::run(c, &backends.ops.journal, &backends.aws, tx.clone())
            }
            Command::Hosts(c) => hosts::run(backends, c, tx.clone()),
            Command::Images(c) => images::run(backends, c, tx.clone()),
            Command::LogGroups(c) => loggroups::run(c, &backends.aws, tx.clone()),
            Command::Describe(c) => describe::run(backends, c, tx.clone()),
        }
    }
    session
}

/// Seconds since the Unix epoch.
pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
