//! Local Docker containers as the containers view shows them: list rows, the detail of one
//! container, and resource samples. Converted from bollard types in `backend::docker_rows`.

use crate::domain::status::{ContainerState, DockerHealth};

/// One container of the local engine.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DockerContainerRow {
    pub id: String,
    pub name: String,
    pub image: String,
    pub state: ContainerState,
    /// The engine's status text (`Up 5 minutes (healthy)`, `Exited (0) 3 minutes ago`).
    pub status: String,
    /// Empty when the container has no health check.
    pub health: DockerHealth,
    /// Docker Compose project (`com.docker.compose.project`), if any.
    pub project: String,
    /// Docker Compose service (`com.docker.compose.service`), if any.
    pub service: String,
    /// Published and exposed ports (`0.0.0.0:8080→80/tcp, 443/tcp`).
    pub ports: String,
    /// Creation time, epoch seconds.
    pub created: i64,
    /// When the container last started, epoch seconds (running containers).
    pub started_at: Option<i64>,
    /// Share of one CPU in percent (200.0 = two full CPUs), once measured.
    pub cpu_percent: Option<f64>,
    /// Memory in use (without the page cache), bytes.
    pub memory_bytes: Option<u64>,
    /// Memory limit, bytes (the host's memory when unlimited).
    pub memory_limit: Option<u64>,
}

impl DockerContainerRow {
    /// Whether the container's processes are running (paused ones are not).
    pub fn is_running(&self) -> bool {
        matches!(
            self.state,
            ContainerState::Running | ContainerState::Restarting
        )
    }

    pub fn is_paused(&self) -> bool {
        self.state == ContainerState::Paused
    }

    /// Whether the engine can remove it without force: not running, not paused.
    pub fn is_stopped(&self) -> bool {
        matches!(
            self.state,
            ContainerState::Exited | ContainerState::Created | ContainerState::Dead
        )
    }

    /// The exit code in the engine's status text (`Exited (137) 2 hours ago` → 137).
    pub fn exit_code(&self) -> Option<i64> {
        let rest = self.status.strip_prefix("Exited (")?;
        let end = rest.find(')')?;
        rest[..end].parse().ok()
    }

    /// The short status column: health for running containers, the exit code for exited ones.
    pub fn short_status(&self) -> String {
        match &self.state {
            ContainerState::Running if !self.health.is_empty() => self.health.to_string(),
            ContainerState::Running => "up".to_string(),
            ContainerState::Exited => match self.exit_code() {
                Some(code) => format!("exit {code}"),
                None => "exited".to_string(),
            },
            other => other.to_string(),
        }
    }
}

/// What the detail pane shows about one container (from an inspect).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DockerContainerDetail {
    pub id: String,
    pub name: String,
    pub image: String,
    /// Entrypoint and command, as one shell-like line.
    pub command: String,
    /// Environment variables with their values masked: `("DB_PASSWORD", "•••")`.
    pub env: Vec<(String, String)>,
    /// `source → destination (rw)` per mount.
    pub mounts: Vec<String>,
    /// `network: ip` per network.
    pub networks: Vec<String>,
    /// Labels, sorted by key.
    pub labels: Vec<(String, String)>,
    /// `no`, `always`, `unless-stopped`, `on-failure:3`.
    pub restart_policy: String,
    pub restart_count: i64,
    /// `running`, `exited`, ... and the exit code / OOM / error when stopped.
    pub state: String,
    /// The state alone, to decide on (`state` is the text shown).
    pub run_state: ContainerState,
    /// Start time, epoch seconds.
    pub started_at: Option<i64>,
    /// Creation time, epoch seconds.
    pub created: Option<i64>,
}

/// What masked environment values look like.
pub const MASK: &str = "•••";

/// `KEY=value` → `(KEY, •••)`; an empty value stays empty so "set but empty" is visible.
pub fn mask_env(entry: &str) -> (String, String) {
    match entry.split_once('=') {
        Some((key, "")) => (key.to_string(), String::new()),
        Some((key, _)) => (key.to_string(), MASK.to_string()),
        None => (entry.to_string(), String::new()),
    }
}

/// One resource sample of a container.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StatsSample {
    /// Share of one CPU in percent, when two readings allowed computing it.
    pub cpu_percent: Option<f64>,
    pub memory_bytes: u64,
    pub memory_limit: u64,
}

/// Raw CPU counters of one stats reading: the container's and the host's total, in ns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuCounters {
    pub container: u64,
    pub system: u64,
    pub online_cpus: u32,
}

/// CPU use between two readings, in percent of one CPU (as `docker stats` shows it).
/// `None` when the readings don't allow it (first reading, counters reset).
pub fn cpu_percent(previous: CpuCounters, current: CpuCounters) -> Option<f64> {
    let container = current.container.checked_sub(previous.container)?;
    let system = current.system.checked_sub(previous.system)?;
    if system == 0 || previous.system == 0 {
        return None;
    }
    let cpus = f64::from(current.online_cpus.max(1));
    Some(container as f64 / system as f64 * cpus * 100.0)
}

/// A compact size: `512B`, `3.4K`, `120M`, `1.5G` (binary units, like `docker stats`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "K", "M", "G", "T"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n}B")
    } else if value < 10.0 {
        format!("{value:.1}{}", UNITS[unit])
    } else {
        format!("{value:.0}{}", UNITS[unit])
    }
}

/// A CPU share for a table cell: `0.3%`, `12%`, `180%`.
pub fn percent(p: f64) -> String {
    if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(state: &str, status: &str, health: &str) -> DockerContainerRow {
        DockerContainerRow {
            state: state.into(),
            status: status.into(),
            health: health.into(),
            ..Default::default()
        }
    }

    #[test]
    fn short_status_says_health_or_exit_code() {
        assert_eq!(
            row("running", "Up 2 minutes (healthy)", "healthy").short_status(),
            "healthy"
        );
        assert_eq!(row("running", "Up 2 minutes", "").short_status(), "up");
        assert_eq!(
            row("exited", "Exited (137) 2 hours ago", "").short_status(),
            "exit 137"
        );
        assert_eq!(row("exited", "weird", "").short_status(), "exited");
        assert_eq!(
            row("paused", "Up 1 hour (Paused)", "").short_status(),
            "paused"
        );
    }

    #[test]
    fn states() {
        assert!(row("running", "", "").is_running());
        assert!(!row("paused", "", "").is_running());
        assert!(row("paused", "", "").is_paused());
        assert!(row("exited", "", "").is_stopped());
        assert!(row("created", "", "").is_stopped());
        assert!(!row("running", "", "").is_stopped());
    }

    #[test]
    fn env_values_are_masked() {
        assert_eq!(
            mask_env("DB_PASSWORD=hunter2"),
            ("DB_PASSWORD".into(), MASK.into())
        );
        assert_eq!(mask_env("EMPTY="), ("EMPTY".into(), String::new()));
        assert_eq!(mask_env("FLAG"), ("FLAG".into(), String::new()));
        assert_eq!(mask_env("A=b=c").1, MASK);
    }

    #[test]
    fn cpu_percent_is_a_share_of_one_cpu() {
        let a = CpuCounters {
            container: 1_000,
            system: 10_000,
            online_cpus: 2,
        };
        let b = CpuCounters {
            container: 2_000,
            system: 20_000,
            online_cpus: 2,
        };
        assert_eq!(cpu_percent(a, b), Some(20.0));
        assert_eq!(cpu_percent(b, a), None);
        assert_eq!(cpu_percent(CpuCounters::default(), b), None);
        assert_eq!(cpu_percent(b, b), None);
    }

    #[test]
    fn sizes_and_percents_are_compact() {
        assert_eq!(bytes(512), "512B");
        assert_eq!(bytes(3_500), "3.4K");
        assert_eq!(bytes(120 * 1024 * 1024), "120M");
        assert_eq!(bytes(1536 * 1024 * 1024), "1.5G");
        assert_eq!(percent(0.26), "0.3%");
        assert_eq!(percent(12.4), "12%");
        assert_eq!(percent(180.0), "180%");
    }
}
