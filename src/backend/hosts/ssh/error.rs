//! What can go wrong with an SSH session, as one line that names the cause, the hop and what
//! to do. Details go to the log, never key material.

use std::path::PathBuf;

use crate::domain::ssh::LockedKey;

/// An SSH failure. [`Display`](std::fmt::Display) is the one-line message for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshError {
    #[error("cannot read the ssh config {path}: {detail} — fix or move the file")]
    Config { path: PathBuf, detail: String },
    #[error(
        "{hop} has a multi-hop ProxyJump ({jumps}): the built-in client takes one bastion — set [ssh] client = \"openssh\""
    )]
    MultiHop { hop: String, jumps: String },
    #[error(
        "bad bastion `{spec}`: write it as [user@]host[:port] or a Host alias of ~/.ssh/config"
    )]
    BadBastion { spec: String },
    #[error(
        "cannot resolve {hop} ({host}): {detail} — check the name or HostName in ~/.ssh/config"
    )]
    Resolve {
        hop: String,
        host: String,
        detail: String,
    },
    #[error(
        "{hop} refused the connection on {addr} — is sshd running there, and is the port open?"
    )]
    Refused { hop: String, addr: String },
    #[error(
        "no answer from {hop} ({addr}) within {secs} s — check the network, VPN or security group"
    )]
    Timeout {
        hop: String,
        addr: String,
        secs: u64,
    },
    #[error("cannot connect to {hop} ({addr}): {detail}")]
    Connect {
        hop: String,
        addr: String,
        detail: String,
    },
    #[error("SSH handshake with {hop} ({addr}) failed: {detail}")]
    Handshake {
        hop: String,
        addr: String,
        detail: String,
    },
    #[error(
        "HOST KEY CHANGED for {} {}: it now presents {}, known_hosts has {} — if this is expected, remove line {} of {} (ssh-keygen -R '{}'); refused",
        .0.hop, .0.host, .0.fingerprint, .0.known, .0.line, .0.path.display(), .0.host
    )]
    HostKeyChanged(Box<ChangedKey>),
    #[error(
        "HOST KEY REVOKED: {hop} presents {fingerprint}, which {}:{line} marks @revoked; refused",
        .path.display()
    )]
    HostKeyRevoked {
        hop: String,
        fingerprint: String,
        path: PathBuf,
        line: usize,
    },
    #[error(
        "{}:{line} names a certificate authority for {hop}, but the built-in SSH client cannot check host certificates (@cert-authority lines are not supported); refused — set [ssh] client = \"openssh\"",
        .path.display()
    )]
    CertAuthority {
        hop: String,
        path: PathBuf,
        line: usize,
    },
    #[error("{hop} presented a host key of an unsupported type — use [ssh] client = \"openssh\"")]
    NoHostKey { hop: String },
    #[error("host key of {hop} {host} is not trusted yet")]
    HostKeyUnknown { hop: String, host: String },
    #[error("cannot read {path}: {detail} — check the file's permissions")]
    KnownHostsRead { path: PathBuf, detail: String },
    #[error("cannot save the host key to {path}: {detail}")]
    KnownHostsWrite { path: PathBuf, detail: String },
    #[error("authentication as {user} on {hop} failed; tried: {tried} — {hint}")]
    Auth {
        hop: String,
        user: String,
        tried: String,
        hint: String,
    },
    #[error(
        "{} is passphrase-protected ({}) — enter its passphrase, or add it to ssh-agent (ssh-add)",
        .0.shown, .0.hop
    )]
    NeedsPassphrase(LockedKey),
    #[error("wrong passphrase for {} ({}) — try again", .0.shown, .0.hop)]
    BadPassphrase(LockedKey),
    #[error(
        "bastion {bastion} could not open a tunnel to {target}: {detail} — check that the bastion reaches it"
    )]
    Tunnel {
        bastion: String,
        target: String,
        detail: String,
    },
    #[error("{hop}: {action} failed: {detail}")]
    Channel {
        hop: String,
        action: &'static str,
        detail: String,
    },
    #[error("the connection to {hop} dropped: {detail}")]
    Disconnected { hop: String, detail: String },
    #[error("the terminal could not be set up: {detail}")]
    Terminal { detail: String },
    #[error("cannot run ssh: {detail} — is OpenSSH installed? (or set [ssh] client = \"ssh2\")")]
    OpenSsh { detail: String },
}

/// A host key that differs from the one `known_hosts` has for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedKey {
    /// How messages name the hop (`host web-1`, `bastion jump`).
    pub hop: String,
    /// The host as `known_hosts` names it.
    pub host: String,
    /// What the host presents now.
    pub fingerprint: String,
    /// What `known_hosts` has.
    pub known: String,
    pub path: PathBuf,
    /// The line of `path` with the known key (1-based).
    pub line: usize,
}

impl SshError {
    /// One short line for the status bar.
    pub fn user_message(&self) -> String {
        self.to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Turn an ssh2 error into a one-line detail (libssh2's message, without its code).
pub fn detail(err: &ssh2::Error) -> String {
    let message = err.message().trim();
    if message.is_empty() {
        format!("libssh2 error {}", err.code())
    } else {
        message.to_string()
    }
}

/// Turn an ssh2 error of `action` on a channel to `hop` into [`SshError::Channel`].
pub fn channel_failed(
    hop: &str,
    action: &'static str,
) -> impl FnOnce(ssh2::Error) -> SshError + use<> {
    let hop = hop.to_string();
    move |e| SshError::Channel {
        hop,
        action,
        detail: detail(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_name_the_fix() {
        let err = SshError::HostKeyChanged(Box::new(ChangedKey {
            hop: "host".into(),
            host: "[127.0.0.1]:2222".into(),
            fingerprint: "SHA256:new".into(),
            known: "SHA256:old".into(),
            path: PathBuf::from("/tmp/kh"),
            line: 3,
        }));
        let text = err.user_message();
        assert!(!text.contains('\n'));
        assert!(text.contains("SHA256:new"));
        assert!(text.contains("SHA256:old"));
        assert!(text.contains("remove line 3 of /tmp/kh"));
        let err = SshError::Auth {
            hop: "host web".into(),
            user: "ec2-user".into(),
            tried: "agent (no keys), ~/.ssh/id_ed25519".into(),
            hint: "add the key to ssh-agent".into(),
        };
        assert!(err.user_message().contains("tried: agent (no keys)"));
    }
}
