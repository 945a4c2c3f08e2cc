//! The one loop: keys, backend results and the refresh timer in; `update`; draw when changed.

mod aws;
pub mod cwlogs;
pub mod docker;
mod docker_exec;
mod docker_tail;
mod docker_watch;
pub mod hosts;
mod interactive;
pub mod journal;
pub mod logsave;
pub mod ops;
pub mod ssh;
mod ssh_term;
pub mod tails;
mod visible;

use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::command::Session;
use crate::app::keys::key_to_msg;
use crate::app::{AppState, Command, Msg, update};
use crate::config::Theme;
use crate::tui::TerminalGuard;

pub use aws::AwsHandle;
pub use docker::DockerHandle;
pub use ssh::SshHandle;
pub use tails::Tails;

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
    /// Runs operations and their views' fetches; owns the audit journal.
    pub ops: ops::OpsRunner,
    /// Connects SSH sessions and runs commands on hosts.
    pub ssh: SshHandle,
    /// How CloudWatch tails poll and refresh.
    pub cwlogs: cwlogs::CwSettings,
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
    let mut events = EventStream::new();
    let period = Duration::from_secs(state.settings.refresh_secs.max(1));
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    let first = update(&mut state, Msg::Action(crate::app::Action::Refresh));
    execute(first, &backends, &tx);
    draw(guard, &mut state, &theme)?;

    loop {
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) => key_to_msg(&state, &key),
                Some(Ok(Event::Resize(_, _))) => Some(Msg::Resized),
                Some(Ok(_)) => None,
                Some(Err(e)) => {
                    tracing::error!("terminal input failed: {e}");
                    return Err(e);
                }
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = ticker.tick() => Some(Msg::Tick { now: now_epoch() }),
        };
        let mut session = None;
        if let Some(msg) = msg {
            let commands = update(&mut state, msg);
            session = execute(commands, &backends, &tx).or(session);
        }
        // Drain what else is queued, then draw once. The drain has a time budget: a tail
        // that produces faster than `update` consumes must not starve keys and redraws.
        let budget = std::time::Instant::now() + DRAIN_BUDGET;
        while let Ok(msg) = rx.try_recv() {
            let commands = update(&mut state, msg);
            session = execute(commands, &backends, &tx).or(session);
            if std::time::Instant::now() >= budget {
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
            drop(events);
            guard.suspend()?;
            let result = interactive::run(session, &backends).await;
            guard.resume()?;
            events = EventStream::new();
            let commands = update(&mut state, Msg::SessionEnded { result });
            let _ = execute(commands, &backends, &tx);
            state.dirty = true;
        }
        draw(guard, &mut state, &theme)?;
    }
}

fn draw(guard: &mut TerminalGuard, state: &mut AppState, theme: &Theme) -> std::io::Result<()> {
    if !state.dirty {
        return Ok(());
    }
    if let Ok(size) = guard.terminal.size() {
        crate::app::logs::set_screen_height(state, size.height);
    }
    state.dirty = false;
    guard
        .terminal
        .draw(|frame| crate::ui::render(frame, state, theme))?;
    Ok(())
}

/// Run commands; an interactive session is returned for the loop to run, since it needs
/// the terminal.
fn execute(commands: Vec<Command>, backends: &Backends, tx: &mpsc::Sender<Msg>) -> Option<Session> {
    let mut session = None;
    for command in commands {
        match command {
            Command::Quit => {}
            Command::FetchClusters { .. }
            | Command::FetchServices { .. }
            | Command::FetchTasks { .. }
            | Command::FetchTask { .. } => backends.aws.spawn_fetch(command, tx.clone()),
            Command::StartTail {
                tail,
                source,
                history,
            } => tails::start(backends, tail, source, history, tx.clone()),
            Command::StopTail { tail } => backends.tails.stop(tail),
            Command::SaveLog { dir, stem, text } => {
                logsave::spawn_save(dir, stem, text, tx.clone())
            }
            Command::RunOp(op) => ops::spawn_op(backends, op, tx.clone()),
            Command::Interactive(s) => session = Some(s),
            Command::Docker(c) => backends.docker.run(c, tx.clone()),
            Command::Ops(c) => backends.ops.run(c, &backends.aws, tx.clone()),
            Command::Hosts(c) => hosts::run(backends, c, tx.clone()),
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
