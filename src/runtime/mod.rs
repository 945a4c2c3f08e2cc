//! The one loop: keys, backend results and the refresh timer in; `update`; draw when changed.

mod aws;

use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::app::keys::key_to_msg;
use crate::app::{AppState, Command, Msg, update};
use crate::config::Theme;
use crate::tui::TerminalGuard;

pub use aws::AwsHandle;

/// Capacity of the channel that carries backend results to the loop.
pub const MSG_CHANNEL: usize = 256;

/// The channel backend tasks report on.
pub fn channel() -> (mpsc::Sender<Msg>, mpsc::Receiver<Msg>) {
    mpsc::channel(MSG_CHANNEL)
}

/// The backends the runtime runs commands against.
pub struct Backends {
    pub aws: AwsHandle,
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
        if let Some(msg) = msg {
            let commands = update(&mut state, msg);
            execute(commands, &backends, &tx);
        }
        // Drain what else is queued, then draw once.
        while let Ok(msg) = rx.try_recv() {
            let commands = update(&mut state, msg);
            execute(commands, &backends, &tx);
        }
        if state.quit {
            return Ok(());
        }
        draw(guard, &mut state, &theme)?;
    }
}

fn draw(guard: &mut TerminalGuard, state: &mut AppState, theme: &Theme) -> std::io::Result<()> {
    if !state.dirty {
        return Ok(());
    }
    state.dirty = false;
    guard
        .terminal
        .draw(|frame| crate::ui::render(frame, state, theme))?;
    Ok(())
}

fn execute(commands: Vec<Command>, backends: &Backends, tx: &mpsc::Sender<Msg>) {
    for command in commands {
        match command {
            Command::Quit => {}
            Command::FetchClusters { .. }
            | Command::FetchServices { .. }
            | Command::FetchTasks { .. }
            | Command::FetchTask { .. } => backends.aws.spawn_fetch(command, tx.clone()),
            other => tracing::warn!("command not handled yet: {other:?}"),
        }
    }
}

/// Seconds since the Unix epoch.
pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
