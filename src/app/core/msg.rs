//! What happened: keys already mapped to actions, timer ticks and backend results.

use crate::app::Action;
use crate::app::asg::AsgMsg;
use crate::app::describe::DescribeMsg;
use crate::app::docker::DockerMsg;
use crate::app::guard::op::Op;
use crate::app::hosts::HostsMsg;
use crate::app::images::ImagesMsg;
use crate::app::journal::JournalMsg;
use crate::app::loggroups::LogGroupsMsg;
use crate::app::logs::LogMsg;
use crate::app::service::ServiceMsg;
use crate::domain::ecs::{ClusterRow, ServiceRow, TaskRow};

/// A key typed while a text prompt (filter, command line) is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    Char(char),
    Backspace,
    /// Clear the whole line (ctrl-u).
    Clear,
    Submit,
    Cancel,
    /// An arrow key: moves in a menu; a text prompt ignores it.
    Up,
    Down,
    /// Tab: completes a `:` command name; other prompts ignore it.
    Complete,
}

/// The result of a fetch: rows, or a one-line message for the user.
pub type Fetched<T> = Result<T, String>;

/// Something that happened. `update` turns these into state changes and commands.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key mapped through the keymap.
    Action(Action),
    /// A key typed into the open prompt.
    Input(InputKey),
    /// Text pasted (bracketed paste): goes into the open text prompt, if any.
    Paste(String),
    /// The refresh timer fired; `now` is epoch seconds.
    Tick {
        now: i64,
    },
    /// The console started (after the first `Resized`) at `now` (epoch seconds): fetch the
    /// first view, keeping any start-up problem on the status line.
    Started {
        now: i64,
    },
    /// The screen now shows the state: nothing is waiting to be drawn.
    Drawn,
    /// The terminal was entered again (after `fg`): everything must be drawn anew.
    Reentered,
    /// Writing a copy (OSC 52) to the terminal failed: the status line said "copied" too soon.
    CopyFailed(String),
    /// The terminal's size, at start and on every resize: the model lays out from it.
    Resized {
        width: u16,
        height: u16,
    },
    /// The AWS clients were built: the resolved profile, region and endpoint override.
    Connected {
        profile: String,
        region: String,
        endpoint: Option<String>,
    },
    /// The caller's account id became known.
    AccountResolved(String),
    ClustersLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<ClusterRow>>,
    },
    ServicesLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<ServiceRow>>,
    },
    TasksLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<TaskRow>>,
    },
    TaskLoaded {
        generation: u64,
        now: i64,
        result: Fetched<Box<TaskRow>>,
    },
    /// A mutating operation finished: a summary, or the error.
    OpFinished {
        op: Box<Op>,
        result: Result<String, String>,
    },
    /// The caller identity ARN (STS), or why it is unknown.
    IdentityResolved(Result<String, String>),
    /// An interactive session (shell, exec) ended; the screen must be redrawn.
    SessionEnded {
        result: Result<(), String>,
    },
    Docker(DockerMsg),
    Log(LogMsg),
    Service(ServiceMsg),
    Asg(AsgMsg),
    Journal(JournalMsg),
    Hosts(HostsMsg),
    Images(ImagesMsg),
    LogGroups(LogGroupsMsg),
    Describe(DescribeMsg),
}

impl Msg {
    /// The time this message carries (epoch seconds), if any: the console's clock.
    pub fn now(&self) -> Option<i64> {
        match self {
            Msg::Started { now }
            | Msg::Tick { now }
            | Msg::ClustersLoaded { now, .. }
            | Msg::ServicesLoaded { now, .. }
            | Msg::TasksLoaded { now, .. }
            | Msg::TaskLoaded { now, .. } => Some(*now),
            _ => None,
        }
    }
}
