//! Authentication (key file, agent, encrypted key) and host key checks.

use opsdeck::backend::hosts::ssh::{Outcome, SshError, connect, connect_with, run_command, trust};
use opsdeck::domain::ssh::{HopRole, KeyUnlock, Passphrase};

use super::sshd::{Agent, Sshd, free_port, keygen};
use super::{connect_trusting, fixture, openssh_fingerprint};

#[test]
fn a_new_host_key_is_shown_then_trusted_and_saved() {
    let Some(f) = fixture() else { return };
    let plan = f.plan();
    let Outcome::UnknownKey(key) = connect(&plan).unwrap() else {
        panic!("an unknown host must not connect without asking");
    };
    assert_eq!(key.role, HopRole::Target);
    assert_eq!(key.host, f.sshd.known_hosts_name());
    assert_eq!(key.key_type, "ssh-ed25519");
    assert_eq!(
        key.fingerprint,
        openssh_fingerprint(&f.sshd.host_key, f.dir.path())
    );
    assert!(
        !f.known_hosts.exists(),
        "nothing saved before the user says yes"
    );
    trust(&plan, &key).unwrap();
    let saved = std::fs::read_to_string(&f.known_hosts).unwrap();
    assert_eq!(saved.lines().count(), 1);
    assert!(saved.starts_with(&format!("{} ssh-ed25519 ", f.sshd.known_hosts_name())));
    // OpenSSH itself accepts the line we wrote.
    let found = std::process::Command::new("ssh-keygen")
        .arg("-F")
        .arg(f.sshd.known_hosts_name())
        .arg("-f")
        .arg(&f.known_hosts)
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "ssh-keygen -F does not find the saved key"
    );
    // And the next connection goes through without asking.
    let Outcome::Ready(conn) = connect(&plan).unwrap() else {
        panic!("a saved key must be known");
    };
    let out = run_command(&conn, "echo hello from $(hostname)", 4096).unwrap();
    assert!(out.text.starts_with("hello from "), "{:?}", out.text);
    assert_eq!(out.exit_status, Some(0));
}

#[test]
fn a_changed_host_key_is_refused_with_both_fingerprints_and_the_line() {
    let Some(f) = fixture() else { return };
    let plan = f.plan();
    drop(connect_trusting(&plan).unwrap());
    let old_fingerprint = openssh_fingerprint(&f.sshd.host_key, f.dir.path());
    let sshd = f
        .sshd
        .restart_with_new_host_key(std::slice::from_ref(&f.user_pub));
    let new_fingerprint = openssh_fingerprint(&sshd.host_key, f.dir.path());
    let err = match connect(&plan) {
        Err(e) => e,
        Ok(_) => panic!("a changed host key must be refused"),
    };
    let SshError::HostKeyChanged(changed) = &err else {
        panic!("expected HostKeyChanged, got {err:?}");
    };
    assert_eq!(changed.fingerprint, new_fingerprint);
    assert_eq!(changed.known, old_fingerprint);
    assert_eq!(changed.line, 1);
    assert_eq!(changed.path, f.known_hosts);
    let message = err.user_message();
    assert!(message.contains("HOST KEY CHANGED"), "{message}");
    assert!(message.contains("remove line 1 of"), "{message}");
    assert!(message.contains("refused"), "{message}");
    // Nothing was written: the old line is still the only one.
    assert_eq!(
        std::fs::read_to_string(&f.known_hosts)
            .unwrap()
            .lines()
            .count(),
        1
    );
}

#[test]
fn hashed_known_hosts_entries_are_honoured() {
    let Some(f) = fixture() else { return };
    let plan = f.plan();
    std::fs::write(
        &f.known_hosts,
        format!("{} {}\n", f.sshd.known_hosts_name(), f.sshd.host_key),
    )
    .unwrap();
    let status = std::process::Command::new("ssh-keygen")
        .arg("-H")
        .arg("-f")
        .arg(&f.known_hosts)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&f.known_hosts).unwrap();
    assert!(text.starts_with("|1|"), "ssh-keygen -H hashed it: {text}");
    assert!(matches!(connect(&plan).unwrap(), Outcome::Ready(_)));
}

#[test]
fn the_agent_is_tried_first_and_its_socket_comes_from_the_plan() {
    let Some(f) = fixture() else { return };
    let agent = Agent::start(f.dir.path());
    agent.add(&f.user_key);
    let mut plan = f.plan();
    plan.target.identity_files.clear();
    plan.agent_socket = Some(agent.socket.clone());
    let conn = connect_trusting(&plan).unwrap();
    assert_eq!(
        run_command(&conn, "echo via-agent", 1024)
            .unwrap()
            .text
            .trim(),
        "via-agent"
    );
    // The same plan without the agent: the failure lists what was tried.
    plan.agent_socket = None;
    let err = match connect(&plan) {
        Err(e) => e,
        Ok(_) => panic!("no key, no login"),
    };
    assert!(matches!(err, SshError::Auth { .. }), "{err:?}");
    let message = err.user_message();
    assert!(message.contains("tried: no agent"), "{message}");
    assert!(message.contains("no identity files"), "{message}");
}

#[test]
fn an_agent_without_the_right_key_falls_back_to_the_identity_file() {
    let Some(f) = fixture() else { return };
    let agent = Agent::start(f.dir.path());
    let other = f.dir.path().join("other_key");
    keygen(&other, "");
    agent.add(&other);
    let mut plan = f.plan();
    plan.agent_socket = Some(agent.socket.clone());
    assert!(connect_trusting(&plan).is_ok());
}

#[test]
fn a_passphrase_protected_key_asks_for_its_passphrase_or_the_agent() {
    let Some(f) = fixture() else { return };
    let locked = f.dir.path().join("locked_key");
    let public = keygen(&locked, "correct horse");
    std::fs::write(f.sshd.dir.join("authorized_keys"), format!("{public}\n")).unwrap();
    let mut plan = f.plan();
    plan.target.identity_files = vec![locked.clone()];
    let err = match connect_trusting(&plan) {
        Err(e) => e,
        Ok(_) => panic!("an encrypted key cannot be used without its passphrase"),
    };
    let SshError::NeedsPassphrase(needed) = &err else {
        panic!("expected NeedsPassphrase, got {err:?}");
    };
    assert_eq!(needed.role, HopRole::Target);
    assert_eq!(needed.file, locked);
    assert_eq!(needed.hop, "host test-host");
    let message = err.user_message();
    assert!(message.contains("passphrase-protected"), "{message}");
    assert!(message.contains("ssh-add"), "{message}");
    // Once the agent holds it, the same key works.
    let agent = Agent::start(f.dir.path());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("printf 'correct horse' > \"$1.pass\"; SSH_ASKPASS_REQUIRE=force SSH_ASKPASS=\"$2\" ssh-add -q \"$1\" < /dev/null")
        .arg("sh")
        .arg(&locked)
        .arg(askpass(f.dir.path(), &locked))
        .env("SSH_AUTH_SOCK", &agent.socket)
        .env("DISPLAY", "none")
        .status()
        .unwrap();
    assert!(status.success(), "ssh-add with askpass failed");
    plan.agent_socket = Some(agent.socket.clone());
    assert!(connect_trusting(&plan).is_ok());
}

/// A script that prints the passphrase stored next to `key`, for SSH_ASKPASS.
fn askpass(dir: &std::path::Path, key: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("askpass.sh");
    std::fs::write(&path, format!("#!/bin/sh\ncat '{}.pass'\n", key.display())).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
    path
}

/// A passphrase for `file` of `role`, for one attempt.
fn unlock(role: HopRole, file: &std::path::Path, passphrase: &str) -> KeyUnlock {
    KeyUnlock {
        role,
        file: file.to_path_buf(),
        passphrase: Passphrase::new(passphrase.to_string()),
    }
}

#[test]
fn an_encrypted_key_without_an_agent_is_unlocked_with_its_passphrase() {
    let Some(f) = fixture() else { return };
    let locked = f.dir.path().join("locked_key");
    let public = keygen(&locked, "correct horse");
    std::fs::write(f.sshd.dir.join("authorized_keys"), format!("{public}\n")).unwrap();
    let mut plan = f.plan();
    plan.target.identity_files = vec![locked.clone()];
    plan.agent_socket = None;
    // No agent, no passphrase: the distinct outcome, before any session.
    let needed = match connect_trusting(&plan) {
        Err(SshError::NeedsPassphrase(key)) => key,
        Err(e) => panic!("expected NeedsPassphrase, got {e:?}"),
        Ok(_) => panic!("an encrypted key cannot be used without its passphrase"),
    };
    assert_eq!(needed.file, locked);
    assert_eq!(needed.role, HopRole::Target);

    // A wrong passphrase: a clear message naming the file and the hop.
    let wrong = unlock(HopRole::Target, &locked, "battery staple");
    let err = match connect_with(&plan, Some(&wrong)) {
        Err(e) => e,
        Ok(_) => panic!("a wrong passphrase must not log in"),
    };
    let SshError::BadPassphrase(bad) = &err else {
        panic!("expected BadPassphrase, got {err:?}");
    };
    assert_eq!(bad.file, locked);
    let message = err.user_message();
    assert!(message.contains("wrong passphrase for"), "{message}");
    assert!(message.contains("locked_key"), "{message}");
    assert!(message.contains("host test-host"), "{message}");
    assert!(
        !message.contains("battery"),
        "the passphrase is never shown: {message}"
    );
    assert!(!format!("{wrong:?}").contains("battery"), "Debug hides it");

    // The right one logs in and runs a command.
    let right = unlock(HopRole::Target, &locked, "correct horse");
    let Outcome::Ready(conn) = connect_with(&plan, Some(&right)).unwrap() else {
        panic!("the host key was trusted above");
    };
    let out = run_command(&conn, "echo unlocked-ok", 1024).unwrap();
    assert_eq!(out.text.trim(), "unlocked-ok");
    assert_eq!(out.exit_status, Some(0));

    // A passphrase for the other hop's role is not used for this one.
    let elsewhere = unlock(HopRole::Bastion, &locked, "correct horse");
    assert!(matches!(
        connect_with(&plan, Some(&elsewhere)),
        Err(SshError::NeedsPassphrase(_))
    ));
}

#[test]
fn an_encrypted_bastion_key_names_the_bastion_and_is_unlocked() {
    let Some(f) = fixture() else { return };
    let locked = f.dir.path().join("bastion_key");
    let public = keygen(&locked, "jump phrase");
    let bastion_dir = f.dir.path().join("bastion");
    std::fs::create_dir_all(&bastion_dir).unwrap();
    let bastion = Sshd::start(
        &bastion_dir,
        "127.0.0.1",
        free_port(),
        std::slice::from_ref(&public),
        None,
        "",
    );
    let mut plan = f.plan();
    plan.bastion = Some(super::hop(&bastion, vec![locked.clone()]));
    let needed = match connect_trusting(&plan) {
        Err(SshError::NeedsPassphrase(key)) => key,
        Err(e) => panic!("expected NeedsPassphrase, got {e:?}"),
        Ok(_) => panic!("an encrypted bastion key cannot be used without its passphrase"),
    };
    assert_eq!(needed.role, HopRole::Bastion);
    assert_eq!(needed.hop, format!("bastion {}", bastion.addr));
    let right = unlock(HopRole::Bastion, &locked, "jump phrase");
    let mut conn = None;
    for _ in 0..3 {
        match connect_with(&plan, Some(&right)).unwrap() {
            Outcome::Ready(c) => {
                conn = Some(c);
                break;
            }
            Outcome::UnknownKey(key) => trust(&plan, &key).unwrap(),
        }
    }
    let conn = conn.expect("connected through the unlocked bastion");
    assert!(conn.tunnelled());
    let out = run_command(&conn, "echo via-locked-bastion", 1024).unwrap();
    assert_eq!(out.text.trim(), "via-locked-bastion");
}

/// known_hosts with one line before `line`, so the line numbers in messages are checked.
fn known_hosts_with(f: &super::Fixture, line: &str) {
    std::fs::write(
        &f.known_hosts,
        format!("# managed by hand\n{line}\n10.255.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILfpIOgG0XBE5zzKpFxMhcShPqxxKekzjiKCCXQoIPwz\n"),
    )
    .unwrap();
}

#[test]
fn a_revoked_host_key_is_refused_with_the_line_that_revokes_it() {
    let Some(f) = fixture() else { return };
    let plan = f.plan();
    let fingerprint = openssh_fingerprint(&f.sshd.host_key, f.dir.path());
    // Any host pattern: a revoked key is refused whoever presents it.
    for hosts in [f.sshd.known_hosts_name(), "*".to_string()] {
        known_hosts_with(&f, &format!("@revoked {hosts} {}", f.sshd.host_key));
        let before = std::fs::read_to_string(&f.known_hosts).unwrap();
        let err = match connect(&plan) {
            Err(e) => e,
            Ok(Outcome::UnknownKey(_)) => panic!("a revoked key was offered as new ({hosts})"),
            Ok(Outcome::Ready(_)) => panic!("a revoked key was accepted ({hosts})"),
        };
        assert!(
            matches!(&err, SshError::HostKeyRevoked { line: 2, .. }),
            "{err:?}"
        );
        let message = err.user_message();
        assert!(message.contains("REVOKED"), "{message}");
        assert!(message.contains(&fingerprint), "{message}");
        assert!(
            message.contains(&format!("{}:2", f.known_hosts.display())),
            "{message}"
        );
        assert!(message.contains("refused"), "{message}");
        assert_eq!(std::fs::read_to_string(&f.known_hosts).unwrap(), before);
    }
    // Revoked and also listed as known: still refused (OpenSSH checks revocation first).
    std::fs::write(
        &f.known_hosts,
        format!(
            "{} {}\n@revoked * {}\n",
            f.sshd.known_hosts_name(),
            f.sshd.host_key,
            f.sshd.host_key
        ),
    )
    .unwrap();
    assert!(matches!(
        connect(&plan),
        Err(SshError::HostKeyRevoked { line: 2, .. })
    ));
}

#[test]
fn a_cert_authority_line_for_the_host_is_refused_and_says_why() {
    let Some(f) = fixture() else { return };
    let plan = f.plan();
    let ca = f.dir.path().join("ca_key");
    let ca_pub = keygen(&ca, "");
    // A CA for other hosts changes nothing: the key is offered as new.
    known_hosts_with(&f, &format!("@cert-authority *.example.com {ca_pub}"));
    assert!(matches!(connect(&plan).unwrap(), Outcome::UnknownKey(_)));
    // A CA for this host: refused, naming the line and the way out.
    for hosts in [f.sshd.known_hosts_name(), "[127.0.0.*]:*".to_string()] {
        known_hosts_with(&f, &format!("@cert-authority {hosts} {ca_pub}"));
        let err = match connect(&plan) {
            Err(e) => e,
            Ok(_) => panic!("a host under a CA line must not be offered as new ({hosts})"),
        };
        assert!(
            matches!(&err, SshError::CertAuthority { line: 2, .. }),
            "{err:?}"
        );
        let message = err.user_message();
        assert!(
            message.contains(&format!("{}:2", f.known_hosts.display())),
            "{message}"
        );
        assert!(
            message.contains("cannot check host certificates"),
            "{message}"
        );
        assert!(message.contains("client = \"openssh\""), "{message}");
    }
    // The host's own key listed as well: known, so the CA line does not matter.
    std::fs::write(
        &f.known_hosts,
        format!(
            "@cert-authority * {ca_pub}\n{} {}\n",
            f.sshd.known_hosts_name(),
            f.sshd.host_key
        ),
    )
    .unwrap();
    assert!(matches!(connect(&plan).unwrap(), Outcome::Ready(_)));
}
