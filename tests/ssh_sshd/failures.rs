//! Connection failures: one line naming the hop and what to do.

use std::net::TcpListener;

use opsdeck::backend::hosts::ssh::{SshError, connect};

use super::fixture;
use super::sshd::free_port;

#[test]
fn a_closed_port_is_refused_at_once() {
    let Some(f) = fixture() else { return };
    let mut plan = f.plan();
    plan.target.port = free_port();
    let err = match connect(&plan) {
        Err(e) => e,
        Ok(_) => panic!("nothing listens there"),
    };
    assert!(matches!(err, SshError::Refused { .. }), "{err:?}");
    assert!(
        err.user_message()
            .starts_with("host test-host refused the connection on 127.0.0.1:"),
        "{}",
        err.user_message()
    );
}

/// A server that accepts TCP but never speaks SSH: the handshake ends in a timeout that names
/// the plan's timeout.
#[test]
fn a_silent_server_times_out() {
    let Some(f) = fixture() else { return };
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut plan = f.plan();
    plan.target.port = silent.local_addr().unwrap().port();
    plan.timeout_secs = 1;
    let err = match connect(&plan) {
        Err(e) => e,
        Ok(_) => panic!("a silent server cannot complete a handshake"),
    };
    assert!(matches!(err, SshError::Timeout { .. }), "{err:?}");
    assert!(
        err.user_message().contains("within 1 s"),
        "{}",
        err.user_message()
    );
}

#[test]
fn an_unknown_name_cannot_be_resolved() {
    let Some(f) = fixture() else { return };
    let mut plan = f.plan();
    plan.target.host = "no-such-host.invalid".into();
    let err = match connect(&plan) {
        Err(e) => e,
        Ok(_) => panic!("the name does not exist"),
    };
    assert!(matches!(err, SshError::Resolve { .. }), "{err:?}");
    assert!(
        err.user_message()
            .contains("cannot resolve host test-host (no-such-host.invalid)")
    );
}

#[test]
fn a_wrong_user_key_lists_what_was_tried() {
    let Some(f) = fixture() else { return };
    let other = f.dir.path().join("stranger");
    super::sshd::keygen(&other, "");
    let mut plan = f.plan();
    plan.target.identity_files = vec![other, f.dir.path().join("missing_key")];
    let err = match super::connect_trusting(&plan) {
        Err(e) => e,
        Ok(_) => panic!("the key is not authorized"),
    };
    let message = err.user_message();
    assert!(message.starts_with("authentication as "), "{message}");
    assert!(message.contains("stranger"), "{message}");
    assert!(message.contains("missing_key (missing)"), "{message}");
}
