//! What the hosts view draws, compared with reviewed snapshots in `tests/snapshots/`: the EC2
//! table (with and without the detail pane), a tag filter, the unknown-host-key dialog, the
//! command menu and a command's output. States are reached through `update`; the clock is
//! fixed so ages are stable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/render.rs"]
mod tui;

use std::path::PathBuf;

use opsdeck::app::hosts::target::HostsSettings;
use opsdeck::app::hosts::{HostsCommand, HostsMsg, Purpose, RunOutput};
use opsdeck::app::{Action, AppState, Command, ContextInfo, InputKey, Msg, Settings, update};
use opsdeck::config::{Config, Theme};
use opsdeck::domain::hosts::HostRow;
use opsdeck::domain::ssh::{HopRole, HostKey, LockedKey, SshHop, SshPlan};
use opsdeck::input::keymap::Keymap;
use ratatui::style::Color;
use tui::{draw, text};

/// 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;

fn host(
    name: &str,
    id: &str,
    state: &str,
    private_ip: &str,
    public_ip: &str,
    cluster: Option<(&str, i32)>,
    tags: &[(&str, &str)],
) -> HostRow {
    let mut all: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    all.push(("Name".into(), name.into()));
    all.sort();
    HostRow {
        id: id.into(),
        name: name.into(),
        state: state.into(),
        instance_type: "m6i.large".into(),
        availability_zone: "eu-west-1b".into(),
        private_ip: private_ip.into(),
        public_ip: public_ip.into(),
        private_dns: String::new(),
        launched_at: Some(NOW - 86_400 * 12),
        tags: all,
        cluster: cluster.map(|(c, _)| c.to_string()),
        running_tasks: cluster.map(|(_, n)| n),
        container_instance_arn: cluster
            .map(|(c, _)| format!("arn:aws:ecs:eu-west-1:1:container-instance/{c}/x")),
    }
}

fn hosts() -> Vec<HostRow> {
    vec![
        host(
            "payments-ecs-01",
            "i-0a1b2c3d4e5f60001",
            "running",
            "10.0.1.11",
            "",
            Some(("payments-prod", 4)),
            &[("env", "prod")],
        ),
        host(
            "payments-ecs-02",
            "i-0a1b2c3d4e5f60002",
            "running",
            "10.0.2.12",
            "",
            Some(("payments-prod", 3)),
            &[("env", "prod")],
        ),
        host(
            "bastion",
            "i-0a1b2c3d4e5f60003",
            "running",
            "10.0.0.5",
            "203.0.113.10",
            None,
            &[("env", "shared")],
        ),
        host(
            "batch-worker",
            "i-0a1b2c3d4e5f60004",
            "stopped",
            "10.0.3.40",
            "",
            None,
            &[("env", "staging")],
        ),
        host(
            "old-node",
            "i-0a1b2c3d4e5f60005",
            "terminated",
            "",
            "",
            None,
            &[("env", "prod")],
        ),
    ]
}

fn on_hosts() -> AppState {
    let config = Config::default();
    let mut s = AppState::new(
        ContextInfo {
            profile: "default".into(),
            region: "eu-west-1".into(),
            endpoint: Some("http://127.0.0.1:5000".into()),
            account: Some("123456789012".into()),
            read_only: false,
            production: false,
        },
        Settings {
            refresh_secs: 5,
            utc_offset_secs: 0,
            ..Settings::default()
        },
        Keymap::from_config(&config.keys).unwrap(),
    );
    s.hosts.settings = HostsSettings::from_config(&config.ssh);
    update(&mut s, Msg::Action(Action::Command));
    for c in "hosts".chars() {
        update(&mut s, Msg::Input(InputKey::Char(c)));
    }
    let commands = update(&mut s, Msg::Input(InputKey::Submit));
    let Some(Command::Hosts(HostsCommand::Fetch { generation })) = commands.first() else {
        panic!("{commands:?}");
    };
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Loaded {
            generation: *generation,
            now: NOW,
            result: Ok(hosts()),
        }),
    );
    s
}

fn snapshot_both(name: &str, state: &AppState) {
    insta::assert_snapshot!(format!("{name}_80x24"), text(&draw(state, 80, 24)));
    insta::assert_snapshot!(format!("{name}_160x48"), text(&draw(state, 160, 48)));
}

fn plan() -> SshPlan {
    SshPlan {
        label: "payments-ecs-01".into(),
        target: SshHop {
            name: "10.0.1.11".into(),
            host: "10.0.1.11".into(),
            port: 22,
            user: "ec2-user".into(),
            identity_files: Vec::new(),
        },
        known_hosts: PathBuf::from("~/.ssh/known_hosts"),
        timeout_secs: 10,
        ..SshPlan::default()
    }
}

#[test]
fn the_hosts_table() {
    let s = on_hosts();
    snapshot_both("hosts_table", &s);
    let screen = text(&draw(&s, 160, 48));
    assert!(screen.contains("payments-prod (4)"));
    assert!(
        !screen.contains("old-node"),
        "terminated instances are hidden"
    );
}

#[test]
fn at_80_columns_the_title_counts_the_hidden_columns_and_right_shows_them() {
    let mut s = on_hosts();
    // The table, above the detail pane (which names the selected instance).
    let table = |screen: &str| -> String {
        let rows = screen.lines().take_while(|l| !l.starts_with("┌ Host "));
        rows.collect::<Vec<_>>().join("\n")
    };
    let screen = text(&draw(&s, 80, 24));
    assert!(screen.contains("Hosts [4] +4 cols →"), "{screen}");
    assert!(!table(&screen).contains("i-0a1b2c3d4e5f60001"), "{screen}");
    update(&mut s, Msg::Action(Action::ScrollRight));
    let screen = text(&draw(&s, 80, 24));
    assert!(table(&screen).contains("i-0a1b2c3d4e5f60001"), "{screen}");
    assert!(screen.contains("← 1"), "{screen}");
    insta::assert_snapshot!("hosts_scrolled_80x24", screen);
}

#[test]
fn running_is_green_and_stopped_is_muted() {
    let s = on_hosts();
    let buffer = draw(&s, 160, 48);
    let theme = Theme::default();
    let screen = text(&buffer);
    let row = screen
        .lines()
        .position(|l| l.contains("batch-worker"))
        .unwrap();
    let x = screen.lines().nth(row).unwrap().find("stopped").unwrap();
    assert_eq!(
        buffer[(x as u16, row as u16)].fg,
        theme.muted.fg.unwrap_or(Color::Reset)
    );
    let row = screen.lines().position(|l| l.contains("bastion ")).unwrap();
    let x = screen.lines().nth(row).unwrap().find("running").unwrap();
    assert_eq!(
        buffer[(x as u16, row as u16)].fg,
        theme.ok.fg.unwrap_or(Color::Reset)
    );
}

#[test]
fn a_tag_filter() {
    let mut s = on_hosts();
    update(&mut s, Msg::Action(Action::Filter));
    for c in "env=prod".chars() {
        update(&mut s, Msg::Input(InputKey::Char(c)));
    }
    update(&mut s, Msg::Input(InputKey::Submit));
    snapshot_both("hosts_tag_filter", &s);
}

#[test]
fn the_unknown_host_key_dialog() {
    let mut s = on_hosts();
    update(&mut s, Msg::Action(Action::Ssh));
    update(
        &mut s,
        Msg::Hosts(HostsMsg::KeyUnknown {
            plan: Box::new(plan()),
            key: HostKey {
                role: HopRole::Target,
                host: "10.0.1.11".into(),
                key_type: "ssh-ed25519".into(),
                fingerprint: "SHA256:RLOVECznRr2LnhZCCQA3j0HUc6OR/V6vqE4vX9lYFJ8".into(),
                key_base64: "AAAA".into(),
                other_types_known: Vec::new(),
            },
            purpose: Purpose::Shell,
        }),
    );
    snapshot_both("hosts_unknown_key", &s);
}

#[test]
fn the_command_menu_and_output() {
    let mut s = on_hosts();
    update(&mut s, Msg::Action(Action::RunCommand));
    snapshot_both("hosts_command_menu", &s);
    update(&mut s, Msg::Input(InputKey::Char('2')));
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Output {
            host: "payments-ecs-01".into(),
            name: "docker-ps".into(),
            command: "docker ps".into(),
            result: Ok(RunOutput {
                text: "CONTAINER ID   IMAGE          STATUS\n3f2a9c1d0b7e   payments:412   Up 2 hours\n9b8c7d6e5f4a   ecs-agent      Up 12 days\n".into(),
                exit_status: Some(0),
                truncated: false,
            }),
        }),
    );
    snapshot_both("hosts_command_output", &s);
}

#[test]
fn the_passphrase_prompt_masks_what_is_typed() {
    let mut s = on_hosts();
    update(
        &mut s,
        Msg::Hosts(HostsMsg::PassphraseNeeded {
            plan: Box::new(plan()),
            key: LockedKey {
                role: HopRole::Target,
                hop: "host payments-ecs-01".into(),
                file: PathBuf::from("/home/me/.ssh/id_ed25519"),
                shown: "~/.ssh/id_ed25519".into(),
            },
            purpose: Purpose::Shell,
            failed: 1,
        }),
    );
    for c in "hunter2".chars() {
        update(&mut s, Msg::Input(InputKey::Char(c)));
    }
    snapshot_both("hosts_passphrase", &s);
    let screen = text(&draw(&s, 80, 24));
    assert!(
        screen.contains("passphrase for ~/.ssh/id_ed25519 (host payments-ecs-01):"),
        "{screen}"
    );
    assert!(screen.contains("•••••••_"), "{screen}");
    assert!(!screen.contains("hunter2"), "{screen}");
    assert!(screen.contains("try 2 of 3"), "{screen}");
}
