//! EC2 rows: what the hosts view shows about an instance.

use crate::domain::status::InstanceState;

/// One EC2 instance, with the ECS cluster it is registered to when it is a container instance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HostRow {
    /// `i-0123456789abcdef0`.
    pub id: String,
    /// The `Name` tag, or empty.
    pub name: String,
    pub state: InstanceState,
    pub instance_type: String,
    pub availability_zone: String,
    /// Empty when the instance has none (terminated).
    pub private_ip: String,
    /// Empty when the instance has none.
    pub public_ip: String,
    /// The private DNS name AWS gave the instance, or empty.
    pub private_dns: String,
    /// Launch time, seconds since the Unix epoch.
    pub launched_at: Option<i64>,
    /// Every tag, sorted by key.
    pub tags: Vec<(String, String)>,
    /// The ECS cluster the instance is registered to, if it is a container instance.
    pub cluster: Option<String>,
    /// Tasks running on it, as ECS counts them (container instances only).
    pub running_tasks: Option<i32>,
    /// The container instance ARN (container instances only).
    pub container_instance_arn: Option<String>,
}

impl HostRow {
    /// The value of tag `key` (exact key, as AWS stores it).
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The name to show: the `Name` tag, else the instance id.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }

    /// `cluster (N)` for a container instance, else empty.
    pub fn cluster_cell(&self) -> String {
        match (&self.cluster, self.running_tasks) {
            (Some(cluster), Some(n)) => format!("{cluster} ({n})"),
            (Some(cluster), None) => cluster.clone(),
            _ => String::new(),
        }
    }

    /// Whether the instance is gone or going (`shutting-down`, `terminated`).
    pub fn is_gone(&self) -> bool {
        self.state.is_gone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_cluster_cells() {
        let mut row = HostRow {
            id: "i-1".into(),
            ..HostRow::default()
        };
        assert_eq!(row.label(), "i-1");
        assert_eq!(row.cluster_cell(), "");
        row.name = "web-1".into();
        row.cluster = Some("prod".into());
        row.running_tasks = Some(3);
        row.tags = vec![("env".into(), "prod".into())];
        assert_eq!(row.label(), "web-1");
        assert_eq!(row.cluster_cell(), "prod (3)");
        assert_eq!(row.tag("env"), Some("prod"));
        assert_eq!(row.tag("Env"), None);
    }
}
