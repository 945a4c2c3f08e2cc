//! Where the user is: one entry of the navigation stack.

use crate::app::logs::LogSource;
use crate::domain::describe::DescribeTarget;
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};
use crate::input::keymap::KeyContext;

/// A screen the user can be on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Clusters,
    Services {
        cluster: ClusterName,
    },
    Tasks {
        cluster: ClusterName,
        service: Option<ServiceName>,
    },
    Containers {
        cluster: ClusterName,
        task: TaskArn,
    },
    /// One service's deployments, events and stopped tasks.
    ServiceDetail {
        cluster: ClusterName,
        service: ServiceName,
    },
    /// Local Docker containers.
    Docker,
    /// A log tail.
    Logs {
        source: LogSource,
    },
    /// EC2 instances.
    Hosts,
    /// The account's CloudWatch log groups (`:logs` alone).
    LogGroups,
    /// Auto Scaling groups.
    Asgs,
    /// The audit journal.
    Journal,
    /// Docker images.
    Images,
    /// The document of one resource (`y`), as YAML or JSON.
    Describe {
        target: DescribeTarget,
    },
}

/// How a view's data stays current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Fetched again every refresh interval: `● live 5s`, stale after three without an answer.
    Polled,
    /// A log: its rule says LIVE or POLL; the status line shows its newest event's time.
    Stream,
    /// Read once, read again on demand with `ctrl-r`: a describe document, the account's
    /// log groups (every page of them: too many requests to repeat every few seconds).
    Snapshot,
}

impl View {
    /// How the view's data stays current, for the freshness marker.
    pub fn freshness(&self) -> Freshness {
        match self {
            View::Logs { .. } => Freshness::Stream,
            View::Describe { .. } | View::LogGroups => Freshness::Snapshot,
            View::Clusters
            | View::Services { .. }
            | View::Tasks { .. }
            | View::Containers { .. }
            | View::ServiceDetail { .. }
            | View::Docker
            | View::Hosts
            | View::Asgs
            | View::Journal
            | View::Images => Freshness::Polled,
        }
    }

    /// The keymap table that applies on this view.
    pub fn key_context(&self) -> KeyContext {
        self.entry().key_context
    }

    /// The breadcrumb label.
    pub fn crumb(&self) -> String {
        match self {
            View::Clusters => "clusters".to_string(),
            View::Services { cluster } => cluster.to_string(),
            View::Tasks {
                service: Some(s), ..
            } => s.to_string(),
            View::Tasks { service: None, .. } => "tasks".to_string(),
            View::Containers { task, .. } => task.short_id().to_string(),
            View::ServiceDetail { service, .. } => format!("{service} (detail)"),
            View::Docker => "containers".to_string(),
            View::Logs { source } => format!("logs: {}", source.title()),
            View::Hosts => "hosts".to_string(),
            View::LogGroups => "log groups".to_string(),
            View::Asgs => "auto scaling groups".to_string(),
            View::Journal => "journal".to_string(),
            View::Images => "images".to_string(),
            View::Describe { target } => format!("describe {}", target.name()),
        }
    }

    /// The title above the table.
    pub fn title(&self) -> &'static str {
        self.entry().title
    }

    /// The cluster this view is in, if any.
    pub fn cluster(&self) -> Option<&ClusterName> {
        match self {
            View::Services { cluster }
            | View::Tasks { cluster, .. }
            | View::Containers { cluster, .. }
            | View::ServiceDetail { cluster, .. } => Some(cluster),
            View::Clusters
            | View::Docker
            | View::Logs { .. }
            | View::Hosts
            | View::LogGroups
            | View::Asgs
            | View::Journal
            | View::Images
            | View::Describe { .. } => None,
        }
    }
}
