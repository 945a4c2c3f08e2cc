//! Side effects described as data; the runtime runs them.

use crate::app::asg::AsgCommand;
use crate::app::describe::DescribeCommand;
use crate::app::docker::DockerCommand;
use crate::app::guard::op::Op;
use crate::app::hosts::HostsCommand;
use crate::app::images::ImagesCommand;
use crate::app::journal::JournalCommand;
use crate::app::loggroups::LogGroupsCommand;
use crate::app::logs::LogSource;
use crate::app::service::ServiceCommand;
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// An interactive program that takes over the terminal until it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Session {
    /// A shell inside a local Docker container.
    DockerExec { id: String, name: String },
    /// Anything the hosts view prepares (ssh2 session, system ssh).
    Host(crate::app::hosts::HostSession),
    /// Give the terminal back to the shell and stop (ctrl-z, SIGTSTP) until continued.
    Suspend,
}

/// A side effect for the runtime. Every fetch carries the generation its result must echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    FetchClusters {
        generation: u64,
    },
    FetchServices {
        generation: u64,
        cluster: ClusterName,
    },
    FetchTasks {
        generation: u64,
        cluster: ClusterName,
        service: Option<ServiceName>,
        include_stopped: bool,
    },
    FetchTask {
        generation: u64,
        cluster: ClusterName,
        task: TaskArn,
    },
    /// Start following logs; lines come back as `Msg::Log` with this tail id.
    StartTail {
        tail: u64,
        source: LogSource,
        /// How many past lines to show first.
        history: usize,
    },
    StopTail {
        tail: u64,
    },
    /// Write a log buffer to `<dir>/<stem>-<epoch seconds>.log` (never over an existing
    /// file); reported with `Msg::Log(LogMsg::Saved { .. })`.
    SaveLog {
        dir: std::path::PathBuf,
        stem: String,
        text: String,
    },
    /// A confirmed mutating operation: journaled, sent, reported with `Msg::OpFinished`.
    RunOp(Op),
    /// Run a confirmed change that undoes the journal entry `undoes` (the journal records it).
    Undo {
        op: Op,
        undoes: String,
    },
    /// Look up the caller identity (STS `GetCallerIdentity`); `Msg::IdentityResolved`.
    ResolveIdentity,
    /// Put `text` on the clipboard of the terminal at the end of the line (OSC 52).
    Copy {
        text: String,
    },
    /// Hand the terminal to an interactive program.
    Interactive(Session),
    Docker(DockerCommand),
    Service(ServiceCommand),
    Asg(AsgCommand),
    Journal(JournalCommand),
    Hosts(HostsCommand),
    Images(ImagesCommand),
    LogGroups(LogGroupsCommand),
    Describe(DescribeCommand),
}

impl Command {
    /// The generation of a fetch, if this is one: the runtime keeps the visible view's fetch
    /// by it, to cancel it when a newer one starts, and the answer carries it back.
    pub fn generation(&self) -> Option<u64> {
        match self {
            Command::FetchClusters { generation }
            | Command::FetchServices { generation, .. }
            | Command::FetchTasks { generation, .. }
            | Command::FetchTask { generation, .. }
            | Command::Service(ServiceCommand::FetchDetail { generation, .. })
            | Command::Asg(AsgCommand::Fetch { generation })
            | Command::Journal(JournalCommand::Fetch { generation })
            | Command::Hosts(HostsCommand::Fetch { generation })
            | Command::Images(ImagesCommand::Fetch { generation })
            | Command::LogGroups(LogGroupsCommand::Fetch { generation })
            | Command::Describe(DescribeCommand::Fetch { generation, .. }) => Some(*generation),
            Command::Service(ServiceCommand::PrepareRollback { .. })
            | Command::Hosts(_)
            | Command::StartTail { .. }
            | Command::StopTail { .. }
            | Command::SaveLog { .. }
            | Command::RunOp(_)
            | Command::Undo { .. }
            | Command::ResolveIdentity
            | Command::Copy { .. }
            | Command::Interactive(_)
            | Command::Describe(DescribeCommand::Save { .. })
            | Command::Docker(_) => None,
        }
    }
}
