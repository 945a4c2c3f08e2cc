//! The EC2 hosts view and SSH sessions: state, messages, commands and their update.
//!
//! `s` on a host (or on an EC2 task: its host) asks the runtime to connect
//! ([`HostsCommand::Connect`]). The runtime resolves `~/.ssh/config`, connects and checks the
//! host keys; a key not in `known_hosts` comes back as [`HostsMsg::KeyUnknown`] and opens a
//! dialog with its fingerprint, and only `y` there saves it ([`HostsCommand::Trust`]). A
//! verified session comes back as [`HostsMsg::Ready`] and becomes
//! `Command::Interactive(Session::Host(..))`. `x` runs a named command the same way and shows
//! its output in a pane.
//!
//! When neither the agent nor a plain identity file logs in and a file is passphrase-protected,
//! [`HostsMsg::PassphraseNeeded`] opens a masked prompt for that file and hop; enter sends the
//! passphrase once, in [`HostsCommand::Unlock`], and the state keeps nothing of it. A wrong one
//! asks again, up to [`MAX_PASSPHRASE_TRIES`] tries.

pub mod prompt;
pub mod table;
pub mod target;

use crate::app::Action;
use crate::app::core::columns::beside_pane;
use crate::app::core::command::{Command, Session};
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load::store;
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{fetch_visible, flash};
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::{TableOps, Tone};
use crate::app::core::view::View;
use crate::app::hosts::prompt::HostsPrompt;
use crate::app::hosts::table::HostsTable;
use crate::app::hosts::target::{HostsSettings, request_for};
use crate::domain::hosts::HostRow;
use crate::domain::ssh::{HostKey, LockedKey, Passphrase, SshPlan, SshRequest};

/// Passphrase tries for one key before the connection is given up.
pub const MAX_PASSPHRASE_TRIES: u8 = 3;

/// State of the `:hosts` view.
#[derive(Debug, Clone, Default)]
pub struct HostsState {
    pub settings: HostsSettings,
    pub list: HostsTable,
    /// The output of the last one-off command, shown in a pane until `esc`.
    pub output: Option<CommandPane>,
}

impl HostsState {
    /// A state with the `[ssh]` settings.
    pub fn new(settings: HostsSettings) -> Self {
        Self {
            settings,
            ..Self::default()
        }
    }
}

/// What a connection is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// An interactive shell.
    Shell,
    /// A one-off command from `[ssh.commands]`.
    Run { name: String, command: String },
}

/// Why the host of a task is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskHostPurpose {
    /// Show it in `:hosts`.
    Jump,
    /// Open a shell on it.
    Shell,
}

/// What a one-off command printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutput {
    pub text: String,
    pub exit_status: Option<i32>,
    pub truncated: bool,
}

/// The output pane of a one-off command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandPane {
    pub host: String,
    pub name: String,
    pub command: String,
    pub lines: Vec<String>,
    pub exit_status: Option<i32>,
    pub truncated: bool,
    /// First line shown.
    pub scroll: usize,
}

/// What happened on the EC2/SSH side.
#[derive(Debug, Clone, PartialEq)]
pub enum HostsMsg {
    Loaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<HostRow>>,
    },
    /// The EC2 host of a task was looked up.
    TaskHost {
        purpose: TaskHostPurpose,
        result: Result<HostRow, String>,
    },
    /// A hop presented a host key `known_hosts` does not have: ask before going on.
    KeyUnknown {
        plan: Box<SshPlan>,
        key: HostKey,
        purpose: Purpose,
    },
    /// An identity file needs its passphrase (`failed` wrong ones were given so far).
    PassphraseNeeded {
        plan: Box<SshPlan>,
        key: LockedKey,
        purpose: Purpose,
        failed: u8,
    },
    /// A verified, authenticated session is waiting for the terminal.
    Ready { session: HostSession },
    /// A one-off command finished.
    Output {
        host: String,
        name: String,
        command: String,
        result: Result<RunOutput, String>,
    },
    /// Connecting or saving a key failed: a one-line reason.
    Failed { message: String },
}

/// EC2/SSH side effects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostsCommand {
    /// List the instances; answered with `HostsMsg::Loaded`.
    Fetch { generation: u64 },
    /// Find the instance behind a task's container instance; `HostsMsg::TaskHost`.
    FindTaskHost {
        cluster: String,
        container_instance_arn: String,
        purpose: TaskHostPurpose,
    },
    /// Resolve, connect and verify; then `Ready`, `Output`, `KeyUnknown` or `Failed`.
    Connect {
        request: SshRequest,
        purpose: Purpose,
    },
    /// The user trusted `key`: save it to known_hosts, then connect with `plan` again.
    Trust {
        plan: Box<SshPlan>,
        key: HostKey,
        purpose: Purpose,
    },
    /// Connect with `plan` again, unlocking `key` with `passphrase` (try number `attempt`);
    /// then like `Connect`, or `PassphraseNeeded` again when it was wrong.
    Unlock {
        plan: Box<SshPlan>,
        key: LockedKey,
        passphrase: Passphrase,
        purpose: Purpose,
        attempt: u8,
    },
}

/// An SSH session the runtime runs in the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostSession {
    /// What the user asked to reach (instance name or id), for messages.
    pub label: String,
    /// Where and how to connect, resolved through `~/.ssh/config`.
    pub plan: Box<SshPlan>,
    /// The runtime's already verified connection for this session (built-in client), if any.
    pub ticket: Option<u64>,
}

pub fn update(state: &mut AppState, msg: HostsMsg) -> Vec<Command> {
    if let HostsMsg::Loaded {
        generation,
        now,
        result,
    } = msg
    {
        store(state, generation, |s| &mut s.hosts.list, result, now);
        return Vec::new();
    }
    state.dirty = true;
    match msg {
        // Stored above.
        HostsMsg::Loaded { .. } => Vec::new(),
        HostsMsg::TaskHost { purpose, result } => {
            state.flash = None;
            match (result, purpose) {
                (Err(message), _) => {
                    flash(state, &message, Tone::Error);
                    Vec::new()
                }
                (Ok(host), TaskHostPurpose::Jump) => {
                    state.hosts.list.reset();
                    state.hosts.list.set_filter(&host.id);
                    state.stack.push(View::Hosts);
                    fetch_visible(state)
                }
                (Ok(host), TaskHostPurpose::Shell) => shell_to(state, &host),
            }
        }
        HostsMsg::KeyUnknown { plan, key, purpose } => {
            state.flash = None;
            state.mode = Mode::Hosts(Box::new(HostsPrompt::TrustKey { plan, key, purpose }));
            Vec::new()
        }
        HostsMsg::PassphraseNeeded {
            plan,
            key,
            purpose,
            failed,
        } => {
            if failed >= MAX_PASSPHRASE_TRIES {
                let text = format!(
                    "wrong passphrase for {} ({}) {failed} times: not connected",
                    key.shown, key.hop
                );
                flash(state, &text, Tone::Error);
                return Vec::new();
            }
            if failed > 0 {
                let text = format!("wrong passphrase for {} — try again", key.shown);
                flash(state, &text, Tone::Warn);
            } else {
                state.flash = None;
            }
            state.mode = Mode::Hosts(Box::new(HostsPrompt::Passphrase {
                plan,
                key,
                purpose,
                input: Passphrase::default(),
                failed,
            }));
            Vec::new()
        }
        HostsMsg::Ready { session } => {
            state.flash = None;
            vec![Command::Interactive(Session::Host(session))]
        }
        HostsMsg::Output {
            host,
            name,
            command,
            result,
        } => {
            state.flash = None;
            match result {
                Ok(out) => {
                    state.hosts.output = Some(CommandPane {
                        host,
                        name,
                        command,
                        lines: out.text.lines().map(str::to_string).collect(),
                        exit_status: out.exit_status,
                        truncated: out.truncated,
                        scroll: 0,
                    });
                }
                Err(message) => flash(state, &message, Tone::Error),
            }
            Vec::new()
        }
        HostsMsg::Failed { message } => {
            flash(state, &message, Tone::Error);
            Vec::new()
        }
    }
}

/// Keys on the hosts view; `None` lets the generic handling run.
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if state.hosts.output.is_some()
        && let Some(commands) = on_pane_action(state, action)
    {
        return Some(commands);
    }
    match action {
        Action::Ssh => {
            let host = selected(state)?;
            Some(shell_to(state, &host))
        }
        Action::RunCommand => {
            let host = selected(state)?;
            Some(open_menu(state, &host))
        }
        Action::ToggleAll => {
            state.hosts.list.toggle_gone();
            let which = if state.hosts.list.show_gone {
                "showing terminated instances too"
            } else {
                "hiding terminated instances"
            };
            flash(state, which, Tone::Normal);
            Some(Vec::new())
        }
        Action::Enter => {
            state.show_detail = !state.show_detail;
            Some(Vec::new())
        }
        _ => None,
    }
}

/// `ssh` and `jump_to_host` on the tasks view: the task's EC2 host. `None` for other keys
/// and views.
pub fn on_task_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let purpose = match action {
        Action::Ssh => TaskHostPurpose::Shell,
        Action::JumpToHost => TaskHostPurpose::Jump,
        _ => return None,
    };
    let View::Tasks { cluster, .. } = state.view().clone() else {
        return None;
    };
    let Some(task) = state.tasks.selected_row().cloned() else {
        flash(state, "no task selected", Tone::Warn);
        return Some(Vec::new());
    };
    let id = task.arn.short_id().to_string();
    if !task.launch_type.is_empty() && task.launch_type != "EC2" {
        let text = format!(
            "task {id} runs on {}: it has no EC2 host to reach",
            task.launch_type
        );
        flash(state, &text, Tone::Warn);
        return Some(Vec::new());
    }
    if task.container_instance_arn.is_empty() {
        let text = format!("task {id} is not placed on a container instance (yet)");
        flash(state, &text, Tone::Warn);
        return Some(Vec::new());
    }
    flash(
        state,
        &format!("finding the host of task {id}…"),
        Tone::Muted,
    );
    Some(vec![Command::Hosts(HostsCommand::FindTaskHost {
        cluster: cluster.to_string(),
        container_instance_arn: task.container_instance_arn,
        purpose,
    })])
}

pub fn table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.hosts.list)
}

pub fn filter(state: &AppState) -> &str {
    &state.hosts.list.filter
}

/// The copy keys: the instance id (an instance has no shorter or longer name worth copying).
pub fn copy(state: &AppState, _kind: CopyKind) -> Option<Copied> {
    let row = state.hosts.list.selected()?;
    Some(Copied::new("instance id", row.id.as_str()))
}

/// `y`: the selected instance.
pub fn describe(
    state: &AppState,
    kind: crate::domain::describe::DescribeKind,
) -> Option<crate::domain::describe::DescribeTarget> {
    let row = state.hosts.list.selected()?;
    (kind == crate::domain::describe::DescribeKind::Item)
        .then(|| crate::domain::describe::DescribeTarget::Instance { id: row.id.clone() })
}

/// `:hosts`: open the view.
pub fn open(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    crate::app::core::nav::jump(state, vec![View::Hosts])
}

/// Fetch the hosts list.
pub fn fetch(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::Hosts(HostsCommand::Fetch { generation })]
}

/// Ask for a connection to `request` for `purpose`, saying so in the status line.
pub fn connect(state: &mut AppState, request: SshRequest, purpose: Purpose) -> Vec<Command> {
    let text = match &purpose {
        Purpose::Shell => format!("connecting to {}…", request.label),
        Purpose::Run { name, .. } => format!("running {name} on {}…", request.label),
    };
    flash(state, &text, Tone::Muted);
    vec![Command::Hosts(HostsCommand::Connect { request, purpose })]
}

fn shell_to(state: &mut AppState, host: &HostRow) -> Vec<Command> {
    match request_for(host, &state.hosts.settings, &state.ctx.profile) {
        Ok(request) => connect(state, request, Purpose::Shell),
        Err(message) => {
            flash(state, &message, Tone::Error);
            Vec::new()
        }
    }
}

fn open_menu(state: &mut AppState, host: &HostRow) -> Vec<Command> {
    let commands = state.hosts.settings.commands.clone();
    if commands.is_empty() {
        flash(
            state,
            "no commands: add some to [ssh.commands] in the config",
            Tone::Warn,
        );
        return Vec::new();
    }
    match request_for(host, &state.hosts.settings, &state.ctx.profile) {
        Ok(request) => {
            state.mode = Mode::Hosts(Box::new(HostsPrompt::Commands {
                request,
                commands,
                selected: 0,
            }));
        }
        Err(message) => flash(state, &message, Tone::Error),
    }
    Vec::new()
}

fn selected(state: &mut AppState) -> Option<HostRow> {
    let host = state.hosts.list.selected().cloned();
    if host.is_none() {
        flash(state, "no host selected", Tone::Warn);
    }
    host
}

/// Keys while the output pane is open: movement scrolls it, `back` closes it.
fn on_pane_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let pane = state.hosts.output.as_mut()?;
    let last = pane.lines.len().saturating_sub(1);
    match action {
        Action::Down => pane.scroll = (pane.scroll + 1).min(last),
        Action::Up => pane.scroll = pane.scroll.saturating_sub(1),
        Action::PageDown => pane.scroll = (pane.scroll + 10).min(last),
        Action::PageUp => pane.scroll = pane.scroll.saturating_sub(10),
        Action::Top => pane.scroll = 0,
        Action::Bottom => pane.scroll = last,
        Action::Back => state.hosts.output = None,
        _ => return None,
    }
    Some(Vec::new())
}

/// From this width the hosts table and its pane (the detail or a command's output) sit side
/// by side.
pub const SIDE_BY_SIDE_WIDTH: u16 = 200;
/// The table's share of the width then, in percent.
pub const TABLE_PERCENT: u16 = 60;

/// The hosts table's width beside its pane; `None` when it is not beside one (or the hosts
/// are not on screen).
pub fn table_width(state: &AppState) -> Option<u16> {
    let width = state.screen.0;
    let beside = matches!(state.view(), View::Hosts)
        && (state.hosts.output.is_some() || state.show_detail)
        && width >= SIDE_BY_SIDE_WIDTH;
    beside.then(|| beside_pane(width, TABLE_PERCENT))
}
