//! The SSH backend against real OpenSSH sshd instances on loopback (and in a network
//! namespace for the bastion path). Each test starts its own sshd with generated keys on a
//! free port; they are killed by pid when the test ends.
//! - `keys`: key and agent authentication, known_hosts acceptance, changed, hashed and
//!   revoked keys, `@cert-authority` lines;
//! - `bastion`: ProxyJump through a bastion, failures naming the hop;
//! - `shell`: the interactive PTY loop, window resizes, one-off commands;
//! - `failures`: refused, silent and unreachable hosts;
//! - `runtime`: the runtime's SSH handle, `~/.ssh/config` aliases, both clients.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/sshd.rs"]
mod sshd;

mod bastion;
mod failures;
mod keys;
mod runtime;
mod shell;

use std::path::PathBuf;

use opsdeck::backend::hosts::ssh::{Connection, Outcome, SshError, connect, trust};
use opsdeck::domain::ssh::{SshClientKind, SshHop, SshPlan};
use sshd::Sshd;

/// One sshd, a user key it accepts, and an empty known_hosts file.
pub struct Fixture {
    pub sshd: Sshd,
    pub user_key: PathBuf,
    pub user_pub: String,
    pub known_hosts: PathBuf,
    pub dir: tempfile::TempDir,
}

/// `None` (test skipped) when sshd is not installed and servers are not required.
pub fn fixture() -> Option<Fixture> {
    if !sshd::sshd_available(common::servers_required()) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let user_key = dir.path().join("user_ed25519");
    let user_pub = sshd::keygen(&user_key, "");
    let server_dir = dir.path().join("sshd");
    std::fs::create_dir_all(&server_dir).unwrap();
    let sshd = Sshd::start(
        &server_dir,
        "127.0.0.1",
        sshd::free_port(),
        std::slice::from_ref(&user_pub),
        None,
        "",
    );
    Some(Fixture {
        sshd,
        user_key,
        user_pub,
        known_hosts: dir.path().join("known_hosts"),
        dir,
    })
}

impl Fixture {
    /// A plan for this sshd, logging in with the user key.
    pub fn plan(&self) -> SshPlan {
        SshPlan {
            label: "test-host".into(),
            target: hop(&self.sshd, vec![self.user_key.clone()]),
            bastion: None,
            known_hosts: self.known_hosts.clone(),
            agent_socket: None,
            timeout_secs: 5,
            client: SshClientKind::Ssh2,
            ssh_config: None,
        }
    }
}

/// The hop of `sshd`, as ourselves.
pub fn hop(sshd: &Sshd, identity_files: Vec<PathBuf>) -> SshHop {
    SshHop {
        name: sshd.addr.clone(),
        host: sshd.addr.clone(),
        port: sshd.port,
        user: sshd::whoami(),
        identity_files,
    }
}

/// `SHA256:...` of a public key line, as ssh-keygen prints it.
pub fn openssh_fingerprint(public_key: &str, dir: &std::path::Path) -> String {
    let path = dir.join("fp.pub");
    std::fs::write(&path, format!("{public_key}\n")).unwrap();
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(&path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string()
}

/// Connect, trusting every new host key (asserting it is the expected kind of event).
pub fn connect_trusting(plan: &SshPlan) -> Result<Connection, SshError> {
    for _ in 0..3 {
        match connect(plan)? {
            Outcome::Ready(conn) => return Ok(conn),
            Outcome::UnknownKey(key) => trust(plan, &key)?,
        }
    }
    panic!("still unknown host keys after trusting three");
}
