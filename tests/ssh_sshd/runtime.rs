//! The runtime's SSH handle end to end: `~/.ssh/config` resolution, the unknown-key message,
//! trusting, then a command's output; with the built-in client and with the system `ssh`.

use std::time::Duration;

use opsdeck::app::Msg;
use opsdeck::app::hosts::{HostsMsg, Purpose};
use opsdeck::backend::hosts::ssh::SshOptions;
use opsdeck::domain::ssh::{SshClientKind, SshRequest};
use opsdeck::runtime::SshHandle;

use super::fixture;
use super::sshd::whoami;

async fn recv(rx: &mut tokio::sync::mpsc::Receiver<Msg>) -> HostsMsg {
    match tokio::time::timeout(Duration::from_secs(20), rx.recv()).await {
        Ok(Some(Msg::Hosts(m))) => m,
        other => panic!("expected a hosts message, got {other:?}"),
    }
}

fn run(name: &str) -> Purpose {
    Purpose::Run {
        name: name.into(),
        command: "echo via-$((20+1))".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alias_from_the_ssh_config_both_clients() {
    let Some(f) = fixture() else { return };
    let home = f.dir.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(
        home.join(".ssh/config"),
        format!(
            "Host web-1.test\n    HostName 127.0.0.1\n    Port {}\n    User {}\n    IdentityFile {}\n",
            f.sshd.port,
            whoami(),
            f.user_key.display()
        ),
    )
    .unwrap();
    let options = SshOptions {
        home: Some(home.clone()),
        known_hosts: Some(f.known_hosts.clone()),
        timeout_secs: 5,
        client: SshClientKind::Ssh2,
        ..SshOptions::default()
    };
    let request = SshRequest {
        label: "web-1".into(),
        address: "web-1.test".into(),
        user: None,
        bastion: None,
    };
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let handle = SshHandle::new(options.clone());
    handle.connect(request.clone(), run("hello"), tx.clone());
    let HostsMsg::KeyUnknown { plan, key, purpose } = recv(&mut rx).await else {
        panic!("first contact asks about the key");
    };
    assert_eq!(plan.target.host, "127.0.0.1");
    assert_eq!(plan.target.port, f.sshd.port);
    assert_eq!(key.host, f.sshd.known_hosts_name());
    handle.trust(*plan, key, purpose, tx.clone());
    let HostsMsg::Output { name, result, .. } = recv(&mut rx).await else {
        panic!("then the command runs");
    };
    assert_eq!(name, "hello");
    let out = result.unwrap();
    assert_eq!(out.text, "via-21\n");
    assert_eq!(out.exit_status, Some(0));

    // A shell parks a verified connection for the loop.
    handle.connect(request.clone(), Purpose::Shell, tx.clone());
    let HostsMsg::Ready { session } = recv(&mut rx).await else {
        panic!("a known host is ready at once");
    };
    assert!(session.ticket.is_some());

    // The system ssh, same resolution and known_hosts (BatchMode: it never prompts).
    let openssh = SshHandle::new(SshOptions {
        client: SshClientKind::OpenSsh,
        ..options
    });
    openssh.connect(request, run("again"), tx.clone());
    let HostsMsg::Output { result, .. } = recv(&mut rx).await else {
        panic!("openssh runs the command");
    };
    let out = result.unwrap();
    assert_eq!(out.text, "via-21\n");
    assert_eq!(out.exit_status, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_come_back_as_one_line() {
    let Some(f) = fixture() else { return };
    let handle = SshHandle::new(SshOptions {
        home: Some(f.dir.path().to_path_buf()),
        known_hosts: Some(f.known_hosts.clone()),
        timeout_secs: 5,
        ..SshOptions::default()
    });
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    handle.connect(
        SshRequest {
            label: "web-9".into(),
            address: "127.0.0.1".into(),
            user: None,
            bastion: Some("jump:notaport".into()),
        },
        Purpose::Shell,
        tx,
    );
    let HostsMsg::Failed { message } = recv(&mut rx).await else {
        panic!("a bad bastion spec fails");
    };
    assert!(
        message.starts_with("bad bastion `jump:notaport`"),
        "{message}"
    );
    assert!(!message.contains('\n'));
}
