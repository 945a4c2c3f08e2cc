//! The view registry: one static entry per kind of view, carrying everything the shared code
//! needs to know about it — title, key table, footer hints, `:` command, table, fetch and the
//! feature's key handlers. `View::entry` matches every view without a wildcard arm, so a view
//! added to `View` without an entry does not compile.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::nav::{self, never_stale, nothing, nothing_to_stop};
use crate::app::core::state::AppState;
use crate::app::core::table::TableOps;
use crate::app::core::view::View;
use crate::app::{asg, describe, docker, ecs, hosts, images, journal, loggroups, logs, service};
use crate::domain::describe::{DescribeKind, DescribeTarget};
use crate::input::keymap::KeyContext;

/// A feature's handler for a key on its view; `None` lets the next one (and then the shared
/// table keys) have it.
pub type ActionHandler = fn(&mut AppState, Action) -> Option<Vec<Command>>;

/// A `:` command: the names it answers to (the first is the one shown), its usage and help.
#[derive(Debug)]
pub struct CommandSpec {
    pub names: &'static [&'static str],
    /// What the help shows: `services [CLUSTER]`.
    pub usage: &'static str,
    pub help: &'static str,
    /// Typed without arguments it cannot do anything: listed last in hints.
    pub needs_args: bool,
    /// What each argument names, for Tab completion.
    pub args: &'static [Arg],
    pub run: fn(&mut AppState, &[&str]) -> Vec<Command>,
}

/// What a `:` command's argument names: Tab completes it from the names the console knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// An ECS cluster (from the clusters view).
    Cluster,
    /// A service of the cluster named before it (from that cluster's services view).
    Service,
    /// Anything else: not completed.
    Other,
}

/// Everything the shared code knows about one kind of view.
pub struct ViewEntry {
    /// The title above the view's table.
    pub title: &'static str,
    /// The keymap table that applies on the view.
    pub key_context: KeyContext,
    /// The keys worth a hint in the footer, most useful first.
    pub hints: &'static [Action],
    /// The `:` command that opens it, if any.
    pub command: Option<&'static CommandSpec>,
    /// The view's table, for the shared moves, sort and filter keys.
    pub table: fn(&mut AppState) -> Option<&mut dyn TableOps>,
    /// The filter typed on the view (empty when none).
    pub filter_text: fn(&AppState) -> &str,
    /// The commands that fetch what the view shows, for a fresh generation.
    pub fetch: fn(&mut AppState, u64) -> Vec<Command>,
    /// Clear what the view showed before it is entered.
    pub reset: fn(&mut AppState),
    /// Whether the rows kept for the view belong to another scope (after a `:` jump).
    pub stale: fn(&AppState) -> bool,
    /// What to stop when the view is left.
    pub leave: fn(&mut AppState) -> Vec<Command>,
    /// The feature's key handlers, tried in order.
    pub actions: &'static [ActionHandler],
    /// What `copy_id` / `copy_full` copy on the view (`None`: nothing to copy here).
    pub copy: fn(&AppState, CopyKind) -> Option<Copied>,
    /// What `describe` (`y`) and `describe_task_definition` (`Y`) open on the view (`None`:
    /// nothing to describe here).
    pub describe: fn(&AppState, DescribeKind) -> Option<DescribeTarget>,
}

/// For a view with nothing to describe.
pub fn nothing_to_describe(_state: &AppState, _kind: DescribeKind) -> Option<DescribeTarget> {
    None
}

impl std::fmt::Debug for ViewEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewEntry")
            .field("title", &self.title)
            .finish_non_exhaustive()
    }
}

fn no_table(_state: &mut AppState) -> Option<&mut dyn TableOps> {
    None
}

fn no_filter(_state: &AppState) -> &str {
    ""
}

pub static CLUSTERS: ViewEntry = ViewEntry {
    title: "Clusters",
    key_context: KeyContext::Clusters,
    hints: &[
        Action::Enter,
        Action::Describe,
        Action::CopyId,
        Action::Filter,
        Action::Command,
        Action::Help,
        Action::Quit,
    ],
    command: Some(&CommandSpec {
        names: &["clusters", "cluster", "cl", "ecs"],
        usage: "clusters",
        help: "list clusters (alias :cl)",
        needs_args: false,
        args: &[],
        run: ecs::views::open_clusters,
    }),
    table: ecs::views::clusters_table,
    filter_text: ecs::views::clusters_filter,
    fetch: ecs::views::fetch_clusters,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[ecs::views::on_clusters_action],
    copy: ecs::copy::copy_cluster,
    describe: ecs::describe::describe_cluster,
};

pub static SERVICES: ViewEntry = ViewEntry {
    title: "Services",
    key_context: KeyContext::Services,
    hints: &[
        Action::TailLogs,
        Action::SetDesired,
        Action::Redeploy,
        Action::ToggleDetail,
        Action::Describe,
        Action::CopyId,
        Action::Enter,
        Action::Back,
        Action::Filter,
        Action::Help,
    ],
    command: Some(&CommandSpec {
        names: &["services", "service", "svc", "s"],
        usage: "services [CLUSTER]",
        help: "list a cluster's services (alias :svc)",
        needs_args: false,
        args: &[Arg::Cluster],
        run: ecs::views::open_services,
    }),
    table: ecs::views::services_table,
    filter_text: ecs::views::services_filter,
    fetch: ecs::views::fetch_services,
    reset: ecs::views::reset_services,
    stale: ecs::views::services_stale,
    leave: nothing_to_stop,
    actions: &[logs::cw::on_ecs_action, ecs::views::on_services_action],
    copy: ecs::copy::copy_service,
    describe: ecs::describe::describe_service,
};

pub static TASKS: ViewEntry = ViewEntry {
    title: "Tasks",
    key_context: KeyContext::Tasks,
    hints: &[
        Action::Enter,
        Action::TailLogs,
        Action::Describe,
        Action::CopyId,
        Action::StopTask,
        Action::ToggleAll,
        Action::Back,
        Action::Filter,
        Action::Help,
    ],
    command: Some(&CommandSpec {
        names: &["tasks", "task", "t"],
        usage: "tasks [CLUSTER] [SERVICE]",
        help: "list tasks (alias :t)",
        needs_args: false,
        args: &[Arg::Cluster, Arg::Service],
        run: ecs::views::open_tasks,
    }),
    table: ecs::views::tasks_table,
    filter_text: ecs::views::tasks_filter,
    fetch: ecs::views::fetch_tasks,
    reset: ecs::views::reset_tasks,
    stale: ecs::views::tasks_stale,
    leave: nothing_to_stop,
    actions: &[
        logs::cw::on_ecs_action,
        hosts::on_task_action,
        ecs::views::on_tasks_action,
    ],
    copy: ecs::copy::copy_task,
    describe: ecs::describe::describe_task,
};

pub static CONTAINERS: ViewEntry = ViewEntry {
    title: "Containers",
    key_context: KeyContext::Containers,
    hints: &[
        Action::TailLogs,
        Action::Describe,
        Action::CopyId,
        Action::ToggleDetail,
        Action::Back,
        Action::Help,
    ],
    command: None,
    table: ecs::views::containers_table,
    filter_text: ecs::views::containers_filter,
    fetch: ecs::views::fetch_task,
    reset: ecs::views::reset_containers,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[logs::cw::on_ecs_action, ecs::views::on_containers_action],
    copy: ecs::copy::copy_container,
    describe: ecs::describe::describe_container,
};

pub static SERVICE_DETAIL: ViewEntry = ViewEntry {
    title: "Service",
    key_context: KeyContext::Services,
    hints: &[
        Action::TailLogs,
        Action::SetDesired,
        Action::Redeploy,
        Action::Rollback,
        Action::Describe,
        Action::Back,
        Action::Help,
    ],
    command: None,
    table: no_table,
    filter_text: no_filter,
    fetch: service::fetch,
    reset: service::reset,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[service::on_detail_action],
    copy: service::copy,
    describe: service::describe,
};

pub static DOCKER: ViewEntry = ViewEntry {
    title: "Docker containers",
    key_context: KeyContext::Docker,
    hints: &[
        Action::TailLogs,
        Action::Exec,
        Action::Restart,
        Action::Stop,
        Action::Describe,
        Action::CopyId,
        Action::ToggleAll,
        Action::Help,
    ],
    command: Some(&CommandSpec {
        names: &["containers", "docker", "dc"],
        usage: "containers",
        help: "local Docker containers (alias :dc)",
        needs_args: false,
        args: &[],
        run: docker::open,
    }),
    table: docker::table,
    filter_text: docker::filter,
    fetch: docker::fetch,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[docker::on_action],
    copy: docker::copy,
    describe: docker::describe,
};

pub static LOGS: ViewEntry = ViewEntry {
    title: "Logs",
    key_context: KeyContext::Logs,
    hints: &[
        Action::Follow,
        Action::Filter,
        Action::SearchNext,
        Action::ToggleFilterMode,
        Action::Wrap,
        Action::Timestamps,
        Action::Save,
        Action::Back,
    ],
    command: Some(&CommandSpec {
        names: &["logs", "log"],
        usage: "logs [GROUP] [PREFIX] [-15m]",
        help: "tail GROUP, or list the log groups",
        needs_args: false,
        args: &[Arg::Other, Arg::Other, Arg::Other],
        run: logs::cw::open_command,
    }),
    table: no_table,
    filter_text: no_filter,
    // A tail streams by itself: the fetch only starts it.
    fetch: logs::fetch,
    reset: logs::reset,
    stale: never_stale,
    leave: logs::on_close,
    actions: &[logs::on_action],
    copy: logs::copy,
    describe: nothing_to_describe,
};

pub static HOSTS: ViewEntry = ViewEntry {
    title: "Hosts",
    key_context: KeyContext::Hosts,
    hints: &[
        Action::Ssh,
        Action::RunCommand,
        Action::ToggleDetail,
        Action::Describe,
        Action::CopyId,
        Action::Filter,
        Action::Help,
    ],
    command: Some(&CommandSpec {
        names: &["hosts", "ec2", "instances"],
        usage: "hosts",
        help: "EC2 instances (alias :ec2)",
        needs_args: false,
        args: &[],
        run: hosts::open,
    }),
    table: hosts::table,
    filter_text: hosts::filter,
    fetch: hosts::fetch,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[hosts::on_action],
    copy: hosts::copy,
    describe: hosts::describe,
};

pub static ASGS: ViewEntry = ViewEntry {
    title: "Auto Scaling groups",
    key_context: KeyContext::Asgs,
    hints: &[
        Action::SetDesired,
        Action::ScaleUp,
        Action::ScaleDown,
        Action::Describe,
        Action::CopyId,
        Action::Enter,
        Action::Back,
        Action::Help,
    ],
    command: Some(&CommandSpec {
        names: &["asgs", "asg"],
        usage: "asgs",
        help: "Auto Scaling groups",
        needs_args: false,
        args: &[],
        run: asg::open,
    }),
    table: asg::table,
    filter_text: asg::filter,
    fetch: asg::fetch,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[asg::on_action],
    copy: asg::copy,
    describe: asg::describe,
};

pub static JOURNAL: ViewEntry = ViewEntry {
    title: "Journal",
    key_context: KeyContext::Journal,
    hints: &[Action::Undo, Action::Filter, Action::Back, Action::Help],
    command: Some(&CommandSpec {
        names: &["journal", "audit"],
        usage: "journal",
        help: "the audit journal of changes made",
        needs_args: false,
        args: &[],
        run: journal::open,
    }),
    table: journal::table,
    filter_text: journal::filter,
    fetch: journal::fetch,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[journal::on_action],
    copy: journal::copy,
    describe: nothing_to_describe,
};

/// `:quit`: the one `:` command that opens no view.
pub static QUIT: CommandSpec = CommandSpec {
    names: &["quit", "q", "q!", "exit"],
    usage: "quit",
    help: "quit opsdeck (alias :q)",
    needs_args: false,
    args: &[],
    run: |state, _| nav::quit(state),
};

/// `:messages`: the last 100 messages, newest first.
pub static MESSAGES: CommandSpec = CommandSpec {
    names: &["messages", "msgs"],
    usage: "messages",
    help: "the last 100 messages in full, newest first",
    needs_args: false,
    args: &[],
    run: |state, _| {
        state.mode = crate::app::core::state::Mode::Messages(0);
        Vec::new()
    },
};

/// The commands that open no view, after the views' own in help and completion.
pub static OTHER_COMMANDS: &[&CommandSpec] = &[&MESSAGES, &QUIT];

/// Every view, in the order the help lists their commands.
pub static VIEWS: &[&ViewEntry] = &[
    &CLUSTERS,
    &SERVICES,
    &TASKS,
    &CONTAINERS,
    &SERVICE_DETAIL,
    &DOCKER,
    &LOGS,
    &loggroups::ENTRY,
    &HOSTS,
    &ASGS,
    &JOURNAL,
    &images::ENTRY,
    &describe::ENTRY,
];

/// The `:` commands, in the order the help lists them: the views' and then `:quit`.
pub fn commands() -> impl Iterator<Item = &'static CommandSpec> {
    VIEWS
        .iter()
        .filter_map(|entry| entry.command)
        .chain(OTHER_COMMANDS.iter().copied())
}

/// The `:` command called `name` (or one of its aliases).
pub fn find_command(name: &str) -> Option<&'static CommandSpec> {
    commands().find(|c| c.names.contains(&name))
}

impl View {
    /// This view's registry entry.
    pub fn entry(&self) -> &'static ViewEntry {
        match self {
            View::Clusters => &CLUSTERS,
            View::Services { .. } => &SERVICES,
            View::Tasks { .. } => &TASKS,
            View::Containers { .. } => &CONTAINERS,
            View::ServiceDetail { .. } => &SERVICE_DETAIL,
            View::Docker => &DOCKER,
            View::Logs { .. } => &LOGS,
            View::LogGroups => &loggroups::ENTRY,
            View::Hosts => &HOSTS,
            View::Asgs => &ASGS,
            View::Journal => &JOURNAL,
            View::Images => &images::ENTRY,
            View::Describe { .. } => &describe::ENTRY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_listed_once() {
        // A new view's entry must be in VIEWS, or its `:` command would not be found.
        let samples = [
            View::Clusters,
            View::Services {
                cluster: "c".into(),
            },
            View::Tasks {
                cluster: "c".into(),
                service: None,
            },
            View::Containers {
                cluster: "c".into(),
                task: "arn:aws:ecs:eu-west-1:1:task/c/t".into(),
            },
            View::ServiceDetail {
                cluster: "c".into(),
                service: "s".into(),
            },
            View::Docker,
            View::Logs {
                source: crate::app::logs::LogSource::Docker {
                    id: "x".into(),
                    name: "x".into(),
                },
            },
            View::LogGroups,
            View::Hosts,
            View::Asgs,
            View::Journal,
            View::Images,
            View::Describe {
                target: DescribeTarget::Asg { name: "a".into() },
            },
        ];
        assert_eq!(samples.len(), VIEWS.len());
        for view in &samples {
            let entry = view.entry();
            let count = VIEWS.iter().filter(|e| std::ptr::eq(**e, entry)).count();
            assert_eq!(count, 1, "{:?} is listed {count} times", entry.title);
        }
    }

    #[test]
    fn every_view_key_table_can_be_configured() {
        // A context missing from KeyContext::ALL could not be named in `[keys.*]`.
        for entry in VIEWS {
            assert!(
                KeyContext::ALL.contains(&entry.key_context),
                "{}: {:?} is not in KeyContext::ALL",
                entry.title,
                entry.key_context
            );
        }
    }

    #[test]
    fn command_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for command in commands() {
            for name in command.names {
                assert!(seen.insert(*name), ":{name} is claimed twice");
            }
        }
    }
}
