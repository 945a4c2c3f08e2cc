//! Which address and user an SSH session to an EC2 instance uses, from opsdeck's `[ssh]`
//! settings. Pure: `~/.ssh/config` is applied later, by the runtime.
//!
//! Address: the `hostname` template when set, else the public address for the profiles in
//! `public_profiles` or with `address = "public"`, else the private address.
//! User: the first matching `users` rule, else `user`, else left to `~/.ssh/config`.

use crate::config::{SshAddress, SshSettings};
use crate::domain::hosts::HostRow;
use crate::domain::ssh::SshRequest;
use crate::domain::status::InstanceState;

/// The `[ssh]` settings the model needs, taken from the config at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostsSettings {
    pub address: SshAddress,
    pub public_profiles: Vec<String>,
    /// The `hostname` template; empty: use an address.
    pub hostname: String,
    pub user: String,
    /// `users` rules, as written.
    pub users: Vec<String>,
    pub bastion: String,
    /// `[ssh.commands]`: name → command line, in name order.
    pub commands: Vec<(String, String)>,
}

impl Default for HostsSettings {
    fn default() -> Self {
        Self {
            address: SshAddress::Private,
            public_profiles: Vec::new(),
            hostname: String::new(),
            user: String::new(),
            users: Vec::new(),
            bastion: String::new(),
            commands: Vec::new(),
        }
    }
}

impl HostsSettings {
    /// From the loaded config.
    pub fn from_config(ssh: &SshSettings) -> Self {
        Self {
            address: ssh.address,
            public_profiles: ssh.public_profiles.clone(),
            hostname: ssh.hostname.trim().to_string(),
            user: ssh.user.trim().to_string(),
            users: ssh.users.clone(),
            bastion: ssh.bastion.trim().to_string(),
            commands: ssh
                .commands
                .iter()
                .map(|(name, command)| (name.clone(), command.clone()))
                .collect(),
        }
    }
}

/// What to ask the SSH side for to reach `host` with the AWS `profile` in use, or a one-line
/// reason it cannot be reached.
pub fn request_for(
    host: &HostRow,
    settings: &HostsSettings,
    profile: &str,
) -> Result<SshRequest, String> {
    if host.state != InstanceState::Running {
        let state = if host.state.is_empty() {
            "not running"
        } else {
            host.state.as_str()
        };
        return Err(format!(
            "{} is {state}: only running instances can be reached",
            host.label()
        ));
    }
    let address = if !settings.hostname.is_empty() {
        render_template(&settings.hostname, host)?
    } else if settings.address == SshAddress::Public
        || settings.public_profiles.iter().any(|p| p == profile)
    {
        if host.public_ip.is_empty() {
            return Err(format!(
                "{} has no public address — use address = \"private\" (through a bastion) or a hostname template in [ssh]",
                host.label()
            ));
        }
        host.public_ip.clone()
    } else {
        if host.private_ip.is_empty() {
            return Err(format!(
                "{} has no private address — set a hostname template in [ssh]",
                host.label()
            ));
        }
        host.private_ip.clone()
    };
    Ok(SshRequest {
        label: host.label().to_string(),
        address,
        user: user_for(host, settings, profile)?,
        bastion: (!settings.bastion.is_empty()).then(|| settings.bastion.clone()),
    })
}

/// The user from the first matching rule, else `[ssh] user`; `None` defers to `~/.ssh/config`.
pub fn user_for(
    host: &HostRow,
    settings: &HostsSettings,
    profile: &str,
) -> Result<Option<String>, String> {
    for rule in &settings.users {
        let bad = || {
            format!(
                "[ssh] users: `{rule}` is not \"tag:KEY=VALUE USER\" or \"profile:NAME USER\" — fix the config"
            )
        };
        let mut words = rule.split_whitespace();
        let (Some(condition), Some(user), None) = (words.next(), words.next(), words.next()) else {
            return Err(bad());
        };
        let matched = if let Some(tag) = condition.strip_prefix("tag:") {
            let (key, value) = tag.split_once('=').ok_or_else(bad)?;
            host.tag(key).is_some_and(|v| v == value)
        } else if let Some(name) = condition.strip_prefix("profile:") {
            name == profile
        } else {
            return Err(bad());
        };
        if matched {
            return Ok(Some(user.to_string()));
        }
    }
    Ok((!settings.user.is_empty()).then(|| settings.user.clone()))
}

/// Fill `{id}`, `{name}`, `{private_ip}`, `{public_ip}`, `{private_dns}`, `{az}` and
/// `{tag:KEY}` from the instance. An empty or unknown placeholder is an error.
pub fn render_template(template: &str, host: &HostRow) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("[ssh] hostname `{template}` has an unclosed {{"))?;
        let name = &after[..end];
        let value = match name {
            "id" => host.id.as_str(),
            "name" => host.name.as_str(),
            "private_ip" => host.private_ip.as_str(),
            "public_ip" => host.public_ip.as_str(),
            "private_dns" => host.private_dns.as_str(),
            "az" => host.availability_zone.as_str(),
            other => match other.strip_prefix("tag:") {
                Some(key) => host.tag(key).unwrap_or_default(),
                None => {
                    return Err(format!(
                        "[ssh] hostname: unknown placeholder {{{other}}} — use {{id}}, {{name}}, {{private_ip}}, {{public_ip}}, {{private_dns}}, {{az}} or {{tag:KEY}}"
                    ));
                }
            },
        };
        if value.is_empty() {
            return Err(format!(
                "{} has no {{{name}}} for the [ssh] hostname template `{template}`",
                host.label()
            ));
        }
        out.push_str(value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host() -> HostRow {
        HostRow {
            id: "i-0abc".into(),
            name: "web-1".into(),
            state: "running".into(),
            private_ip: "10.0.1.5".into(),
            public_ip: "203.0.113.5".into(),
            availability_zone: "eu-west-1a".into(),
            tags: vec![
                ("Name".into(), "web-1".into()),
                ("os".into(), "ubuntu".into()),
            ],
            ..HostRow::default()
        }
    }

    #[test]
    fn private_by_default_public_when_configured() {
        let mut settings = HostsSettings::default();
        let req = request_for(&host(), &settings, "dev").unwrap();
        assert_eq!(req.address, "10.0.1.5");
        assert_eq!(req.label, "web-1");
        assert_eq!(req.user, None);
        assert_eq!(req.bastion, None);
        settings.public_profiles = vec!["dev".into()];
        assert_eq!(
            request_for(&host(), &settings, "dev").unwrap().address,
            "203.0.113.5"
        );
        assert_eq!(
            request_for(&host(), &settings, "prod").unwrap().address,
            "10.0.1.5"
        );
        settings.public_profiles.clear();
        settings.address = SshAddress::Public;
        settings.bastion = "jump".into();
        let req = request_for(&host(), &settings, "prod").unwrap();
        assert_eq!(req.address, "203.0.113.5");
        assert_eq!(req.bastion.as_deref(), Some("jump"));
    }

    #[test]
    fn unreachable_hosts_say_why() {
        let settings = HostsSettings::default();
        let mut h = host();
        h.private_ip.clear();
        let err = request_for(&h, &settings, "p").unwrap_err();
        assert!(err.contains("web-1 has no private address"), "{err}");
        h.state = "stopped".into();
        let err = request_for(&h, &settings, "p").unwrap_err();
        assert!(err.contains("web-1 is stopped"), "{err}");
        let public = HostsSettings {
            address: SshAddress::Public,
            ..HostsSettings::default()
        };
        let mut h = host();
        h.public_ip.clear();
        assert!(
            request_for(&h, &public, "p")
                .unwrap_err()
                .contains("no public address")
        );
    }

    #[test]
    fn hostname_templates() {
        let h = host();
        assert_eq!(
            render_template("{name}.internal", &h).unwrap(),
            "web-1.internal"
        );
        assert_eq!(
            render_template("{id}-{tag:os}.{az}", &h).unwrap(),
            "i-0abc-ubuntu.eu-west-1a"
        );
        assert!(
            render_template("{tag:team}.x", &h)
                .unwrap_err()
                .contains("no {tag:team}")
        );
        assert!(
            render_template("{nope}", &h)
                .unwrap_err()
                .contains("unknown placeholder")
        );
        assert!(render_template("{name", &h).is_err());
        let settings = HostsSettings {
            hostname: "{name}.e2e".into(),
            ..HostsSettings::default()
        };
        assert_eq!(
            request_for(&h, &settings, "p").unwrap().address,
            "web-1.e2e"
        );
    }

    #[test]
    fn user_rules_then_user_then_ssh_config() {
        let mut settings = HostsSettings {
            users: vec!["tag:os=ubuntu ubuntu".into(), "profile:legacy admin".into()],
            user: "ops".into(),
            ..HostsSettings::default()
        };
        let mut h = host();
        assert_eq!(
            user_for(&h, &settings, "x").unwrap().as_deref(),
            Some("ubuntu")
        );
        h.tags.clear();
        assert_eq!(
            user_for(&h, &settings, "legacy").unwrap().as_deref(),
            Some("admin")
        );
        assert_eq!(
            user_for(&h, &settings, "x").unwrap().as_deref(),
            Some("ops")
        );
        settings.user.clear();
        assert_eq!(user_for(&h, &settings, "x").unwrap(), None);
        settings.users = vec!["os=ubuntu ubuntu".into()];
        assert!(
            user_for(&h, &settings, "x")
                .unwrap_err()
                .contains("[ssh] users")
        );
    }
}
