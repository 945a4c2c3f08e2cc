//! The pure heart of the console: `update(state, msg) -> commands`.

use crate::app::core::command::Command;
use crate::app::core::msg::{Fetched, InputKey, Msg};
use crate::app::core::state::{AppState, Flash, Mode};
use crate::app::core::table::{Load, TableOps, TableRow, TableState, Tone};
use crate::app::core::view::View;
use crate::app::guard::{op, ops};
use crate::app::logs::cw;
use crate::app::{Action, docker, hosts, logs};
use crate::domain::ids::{ClusterName, ServiceName};

/// Apply one message. Returns the side effects to run.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Command> {
    let mut commands = dispatch(state, msg);
    // A filter, a sort or `esc` may have moved the containers view's selection.
    commands.extend(docker::follow_selection(state));
    commands
}

fn dispatch(state: &mut AppState, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Action(action) => on_action(state, action),
        Msg::Input(key) => on_input(state, key),
        Msg::OpFinished { op, result } => ops::finished(state, *op, result),
        Msg::SessionEnded { result } => {
            state.dirty = true;
            if let Err(message) = result {
                flash(state, &message, Tone::Error);
            }
            fetch_visible(state)
        }
        Msg::Docker(m) => docker::update(state, m),
        Msg::Log(m) => logs::update(state, m),
        Msg::Ops(m) => ops::update(state, m),
        Msg::Hosts(m) => hosts::update(state, m),
        Msg::Tick { .. } => {
            if state.in_flight.is_none() {
                fetch_visible(state)
            } else {
                Vec::new()
            }
        }
        Msg::Resized => {
            state.dirty = true;
            Vec::new()
        }
        Msg::Connected {
            profile,
            region,
            endpoint,
        } => {
            state.ctx.profile = profile;
            state.ctx.region = region;
            state.ctx.endpoint = endpoint;
            state.dirty = true;
            Vec::new()
        }
        Msg::AccountResolved(account) => {
            state.ctx.account = Some(account);
            state.dirty = true;
            Vec::new()
        }
        Msg::ClustersLoaded {
            generation,
            now,
            result,
        } => {
            if accept(state, generation) {
                state.dirty |= apply(&mut state.clusters, result, now, &mut state.last_refresh);
            }
            Vec::new()
        }
        Msg::ServicesLoaded {
            generation,
            now,
            result,
        } => {
            if accept(state, generation) {
                state.dirty |= apply(&mut state.services, result, now, &mut state.last_refresh);
            }
            Vec::new()
        }
        Msg::TasksLoaded {
            generation,
            now,
            result,
        } => {
            if accept(state, generation) {
                state.dirty |= apply(&mut state.tasks, result, now, &mut state.last_refresh);
            }
            Vec::new()
        }
        Msg::TaskLoaded {
            generation,
            now,
            result,
        } => {
            if accept(state, generation) {
                let mut task_changed = false;
                let containers = result.map(|task| {
                    let rows = task.containers.clone();
                    task_changed = state.task.as_ref() != Some(&*task);
                    state.task = Some(*task);
                    rows
                });
                let changed = apply(
                    &mut state.containers,
                    containers,
                    now,
                    &mut state.last_refresh,
                );
                state.dirty |= changed || task_changed;
            }
            Vec::new()
        }
    }
}

/// Whether a result is the answer to the fetch in flight; stale ones are dropped.
pub(crate) fn accept(state: &mut AppState, generation: u64) -> bool {
    if state.in_flight == Some(generation) {
        state.in_flight = None;
        true
    } else {
        false
    }
}

/// Store a fetch result; returns whether anything on screen changed. Identical data within
/// the same minute changes nothing, not even the refresh clock: an idle view draws nothing.
fn apply<R: TableRow>(
    table: &mut TableState<R>,
    result: Fetched<Vec<R>>,
    now: i64,
    last_refresh: &mut Option<i64>,
) -> bool {
    match result {
        Ok(rows) => {
            let changed = table.set_rows(rows, now);
            if changed {
                *last_refresh = Some(now);
            }
            changed
        }
        Err(message) => {
            let failed = Load::Failed(message);
            let changed = table.load != failed;
            table.load = failed;
            changed
        }
    }
}

fn on_action(state: &mut AppState, action: Action) -> Vec<Command> {
    state.dirty = true;
    if let Mode::Help(scroll) = state.mode {
        match action {
            Action::Down => state.mode = Mode::Help(scroll.saturating_add(1)),
            Action::Up => state.mode = Mode::Help(scroll.saturating_sub(1)),
            Action::Top => state.mode = Mode::Help(0),
            Action::Quit if state.stack.len() > 1 => state.mode = Mode::Normal,
            Action::Quit => return quit(state),
            _ => state.mode = Mode::Normal,
        }
        return Vec::new();
    }
    state.flash = None;
    let handled = match state.view() {
        View::Docker => docker::on_action(state, action),
        View::Logs { .. } => logs::on_action(state, action),
        View::Hosts => hosts::on_action(state, action),
        View::Services { .. } | View::Tasks { .. } | View::Containers { .. }
            if action == Action::TailLogs =>
        {
            Some(cw::open_for_selection(state))
        }
        _ => None,
    }
    .or_else(|| hosts::on_task_action(state, action))
    .or_else(|| ops::on_action(state, action));
    if let Some(commands) = handled {
        return commands;
    }
    match action {
        Action::Up => with_table(state, |t| t.move_by(-1)),
        Action::Down => with_table(state, |t| t.move_by(1)),
        Action::PageUp => with_table(state, |t| t.move_by(-10)),
        Action::PageDown => with_table(state, |t| t.move_by(10)),
        Action::Top => with_table(state, |t| t.select_first()),
        Action::Bottom => with_table(state, |t| t.select_last()),
        Action::SortNext => with_table(state, |t| t.cycle_sort(1)),
        Action::SortPrev => with_table(state, |t| t.cycle_sort(-1)),
        Action::SortReverse => with_table(state, |t| t.reverse_sort()),
        Action::Enter => return drill_in(state),
        Action::Back => return back(state),
        Action::Filter => state.mode = Mode::Filter(state.filter_text().to_string()),
        Action::Command => state.mode = Mode::Command(String::new()),
        Action::Help => state.mode = Mode::Help(0),
        Action::Refresh => return fetch_visible(state),
        Action::Quit => return quit(state),
        Action::ToggleDetail => state.show_detail = !state.show_detail,
        Action::ToggleAll => {
            if matches!(state.view(), View::Tasks { .. }) {
                state.include_stopped = !state.include_stopped;
                let which = if state.include_stopped {
                    "showing stopped tasks too"
                } else {
                    "showing running tasks"
                };
                flash(state, which, Tone::Normal);
                return fetch_visible(state);
            }
        }
        other => {
            let text = format!("{} is not available on this view", other.name());
            flash(state, &text, Tone::Warn);
        }
    }
    Vec::new()
}

fn quit(state: &mut AppState) -> Vec<Command> {
    state.quit = true;
    vec![Command::Quit]
}

/// Show a one-line message in the status bar.
pub fn flash(state: &mut AppState, text: &str, tone: Tone) {
    state.flash = Some(Flash {
        text: text.to_string(),
        tone,
    });
}

/// Run `f` on the visible view's table, if it has one.
fn with_table(state: &mut AppState, f: impl Fn(&mut dyn TableOps)) {
    match state.view() {
        View::Clusters => f(&mut state.clusters),
        View::Services { .. } => f(&mut state.services),
        View::Tasks { .. } => f(&mut state.tasks),
        View::Containers { .. } => f(&mut state.containers),
        View::Docker => f(&mut state.docker.table),
        View::Asgs => f(&mut state.ops.asgs),
        View::Journal => f(&mut state.ops.journal),
        View::Hosts => f(&mut state.hosts.list),
        _ => {}
    }
}

fn drill_in(state: &mut AppState) -> Vec<Command> {
    let next = match state.view() {
        View::Clusters => state.clusters.selected_row().map(|c| View::Services {
            cluster: c.name.clone(),
        }),
        View::Services { cluster } => state.services.selected_row().map(|s| View::Tasks {
            cluster: cluster.clone(),
            service: Some(s.name.clone()),
        }),
        View::Tasks { cluster, .. } => state.tasks.selected_row().map(|t| View::Containers {
            cluster: cluster.clone(),
            task: t.arn.clone(),
        }),
        View::Containers { .. } => {
            state.show_detail = !state.show_detail;
            None
        }
        _ => None,
    };
    match next {
        Some(view) => enter(state, view),
        None => Vec::new(),
    }
}

/// Push a view, clear its table and fetch it.
pub fn enter(state: &mut AppState, view: View) -> Vec<Command> {
    reset_table_for(state, &view);
    state.stack.push(view);
    fetch_visible(state)
}

fn reset_table_for(state: &mut AppState, view: &View) {
    match view {
        View::Clusters => {}
        View::Services { .. } => state.services.reset(),
        View::Tasks { .. } => state.tasks.reset(),
        View::Containers { .. } => {
            state.containers.reset();
            state.task = None;
        }
        _ => {}
    }
}

/// Leave the visible view (after clearing its filter, if one is set).
pub fn back(state: &mut AppState) -> Vec<Command> {
    if !state.filter_text().is_empty() {
        with_table(state, |t| t.set_filter(""));
        return Vec::new();
    }
    if state.stack.len() <= 1 {
        return Vec::new();
    }
    let mut commands = Vec::new();
    if let Some(View::Logs { .. }) = state.stack.pop() {
        commands.extend(logs::on_close(state));
    }
    // The parent's rows may belong to another scope after a `:` jump.
    let stale = match state.view().clone() {
        View::Services { cluster } => state
            .services
            .rows()
            .first()
            .is_some_and(|s| s.cluster != cluster),
        View::Tasks { cluster, .. } => state
            .tasks
            .rows()
            .first()
            .is_some_and(|t| t.cluster != cluster),
        _ => false,
    };
    if stale {
        let view = state.view().clone();
        reset_table_for(state, &view);
    }
    commands.extend(fetch_visible(state));
    commands
}

/// Issue a fetch for the visible view with a fresh generation.
pub fn fetch_visible(state: &mut AppState) -> Vec<Command> {
    state.generation += 1;
    let generation = state.generation;
    state.in_flight = Some(generation);
    let command = match state.view().clone() {
        View::Docker => return docker::fetch(state, generation),
        View::Hosts => return hosts::fetch(state, generation),
        View::Asgs | View::Journal | View::ServiceDetail { .. } => {
            return ops::fetch(state, generation);
        }
        View::Logs { .. } => {
            // A tail streams by itself.
            state.in_flight = None;
            return Vec::new();
        }
        View::Clusters => Command::FetchClusters { generation },
        View::Services { cluster } => Command::FetchServices {
            generation,
            cluster,
        },
        View::Tasks { cluster, service } => Command::FetchTasks {
            generation,
            cluster,
            service,
            include_stopped: state.include_stopped,
        },
        View::Containers { cluster, task } => Command::FetchTask {
            generation,
            cluster,
            task,
        },
    };
    vec![command]
}

fn on_input(state: &mut AppState, key: InputKey) -> Vec<Command> {
    state.dirty = true;
    if matches!(state.mode, Mode::Confirm(_)) {
        return op::on_confirm_input(state, key);
    }
    if let Some(commands) = ops::on_prompt_input(state, key) {
        return commands;
    }
    if let Some(commands) = crate::app::hosts::prompt::on_prompt_input(state, key) {
        return commands;
    }
    match std::mem::take(&mut state.mode) {
        Mode::Filter(mut text) => {
            match key {
                InputKey::Char(c) => text.push(c),
                InputKey::Backspace => {
                    text.pop();
                }
                InputKey::Clear => text.clear(),
                InputKey::Submit => {
                    with_table(state, |t| t.set_filter(&text));
                    return Vec::new();
                }
                InputKey::Cancel => {
                    with_table(state, |t| t.set_filter(""));
                    if let View::Logs { .. } = state.view() {
                        logs::set_filter(state, "");
                    }
                    return Vec::new();
                }
            }
            with_table(state, |t| t.set_filter(&text));
            if let View::Logs { .. } = state.view() {
                logs::set_filter(state, &text);
            }
            state.mode = Mode::Filter(text);
            Vec::new()
        }
        Mode::Command(mut text) => match key {
            InputKey::Char(c) => {
                text.push(c);
                state.mode = Mode::Command(text);
                Vec::new()
            }
            InputKey::Backspace => {
                if text.pop().is_some() {
                    state.mode = Mode::Command(text);
                }
                Vec::new()
            }
            InputKey::Clear => {
                state.mode = Mode::Command(String::new());
                Vec::new()
            }
            InputKey::Submit => run_command_line(state, &text),
            InputKey::Cancel => Vec::new(),
        },
        other => {
            state.mode = other;
            Vec::new()
        }
    }
}

/// The `:` commands, with their short aliases.
pub const COMMANDS: &[(&str, &str)] = &[
    ("clusters", "list clusters (alias :cl)"),
    (
        "services [CLUSTER]",
        "list a cluster's services (alias :svc)",
    ),
    ("tasks [CLUSTER] [SERVICE]", "list tasks (alias :t)"),
    ("containers", "local Docker containers (alias :dc)"),
    (
        "logs GROUP [PREFIX] [-15m]",
        "tail any CloudWatch log group",
    ),
    ("hosts", "EC2 instances (alias :ec2)"),
    ("asgs", "Auto Scaling groups"),
    ("journal", "the audit journal of changes made"),
    ("quit", "quit opsdeck (alias :q)"),
];

fn run_command_line(state: &mut AppState, line: &str) -> Vec<Command> {
    let mut words = line.split_whitespace();
    let Some(cmd) = words.next() else {
        return Vec::new();
    };
    let args: Vec<&str> = words.collect();
    match cmd {
        "q" | "q!" | "quit" | "exit" => quit(state),
        "clusters" | "cluster" | "cl" | "ecs" => {
            state.stack.truncate(1);
            state.stack[0] = View::Clusters;
            fetch_visible(state)
        }
        "services" | "service" | "svc" | "s" => {
            let Some(cluster) = args
                .first()
                .map(|c| ClusterName::from(*c))
                .or_else(|| current_cluster(state))
            else {
                flash(state, "which cluster? type :services CLUSTER", Tone::Error);
                return Vec::new();
            };
            jump(state, vec![View::Services { cluster }])
        }
        "tasks" | "task" | "t" => {
            let cluster = args.first().map(|c| ClusterName::from(*c));
            let service = args.get(1).map(|s| ServiceName::from(*s));
            let (cluster, service) = match cluster {
                Some(c) => (c, service),
                None => match current_cluster(state) {
                    Some(c) => (c, current_service(state)),
                    None => {
                        flash(
                            state,
                            "which cluster? type :tasks CLUSTER [SERVICE]",
                            Tone::Error,
                        );
                        return Vec::new();
                    }
                },
            };
            jump(
                state,
                vec![
                    View::Services {
                        cluster: cluster.clone(),
                    },
                    View::Tasks { cluster, service },
                ],
            )
        }
        "containers" | "docker" | "dc" => docker::open(state),
        "hosts" | "ec2" | "instances" => hosts::open(state),
        "asgs" | "asg" => ops::open_asgs(state),
        "journal" | "audit" => ops::open_journal(state),
        "logs" | "log" => cw::open_command(state, &args),
        other => {
            let text = format!(
                "unknown command :{other} — try :clusters, :services, :tasks, :containers, :hosts, :asgs, :journal, :logs or :q"
            );
            flash(state, &text, Tone::Error);
            Vec::new()
        }
    }
}

/// Replace the stack with the root plus `views`, and fetch the last.
fn jump(state: &mut AppState, views: Vec<View>) -> Vec<Command> {
    state.stack.truncate(1);
    state.stack[0] = View::Clusters;
    for view in views {
        reset_table_for(state, &view);
        state.stack.push(view);
    }
    fetch_visible(state)
}

/// The cluster the user is in, or the one selected on the clusters view.
fn current_cluster(state: &AppState) -> Option<ClusterName> {
    match state.view() {
        View::Clusters => state.clusters.selected_row().map(|c| c.name.clone()),
        view => view.cluster().cloned(),
    }
}

fn current_service(state: &AppState) -> Option<ServiceName> {
    match state.view() {
        View::Tasks { service, .. } => service.clone(),
        _ => None,
    }
}
