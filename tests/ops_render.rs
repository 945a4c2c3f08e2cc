//! What the operations views draw: confirmation dialogs, the desired-count and stop-reason
//! prompts, the service detail (rollout) view, Auto Scaling groups and the journal, as
//! reviewed snapshots in `tests/snapshots/`, plus the colours that carry meaning and sizes
//! that must never panic.
//!
//! ECS does not let an emulator run a rollout, so the rollout view's data is built with the
//! SDK's own builders and converted by the backend's conversion functions, as real answers are.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/model.rs"]
mod model;
#[path = "common/render.rs"]
mod render;

use aws_sdk_ecs::types::{
    Container, Deployment, DeploymentRolloutState, Service, ServiceEvent, Task, TaskStopCode,
};
use aws_smithy_types::DateTime;
use model::{command_line, fetch_generation};
use opsdeck::app::asg::AsgMsg;
use opsdeck::app::journal::JournalMsg;
use opsdeck::app::journal::entry::read_entries;
use opsdeck::app::service::ServiceMsg;
use opsdeck::app::{Action, AppState, ContextInfo, InputKey, Msg, Settings, View, update};
use opsdeck::backend::ecs::ops_rows::service_detail;
use opsdeck::config::Theme;
use opsdeck::domain::asg::{AsgRow, ClusterLink};
use opsdeck::domain::ecs::{ServiceRow, TaskRow};
use opsdeck::domain::ids::{ClusterName, TaskArn};
use opsdeck::domain::service::{RollbackPlan, TaskDefinitionImages};
use opsdeck::input::keymap::Keymap;
use render::{at, draw, screen};

/// 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;
const CLUSTER: &str = "payments-prod";

fn state() -> AppState {
    let ctx = ContextInfo {
        profile: "default".into(),
        region: "eu-west-1".into(),
        endpoint: Some("http://127.0.0.1:5000".into()),
        account: Some("123456789012".into()),
        read_only: false,
        production: false,
    };
    let mut s = AppState::new(
        ctx,
        Settings {
            refresh_secs: 5,
            utc_offset_secs: 0,
            ..Settings::default()
        },
        Keymap::default(),
    );
    s.guard.settings.local_user = "alice".into();
    s
}

fn both(name: &str, state: &AppState) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(state, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(state, 160, 48));
}

fn service(name: &str, desired: i32, running: i32) -> ServiceRow {
    ServiceRow {
        cluster: CLUSTER.into(),
        name: name.into(),
        arn: format!("arn:aws:ecs:eu-west-1:123456789012:service/{CLUSTER}/{name}"),
        status: "ACTIVE".into(),
        desired,
        running,
        launch_type: "FARGATE".into(),
        task_definition: format!("{name}:8"),
        rollout: "COMPLETED".into(),
        created_at: Some(NOW - 86_400 * 3),
        ..Default::default()
    }
}

fn on_services(s: &mut AppState) {
    update(s, Msg::Action(Action::Refresh));
    let generation = fetch_generation(&command_line(s, &format!("services {CLUSTER}")));
    update(
        s,
        Msg::ServicesLoaded {
            generation,
            now: NOW,
            result: Ok(vec![
                service("payments-api", 3, 3),
                service("payments-worker", 2, 2),
            ]),
        },
    );
}

fn key(s: &mut AppState, k: InputKey) {
    update(s, Msg::Input(k));
}

#[test]
fn confirm_scale() {
    let mut s = state();
    on_services(&mut s);
    update(&mut s, Msg::Action(Action::ScaleUp));
    both("ops_confirm_scale", &s);
}

#[test]
fn confirm_scale_to_zero_typed() {
    let mut s = state();
    on_services(&mut s);
    update(&mut s, Msg::Action(Action::SetDesired));
    key(&mut s, InputKey::Char('0'));
    key(&mut s, InputKey::Submit);
    for c in "payments".chars() {
        key(&mut s, InputKey::Char(c));
    }
    both("ops_confirm_scale_to_zero", &s);
}

#[test]
fn desired_prompt() {
    let mut s = state();
    on_services(&mut s);
    update(&mut s, Msg::Action(Action::SetDesired));
    key(&mut s, InputKey::Char('+'));
    key(&mut s, InputKey::Char('2'));
    both("ops_desired_prompt", &s);
}

#[test]
fn confirm_rollback_shows_both_images() {
    let mut s = state();
    on_services(&mut s);
    update(&mut s, Msg::Action(Action::Rollback));
    let td = |rev: u32, image: &str| TaskDefinitionImages {
        arn: format!("arn:aws:ecs:eu-west-1:123456789012:task-definition/payments-api:{rev}"),
        family_revision: format!("payments-api:{rev}"),
        images: vec![
            ("app".into(), image.into()),
            ("log-router".into(), "fluent-bit:3.0".into()),
        ],
    };
    update(
        &mut s,
        Msg::Service(ServiceMsg::RollbackPrepared {
            cluster: CLUSTER.into(),
            service: "payments-api".into(),
            result: Ok(RollbackPlan {
                cluster: CLUSTER.into(),
                service: "payments-api".into(),
                current: td(8, "acme/payments-api:2.14.3"),
                previous: td(7, "acme/payments-api:2.14.2"),
            }),
        }),
    );
    both("ops_confirm_rollback", &s);
}

#[test]
fn stop_reason_prompt() {
    let mut s = state();
    let generation = fetch_generation(&command_line(
        &mut s,
        &format!("tasks {CLUSTER} payments-api"),
    ));
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: NOW,
            result: Ok(vec![TaskRow {
                cluster: CLUSTER.into(),
                arn: TaskArn::from(
                    "arn:aws:ecs:eu-west-1:123456789012:task/payments-prod/0a1b2c3d4e5f",
                ),
                last_status: "RUNNING".into(),
                desired_status: "RUNNING".into(),
                task_definition: "payments-api:8".into(),
                ..Default::default()
            }]),
        },
    );
    update(&mut s, Msg::Action(Action::StopTask));
    insta::assert_snapshot!("ops_stop_reason_prompt_80x24", screen(&s, 80, 24));
}

/// A service in the middle of a rollout, as ECS describes it, through the backend conversion.
fn rolling_service() -> opsdeck::domain::service::ServiceDetail {
    let at = |secs: i64| DateTime::from_secs(secs);
    let deployment =
        |id: &str, status: &str, rev: u32, state, desired, running, pending, failed| {
            Deployment::builder()
                .id(id)
                .status(status)
                .task_definition(format!(
                    "arn:aws:ecs:eu-west-1:123456789012:task-definition/payments-api:{rev}"
                ))
                .desired_count(desired)
                .running_count(running)
                .pending_count(pending)
                .failed_tasks(failed)
                .rollout_state(state)
                .created_at(at(NOW - 300))
                .updated_at(at(NOW - 60))
                .build()
        };
    let events = [
        (
            NOW - 30,
            "(service payments-api) has started 1 tasks: (task 9f8e7d6c).",
        ),
        (
            NOW - 90,
            "(service payments-api) registered 1 targets in (target-group payments)",
        ),
        (
            NOW - 240,
            "(service payments-api) is unable to consistently start tasks successfully.",
        ),
        (
            NOW - 3_600,
            "(service payments-api) has reached a steady state.",
        ),
    ];
    let mut svc = Service::builder()
        .service_name("payments-api")
        .service_arn("arn:aws:ecs:eu-west-1:123456789012:service/payments-prod/payments-api")
        .status("ACTIVE")
        .desired_count(4)
        .running_count(5)
        .pending_count(1)
        .launch_type(aws_sdk_ecs::types::LaunchType::Fargate)
        .task_definition("arn:aws:ecs:eu-west-1:123456789012:task-definition/payments-api:8")
        .deployments(deployment(
            "ecs-svc/222",
            "PRIMARY",
            8,
            DeploymentRolloutState::InProgress,
            4,
            2,
            1,
            1,
        ))
        .deployments(deployment(
            "ecs-svc/111",
            "ACTIVE",
            7,
            DeploymentRolloutState::Completed,
            4,
            3,
            0,
            0,
        ));
    for (i, (t, message)) in events.iter().enumerate() {
        svc = svc.events(
            ServiceEvent::builder()
                .id(i.to_string())
                .created_at(at(*t))
                .message(*message)
                .build(),
        );
    }
    let stopped = Task::builder()
        .task_arn("arn:aws:ecs:eu-west-1:123456789012:task/payments-prod/5a6b7c8d9e0f")
        .task_definition_arn("arn:aws:ecs:eu-west-1:123456789012:task-definition/payments-api:8")
        .last_status("STOPPED")
        .stopped_at(at(NOW - 200))
        .stop_code(TaskStopCode::EssentialContainerExited)
        .stopped_reason("Essential container in task exited")
        .containers(Container::builder().name("app").exit_code(1).build())
        .build();
    service_detail(&ClusterName::from(CLUSTER), &svc.build(), &[stopped])
}

fn on_detail(s: &mut AppState) {
    on_services(s);
    let generation = fetch_generation(&update(s, Msg::Action(Action::ToggleDetail)));
    update(
        s,
        Msg::Service(ServiceMsg::DetailLoaded {
            generation,
            now: NOW,
            result: Ok(Box::new(rolling_service())),
        }),
    );
}

#[test]
fn rollout_view() {
    let mut s = state();
    on_detail(&mut s);
    both("ops_rollout", &s);
    // The events scroll.
    update(&mut s, Msg::Action(Action::Down));
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("[2-"), "{shown}");
    assert!(!shown.contains("has started 1 tasks"), "{shown}");
}

#[test]
fn rollout_view_while_loading_and_failed() {
    let mut s = state();
    on_services(&mut s);
    let generation = fetch_generation(&update(&mut s, Msg::Action(Action::ToggleDetail)));
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("Loading payments-api…"), "{shown}");
    update(
        &mut s,
        Msg::Service(ServiceMsg::DetailLoaded {
            generation,
            now: NOW,
            result: Err("not found: service payments-api in cluster payments-prod".into()),
        }),
    );
    let shown = screen(&s, 80, 24);
    assert!(
        shown.contains("✖ not found: service payments-api in cluster payments-prod"),
        "{shown}"
    );
}

fn groups() -> Vec<AsgRow> {
    vec![
        AsgRow {
            name: "payments-prod-ecs-asg".into(),
            min: 1,
            desired: 3,
            max: 6,
            in_service: 2,
            pending: 1,
            instances: 3,
            cluster: Some(CLUSTER.into()),
            link: Some(ClusterLink::CapacityProvider),
            ecs_managed: true,
            created_at: Some(NOW - 86_400 * 30),
            ..Default::default()
        },
        AsgRow {
            name: "platform-tools-ecs-asg".into(),
            min: 1,
            desired: 2,
            max: 4,
            in_service: 2,
            instances: 2,
            cluster: Some("platform-tools".into()),
            link: Some(ClusterLink::Tag),
            created_at: Some(NOW - 86_400 * 12),
            ..Default::default()
        },
        AsgRow {
            name: "bastion-asg".into(),
            min: 0,
            desired: 1,
            max: 1,
            in_service: 1,
            instances: 1,
            created_at: Some(NOW - 7_200),
            ..Default::default()
        },
    ]
}

fn on_asgs(s: &mut AppState) {
    let generation = fetch_generation(&command_line(s, "asgs"));
    update(
        s,
        Msg::Asg(AsgMsg::Loaded {
            generation,
            now: NOW,
            result: Ok(groups()),
        }),
    );
}

#[test]
fn asgs_view_and_capacity_dialog() {
    let mut s = state();
    on_asgs(&mut s);
    assert_eq!(s.view(), &View::Asgs);
    both("ops_asgs", &s);
    update(&mut s, Msg::Action(Action::ScaleUp));
    both("ops_confirm_asg", &s);
}

fn journal_text() -> String {
    let intent = |id: &str, time: &str, op: &str| {
        format!(
            r#"{{"v":1,"phase":"intent","id":"{id}","time":"{time}","who":"arn:aws:sts::123456789012:assumed-role/Admin/alice","profile":"default","region":"eu-west-1","account":"123456789012","op":{op},"before":{{"desired":3,"running":3}}}}"#
        )
    };
    let scale = r#"{"op":"set_desired","cluster":"payments-prod","service":"payments-api","from":3,"to":4}"#;
    let redeploy = r#"{"op":"redeploy","cluster":"payments-prod","service":"payments-worker"}"#;
    let asg = r#"{"op":"set_asg_capacity","group":"payments-prod-ecs-asg","from":3,"to":9}"#;
    [
        intent("a", "2023-11-14T21:00:00Z", scale),
        r#"{"v":1,"phase":"result","id":"a","time":"2023-11-14T21:00:01Z","ok":true,"summary":"desired is now 4","request_id":"8f2c-41d1"}"#.to_string(),
        intent("b", "2023-11-14T21:30:00Z", asg),
        r#"{"v":1,"phase":"result","id":"b","time":"2023-11-14T21:30:01Z","ok":false,"error":"access denied on SetDesiredCapacity: not authorized — check the role's permissions"}"#.to_string(),
        // opsdeck stopped here: no result.
        intent("c", "2023-11-14T22:00:00Z", redeploy),
    ]
    .join("\n")
}

fn on_journal(s: &mut AppState) {
    let generation = fetch_generation(&command_line(s, "journal"));
    update(
        s,
        Msg::Journal(JournalMsg::Loaded {
            generation,
            now: NOW,
            result: Ok(read_entries(&journal_text())),
        }),
    );
}

#[test]
fn journal_view_shows_unknown_outcomes() {
    let mut s = state();
    on_journal(&mut s);
    assert_eq!(s.view(), &View::Journal);
    both("ops_journal", &s);
    // The newest entry, whose result was never written, is flagged in the warning colour
    // (seen with the selection on another row), the failed one in the error colour.
    update(&mut s, Msg::Action(Action::Down));
    let buffer = draw(&s, 160, 48);
    let theme = Theme::default();
    assert_eq!(
        buffer[at(&buffer, "unknown outcome")].style().fg,
        theme.warn.fg
    );
    update(&mut s, Msg::Action(Action::Up));
    let buffer = draw(&s, 160, 48);
    assert_eq!(buffer[at(&buffer, "failed  ")].style().fg, theme.error.fg);
    // Undo of the completed scale asks first.
    update(&mut s, Msg::Action(Action::Bottom));
    update(&mut s, Msg::Action(Action::Undo));
    both("ops_confirm_undo", &s);
}

#[test]
fn tiny_terminals_never_panic() {
    let mut views = Vec::new();
    let mut s = state();
    on_detail(&mut s);
    views.push(s);
    let mut s = state();
    on_asgs(&mut s);
    views.push(s);
    let mut s = state();
    on_journal(&mut s);
    views.push(s);
    let mut s = state();
    on_services(&mut s);
    update(&mut s, Msg::Action(Action::ScaleUp));
    views.push(s);
    for s in &views {
        for (w, h) in [(1, 1), (10, 3), (20, 5), (40, 10), (79, 23)] {
            draw(s, w, h);
        }
    }
}
