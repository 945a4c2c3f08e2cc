//! The configuration, as a tree of plain structs mirroring `config.example.toml`.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::input::KeyTables;

/// The whole configuration: the built-in defaults merged with the user's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub general: GeneralSettings,
    pub ui: UiSettings,
    pub aws: AwsSettings,
    /// Settings per AWS profile name.
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileSettings>,
    pub logs: LogsSettings,
    pub docker: DockerSettings,
    pub ops: OpsSettings,
    pub ssh: SshSettings,
    /// `[keys.*]`: table name → action name → key names. Validated while loading; turn it
    /// into a [`crate::input::Keymap`] with `Keymap::from_config`.
    #[serde(default)]
    pub keys: KeyTables,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralSettings {
    /// Seconds between refreshes of the visible view.
    pub refresh_interval: u64,
    pub theme: String,
    pub read_only: bool,
    /// `off`, `error`, `warn`, `info`, `debug` or `trace`.
    pub log_level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSettings {
    /// What the copy keys (`c`, `C`) do.
    pub clipboard: Clipboard,
}

/// `[ui] clipboard`: how copied text reaches the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Clipboard {
    /// An OSC 52 escape sequence to the terminal, wrapped for tmux and GNU screen: it reaches
    /// the clipboard of the machine the terminal runs on, also over SSH.
    Osc52,
    /// The copy keys copy nothing and say so.
    Off,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsSettings {
    /// Empty: the default credential chain.
    pub profile: String,
    /// Empty: from the profile or the environment.
    pub region: String,
    /// Empty: the real AWS endpoints.
    pub endpoint_url: String,
    /// Seconds.
    pub connect_timeout: u64,
    /// Seconds.
    pub attempt_timeout: u64,
    pub production_profiles: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSettings {
    /// `Some(false)` allows changes even when `[general] read_only` is set.
    #[serde(default)]
    pub read_only: Option<bool>,
    #[serde(default)]
    pub production: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsSettings {
    pub tail_lines: u32,
    pub buffer_lines: usize,
    /// Seconds.
    pub poll_interval: u64,
    /// Milliseconds: while lines arrive and nothing else changes, the log view is redrawn at
    /// most this often (0: after every batch).
    pub redraw_interval_ms: u64,
    /// Whether log views open with timestamps shown (`t` toggles them for the session).
    pub timestamps: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DockerSettings {
    /// Empty: `DOCKER_HOST`, then the local default socket.
    pub host: String,
    pub show_stopped: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpsSettings {
    pub max_scale_factor: f64,
    pub max_desired: u32,
    pub confirm_by_typing_for_production: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SshSettings {
    pub client: SshClient,
    /// Seconds.
    pub timeout: u64,
    /// Empty: from `~/.ssh/config`, else the image's default user.
    pub user: String,
    /// Login users by rule, before `user`: `"tag:KEY=VALUE USER"` or `"profile:NAME USER"`.
    pub users: Vec<String>,
    pub address: SshAddress,
    /// AWS profiles whose instances are reached by their public address.
    pub public_profiles: Vec<String>,
    /// Name to connect to instead of an address (`{name}.internal`). Empty: the address.
    pub hostname: String,
    /// Empty: no jump host.
    pub bastion: String,
    /// Empty: `~/.ssh/known_hosts`.
    pub known_hosts: String,
    /// Empty: `~/.ssh/config`.
    pub config_file: String,
    /// Empty: `SSH_AUTH_SOCK`.
    pub agent_socket: String,
    /// Commands offered on a host: name → command line.
    #[serde(default)]
    pub commands: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SshClient {
    /// The built-in libssh2 client.
    Ssh2,
    /// The `ssh` program.
    Openssh,
}

/// Which address of an EC2 instance to connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SshAddress {
    Private,
    Public,
}

/// The levels `[general] log_level` accepts.
pub const LOG_LEVELS: &[&str] = &["off", "error", "warn", "info", "debug", "trace"];

impl Config {
    /// Whether `profile` is a production profile: listed in `aws.production_profiles` or
    /// marked `production = true` in `[profiles.NAME]`.
    pub fn is_production(&self, profile: &str) -> bool {
        self.aws.production_profiles.iter().any(|p| p == profile)
            || self.profiles.get(profile).is_some_and(|p| p.production)
    }

    /// Whether mutating operations are refused with `profile`: the `--read-only` flag always
    /// wins, then `[profiles.NAME] read_only`, then `[general] read_only`.
    pub fn is_read_only(&self, profile: &str, cli_flag: bool) -> bool {
        cli_flag
            || self
                .profiles
                .get(profile)
                .and_then(|p| p.read_only)
                .unwrap_or(self.general.read_only)
    }

    pub fn refresh_interval(&self) -> Duration {
        Duration::from_secs(self.general.refresh_interval)
    }
}

impl AwsSettings {
    /// The named profile, `None` for the default credential chain.
    pub fn profile_name(&self) -> Option<&str> {
        non_empty(&self.profile)
    }

    pub fn region_name(&self) -> Option<&str> {
        non_empty(&self.region)
    }

    pub fn endpoint(&self) -> Option<&str> {
        non_empty(&self.endpoint_url)
    }

    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(self.connect_timeout)
    }

    pub fn attempt_timeout(&self) -> Duration {
        Duration::from_secs(self.attempt_timeout)
    }
}

impl LogsSettings {
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs(self.poll_interval)
    }
}

impl DockerSettings {
    /// The configured Docker host, `None` to use `DOCKER_HOST` or the default socket.
    pub fn host(&self) -> Option<&str> {
        non_empty(&self.host)
    }
}

impl SshSettings {
    pub fn user_name(&self) -> Option<&str> {
        non_empty(&self.user)
    }

    pub fn bastion_host(&self) -> Option<&str> {
        non_empty(&self.bastion)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout)
    }
}

fn non_empty(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

impl Default for Config {
    /// The built-in defaults. They mirror `config.example.toml`, which is what loading
    /// actually merges with; a test keeps the two equal.
    fn default() -> Config {
        Config {
            general: GeneralSettings {
                refresh_interval: 5,
                theme: "default".to_string(),
                read_only: false,
                log_level: "info".to_string(),
            },
            ui: UiSettings {
                clipboard: Clipboard::Osc52,
            },
            aws: AwsSettings {
                profile: String::new(),
                region: String::new(),
                endpoint_url: String::new(),
                connect_timeout: 3,
                attempt_timeout: 5,
                production_profiles: Vec::new(),
            },
            profiles: BTreeMap::new(),
            logs: LogsSettings {
                tail_lines: 200,
                buffer_lines: 50_000,
                poll_interval: 2,
                redraw_interval_ms: 250,
                timestamps: false,
            },
            docker: DockerSettings {
                host: String::new(),
                show_stopped: true,
            },
            ops: OpsSettings {
                max_scale_factor: 3.0,
                max_desired: 100,
                confirm_by_typing_for_production: true,
            },
            ssh: SshSettings {
                client: SshClient::Ssh2,
                timeout: 10,
                user: String::new(),
                users: Vec::new(),
                address: SshAddress::Private,
                public_profiles: Vec::new(),
                hostname: String::new(),
                bastion: String::new(),
                known_hosts: String::new(),
                config_file: String::new(),
                agent_socket: String::new(),
                commands: [
                    ("docker-ps", "docker ps"),
                    ("journal", "journalctl -n 200 --no-pager"),
                    ("disk", "df -h"),
                    ("uptime", "uptime"),
                ]
                .into_iter()
                .map(|(name, command)| (name.to_string(), command.to_string()))
                .collect(),
            },
            keys: crate::config::default_key_tables(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_profiles() -> Config {
        let mut config = Config::default();
        config.aws.production_profiles = vec!["prod".into()];
        config.profiles.insert(
            "prod-eu".into(),
            ProfileSettings {
                read_only: Some(true),
                production: true,
            },
        );
        config.profiles.insert(
            "dev".into(),
            ProfileSettings {
                read_only: Some(false),
                production: false,
            },
        );
        config
    }

    #[test]
    fn production_profiles() {
        let config = with_profiles();
        assert!(config.is_production("prod"));
        assert!(config.is_production("prod-eu"));
        assert!(!config.is_production("dev"));
        assert!(!config.is_production("other"));
    }

    #[test]
    fn read_only_precedence() {
        let mut config = with_profiles();
        assert!(!config.is_read_only("other", false));
        assert!(config.is_read_only("other", true));
        assert!(config.is_read_only("prod-eu", false));
        config.general.read_only = true;
        assert!(config.is_read_only("other", false));
        assert!(!config.is_read_only("dev", false));
        assert!(config.is_read_only("dev", true));
    }

    #[test]
    fn empty_strings_mean_unset() {
        let config = Config::default();
        assert_eq!(config.aws.profile_name(), None);
        assert_eq!(config.docker.host(), None);
        assert_eq!(config.ssh.bastion_host(), None);
    }
}
