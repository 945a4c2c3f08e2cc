//! ProxyJump through a bastion: a `direct-tcpip` tunnel on the bastion's session.

use std::net::TcpStream;

use opsdeck::backend::hosts::ssh::{Outcome, SshError, connect, run_command, trust};
use opsdeck::domain::ssh::HopRole;

use super::sshd::{Netns, Sshd, free_port, sshd_available};
use super::{common, connect_trusting, fixture, hop};

/// The target listens on the loopback of a network namespace, where only the bastion (in
/// the same namespace, reachable from here through a veth link) can reach it. A session that
/// works therefore went through the bastion.
#[test]
fn a_target_only_the_bastion_reaches() {
    if !sshd_available(common::servers_required()) {
        return;
    }
    let Some(f) = fixture() else { return };
    let token = common::unique_token(8);
    let Some(netns) = Netns::create(&token) else {
        // Not a missing server: `through_a_bastion_on_loopback` still proves the path.
        eprintln!(
            "skipped a_target_only_the_bastion_reaches: no network namespaces here (needs root and iproute2)"
        );
        return;
    };
    let keys = std::slice::from_ref(&f.user_pub);
    let bastion_dir = f.dir.path().join("bastion");
    let target_dir = f.dir.path().join("target");
    std::fs::create_dir_all(&bastion_dir).unwrap();
    std::fs::create_dir_all(&target_dir).unwrap();
    let bastion = Sshd::start(
        &bastion_dir,
        &netns.ns_ip,
        2201,
        keys,
        Some(&netns.name),
        "",
    );
    let target = Sshd::start(&target_dir, "127.0.0.1", 2202, keys, Some(&netns.name), "");
    // From here the target's address is our own loopback, where nothing listens on 2202.
    assert!(TcpStream::connect(("127.0.0.1", target.port)).is_err());

    let mut plan = f.plan();
    plan.target = hop(&target, vec![f.user_key.clone()]);
    plan.bastion = Some(hop(&bastion, vec![f.user_key.clone()]));
    // The bastion's key is asked about first, then the target's.
    let Outcome::UnknownKey(first) = connect(&plan).unwrap() else {
        panic!("unknown bastion key must be asked about");
    };
    assert_eq!(first.role, HopRole::Bastion);
    assert_eq!(first.host, format!("[{}]:2201", netns.ns_ip));
    trust(&plan, &first).unwrap();
    let Outcome::UnknownKey(second) = connect(&plan).unwrap() else {
        panic!("unknown target key must be asked about");
    };
    assert_eq!(second.role, HopRole::Target);
    assert_eq!(second.host, "[127.0.0.1]:2202");
    trust(&plan, &second).unwrap();
    let Outcome::Ready(conn) = connect(&plan).unwrap() else {
        panic!("both keys are known now");
    };
    assert!(conn.tunnelled());
    let out = run_command(&conn, "echo $SSH_CONNECTION", 1024).unwrap();
    // The target saw a connection from its own loopback: the bastion's forward.
    assert!(
        out.text.starts_with("127.0.0.1 ") && out.text.trim().ends_with("127.0.0.1 2202"),
        "{:?}",
        out.text
    );
    // The bastion's log names the forward it made.
    drop(conn);
    assert!(
        bastion.log().contains("127.0.0.1 port 2202"),
        "bastion log:\n{}",
        bastion.log()
    );
}

/// Both sshds on our loopback; the bastion's log proves the session was forwarded by it.
#[test]
fn through_a_bastion_on_loopback() {
    let Some(f) = fixture() else { return };
    let keys = std::slice::from_ref(&f.user_pub);
    let bastion_dir = f.dir.path().join("bastion");
    std::fs::create_dir_all(&bastion_dir).unwrap();
    let bastion = Sshd::start(&bastion_dir, "127.0.0.1", free_port(), keys, None, "");
    let mut plan = f.plan();
    plan.bastion = Some(hop(&bastion, vec![f.user_key.clone()]));
    let conn = connect_trusting(&plan).unwrap();
    assert!(conn.tunnelled());
    let out = run_command(&conn, "echo tunnelled-ok", 1024).unwrap();
    assert_eq!(out.text.trim(), "tunnelled-ok");
    let known = std::fs::read_to_string(&f.known_hosts).unwrap();
    assert_eq!(
        known.lines().count(),
        2,
        "bastion and target keys saved: {known}"
    );
    drop(conn);
    let log = bastion.log();
    assert!(
        log.contains(&format!("127.0.0.1 port {}", f.sshd.port)),
        "the bastion forwarded to the target:\n{log}"
    );
}

#[test]
fn a_target_the_bastion_cannot_reach_names_the_bastion() {
    let Some(f) = fixture() else { return };
    let keys = std::slice::from_ref(&f.user_pub);
    let bastion_dir = f.dir.path().join("bastion");
    std::fs::create_dir_all(&bastion_dir).unwrap();
    let bastion = Sshd::start(&bastion_dir, "127.0.0.1", free_port(), keys, None, "");
    let mut plan = f.plan();
    plan.bastion = Some(hop(&bastion, vec![f.user_key.clone()]));
    plan.target.port = free_port();
    let err = match connect_trusting(&plan) {
        Err(e) => e,
        Ok(_) => panic!("nothing listens on the target port"),
    };
    assert!(matches!(err, SshError::Tunnel { .. }), "{err:?}");
    let message = err.user_message();
    assert!(
        message.starts_with(&format!(
            "bastion {} could not open a tunnel to 127.0.0.1:",
            bastion.addr
        )),
        "{message}"
    );
}

#[test]
fn a_bastion_that_refuses_is_named() {
    let Some(f) = fixture() else { return };
    let mut plan = f.plan();
    let mut dead = hop(&f.sshd, vec![f.user_key.clone()]);
    dead.name = "jump".into();
    dead.port = free_port();
    plan.bastion = Some(dead);
    let err = match connect(&plan) {
        Err(e) => e,
        Ok(_) => panic!("the bastion port is closed"),
    };
    assert!(matches!(err, SshError::Refused { .. }), "{err:?}");
    assert!(
        err.user_message()
            .starts_with("bastion jump refused the connection")
    );
}
