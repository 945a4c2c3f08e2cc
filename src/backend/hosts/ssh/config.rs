//! Resolving a host through `~/.ssh/config` (with the `ssh2-config` crate): HostName, User,
//! Port, IdentityFile and ProxyJump, for the target and for the bastion.
//!
//! Precedence for the login user: opsdeck's config (a rule or `[ssh] user`), then the ssh
//! config's `User`, then `ec2-user` for a target (the local user for a bastion, as OpenSSH
//! does). The bastion is `[ssh] bastion` when set, else the target's `ProxyJump`.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use ssh2_config::{ParseRule, SshConfig};

use crate::backend::hosts::ssh::error::SshError;
use crate::domain::ssh::{SshClientKind, SshHop, SshPlan, SshRequest};

/// The login user of a target when nothing names one (Amazon Linux's default).
pub const DEFAULT_USER: &str = "ec2-user";
/// The identity files OpenSSH tries when the config names none.
const DEFAULT_IDENTITIES: &[&str] = &["id_ed25519", "id_ecdsa", "id_rsa"];

/// Where the SSH files are and how to connect: opsdeck's `[ssh]` settings plus the
/// environment, read once at start.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SshOptions {
    /// The home directory (`~/.ssh` lives there); from `HOME`.
    pub home: Option<PathBuf>,
    /// `[ssh] config_file`, else `~/.ssh/config`.
    pub ssh_config: Option<PathBuf>,
    /// `[ssh] known_hosts`, else `~/.ssh/known_hosts`.
    pub known_hosts: Option<PathBuf>,
    /// `[ssh] agent_socket`, else `SSH_AUTH_SOCK`.
    pub agent_socket: Option<PathBuf>,
    /// The local user name (`USER`), the default user of a bastion.
    pub local_user: Option<String>,
    pub timeout_secs: u64,
    pub client: SshClientKind,
}

impl SshOptions {
    /// The ssh config file to read.
    pub fn ssh_config_path(&self) -> Option<PathBuf> {
        self.ssh_config
            .clone()
            .or_else(|| self.home.as_ref().map(|h| h.join(".ssh").join("config")))
    }

    /// The known_hosts file to check and write.
    pub fn known_hosts_path(&self) -> PathBuf {
        self.known_hosts
            .clone()
            .unwrap_or_else(|| match &self.home {
                Some(home) => home.join(".ssh").join("known_hosts"),
                None => PathBuf::from(".ssh/known_hosts"),
            })
    }
}

/// Read the ssh config; a missing file is an empty config.
pub fn load(options: &SshOptions) -> Result<SshConfig, SshError> {
    let base = match &options.home {
        Some(home) => SshConfig::default().home_dir(home),
        None => SshConfig::default(),
    };
    let Some(path) = options.ssh_config_path() else {
        return Ok(base);
    };
    let file = match File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(base),
        Err(e) => {
            return Err(SshError::Config {
                path,
                detail: e.to_string(),
            });
        }
    };
    let rules = ParseRule::ALLOW_UNKNOWN_FIELDS | ParseRule::ALLOW_UNSUPPORTED_FIELDS;
    base.parse(&mut BufReader::new(file), rules)
        .map_err(|e| SshError::Config {
            path,
            detail: e.to_string(),
        })
}

/// Resolve a request into a plan: the target and bastion hops as the ssh config describes them.
pub fn resolve(
    request: &SshRequest,
    config: &SshConfig,
    options: &SshOptions,
) -> Result<SshPlan, SshError> {
    let params = config.query(&request.address);
    let target_user = request
        .user
        .clone()
        .or_else(|| params.user.clone())
        .unwrap_or_else(|| DEFAULT_USER.to_string());
    let target = SshHop {
        name: request.address.clone(),
        host: params
            .host_name
            .clone()
            .unwrap_or_else(|| request.address.clone()),
        port: params.port.unwrap_or(22),
        user: target_user,
        identity_files: identities(params.identity_file.as_deref(), options),
    };
    let jump = match &request.bastion {
        Some(spec) => Some(spec.clone()),
        None => proxy_jump(params.proxy_jump.as_deref(), &request.address)?,
    };
    let bastion = match jump {
        Some(spec) => Some(bastion_hop(&spec, config, options)?),
        None => None,
    };
    Ok(SshPlan {
        label: request.label.clone(),
        target,
        bastion,
        known_hosts: options.known_hosts_path(),
        agent_socket: options.agent_socket.clone(),
        timeout_secs: options.timeout_secs.max(1),
        client: options.client,
        ssh_config: options.ssh_config_path().filter(|p| p.exists()),
    })
}

/// The one jump host of a `ProxyJump` list (`none` means none).
fn proxy_jump(jumps: Option<&[String]>, hop: &str) -> Result<Option<String>, SshError> {
    let jumps: Vec<&String> = jumps
        .unwrap_or_default()
        .iter()
        .filter(|j| !j.trim().is_empty())
        .collect();
    match jumps.as_slice() {
        [] => Ok(None),
        [one] if one.eq_ignore_ascii_case("none") => Ok(None),
        [one] => Ok(Some(one.to_string())),
        many => Err(SshError::MultiHop {
            hop: hop.to_string(),
            jumps: many
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(","),
        }),
    }
}

/// A bastion from `[user@]host[:port]` (or `ssh://[user@]host[:port]`), looked up in the
/// ssh config as an alias; the spec's user and port win over the config's.
fn bastion_hop(spec: &str, config: &SshConfig, options: &SshOptions) -> Result<SshHop, SshError> {
    let (user, alias, port) = parse_spec(spec)?;
    let params = config.query(&alias);
    if let Some(jumps) = params.proxy_jump.as_deref()
        && proxy_jump(Some(jumps), &alias)?.is_some()
    {
        return Err(SshError::MultiHop {
            hop: alias,
            jumps: jumps.join(","),
        });
    }
    Ok(SshHop {
        host: params.host_name.clone().unwrap_or_else(|| alias.clone()),
        port: port.or(params.port).unwrap_or(22),
        user: user
            .or_else(|| params.user.clone())
            .or_else(|| options.local_user.clone())
            .unwrap_or_else(|| DEFAULT_USER.to_string()),
        identity_files: identities(params.identity_file.as_deref(), options),
        name: alias,
    })
}

/// `(user, host, port)` of `[ssh://][user@]host[:port]`; IPv6 hosts go in brackets.
pub fn parse_spec(spec: &str) -> Result<(Option<String>, String, Option<u16>), SshError> {
    let bad = || SshError::BadBastion {
        spec: spec.to_string(),
    };
    let rest = spec.trim();
    let rest = rest.strip_prefix("ssh://").unwrap_or(rest);
    let (user, rest) = match rest.rsplit_once('@') {
        Some((user, rest)) if !user.is_empty() => (Some(user.to_string()), rest),
        Some(_) => return Err(bad()),
        None => (None, rest),
    };
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        let (host, after) = inner.split_once(']').ok_or_else(bad)?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse::<u16>().map_err(|_| bad())?),
            None if after.is_empty() => None,
            None => return Err(bad()),
        };
        (host.to_string(), port)
    } else {
        match rest.split_once(':') {
            Some((host, p)) => (host.to_string(), Some(p.parse::<u16>().map_err(|_| bad())?)),
            None => (rest.to_string(), None),
        }
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(bad());
    }
    Ok((user, host, port))
}

/// The identity files to try: the config's, else OpenSSH's defaults that exist.
fn identities(configured: Option<&[PathBuf]>, options: &SshOptions) -> Vec<PathBuf> {
    match configured {
        Some(files) if !files.is_empty() => files.iter().map(|f| expand(f, options)).collect(),
        _ => match &options.home {
            Some(home) => DEFAULT_IDENTITIES
                .iter()
                .map(|name| home.join(".ssh").join(name))
                .filter(|p| p.exists())
                .collect(),
            None => Vec::new(),
        },
    }
}

/// `~/x` against the configured home (ssh2-config expands most, but not every, path).
fn expand(path: &Path, options: &SshOptions) -> PathBuf {
    match (path.strip_prefix("~"), &options.home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, home: &Path) -> SshConfig {
        SshConfig::default()
            .home_dir(home)
            .parse(
                &mut text.as_bytes(),
                ParseRule::ALLOW_UNKNOWN_FIELDS | ParseRule::ALLOW_UNSUPPORTED_FIELDS,
            )
            .unwrap()
    }

    fn options(home: &Path) -> SshOptions {
        SshOptions {
            home: Some(home.to_path_buf()),
            local_user: Some("alice".into()),
            timeout_secs: 10,
            ..SshOptions::default()
        }
    }

    fn request(address: &str) -> SshRequest {
        SshRequest {
            label: "web-1".into(),
            address: address.into(),
            user: None,
            bastion: None,
        }
    }

    const CONFIG: &str = "\
Host *.internal
    User admin
    Port 2200
    IdentityFile ~/.ssh/work_key
    ProxyJump jump

Host jump
    HostName 198.51.100.7
    User hopper
    Port 2022

Host 10.0.*
    User ubuntu

Host *
    ServerAliveInterval 30
    UserKnownHostsFile ~/.ssh/other
";

    #[test]
    fn the_ssh_config_supplies_user_port_keys_and_the_bastion() {
        let home = tempfile::tempdir().unwrap();
        let config = parse(CONFIG, home.path());
        let plan = resolve(&request("web-1.internal"), &config, &options(home.path())).unwrap();
        assert_eq!(plan.target.host, "web-1.internal");
        assert_eq!(plan.target.port, 2200);
        assert_eq!(plan.target.user, "admin");
        assert_eq!(
            plan.target.identity_files,
            vec![home.path().join(".ssh/work_key")]
        );
        let bastion = plan.bastion.unwrap();
        assert_eq!(bastion.name, "jump");
        assert_eq!(bastion.host, "198.51.100.7");
        assert_eq!(bastion.port, 2022);
        assert_eq!(bastion.user, "hopper");
        assert_eq!(plan.known_hosts, home.path().join(".ssh/known_hosts"));
    }

    #[test]
    fn opsdeck_settings_win_over_the_ssh_config() {
        let home = tempfile::tempdir().unwrap();
        let config = parse(CONFIG, home.path());
        let mut req = request("web-1.internal");
        req.user = Some("deploy".into());
        req.bastion = Some("ops@bastion.example.com:2222".into());
        let plan = resolve(&req, &config, &options(home.path())).unwrap();
        assert_eq!(plan.target.user, "deploy");
        let bastion = plan.bastion.unwrap();
        assert_eq!(bastion.host, "bastion.example.com");
        assert_eq!(bastion.port, 2222);
        assert_eq!(bastion.user, "ops");
    }

    #[test]
    fn defaults_without_a_matching_host_block() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        std::fs::write(home.path().join(".ssh/id_rsa"), "x").unwrap();
        let config = parse(CONFIG, home.path());
        let plan = resolve(&request("172.31.5.6"), &config, &options(home.path())).unwrap();
        assert_eq!(plan.target.host, "172.31.5.6");
        assert_eq!(plan.target.port, 22);
        assert_eq!(plan.target.user, DEFAULT_USER);
        assert_eq!(plan.bastion, None);
        // Only the default identities that exist.
        assert_eq!(
            plan.target.identity_files,
            vec![home.path().join(".ssh/id_rsa")]
        );
        let plan = resolve(&request("10.0.3.4"), &config, &options(home.path())).unwrap();
        assert_eq!(plan.target.user, "ubuntu");
        // A bastion with no user anywhere is reached as the local user, like OpenSSH.
        let mut req = request("10.0.3.4");
        req.bastion = Some("203.0.113.9".into());
        let plan = resolve(&req, &config, &options(home.path())).unwrap();
        assert_eq!(plan.bastion.unwrap().user, "alice");
    }

    #[test]
    fn multi_hop_proxy_jumps_are_refused_with_a_way_out() {
        let home = tempfile::tempdir().unwrap();
        let config = parse("Host far\n    ProxyJump a,b\n", home.path());
        let err = resolve(&request("far"), &config, &options(home.path())).unwrap_err();
        assert!(matches!(err, SshError::MultiHop { .. }));
        assert!(err.user_message().contains("client = \"openssh\""));
        let config = parse("Host near\n    ProxyJump none\n", home.path());
        let plan = resolve(&request("near"), &config, &options(home.path())).unwrap();
        assert_eq!(plan.bastion, None);
    }

    #[test]
    fn bastion_specs() {
        assert_eq!(
            parse_spec("ec2-user@10.0.0.1:2200").unwrap(),
            (Some("ec2-user".into()), "10.0.0.1".into(), Some(2200))
        );
        assert_eq!(
            parse_spec("ssh://jump").unwrap(),
            (None, "jump".into(), None)
        );
        assert_eq!(
            parse_spec("u@[2001:db8::1]:22").unwrap(),
            (Some("u".into()), "2001:db8::1".into(), Some(22))
        );
        assert!(parse_spec("host:notaport").is_err());
        assert!(parse_spec("@host").is_err());
        assert!(parse_spec("").is_err());
    }

    #[test]
    fn a_missing_config_file_is_empty_and_a_broken_one_is_an_error() {
        let home = tempfile::tempdir().unwrap();
        let opts = options(home.path());
        let config = load(&opts).unwrap();
        assert_eq!(config.query("x").user, None);
        std::fs::create_dir_all(home.path().join(".ssh")).unwrap();
        std::fs::write(
            home.path().join(".ssh/config"),
            "Host x\n    Port notaport\n",
        )
        .unwrap();
        let err = load(&opts).unwrap_err();
        assert!(matches!(err, SshError::Config { .. }), "{err:?}");
    }
}
