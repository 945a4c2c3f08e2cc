//! The local Docker containers view: state, messages, commands and their update.
//!
//! The list is pushed by the runtime's watcher (it follows the engine's event stream), not
//! polled: opening the view, every refresh tick and `ctrl-r` send [`DockerCommand::Watch`],
//! which keeps the watcher alive for a lease and samples CPU and memory. When the view is
//! left, the ticks stop and the lease runs out: nothing is polled in the background.

pub mod table;

use std::collections::VecDeque;

use crate::app::Action;
use crate::app::core::columns::beside_pane;
use crate::app::core::command::{Command, Session};
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load::{Slot, fail_into, store_pushed};
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{enter, fetch_visible, flash};
use crate::app::core::state::AppState;
use crate::app::core::table::{TableState, Tone};
use crate::app::core::view::View;
use crate::app::guard::op::{self, Op};
use crate::domain::docker::{DockerContainerDetail, DockerContainerRow, StatsSample};
use crate::domain::logs::LogSource;
use crate::input::keymap::KeyContext;

/// Samples kept for the detail pane's sparklines (one a second while the view is open).
pub const HISTORY: usize = 120;

/// State of the `:containers` view.
#[derive(Debug, Clone)]
pub struct DockerState {
    /// The containers shown: all of them or only the running ones, in group order.
    pub table: TableState<DockerContainerRow>,
    /// Every container of the last list.
    pub all: Vec<DockerContainerRow>,
    /// Show stopped containers too (`toggle_all`; `[docker] show_stopped` at start).
    pub show_all: bool,
    /// The container the detail pane follows (the selected one).
    pub focus: Option<String>,
    /// Its inspect, or why it could not be had.
    pub detail: Option<Result<Box<DockerContainerDetail>, String>>,
    /// CPU use of the focused container, in tenths of a percent of one CPU, oldest first.
    pub cpu_history: VecDeque<u64>,
    /// Memory use of the focused container in bytes, oldest first.
    pub mem_history: VecDeque<u64>,
    /// The latest live sample of the focused container.
    pub last_sample: Option<StatsSample>,
}

impl Default for DockerState {
    fn default() -> Self {
        Self {
            table: TableState::default(),
            all: Vec::new(),
            show_all: true,
            focus: None,
            detail: None,
            cpu_history: VecDeque::with_capacity(HISTORY),
            mem_history: VecDeque::with_capacity(HISTORY),
            last_sample: None,
        }
    }
}

/// What happened on the Docker side.
#[derive(Debug, Clone, PartialEq)]
pub enum DockerMsg {
    /// The engine's containers (with the last CPU/memory readings), or why they could not
    /// be listed. `now` is epoch seconds.
    Listed {
        now: i64,
        result: Fetched<Vec<DockerContainerRow>>,
    },
    /// The inspect of a container, for the detail pane.
    Detail {
        id: String,
        result: Result<Box<DockerContainerDetail>, String>,
    },
    /// A live resource sample of the focused container.
    Sample { id: String, sample: StatsSample },
}

/// Docker side effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DockerCommand {
    /// The containers view is on screen: follow the engine (list now, then on every
    /// container event), sample CPU and memory, and keep doing so for `lease_secs` unless
    /// asked again. `focus` is the selected container.
    Watch {
        focus: Option<String>,
        lease_secs: u64,
    },
    /// The selection moved: inspect this container and stream its stats.
    Focus { id: String },
}

/// Apply a Docker message.
pub fn update(state: &mut AppState, msg: DockerMsg) -> Vec<Command> {
    let visible = matches!(state.view(), View::Docker);
    match msg {
        DockerMsg::Listed { now, result } => {
            store_pushed(state, visible, |s| &mut s.docker, result, now);
            refocus(state)
        }
        DockerMsg::Detail { id, result } => {
            // Only for the container selected now: one left behind is dropped.
            let selected = state.docker.table.selected_row().map(|r| r.id.as_str());
            if state.docker.focus.as_deref() == Some(id.as_str())
                && selected == Some(id.as_str())
                && state.docker.detail.as_ref() != Some(&result)
            {
                state.docker.detail = Some(result);
                state.dirty |= visible;
            }
            Vec::new()
        }
        DockerMsg::Sample { id, sample } => {
            if state.docker.focus.as_deref() == Some(id.as_str()) {
                let d = &mut state.docker;
                let shown = steady(d.last_sample, sample);
                let before = (d.cpu_history.clone(), d.mem_history.clone(), d.last_sample);
                push_bounded(
                    &mut d.cpu_history,
                    shown
                        .cpu_percent
                        .map(|p| (p * 10.0).round() as u64)
                        .unwrap_or(0),
                );
                push_bounded(&mut d.mem_history, shown.memory_bytes);
                d.last_sample = Some(shown);
                let after = (d.cpu_history.clone(), d.mem_history.clone(), d.last_sample);
                state.dirty |= visible && before != after;
            }
            Vec::new()
        }
    }
}

/// Memory moves smaller than this share of the value shown are not shown.
const MEMORY_BAND: f64 = 0.05;
/// CPU moves smaller than this many percentage points are not shown.
const CPU_BAND: f64 = 0.5;

/// The sample to show after `shown`: a reading that moved less than the bands keeps the
/// value shown. A quiet container's memory wobbles by a few kilobytes every second (a
/// sleeping process: 308K, 316K, 308K…); drawn as read, its figure and its sparkline
/// (scaled to its own highest bar) would be redrawn every second with nothing happening.
fn steady(shown: Option<StatsSample>, new: StatsSample) -> StatsSample {
    let Some(shown) = shown else { return new };
    let memory_bytes = if (new.memory_bytes as f64 - shown.memory_bytes as f64).abs()
        < shown.memory_bytes as f64 * MEMORY_BAND
    {
        shown.memory_bytes
    } else {
        new.memory_bytes
    };
    let cpu_percent = match (shown.cpu_percent, new.cpu_percent) {
        (Some(old), Some(p)) if (p - old).abs() < CPU_BAND => Some(old),
        _ => new.cpu_percent,
    };
    StatsSample {
        cpu_percent,
        memory_bytes,
        memory_limit: new.memory_limit,
    }
}

fn push_bounded(history: &mut VecDeque<u64>, value: u64) {
    if history.len() == HISTORY {
        history.pop_front();
    }
    history.push_back(value);
}

impl DockerState {
    fn clear_history(&mut self) {
        self.cpu_history.clear();
        self.mem_history.clear();
        self.last_sample = None;
    }

    /// Show all containers or only the live ones (running, paused, restarting). Returns
    /// whether anything shown changed.
    fn rebuild(&mut self, now: i64) -> bool {
        let show_all = self.show_all;
        let rows: Vec<DockerContainerRow> = self
            .all
            .iter()
            .filter(|r| show_all || !r.is_stopped())
            .cloned()
            .collect();
        self.table.set_rows(rows, now)
    }
}

impl Slot<Vec<DockerContainerRow>> for DockerState {
    fn put(&mut self, mut rows: Vec<DockerContainerRow>, now: i64) -> bool {
        rows.sort_by(crate::app::docker::table::group_order);
        self.all = rows;
        self.rebuild(now)
    }

    /// An engine that cannot be listed shows no containers: the old ones may be gone.
    fn fail(&mut self, message: String) -> bool {
        let had_rows = !self.all.is_empty() || !self.table.rows().is_empty();
        let mut load = self.table.load.clone();
        let failed = fail_into(&mut load, message);
        self.all.clear();
        let now = self.table.now();
        self.table.set_rows(Vec::new(), now);
        self.table.load = load;
        self.focus = None;
        self.detail = None;
        self.clear_history();
        had_rows || failed
    }
}

/// When the selection is on another container than the detail pane follows, follow it.
fn refocus(state: &mut AppState) -> Vec<Command> {
    let selected = state.docker.table.selected_row().map(|r| r.id.clone());
    if selected == state.docker.focus {
        return Vec::new();
    }
    state.docker.focus = selected.clone();
    state.docker.detail = None;
    state.docker.clear_history();
    match selected {
        Some(id) => vec![Command::Docker(DockerCommand::Focus { id })],
        None => Vec::new(),
    }
}

/// On the containers view, make the detail pane follow the selection wherever it moved.
pub fn follow_selection(state: &mut AppState) -> Vec<Command> {
    if matches!(state.view(), View::Docker) {
        refocus(state)
    } else {
        Vec::new()
    }
}

/// Keys on the containers view; `None` lets the generic handling run.
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let moved = match action {
        Action::Up => Some(-1),
        Action::Down => Some(1),
        Action::PageUp => Some(-10),
        Action::PageDown => Some(10),
        _ => None,
    };
    if let Some(delta) = moved {
        state.docker.table.move_by(delta);
        return Some(refocus(state));
    }
    if matches!(action, Action::Top | Action::Bottom) {
        if action == Action::Top {
            state.docker.table.select_first();
        } else {
            state.docker.table.select_last();
        }
        return Some(refocus(state));
    }
    if action == Action::ToggleAll {
        state.docker.show_all = !state.docker.show_all;
        let now = state.docker.table.now();
        state.docker.rebuild(now);
        let text = if state.docker.show_all {
            "showing stopped containers too"
        } else {
            "showing running containers only"
        };
        flash(state, text, Tone::Normal);
        return Some(refocus(state));
    }
    if !matches!(
        action,
        Action::Restart
            | Action::Stop
            | Action::Start
            | Action::Pause
            | Action::Remove
            | Action::Exec
            | Action::TailLogs
            | Action::Enter
    ) {
        return None;
    }
    let Some(row) = state.docker.table.selected_row().cloned() else {
        flash(state, "no container selected", Tone::Warn);
        return Some(Vec::new());
    };
    let (id, name) = (row.id.clone(), row.name.clone());
    let commands = match action {
        Action::TailLogs | Action::Enter => enter(
            state,
            View::Logs {
                source: LogSource::Docker { id, name },
            },
        ),
        Action::Exec if row.is_paused() => refuse(
            state,
            &format!(
                "{name} is paused: unpause it first{}",
                key(state, Action::Pause)
            ),
        ),
        Action::Exec if !row.is_running() => refuse(
            state,
            &format!(
                "{name} is not running: start it first{}",
                key(state, Action::Start)
            ),
        ),
        Action::Exec => vec![Command::Interactive(Session::DockerExec { id, name })],
        Action::Restart => ask(state, Op::DockerRestart { id, name }),
        Action::Stop if row.is_stopped() => {
            refuse(state, &format!("{name} is already stopped: nothing sent"))
        }
        Action::Stop => ask(state, Op::DockerStop { id, name }),
        Action::Start if row.is_paused() => refuse(
            state,
            &format!("{name} is paused: unpause it{}", key(state, Action::Pause)),
        ),
        Action::Start if row.is_running() => {
            refuse(state, &format!("{name} is already running: nothing sent"))
        }
        Action::Start => ask(state, Op::DockerStart { id, name }),
        Action::Pause if row.is_paused() => ask(state, Op::DockerUnpause { id, name }),
        Action::Pause if row.is_running() => ask(state, Op::DockerPause { id, name }),
        Action::Pause => refuse(state, &format!("{name} is not running: nothing to pause")),
        Action::Remove if !row.is_stopped() => refuse(
            state,
            &format!(
                "{name} is {}: only stopped containers are removed — stop it first{}",
                row.state,
                key(state, Action::Stop)
            ),
        ),
        Action::Remove => ask(state, Op::DockerRemove { id, name }),
        _ => Vec::new(),
    };
    Some(commands)
}

/// Open the confirmation (or refuse in read-only mode); nothing is sent yet.
fn ask(state: &mut AppState, op: Op) -> Vec<Command> {
    op::request(state, op, None);
    Vec::new()
}

fn refuse(state: &mut AppState, text: &str) -> Vec<Command> {
    flash(state, text, Tone::Warn);
    Vec::new()
}

/// ` (s)`: the key bound to `action` on this view, for messages.
fn key(state: &AppState, action: Action) -> String {
    state
        .keymap
        .hint(KeyContext::Docker, action)
        .map(|k| format!(" ({k})"))
        .unwrap_or_default()
}

pub fn table(state: &mut AppState) -> Option<&mut dyn crate::app::core::table::TableOps> {
    Some(&mut state.docker.table)
}

pub fn filter(state: &AppState) -> &str {
    &state.docker.table.filter.text
}

/// The copy keys: the container's id as `docker ps` shows it (12 digits), or the full id.
pub fn copy(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.docker.table.selected_row()?;
    Some(match kind {
        CopyKind::Id => Copied::new("container id", row.id.get(..12).unwrap_or(&row.id)),
        CopyKind::Full => Copied::new("full container id", row.id.as_str()),
    })
}

/// `y`: the selected container's inspect.
pub fn describe(
    state: &AppState,
    kind: crate::domain::describe::DescribeKind,
) -> Option<crate::domain::describe::DescribeTarget> {
    let row = state.docker.table.selected_row()?;
    (kind == crate::domain::describe::DescribeKind::Item).then(|| {
        crate::domain::describe::DescribeTarget::DockerContainer {
            id: row.id.clone(),
            name: row.name.clone(),
        }
    })
}

/// `:containers`: open the view (over the root view) and start following the engine.
pub fn open(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    state.mode = crate::app::core::state::Mode::Normal;
    state.dirty = true;
    if matches!(state.view(), View::Docker) {
        return fetch_visible(state);
    }
    crate::app::core::nav::jump(state, vec![View::Docker])
}

/// The view is on screen (opened, refresh tick, `ctrl-r`): renew the watcher's lease.
pub fn fetch(state: &mut AppState, _generation: u64) -> Vec<Command> {
    // The watcher pushes lists as they change: there is no fetch to wait for.
    state.in_flight = None;
    let lease_secs = state.settings.refresh_secs.max(1) * 3 + 2;
    // A filter typed since the last list may have moved the selection.
    let mut commands = refocus(state);
    commands.push(Command::Docker(DockerCommand::Watch {
        focus: state.docker.focus.clone(),
        lease_secs,
    }));
    commands
}

/// From this width the containers list and the detail pane sit side by side.
pub const DETAIL_BESIDE_FROM: u16 = 120;
/// The list's share of the width then, in percent.
pub const LIST_PERCENT: u16 = 58;

/// The containers list's width beside the detail pane; `None` when it is not beside one (or
/// the containers are not on screen).
pub fn list_width(state: &AppState) -> Option<u16> {
    let width = state.screen.0;
    let beside = matches!(state.view(), View::Docker)
        && state.show_detail
        && state.docker.table.visible_len() > 0
        && width >= DETAIL_BESIDE_FROM;
    beside.then(|| beside_pane(width, LIST_PERCENT))
}

#[cfg(test)]
mod tests {
    use super::{StatsSample, steady};

    fn sample(cpu: f64, memory: u64) -> StatsSample {
        StatsSample {
            cpu_percent: Some(cpu),
            memory_bytes: memory,
            memory_limit: 1 << 30,
        }
    }

    #[test]
    fn a_quiet_containers_wobble_keeps_the_figures_shown() {
        let shown = sample(0.0, 316_000);
        assert_eq!(steady(Some(shown), sample(0.2, 308_000)), shown);
        assert_eq!(steady(Some(shown), sample(0.4, 330_000)), shown);
    }

    #[test]
    fn a_real_move_is_shown_at_once() {
        let shown = sample(0.0, 316_000);
        assert_eq!(
            steady(Some(shown), sample(0.0, 340_000)).memory_bytes,
            340_000
        );
        assert_eq!(
            steady(Some(shown), sample(3.0, 316_000)).cpu_percent,
            Some(3.0)
        );
        assert_eq!(steady(None, sample(0.1, 1)), sample(0.1, 1));
        let unknown = StatsSample {
            cpu_percent: None,
            ..shown
        };
        assert_eq!(steady(Some(unknown), shown).cpu_percent, Some(0.0));
        assert_eq!(steady(Some(shown), unknown).cpu_percent, None);
    }
}
