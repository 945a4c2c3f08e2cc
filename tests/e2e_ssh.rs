//! The real binary in tmux: from `:hosts` (EC2 in moto) to an SSH session on a real sshd and
//! back to a redrawn console.
//!
//! moto's instances have private addresses nobody can reach, so the test's config maps them
//! the way a user with a naming scheme would: `[ssh] hostname = "{name}.e2e-ssh"`, and the
//! test's `~/.ssh/config` (HOME is a temp dir) sends `Host *.e2e-ssh` to the sshd on
//! loopback with its port, user and key. That also exercises the ssh config resolution.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/sshd.rs"]
mod sshd;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::Path;
use std::time::Duration;

use aws_sdk_ec2::types::{InstanceType, ResourceType, Tag, TagSpecification};
use opsdeck::backend::{AwsTarget, connect};
use sshd::Sshd;
use tmux::{Tmux, opsdeck_bin};

const WAIT: Duration = Duration::from_secs(20);

/// Launch one running instance named `name` in moto.
fn launch(url: &str, name: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let clients = connect(&AwsTarget {
            region: Some("eu-west-1".into()),
            endpoint_url: Some(url.to_string()),
            max_attempts: 1,
            ..AwsTarget::default()
        })
        .await
        .unwrap();
        let images = clients.ec2.describe_images().send().await.unwrap();
        let image = images.images()[0].image_id().unwrap().to_string();
        clients
            .ec2
            .run_instances()
            .image_id(image)
            .instance_type(InstanceType::T3Micro)
            .min_count(1)
            .max_count(1)
            .tag_specifications(
                TagSpecification::builder()
                    .resource_type(ResourceType::Instance)
                    .tags(Tag::builder().key("Name").value(name).build())
                    .tags(Tag::builder().key("team").value("e2e").build())
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
}

fn fingerprint(public_key: &str, dir: &Path) -> String {
    let path = dir.join("host.pub");
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

#[test]
fn a_shell_from_the_hosts_view_and_back() {
    let Some(url) = common::moto_url() else {
        return;
    };
    if !sshd::sshd_available(common::servers_required()) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    let user_key = dir.path().join("user_ed25519");
    let user_pub = sshd::keygen(&user_key, "");
    let server_dir = dir.path().join("sshd");
    std::fs::create_dir_all(&server_dir).unwrap();
    let sshd = Sshd::start(
        &server_dir,
        "127.0.0.1",
        sshd::free_port(),
        &[user_pub],
        None,
        "",
    );
    let name = format!("e2e-{}", common::unique_token(8));
    launch(&url, &name);

    std::fs::write(
        home.join(".ssh/config"),
        format!(
            "Host *.e2e-ssh\n    HostName 127.0.0.1\n    Port {}\n    User {}\n    IdentityFile {}\n",
            sshd.port,
            sshd::whoami(),
            user_key.display()
        ),
    )
    .unwrap();
    let known_hosts = dir.path().join("known_hosts");
    let config = dir.path().join("opsdeck.toml");
    std::fs::write(
        &config,
        format!(
            "[ssh]\nhostname = \"{{name}}.e2e-ssh\"\nknown_hosts = \"{}\"\nagent_socket = \"{}\"\n\n\
             [ssh.commands]\ndisk = \"\"\ndocker-ps = \"\"\njournal = \"\"\nuptime = \"\"\n\
             hello = \"echo hello-from-$((40+2))\"\n",
            known_hosts.display(),
            dir.path().join("no-agent.sock").display()
        ),
    )
    .unwrap();

    let home_text = home.display().to_string();
    let config_text = config.display().to_string();
    let t = Tmux::start(
        &opsdeck_bin(),
        &[
            "--config",
            &config_text,
            "--endpoint-url",
            &url,
            "--region",
            "eu-west-1",
        ],
        &[
            ("HOME", &home_text),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
        120,
        32,
    );
    t.wait_for("Clusters", WAIT);
    t.type_text(":hosts");
    t.keys(&["Enter"]);
    t.wait_for("NAME ", WAIT);
    // Only our instance (moto is shared): a tag filter on its Name.
    t.type_text(&format!("/Name={name}"));
    t.keys(&["Enter"]);
    let screen = t.wait_for(&format!("/Name={name} (1 of"), WAIT);
    assert!(screen.contains(&name), "{screen}");
    assert!(screen.contains("running"), "{screen}");

    // First contact: the host key is shown and must be confirmed.
    t.type_text("s");
    let screen = t.wait_for("Unknown host key", WAIT);
    let expected = fingerprint(&sshd.host_key, dir.path());
    assert!(
        screen.contains(&expected),
        "fingerprint {expected} not shown:\n{screen}"
    );
    assert!(!known_hosts.exists(), "nothing saved before `y`");
    t.type_text("y");
    // The remote shell owns the terminal now (typing before that would reach the console).
    wait_shell(&t);
    t.type_text("echo remote-$((6*7)) $SSH_CONNECTION");
    t.keys(&["Enter"]);
    t.wait_for("remote-42 127.0.0.1", WAIT);
    t.type_text("exit");
    t.keys(&["Enter"]);
    // Back in the console, redrawn on the same view with the same filter.
    let screen = t.wait_for(&format!("/Name={name} (1 of"), WAIT);
    assert!(screen.contains("Hosts"), "{screen}");
    assert!(
        !screen.contains("remote-42"),
        "the console was redrawn:\n{screen}"
    );
    assert!(t.alternate_screen());
    let saved = std::fs::read_to_string(&known_hosts).unwrap();
    assert!(
        saved.starts_with(&format!("[127.0.0.1]:{} ssh-ed25519 ", sshd.port)),
        "{saved}"
    );

    // Second time the key is known: straight to the shell.
    t.type_text("s");
    wait_shell(&t);
    t.type_text("echo again-$((1+1))");
    t.keys(&["Enter"]);
    t.wait_for("again-2", WAIT);
    t.keys(&["C-d"]);
    t.wait_for(&format!("/Name={name} (1 of"), WAIT);

    // A named command, its output in a pane.
    t.type_text("x");
    let screen = t.wait_for(&format!("Run on {name}"), WAIT);
    assert!(screen.contains("hello"), "{screen}");
    t.type_text("1");
    let screen = t.wait_for("hello-from-42", WAIT);
    assert!(screen.contains("exit 0"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_gone("hello-from-42", WAIT);
    t.type_text("q");
    t.wait_exit(WAIT);
    assert!(
        !t.alternate_screen(),
        "the terminal is back on the main screen"
    );
}

/// Wait until the console has handed the terminal to the remote shell and its prompt is up.
fn wait_shell(t: &Tmux) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let screen = t.screen();
        let prompt = screen
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_end().ends_with(['#', '$']));
        if !t.alternate_screen() && prompt {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no remote prompt; the screen was:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
