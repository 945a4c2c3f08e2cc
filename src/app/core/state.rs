//! The whole model of the console. Owned by the runtime loop; changed only by `update`.

use crate::app::core::table::{TableState, Tone};
use crate::app::core::view::View;
use crate::app::describe::DescribeState;
use crate::app::docker::DockerState;
use crate::app::guard::op::Confirm;
use crate::app::guard::state::GuardState;
use crate::app::hosts::HostsState;
use crate::app::images::ImagesState;
use crate::app::journal::JournalState;
use crate::app::loggroups::LogGroupsState;
use crate::app::logs::LogViewState;
use crate::app::service::ServiceState;
use crate::domain::asg::AsgRow;
use crate::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use crate::input::keymap::{KeyContext, Keymap};

/// What the header shows about the AWS context.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContextInfo {
    pub profile: String,
    pub region: String,
    /// Shown when the endpoint is overridden (moto, LocalStack).
    pub endpoint: Option<String>,
    pub account: Option<String>,
    pub read_only: bool,
    pub production: bool,
}

/// A prompt or overlay that takes the keyboard.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Normal,
    /// Typing a `/` filter.
    Filter(String),
    /// Typing a `:` command.
    Command(String),
    /// The help overlay, scrolled by this many lines.
    Help(u16),
    /// The messages overlay (`:messages`), scrolled by this many lines.
    Messages(u16),
    /// A mutating operation waiting for confirmation.
    Confirm(Box<Confirm>),
    /// An operations prompt (desired count, stop reason).
    Prompt(Box<crate::app::guard::prompt::Prompt>),
    /// A hosts dialog: trust a new host key, or pick a command to run.
    Hosts(Box<crate::app::hosts::prompt::HostsPrompt>),
}

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub tone: Tone,
}

/// Settings `update` needs, taken from the config at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub refresh_secs: u64,
    /// Offset of local time from UTC in seconds, for clock times.
    pub utc_offset_secs: i32,
    /// Past lines a log view asks for when it opens (`[logs] tail_lines`).
    pub log_tail_lines: usize,
    /// Lines a log view keeps; older ones are dropped (`[logs] buffer_lines`).
    pub log_buffer_lines: usize,
    /// Where `save` writes log buffers (`<state dir>/logs`).
    pub save_dir: std::path::PathBuf,
    /// Least time between two frames drawn only for new log lines (`[logs] redraw_interval_ms`).
    pub log_redraw_ms: u64,
    /// Whether the copy keys write to the clipboard (`[ui] clipboard = "osc52"`).
    pub clipboard: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            refresh_secs: 5,
            utc_offset_secs: 0,
            log_tail_lines: 200,
            log_buffer_lines: 50_000,
            save_dir: std::env::temp_dir().join("opsdeck-logs"),
            log_redraw_ms: 250,
            clipboard: true,
        }
    }
}

/// The console's state.
#[derive(Debug, Clone)]
pub struct AppState {
    pub ctx: ContextInfo,
    pub settings: Settings,
    pub keymap: Keymap,
    /// Navigation stack; the last entry is on screen. Never empty.
    pub stack: Vec<View>,
    pub mode: Mode,
    pub clusters: TableState<ClusterRow>,
    pub services: TableState<ServiceRow>,
    pub tasks: TableState<TaskRow>,
    /// The task whose containers are shown, as last fetched.
    pub task: Option<TaskRow>,
    pub containers: TableState<ContainerRow>,
    pub show_detail: bool,
    pub docker: DockerState,
    pub logs: LogViewState,
    pub hosts: HostsState,
    pub images: ImagesState,
    /// The log groups `:logs` alone lists.
    pub loggroups: LogGroupsState,
    /// The describe view's document and where the user is in it.
    pub describe: DescribeState,
    /// The `[ops]` settings and the caller identity, for every guarded change.
    pub guard: GuardState,
    /// The service detail, its watched rollout and a rollback being prepared.
    pub service: ServiceState,
    /// The `:asgs` table.
    pub asgs: TableState<AsgRow>,
    pub journal: JournalState,
    /// How Docker confirmations name the engine (`unix:///var/run/docker.sock`).
    pub docker_engine: String,
    pub include_stopped: bool,
    /// Last generation handed out.
    pub generation: u64,
    /// Generation of the fetch in flight for the visible view.
    pub in_flight: Option<u64>,
    /// Epoch seconds of the last successful refresh of the visible view.
    pub last_refresh: Option<i64>,
    /// Epoch seconds of the visible view's last good answer (changed or not), or of when it
    /// opened: three refresh intervals later without one, its data is stale.
    pub last_ok: Option<i64>,
    /// How many seconds old the visible view's data is, once that is more than three
    /// refresh intervals (the header turns amber and says so).
    pub stale_secs: Option<i64>,
    pub flash: Option<Flash>,
    /// Lines typed on the `:` line, for up and down.
    pub command_history: crate::app::core::command_line::History,
    /// Every message the status line showed, for `:messages`.
    pub messages: crate::app::core::messages::Messages,
    /// Epoch seconds as last reported (ticks, results): the time messages are kept with.
    pub clock: i64,
    /// The terminal's size (columns, rows), as last reported by `Msg::Resized`.
    pub screen: (u16, u16),
    /// Something changed since the last draw.
    pub dirty: bool,
    /// Only new log lines are waiting to be drawn: the loop may hold them back for up to
    /// `settings.log_redraw_ms`, and draws them with the next frame for anything else.
    pub lines_waiting: bool,
    pub quit: bool,
}

impl AppState {
    pub fn new(ctx: ContextInfo, settings: Settings, keymap: Keymap) -> Self {
        Self {
            ctx,
            settings,
            keymap,
            stack: vec![View::Clusters],
            mode: Mode::Normal,
            clusters: TableState::default(),
            services: TableState::default(),
            tasks: TableState::default(),
            task: None,
            containers: TableState::default(),
            show_detail: true,
            docker: DockerState::default(),
            logs: LogViewState::default(),
            hosts: HostsState::default(),
            images: ImagesState::default(),
            loggroups: LogGroupsState::default(),
            describe: DescribeState::default(),
            guard: GuardState::default(),
            service: ServiceState::default(),
            asgs: TableState::default(),
            journal: JournalState::default(),
            docker_engine: String::new(),
            include_stopped: false,
            generation: 0,
            in_flight: None,
            last_refresh: None,
            last_ok: None,
            stale_secs: None,
            flash: None,
            messages: Default::default(),
            command_history: Default::default(),
            clock: 0,
            screen: (80, 24),
            dirty: true,
            lines_waiting: false,
            quit: false,
        }
    }

    /// The view on screen.
    pub fn view(&self) -> &View {
        // The stack is never empty: every pop keeps the root.
        self.stack.last().unwrap_or(&View::Clusters)
    }

    /// The keymap table for what has the keyboard now.
    pub fn key_context(&self) -> KeyContext {
        self.view().key_context()
    }

    /// The filter text of the visible table (empty on views without one).
    pub fn filter_text(&self) -> &str {
        (self.view().entry().filter_text)(self)
    }
}
