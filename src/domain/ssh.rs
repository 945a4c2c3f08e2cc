//! SSH plans: where a session goes, through which bastion, as whom, with which keys.
//!
//! The model asks for a host ([`SshRequest`]); the runtime resolves it through `~/.ssh/config`
//! into an [`SshPlan`] that the SSH backend (or the system `ssh`) carries out.

use std::path::PathBuf;

/// Which SSH implementation runs a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SshClientKind {
    /// The built-in libssh2 client.
    #[default]
    Ssh2,
    /// The system `ssh` program.
    OpenSsh,
}

/// What the model asks for: a host as opsdeck's config names it, before `~/.ssh/config`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SshRequest {
    /// For messages: the instance name or id.
    pub label: String,
    /// The address or alias to look up in `~/.ssh/config` (IP, DNS name, template result).
    pub address: String,
    /// The login user from opsdeck's config (rule or `[ssh] user`); `None` defers to
    /// `~/.ssh/config`, then `ec2-user`.
    pub user: Option<String>,
    /// `[ssh] bastion` (`[user@]host[:port]` or an alias); `None` defers to `ProxyJump`.
    pub bastion: Option<String>,
}

/// One machine on the way: the bastion or the target, as `~/.ssh/config` resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SshHop {
    /// What the user called it (the alias looked up), for messages.
    pub name: String,
    /// The host name or address to connect to (`HostName`, else the name).
    pub host: String,
    pub port: u16,
    pub user: String,
    /// Identity files to try after the agent, in order (only those that exist).
    pub identity_files: Vec<PathBuf>,
}

impl SshHop {
    /// `user@host:port`, for messages.
    pub fn describe(&self) -> String {
        if self.port == 22 {
            format!("{}@{}", self.user, self.host)
        } else {
            format!("{}@{}:{}", self.user, self.host, self.port)
        }
    }

    /// How `known_hosts` names this host: `host`, or `[host]:port` off port 22.
    pub fn known_hosts_name(&self) -> String {
        if self.port == 22 {
            self.host.clone()
        } else {
            format!("[{}]:{}", self.host, self.port)
        }
    }
}

/// A resolved session: everything a client needs to connect.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SshPlan {
    /// For messages: the instance name or id.
    pub label: String,
    pub target: SshHop,
    /// The jump host, if any: the target is reached through a tunnel from it.
    pub bastion: Option<SshHop>,
    /// The `known_hosts` file host keys are checked against and saved to.
    pub known_hosts: PathBuf,
    /// The ssh-agent socket; `None` skips the agent.
    pub agent_socket: Option<PathBuf>,
    /// Seconds allowed to connect (per hop) and to authenticate.
    pub timeout_secs: u64,
    pub client: SshClientKind,
    /// The ssh config file the plan was resolved with (given to `ssh -F` for OpenSSH).
    pub ssh_config: Option<PathBuf>,
}

/// Which machine of a plan a host key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HopRole {
    Bastion,
    Target,
}

impl HopRole {
    pub fn name(self) -> &'static str {
        match self {
            HopRole::Bastion => "bastion",
            HopRole::Target => "host",
        }
    }
}

/// A host key a server presented that is not in `known_hosts` yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    pub role: HopRole,
    /// The host as `known_hosts` names it (`host` or `[host]:port`).
    pub host: String,
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ...
    pub key_type: String,
    /// `SHA256:...`, as OpenSSH prints it.
    pub fingerprint: String,
    /// The key blob, base64 (as in a `known_hosts` line).
    pub key_base64: String,
    /// Other key types already known for this host, if any.
    pub other_types_known: Vec<String>,
}

/// A passphrase the user typed for an identity file. It is never printed (`Debug` shows
/// `***`), never saved, and wiped when dropped: it lives for one connection attempt.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Passphrase(String);

impl Passphrase {
    pub fn new(text: String) -> Self {
        Self(text)
    }

    /// The passphrase itself, only for handing to libssh2.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many characters were typed (for the masked field).
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    pub fn push(&mut self, c: char) {
        self.0.push(c);
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }

    /// Empty it, wiping what was typed.
    pub fn clear(&mut self) {
        wipe(std::mem::take(&mut self.0));
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl Drop for Passphrase {
    fn drop(&mut self) {
        self.clear();
    }
}

/// Overwrite the bytes of `text` before freeing them (best effort).
fn wipe(text: String) {
    let mut bytes = text.into_bytes();
    bytes.iter_mut().for_each(|b| *b = 0);
    std::hint::black_box(&bytes);
}

/// An identity file that needs its passphrase before it can be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedKey {
    /// Which hop of the plan it is for.
    pub role: HopRole,
    /// How messages name the hop (`host web-1`, `bastion jump`).
    pub hop: String,
    pub file: PathBuf,
    /// The file as messages show it (`~/.ssh/id_ed25519`).
    pub shown: String,
}

/// A passphrase for one identity file of one hop, for one connection attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUnlock {
    pub role: HopRole,
    pub file: PathBuf,
    pub passphrase: Passphrase,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_name_ports_like_openssh() {
        let mut hop = SshHop {
            name: "web".into(),
            host: "10.0.0.5".into(),
            port: 22,
            user: "ec2-user".into(),
            identity_files: Vec::new(),
        };
        assert_eq!(hop.describe(), "ec2-user@10.0.0.5");
        assert_eq!(hop.known_hosts_name(), "10.0.0.5");
        hop.port = 2222;
        assert_eq!(hop.describe(), "ec2-user@10.0.0.5:2222");
        assert_eq!(hop.known_hosts_name(), "[10.0.0.5]:2222");
    }

    #[test]
    fn passphrases_never_print() {
        let mut p = Passphrase::new("hunter2".into());
        p.push('!');
        assert_eq!(format!("{p:?}"), "***");
        assert_eq!(p.len(), 8);
        p.clear();
        assert!(p.is_empty());
    }
}
