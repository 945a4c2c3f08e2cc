//! The copy keys through `update`: what `c` (`copy_id`) and `C` (`copy_full`) copy on each
//! kind of view, the status line that names it, the size cap and `[ui] clipboard = "off"`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "common/model.rs"]
mod model;

use opsdeck::app::core::copy::MAX_COPY_BYTES;
use opsdeck::app::guard::op::Op;
use opsdeck::app::journal::JournalMsg;
use opsdeck::app::journal::entry::{
    Intent, JOURNAL_VERSION, JournalRecord, format_time, read_entries,
};
use opsdeck::app::{Action, AppState, Command, ContextInfo, Msg, Settings, logs, update};
use opsdeck::app::{asg::AsgMsg, docker::DockerMsg, hosts::HostsMsg, images::ImagesMsg};
use opsdeck::domain::asg::AsgRow;
use opsdeck::domain::docker::DockerContainerRow;
use opsdeck::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use opsdeck::domain::hosts::HostRow;
use opsdeck::domain::ids::TaskArn;
use opsdeck::domain::images::ImageRow;
use opsdeck::domain::logs::{LogLine, LogSource};
use opsdeck::input::keymap::{KeyContext, Keymap};

use model::{command_line, fetch_generation};

const TASK_ID: &str = "3f2a9c0d1e2f4a5b6c7d8e9f0a1b2c3d";
const TASK_ARN: &str =
    "arn:aws:ecs:eu-west-1:123456789012:task/prod/3f2a9c0d1e2f4a5b6c7d8e9f0a1b2c3d";
const CONTAINER_ID: &str = "4f1c2d3e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d";

fn state() -> AppState {
    AppState::new(
        ContextInfo::default(),
        Settings::default(),
        Keymap::default(),
    )
}

fn act(s: &mut AppState, action: Action) -> Vec<Command> {
    update(s, Msg::Action(action))
}

fn flash(s: &AppState) -> String {
    s.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

/// Press `action`; the text it copies (exactly one `Command::Copy`) and the status line.
fn copy(s: &mut AppState, action: Action) -> (String, String) {
    let commands = act(s, action);
    let [Command::Copy { text }] = commands.as_slice() else {
        panic!(
            "expected one copy, got {commands:?}; status: {:?}",
            flash(s)
        );
    };
    (text.clone(), flash(s))
}

/// Press `action` and expect nothing copied; the status line.
fn refused(s: &mut AppState, action: Action) -> String {
    let commands = act(s, action);
    assert!(
        !commands.iter().any(|c| matches!(c, Command::Copy { .. })),
        "{commands:?}"
    );
    flash(s)
}

/// On the tasks of `prod/api`, reached from the clusters through `update`.
fn on_tasks() -> AppState {
    let mut s = state();
    let commands = act(&mut s, Action::Refresh);
    let cluster = ClusterRow {
        name: "prod".into(),
        arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/prod".into(),
        status: "ACTIVE".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![cluster]),
        },
    );
    let commands = act(&mut s, Action::Enter);
    let service = ServiceRow {
        cluster: "prod".into(),
        name: "api".into(),
        arn: "arn:aws:ecs:eu-west-1:123456789012:service/prod/api".into(),
        status: "ACTIVE".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![service]),
        },
    );
    let commands = act(&mut s, Action::Enter);
    update(
        &mut s,
        Msg::TasksLoaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![task()]),
        },
    );
    s
}

fn task() -> TaskRow {
    TaskRow {
        cluster: "prod".into(),
        arn: TaskArn::from(TASK_ARN),
        last_status: "RUNNING".into(),
        containers: vec![ContainerRow {
            name: "app".into(),
            runtime_id: CONTAINER_ID.into(),
            last_status: "RUNNING".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[test]
fn the_copy_keys_are_c_and_shift_c_everywhere() {
    let keymap = Keymap::default();
    for context in KeyContext::ALL {
        assert_eq!(keymap.key_name(*context, Action::CopyId), "c", "{context}");
        assert_eq!(
            keymap.key_name(*context, Action::CopyFull),
            "C",
            "{context}"
        );
    }
}

#[test]
fn on_a_task_c_copies_its_id_and_shift_c_its_arn() {
    let mut s = on_tasks();
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(text, TASK_ID);
    assert_eq!(status, "copied task id 3f2a9c0d1e2f4a5b6c7d… (32 bytes)");
    let (text, status) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, TASK_ARN);
    assert_eq!(status, "copied task ARN arn:aws:ecs:eu-west-… (77 bytes)");
}

#[test]
fn clusters_and_services_copy_their_name_or_arn() {
    let mut s = on_tasks();
    act(&mut s, Action::Back);
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("api", "copied service name api (3 bytes)")
    );
    let (text, status) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, "arn:aws:ecs:eu-west-1:123456789012:service/prod/api");
    assert!(status.starts_with("copied service ARN "), "{status}");

    act(&mut s, Action::Back);
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("prod", "copied cluster name prod (4 bytes)")
    );
    let (text, _) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, "arn:aws:ecs:eu-west-1:123456789012:cluster/prod");
}

#[test]
fn a_service_without_an_arn_copies_cluster_slash_name() {
    let mut s = state();
    let commands = command_line(&mut s, "services prod");
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![ServiceRow {
                cluster: "prod".into(),
                name: "api".into(),
                ..Default::default()
            }]),
        },
    );
    let (text, status) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, "prod/api");
    assert_eq!(status, "copied service prod/api (8 bytes)");
}

#[test]
fn a_container_copies_its_name_or_runtime_id() {
    let mut s = on_tasks();
    let commands = act(&mut s, Action::Enter);
    update(
        &mut s,
        Msg::TaskLoaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(Box::new(task())),
        },
    );
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("app", "copied container name app (3 bytes)")
    );
    let (text, status) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, CONTAINER_ID);
    assert!(
        status.starts_with("copied container runtime id 4f1c"),
        "{status}"
    );
}

#[test]
fn docker_containers_copy_the_short_or_full_id() {
    let mut s = state();
    command_line(&mut s, "containers");
    let row = DockerContainerRow {
        id: CONTAINER_ID.into(),
        name: "web-1".into(),
        state: "running".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: 1_000,
            result: Ok(vec![row]),
        }),
    );
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(text, "4f1c2d3e5a6b");
    assert_eq!(status, "copied container id 4f1c2d3e5a6b (12 bytes)");
    let (text, status) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, CONTAINER_ID);
    assert!(status.starts_with("copied full container id "), "{status}");
    assert!(status.ends_with("(64 bytes)"), "{status}");
}

#[test]
fn a_log_view_copies_the_newest_line_or_the_one_scrolled_to() {
    let mut s = state();
    let source = LogSource::Docker {
        id: "4f1c2d3e".into(),
        name: "web-1".into(),
    };
    let commands = logs::open(&mut s, source);
    let Some(Command::StartTail { tail, .. }) = commands.last() else {
        panic!("no tail started: {commands:?}");
    };
    let lines = (1..=30)
        .map(|i| LogLine::new(&format!("line {i}")))
        .collect();
    update(&mut s, Msg::Log(logs::LogMsg::Lines { tail: *tail, lines }));
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(text, "line 30");
    assert_eq!(status, "copied log line line 30 (7 bytes)");
    act(&mut s, Action::Top);
    let (text, _) = copy(&mut s, Action::CopyFull);
    assert_eq!(text, "line 1");
}

#[test]
fn an_empty_log_view_has_nothing_to_copy() {
    let mut s = state();
    let source = LogSource::Docker {
        id: "4f1c2d3e".into(),
        name: "web-1".into(),
    };
    logs::open(&mut s, source);
    assert_eq!(refused(&mut s, Action::CopyId), "nothing to copy here");
}

#[test]
fn hosts_copy_the_instance_id() {
    let mut s = state();
    let commands = command_line(&mut s, "hosts");
    let host = HostRow {
        id: "i-0123456789abcdef0".into(),
        name: "bastion".into(),
        state: "running".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Loaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![host]),
        }),
    );
    for action in [Action::CopyId, Action::CopyFull] {
        let (text, status) = copy(&mut s, action);
        assert_eq!(text, "i-0123456789abcdef0");
        assert_eq!(status, "copied instance id i-0123456789abcdef0 (19 bytes)");
    }
}

#[test]
fn asgs_copy_the_name_or_arn() {
    let mut s = state();
    let commands = command_line(&mut s, "asgs");
    let group = AsgRow {
        name: "web-asg".into(),
        arn: "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/web-asg".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Asg(AsgMsg::Loaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![group]),
        }),
    );
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("web-asg", "copied ASG name web-asg (7 bytes)")
    );
    let (text, status) = copy(&mut s, Action::CopyFull);
    assert!(text.starts_with("arn:aws:autoscaling:"), "{text}");
    assert!(status.starts_with("copied ASG ARN "), "{status}");
}

#[test]
fn images_copy_the_short_or_full_id() {
    let mut s = state();
    let commands = command_line(&mut s, "images");
    let image = ImageRow {
        id: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef".into(),
        repository: "web".into(),
        tag: "1".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Images(ImagesMsg::Loaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![image]),
        }),
    );
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(
        (text.as_str(), status.as_str()),
        ("0123456789ab", "copied image id 0123456789ab (12 bytes)")
    );
    let (text, _) = copy(&mut s, Action::CopyFull);
    assert!(text.starts_with("sha256:0123"), "{text}");
}

#[test]
fn journal_entries_copy_their_id() {
    let mut s = state();
    let commands = command_line(&mut s, "journal");
    let intent = JournalRecord::Intent(Intent {
        v: JOURNAL_VERSION,
        id: "01hx7k2m9q".into(),
        time: format_time(1_700_000_000),
        who: "arn:aws:sts::123456789012:user/alice".into(),
        profile: "dev".into(),
        region: "eu-west-1".into(),
        account: None,
        op: Op::SetDesired {
            cluster: "prod".into(),
            service: "api".into(),
            from: 3,
            to: 4,
        },
        before: Default::default(),
        undoes: None,
    });
    let text = serde_json::to_string(&intent).unwrap();
    update(
        &mut s,
        Msg::Journal(JournalMsg::Loaded {
            generation: fetch_generation(&commands),
            now: 1_700_000_100,
            result: Ok(read_entries(&text)),
        }),
    );
    let (text, status) = copy(&mut s, Action::CopyId);
    assert_eq!(text, "01hx7k2m9q");
    assert_eq!(status, "copied journal entry id 01hx7k2m9q (10 bytes)");
}

#[test]
fn an_empty_table_has_nothing_to_copy() {
    let mut s = state();
    assert_eq!(refused(&mut s, Action::CopyId), "nothing to copy here");
    assert_eq!(refused(&mut s, Action::CopyFull), "nothing to copy here");
}

#[test]
fn with_the_clipboard_off_the_keys_say_how_to_turn_it_on() {
    let settings = Settings {
        clipboard: false,
        ..Settings::default()
    };
    let mut s = AppState::new(ContextInfo::default(), settings, Keymap::default());
    let commands = act(&mut s, Action::Refresh);
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation: fetch_generation(&commands),
            now: 1_000,
            result: Ok(vec![ClusterRow {
                name: "prod".into(),
                ..Default::default()
            }]),
        },
    );
    assert_eq!(
        refused(&mut s, Action::CopyId),
        "copying is off; set [ui] clipboard = \"osc52\" in the config to turn it on"
    );
}

#[test]
fn a_line_over_the_cap_is_refused_naming_the_cap() {
    // Log lines are cut at 16 KiB; a journal entry id is the one text a test can make long.
    let mut s = state();
    let commands = command_line(&mut s, "journal");
    let id = "x".repeat(MAX_COPY_BYTES + 1);
    let intent = JournalRecord::Intent(Intent {
        v: JOURNAL_VERSION,
        id: id.clone(),
        time: format_time(1_700_000_000),
        who: "alice".into(),
        profile: "dev".into(),
        region: "eu-west-1".into(),
        account: None,
        op: Op::SetDesired {
            cluster: "prod".into(),
            service: "api".into(),
            from: 3,
            to: 4,
        },
        before: Default::default(),
        undoes: None,
    });
    update(
        &mut s,
        Msg::Journal(JournalMsg::Loaded {
            generation: fetch_generation(&commands),
            now: 1_700_000_100,
            result: Ok(read_entries(&serde_json::to_string(&intent).unwrap())),
        }),
    );
    assert_eq!(
        refused(&mut s, Action::CopyId),
        "journal entry id not copied: 65 KiB is over the 64 KiB copy limit"
    );
}
