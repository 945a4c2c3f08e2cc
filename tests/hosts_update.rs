//! The hosts view and SSH flow as `update` sees it: messages in, state and commands out.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "common/model.rs"]
mod model;

use std::path::PathBuf;

use opsdeck::app::core::command::Session;
use opsdeck::app::core::table::{Load, Tone};
use opsdeck::app::hosts::prompt::HostsPrompt;
use opsdeck::app::hosts::target::HostsSettings;
use opsdeck::app::hosts::{
    HostSession, HostsCommand, HostsMsg, MAX_PASSPHRASE_TRIES, Purpose, RunOutput, TaskHostPurpose,
};
use opsdeck::app::{
    Action, AppState, Command, ContextInfo, InputKey, Mode, Msg, Settings, View, update,
};
use opsdeck::config::SshAddress;
use opsdeck::domain::ecs::TaskRow;
use opsdeck::domain::hosts::HostRow;
use opsdeck::domain::ids::TaskArn;
use opsdeck::domain::ssh::{HopRole, HostKey, LockedKey, Passphrase, SshHop, SshPlan, SshRequest};
use opsdeck::input::keymap::Keymap;

use model::{command_line, fetch_generation};

fn state() -> AppState {
    let mut s = AppState::new(
        ContextInfo {
            profile: "dev".into(),
            ..ContextInfo::default()
        },
        Settings::default(),
        Keymap::default(),
    );
    s.hosts.settings = HostsSettings {
        commands: vec![
            ("docker-ps".into(), "docker ps".into()),
            ("uptime".into(), "uptime".into()),
        ],
        ..HostsSettings::default()
    };
    s
}

fn host(id: &str, name: &str, env: &str) -> HostRow {
    HostRow {
        id: id.into(),
        name: name.into(),
        state: "running".into(),
        private_ip: format!("10.0.0.{}", id.len()),
        tags: vec![("Name".into(), name.into()), ("env".into(), env.into())],
        ..HostRow::default()
    }
}

fn act(s: &mut AppState, a: Action) -> Vec<Command> {
    update(s, Msg::Action(a))
}

fn input(s: &mut AppState, key: InputKey) -> Vec<Command> {
    update(s, Msg::Input(key))
}

/// `:hosts`, answered with `rows`.
fn on_hosts(rows: Vec<HostRow>) -> AppState {
    let mut s = state();
    act(&mut s, Action::Command);
    for c in "hosts".chars() {
        input(&mut s, InputKey::Char(c));
    }
    let commands = input(&mut s, InputKey::Submit);
    let [Command::Hosts(HostsCommand::Fetch { generation })] = commands.as_slice() else {
        panic!("expected one hosts fetch, got {commands:?}");
    };
    assert_eq!(s.view(), &View::Hosts);
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Loaded {
            generation: *generation,
            now: 1_000,
            result: Ok(rows),
        }),
    );
    s
}

fn flash(s: &AppState) -> (String, Tone) {
    let f = s.flash.as_ref().expect("a flash message");
    (f.text.clone(), f.tone)
}

fn plan() -> SshPlan {
    SshPlan {
        label: "web-1".into(),
        target: SshHop {
            name: "10.0.0.5".into(),
            host: "10.0.0.5".into(),
            port: 22,
            user: "ec2-user".into(),
            identity_files: Vec::new(),
        },
        known_hosts: PathBuf::from("/tmp/kh"),
        timeout_secs: 10,
        ..SshPlan::default()
    }
}

fn key() -> HostKey {
    HostKey {
        role: HopRole::Target,
        host: "10.0.0.5".into(),
        key_type: "ssh-ed25519".into(),
        fingerprint: "SHA256:abc".into(),
        key_base64: "AAAA".into(),
        other_types_known: Vec::new(),
    }
}

#[test]
fn hosts_load_and_filter_by_tag() {
    let mut s = on_hosts(vec![
        host("i-1", "web-1", "prod"),
        host("i-2", "web-2", "production"),
        host("i-3", "api-1", "dev"),
    ]);
    assert_eq!(s.hosts.list.table.load, Load::Loaded);
    assert_eq!(s.hosts.list.table.visible_len(), 3);
    act(&mut s, Action::Filter);
    for c in "env=prod".chars() {
        input(&mut s, InputKey::Char(c));
    }
    assert_eq!(s.filter_text(), "env=prod");
    let ids: Vec<_> = s.hosts.list.table.visible().map(|h| h.id.clone()).collect();
    assert_eq!(ids, ["i-1"], "tags match exactly, not as substrings");
    input(&mut s, InputKey::Submit);
    // `esc` clears the filter first.
    act(&mut s, Action::Back);
    assert_eq!(s.hosts.list.table.visible_len(), 3);
    assert_eq!(s.view(), &View::Hosts);
}

#[test]
fn stale_host_lists_are_dropped() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    let commands = act(&mut s, Action::Refresh);
    let [Command::Hosts(HostsCommand::Fetch { generation })] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Loaded {
            generation: generation - 1,
            now: 2_000,
            result: Ok(Vec::new()),
        }),
    );
    assert_eq!(s.hosts.list.table.visible_len(), 1);
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Loaded {
            generation: *generation,
            now: 2_000,
            result: Err("AWS is throttling DescribeInstances".into()),
        }),
    );
    assert_eq!(
        s.hosts.list.table.load,
        Load::Failed("AWS is throttling DescribeInstances".into())
    );
    assert_eq!(
        s.hosts.list.table.visible_len(),
        1,
        "rows from before are kept"
    );
}

#[test]
fn ssh_asks_for_a_connection_to_the_private_address() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    let commands = act(&mut s, Action::Ssh);
    assert_eq!(
        commands,
        vec![Command::Hosts(HostsCommand::Connect {
            request: SshRequest {
                label: "web-1".into(),
                address: "10.0.0.3".into(),
                user: None,
                bastion: None,
            },
            purpose: Purpose::Shell,
        })]
    );
    assert_eq!(flash(&s), ("connecting to web-1…".into(), Tone::Muted));
    // Public addresses for this profile, and a bastion.
    s.hosts.settings.address = SshAddress::Public;
    s.hosts.settings.bastion = "jump".into();
    let commands = act(&mut s, Action::Ssh);
    assert!(commands.is_empty());
    assert!(flash(&s).0.contains("web-1 has no public address"));
    assert_eq!(flash(&s).1, Tone::Error);
}

#[test]
fn an_unknown_host_key_asks_and_only_yes_trusts_it() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    act(&mut s, Action::Ssh);
    let commands = update(
        &mut s,
        Msg::Hosts(HostsMsg::KeyUnknown {
            plan: Box::new(plan()),
            key: key(),
            purpose: Purpose::Shell,
        }),
    );
    assert!(
        commands.is_empty(),
        "nothing is sent while the dialog is open"
    );
    assert!(matches!(&s.mode, Mode::Hosts(p) if matches!(**p, HostsPrompt::TrustKey { .. })));
    // Enter is not "yes".
    assert!(input(&mut s, InputKey::Submit).is_empty());
    assert!(matches!(s.mode, Mode::Hosts(_)));
    let commands = input(&mut s, InputKey::Char('y'));
    assert_eq!(
        commands,
        vec![Command::Hosts(HostsCommand::Trust {
            plan: Box::new(plan()),
            key: key(),
            purpose: Purpose::Shell,
        })]
    );
    assert_eq!(s.mode, Mode::Normal);
    // Refusing: nothing saved, nothing sent, and the user is told.
    update(
        &mut s,
        Msg::Hosts(HostsMsg::KeyUnknown {
            plan: Box::new(plan()),
            key: key(),
            purpose: Purpose::Shell,
        }),
    );
    assert!(input(&mut s, InputKey::Cancel).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert!(
        flash(&s)
            .0
            .starts_with("not trusted: the key of 10.0.0.5 was not saved")
    );
}

#[test]
fn a_ready_session_takes_the_terminal_and_its_end_redraws() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    act(&mut s, Action::Ssh);
    let session = HostSession {
        label: "web-1".into(),
        plan: Box::new(plan()),
        ticket: Some(1),
    };
    let commands = update(
        &mut s,
        Msg::Hosts(HostsMsg::Ready {
            session: session.clone(),
        }),
    );
    assert_eq!(commands, vec![Command::Interactive(Session::Host(session))]);
    assert!(s.flash.is_none(), "the 'connecting' message is gone");
    s.dirty = false;
    let commands = update(
        &mut s,
        Msg::SessionEnded {
            result: Err("the connection to host web-1 dropped: reset".into()),
        },
    );
    assert!(s.dirty);
    assert_eq!(flash(&s).1, Tone::Error);
    assert!(matches!(
        commands.as_slice(),
        [Command::Hosts(HostsCommand::Fetch { .. })]
    ));
}

#[test]
fn failures_are_one_line_in_the_status_bar() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Failed {
            message: "HOST KEY CHANGED for host web-1 ...".into(),
        }),
    );
    assert_eq!(flash(&s).1, Tone::Error);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn named_commands_from_a_menu_and_their_output_in_a_pane() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    assert!(act(&mut s, Action::RunCommand).is_empty());
    assert!(matches!(&s.mode, Mode::Hosts(p) if matches!(**p, HostsPrompt::Commands { .. })));
    input(&mut s, InputKey::Char('j'));
    let commands = input(&mut s, InputKey::Submit);
    let [Command::Hosts(HostsCommand::Connect { request, purpose })] = commands.as_slice() else {
        panic!("{commands:?}");
    };
    assert_eq!(request.label, "web-1");
    assert_eq!(
        purpose,
        &Purpose::Run {
            name: "uptime".into(),
            command: "uptime".into()
        }
    );
    assert_eq!(flash(&s).0, "running uptime on web-1…");
    // A digit picks directly.
    act(&mut s, Action::RunCommand);
    let commands = input(&mut s, InputKey::Char('1'));
    assert!(matches!(
        commands.as_slice(),
        [Command::Hosts(HostsCommand::Connect { purpose: Purpose::Run { name, .. }, .. })] if name == "docker-ps"
    ));
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Output {
            host: "web-1".into(),
            name: "docker-ps".into(),
            command: "docker ps".into(),
            result: Ok(RunOutput {
                text: "CONTAINER ID   IMAGE\nabc   web:1\n".into(),
                exit_status: Some(0),
                truncated: false,
            }),
        }),
    );
    let pane = s.hosts.output.as_ref().unwrap();
    assert_eq!(pane.lines, ["CONTAINER ID   IMAGE", "abc   web:1"]);
    act(&mut s, Action::Down);
    assert_eq!(s.hosts.output.as_ref().unwrap().scroll, 1);
    act(&mut s, Action::Back);
    assert!(s.hosts.output.is_none());
    assert_eq!(s.view(), &View::Hosts, "esc closed the pane, not the view");
}

fn on_tasks(launch_type: &str, instance: &str) -> AppState {
    let mut s = state();
    let generation = fetch_generation(&command_line(&mut s, "tasks prod"));
    let task = TaskRow {
        cluster: "prod".into(),
        arn: TaskArn::from("arn:aws:ecs:eu-west-1:1:task/prod/0123456789abcdef"),
        last_status: "RUNNING".into(),
        launch_type: launch_type.into(),
        container_instance_arn: instance.into(),
        ..TaskRow::default()
    };
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: 0,
            result: Ok(vec![task]),
        },
    );
    s
}

#[test]
fn from_an_ec2_task_to_its_host() {
    let arn = "arn:aws:ecs:eu-west-1:1:container-instance/prod/ci1";
    let mut s = on_tasks("EC2", arn);
    let commands = act(&mut s, Action::JumpToHost);
    assert_eq!(
        commands,
        vec![Command::Hosts(HostsCommand::FindTaskHost {
            cluster: "prod".into(),
            container_instance_arn: arn.into(),
            purpose: TaskHostPurpose::Jump,
        })]
    );
    let commands = update(
        &mut s,
        Msg::Hosts(HostsMsg::TaskHost {
            purpose: TaskHostPurpose::Jump,
            result: Ok(host("i-0abc", "ecs-node-1", "prod")),
        }),
    );
    assert_eq!(s.view(), &View::Hosts);
    assert_eq!(s.filter_text(), "i-0abc");
    assert!(matches!(
        commands.as_slice(),
        [Command::Hosts(HostsCommand::Fetch { .. })]
    ));
    // `esc` clears the filter, then goes back to the tasks.
    act(&mut s, Action::Back);
    act(&mut s, Action::Back);
    assert!(matches!(s.view(), View::Tasks { .. }));

    // `s` on the task: a shell on its host.
    let commands = act(&mut s, Action::Ssh);
    assert!(matches!(
        commands.as_slice(),
        [Command::Hosts(HostsCommand::FindTaskHost {
            purpose: TaskHostPurpose::Shell,
            ..
        })]
    ));
    let commands = update(
        &mut s,
        Msg::Hosts(HostsMsg::TaskHost {
            purpose: TaskHostPurpose::Shell,
            result: Ok(host("i-0abc", "ecs-node-1", "prod")),
        }),
    );
    assert!(matches!(
        commands.as_slice(),
        [Command::Hosts(HostsCommand::Connect { purpose: Purpose::Shell, request })] if request.label == "ecs-node-1"
    ));
}

#[test]
fn fargate_tasks_have_no_host() {
    let mut s = on_tasks("FARGATE", "");
    assert!(act(&mut s, Action::Ssh).is_empty());
    assert_eq!(
        flash(&s).0,
        "task 01234567 runs on FARGATE: it has no EC2 host to reach"
    );
    let mut s = on_tasks("EC2", "");
    assert!(act(&mut s, Action::JumpToHost).is_empty());
    assert!(flash(&s).0.contains("not placed on a container instance"));
}

fn locked(role: HopRole, hop: &str) -> LockedKey {
    LockedKey {
        role,
        hop: hop.into(),
        file: PathBuf::from("/home/me/.ssh/id_ed25519"),
        shown: "~/.ssh/id_ed25519".into(),
    }
}

fn needs_passphrase(
    s: &mut AppState,
    key: LockedKey,
    purpose: Purpose,
    failed: u8,
) -> Vec<Command> {
    update(
        s,
        Msg::Hosts(HostsMsg::PassphraseNeeded {
            plan: Box::new(plan()),
            key,
            purpose,
            failed,
        }),
    )
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        assert!(input(s, InputKey::Char(c)).is_empty());
    }
}

#[test]
fn a_locked_key_opens_a_masked_prompt_and_enter_sends_the_passphrase_once() {
    let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
    act(&mut s, Action::Ssh);
    let commands = needs_passphrase(
        &mut s,
        locked(HopRole::Target, "host web-1"),
        Purpose::Shell,
        0,
    );
    assert!(
        commands.is_empty(),
        "nothing is sent while the prompt is open"
    );
    let Mode::Hosts(prompt) = &s.mode else {
        panic!("expected the passphrase prompt, got {:?}", s.mode);
    };
    let HostsPrompt::Passphrase {
        key,
        input: typed,
        failed,
        ..
    } = &**prompt
    else {
        panic!("expected the passphrase prompt, got {prompt:?}");
    };
    assert_eq!(key.shown, "~/.ssh/id_ed25519");
    assert_eq!(key.hop, "host web-1");
    assert!(typed.is_empty());
    assert_eq!(*failed, 0);

    // Typing (with a typo fixed), and an empty enter does nothing.
    type_text(&mut s, "correct horsf");
    input(&mut s, InputKey::Backspace);
    type_text(&mut s, "e");
    assert!(
        !format!("{s:?}").contains("correct"),
        "the typed passphrase never shows in Debug output"
    );
    let commands = input(&mut s, InputKey::Submit);
    assert_eq!(
        commands,
        vec![Command::Hosts(HostsCommand::Unlock {
            plan: Box::new(plan()),
            key: locked(HopRole::Target, "host web-1"),
            passphrase: Passphrase::new("correct horse".into()),
            purpose: Purpose::Shell,
            attempt: 1,
        })]
    );
    let [Command::Hosts(HostsCommand::Unlock { passphrase, .. })] = commands.as_slice() else {
        unreachable!();
    };
    assert_eq!(passphrase.expose(), "correct horse");
    assert_eq!(format!("{passphrase:?}"), "***");
    // The state keeps nothing of it.
    assert_eq!(s.mode, Mode::Normal);
    assert!(flash(&s).0.starts_with("unlocking ~/.ssh/id_ed25519"));
}

#[test]
fn an_empty_passphrase_is_not_sent_and_ctrl_u_clears() {
    let mut s = state();
    needs_passphrase(
        &mut s,
        locked(HopRole::Target, "host web-1"),
        Purpose::Shell,
        0,
    );
    assert!(input(&mut s, InputKey::Submit).is_empty());
    assert!(matches!(s.mode, Mode::Hosts(_)));
    type_text(&mut s, "oops");
    input(&mut s, InputKey::Clear);
    assert!(input(&mut s, InputKey::Submit).is_empty());
    let Mode::Hosts(prompt) = &s.mode else {
        panic!("the prompt stays open");
    };
    assert!(matches!(&**prompt, HostsPrompt::Passphrase { input, .. } if input.is_empty()));
}

#[test]
fn esc_cancels_the_passphrase_prompt() {
    let mut s = state();
    needs_passphrase(
        &mut s,
        locked(HopRole::Target, "host web-1"),
        Purpose::Shell,
        0,
    );
    type_text(&mut s, "half typed");
    assert!(input(&mut s, InputKey::Cancel).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    let (text, tone) = flash(&s);
    assert!(
        text.starts_with("cancelled: no passphrase for ~/.ssh/id_ed25519"),
        "{text}"
    );
    assert_eq!(tone, Tone::Warn);
}

#[test]
fn a_wrong_passphrase_asks_again_and_three_end_it() {
    let mut s = state();
    let bastion = locked(HopRole::Bastion, "bastion jump");
    let run = Purpose::Run {
        name: "uptime".into(),
        command: "uptime".into(),
    };
    needs_passphrase(&mut s, bastion.clone(), run.clone(), 0);
    for attempt in 1..=MAX_PASSPHRASE_TRIES {
        type_text(&mut s, "wrong");
        let commands = input(&mut s, InputKey::Submit);
        let [
            Command::Hosts(HostsCommand::Unlock {
                attempt: sent,
                key,
                purpose,
                ..
            }),
        ] = commands.as_slice()
        else {
            panic!("expected an unlock, got {commands:?}");
        };
        assert_eq!(*sent, attempt);
        assert_eq!(key, &bastion, "the bastion hop is named and kept");
        assert_eq!(purpose, &run, "one-off commands take the same path");
        // The runtime answers: wrong.
        needs_passphrase(&mut s, bastion.clone(), run.clone(), attempt);
        if attempt < MAX_PASSPHRASE_TRIES {
            assert!(
                matches!(&s.mode, Mode::Hosts(p) if matches!(&**p, HostsPrompt::Passphrase { failed, input, .. } if *failed == attempt && input.is_empty()))
            );
            let (text, tone) = flash(&s);
            assert_eq!(text, "wrong passphrase for ~/.ssh/id_ed25519 — try again");
            assert_eq!(tone, Tone::Warn);
        }
    }
    assert_eq!(s.mode, Mode::Normal, "no fourth prompt");
    let (text, tone) = flash(&s);
    assert_eq!(
        text,
        "wrong passphrase for ~/.ssh/id_ed25519 (bastion jump) 3 times: not connected"
    );
    assert_eq!(tone, Tone::Error);
}

#[test]
fn a_pasted_passphrase_is_typed_in_and_its_line_break_does_not_send_it() {
    let mut s = state();
    needs_passphrase(
        &mut s,
        locked(HopRole::Target, "host web-1"),
        Purpose::Shell,
        0,
    );
    assert!(update(&mut s, Msg::Paste("correct horse\n".into())).is_empty());
    assert!(matches!(s.mode, Mode::Hosts(_)), "still asking");
    let commands = input(&mut s, InputKey::Submit);
    let [Command::Hosts(HostsCommand::Unlock { passphrase, .. })] = commands.as_slice() else {
        panic!("expected one unlock, got {commands:?}");
    };
    assert_eq!(passphrase.expose(), "correct horse");
}

#[test]
fn the_command_menu_moves_with_the_arrow_keys_too() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use opsdeck::app::core::keys::key_to_msg;
    let pick = |keys: &[KeyCode]| {
        let mut s = on_hosts(vec![host("i-1", "web-1", "prod")]);
        act(&mut s, Action::RunCommand);
        for code in keys {
            let msg = key_to_msg(&s, &KeyEvent::new(*code, KeyModifiers::NONE))
                .expect("a menu key is a message");
            update(&mut s, msg);
        }
        match input(&mut s, InputKey::Submit).as_slice() {
            [
                Command::Hosts(HostsCommand::Connect {
                    purpose: Purpose::Run { name, .. },
                    ..
                }),
            ] => name.clone(),
            other => panic!("{other:?}"),
        }
    };
    let first = pick(&[]);
    let second = pick(&[KeyCode::Char('j')]);
    assert_ne!(first, second);
    assert_eq!(pick(&[KeyCode::Down]), second);
    assert_eq!(pick(&[KeyCode::Down, KeyCode::Up]), first);
}

/// Answer a refresh tick's hosts fetch with `result` after the draw that clears `dirty`;
/// returns whether the answer made the screen dirty.
fn reload(s: &mut AppState, result: Result<Vec<HostRow>, String>) -> bool {
    let commands = update(s, Msg::Tick { now: 1_000 });
    let [Command::Hosts(HostsCommand::Fetch { generation })] = commands.as_slice() else {
        panic!("expected one hosts fetch, got {commands:?}");
    };
    let generation = *generation;
    s.dirty = false;
    update(
        s,
        Msg::Hosts(HostsMsg::Loaded {
            generation,
            now: 1_000,
            result,
        }),
    );
    s.dirty
}

#[test]
fn an_identical_hosts_refresh_draws_nothing() {
    let rows = vec![host("i-1", "web-1", "prod")];
    let mut s = on_hosts(rows.clone());
    assert!(!reload(&mut s, Ok(rows)), "same hosts");
    assert!(
        reload(&mut s, Ok(vec![host("i-2", "web-2", "prod")])),
        "another host"
    );
    assert!(reload(&mut s, Err("throttled".into())), "first failure");
    assert!(!reload(&mut s, Err("throttled".into())), "same failure");
}
