//! The describe view through `update` and the renderer: `y` on every view, `Y` for task
//! definitions, search, wrap, JSON, save and copy, and its screen at 80×24 and 160×48.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/model.rs"]
mod model;
#[path = "common/render.rs"]
mod tui;

use model::{command_line, fetch_generation};
use opsdeck::app::asg::AsgMsg;
use opsdeck::app::describe::{DescribeCommand, DescribeMsg};
use opsdeck::app::docker::DockerMsg;
use opsdeck::app::hosts::HostsMsg;
use opsdeck::app::service::ServiceMsg;
use opsdeck::app::{Action, AppState, Command, ContextInfo, InputKey, Msg, Settings, View, update};
use opsdeck::domain::asg::AsgRow;
use opsdeck::domain::describe::{DescribeTarget, MASK};
use opsdeck::domain::docker::DockerContainerRow;
use opsdeck::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use opsdeck::domain::hosts::HostRow;
use opsdeck::domain::service::ServiceDetail;
use opsdeck::input::keymap::Keymap;
use serde_json::{Value, json};
use tui::screen;

const NOW: i64 = 1_700_000_000;
const TASK: &str = "arn:aws:ecs:eu-west-1:123456789012:task/prod/0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TASK_DEF: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/payments-api:112";

fn new_state() -> AppState {
    let ctx = ContextInfo {
        profile: "default".into(),
        region: "eu-west-1".into(),
        endpoint: Some("http://127.0.0.1:5000".into()),
        account: Some("123456789012".into()),
        read_only: false,
        production: false,
    };
    let settings = Settings {
        save_dir: "saves".into(),
        ..Settings::default()
    };
    let mut s = AppState::new(ctx, settings, Keymap::default());
    update(
        &mut s,
        Msg::Resized {
            width: 80,
            height: 24,
        },
    );
    s
}

fn key(s: &mut AppState, action: Action) -> Vec<Command> {
    update(s, Msg::Action(action))
}

/// On the services of `prod`, with payments-api selected.
fn on_services() -> AppState {
    let mut s = new_state();
    let generation = fetch_generation(&update(&mut s, Msg::Started { now: NOW }));
    let cluster = ClusterRow {
        name: "prod".into(),
        arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/prod".into(),
        status: "ACTIVE".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation,
            now: NOW,
            result: Ok(vec![cluster]),
        },
    );
    let generation = fetch_generation(&key(&mut s, Action::Enter));
    let service = ServiceRow {
        cluster: "prod".into(),
        name: "payments-api".into(),
        arn: "arn:aws:ecs:eu-west-1:123456789012:service/prod/payments-api".into(),
        status: "ACTIVE".into(),
        task_definition: TASK_DEF.into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation,
            now: NOW,
            result: Ok(vec![service]),
        },
    );
    s
}

/// On the tasks of payments-api, one task selected.
fn on_tasks() -> AppState {
    let mut s = on_services();
    let generation = fetch_generation(&key(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: NOW,
            result: Ok(vec![task_row()]),
        },
    );
    s
}

fn task_row() -> TaskRow {
    TaskRow {
        cluster: "prod".into(),
        arn: TASK.into(),
        task_definition: TASK_DEF.into(),
        group: "service:payments-api".into(),
        containers: vec![ContainerRow {
            name: "app".into(),
            image: "nginx:1.25".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// What `action` opened: the view's target and the fetch it asked for.
fn opened(s: &mut AppState, action: Action) -> DescribeTarget {
    let commands = key(s, action);
    let View::Describe { target } = s.view().clone() else {
        panic!("not on a describe view: {:?} ({commands:?})", s.view());
    };
    assert!(
        commands.contains(&Command::Describe(DescribeCommand::Fetch {
            generation: fetch_generation(&commands),
            target: target.clone(),
        })),
        "{commands:?}"
    );
    target
}

fn service_target() -> DescribeTarget {
    DescribeTarget::Service {
        cluster: "prod".into(),
        service: "payments-api".into(),
    }
}

fn task_definition_target() -> DescribeTarget {
    DescribeTarget::TaskDefinition {
        arn: TASK_DEF.into(),
    }
}

#[test]
fn y_describes_the_selection_on_every_ecs_view() {
    let mut s = on_services();
    assert_eq!(opened(&mut s, Action::Describe), service_target());
    assert_eq!(s.view().crumb(), "describe payments-api");
    key(&mut s, Action::Back);
    assert!(matches!(s.view(), View::Services { .. }));

    // The clusters view, one back.
    key(&mut s, Action::Back);
    assert_eq!(
        opened(&mut s, Action::Describe),
        DescribeTarget::Cluster {
            cluster: "prod".into()
        }
    );

    let mut s = on_tasks();
    assert_eq!(
        opened(&mut s, Action::Describe),
        DescribeTarget::Task {
            cluster: "prod".into(),
            task: TASK.into()
        }
    );

    let mut s = on_tasks();
    let generation = fetch_generation(&key(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TaskLoaded {
            generation,
            now: NOW,
            result: Ok(Box::new(task_row())),
        },
    );
    assert_eq!(
        opened(&mut s, Action::Describe),
        DescribeTarget::Container {
            cluster: "prod".into(),
            task: TASK.into(),
            container: "app".into()
        }
    );
    key(&mut s, Action::Back);
    assert_eq!(
        opened(&mut s, Action::DescribeTaskDefinition),
        task_definition_target()
    );
}

#[test]
fn capital_y_describes_the_task_definition_of_a_service_or_task() {
    let mut s = on_services();
    assert_eq!(
        opened(&mut s, Action::DescribeTaskDefinition),
        task_definition_target()
    );
    let mut s = on_tasks();
    assert_eq!(
        opened(&mut s, Action::DescribeTaskDefinition),
        task_definition_target()
    );

    // The service detail names its task definition too.
    let mut s = on_services();
    let generation = fetch_generation(&key(&mut s, Action::ToggleDetail));
    let detail = ServiceDetail {
        service: ServiceRow {
            cluster: "prod".into(),
            name: "payments-api".into(),
            ..Default::default()
        },
        task_definition_arn: TASK_DEF.into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Service(ServiceMsg::DetailLoaded {
            generation,
            now: NOW,
            result: Ok(Box::new(detail)),
        }),
    );
    assert_eq!(
        opened(&mut s, Action::DescribeTaskDefinition),
        task_definition_target()
    );
    key(&mut s, Action::Back);
    assert_eq!(opened(&mut s, Action::Describe), service_target());
}

#[test]
fn nothing_to_describe_says_so() {
    let mut s = on_services();
    key(&mut s, Action::Back);
    assert!(key(&mut s, Action::DescribeTaskDefinition).is_empty());
    assert_eq!(s.view(), &View::Clusters);
    assert!(screen(&s, 80, 24).contains("no task definition here"));
    command_line(&mut s, "journal");
    key(&mut s, Action::Describe);
    assert!(screen(&s, 80, 24).contains("nothing to describe here"));
}

#[test]
fn y_describes_hosts_groups_and_docker_containers() {
    let mut s = new_state();
    let generation = fetch_generation(&command_line(&mut s, "hosts"));
    let host = HostRow {
        id: "i-0abc".into(),
        name: "web-1".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Hosts(HostsMsg::Loaded {
            generation,
            now: NOW,
            result: Ok(vec![host]),
        }),
    );
    assert_eq!(
        opened(&mut s, Action::Describe),
        DescribeTarget::Instance {
            id: "i-0abc".into()
        }
    );

    let generation = fetch_generation(&command_line(&mut s, "asgs"));
    let group = AsgRow {
        name: "ecs-prod-asg".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Asg(AsgMsg::Loaded {
            generation,
            now: NOW,
            result: Ok(vec![group]),
        }),
    );
    assert_eq!(
        opened(&mut s, Action::Describe),
        DescribeTarget::Asg {
            name: "ecs-prod-asg".into()
        }
    );

    command_line(&mut s, "containers");
    let container = DockerContainerRow {
        id: "f00dfeed1234567890".into(),
        name: "redis".into(),
        ..Default::default()
    };
    update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: NOW,
            result: Ok(vec![container]),
        }),
    );
    assert_eq!(
        opened(&mut s, Action::Describe),
        DescribeTarget::DockerContainer {
            id: "f00dfeed1234567890".into(),
            name: "redis".into()
        }
    );
}

/// A service document as the backend gives it (masked already).
fn service_doc() -> Value {
    let events: Vec<Value> = (0..5)
        .map(|i| json!({"createdAt": format!("2023-11-14T22:0{i}:00Z"), "message": format!("(service payments-api) has reached a steady state. {i}")}))
        .collect();
    json!({
        "serviceName": "payments-api",
        "serviceArn": "arn:aws:ecs:eu-west-1:123456789012:service/prod/payments-api",
        "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
        "status": "ACTIVE",
        "desiredCount": 4,
        "runningCount": 4,
        "pendingCount": 0,
        "launchType": "FARGATE",
        "taskDefinition": TASK_DEF,
        "enableExecuteCommand": false,
        "deployments": [{
            "id": "ecs-svc/1234567890",
            "status": "PRIMARY",
            "rolloutState": "COMPLETED",
            "desiredCount": 4,
            "runningCount": 4,
            "createdAt": "2023-11-14T20:00:00Z",
        }],
        "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/payments/abc", "containerName": "app", "containerPort": 8080}],
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1", "subnet-2"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
        "deploymentConfiguration": {"maximumPercent": 200, "minimumHealthyPercent": 100, "deploymentCircuitBreaker": {"enable": true, "rollback": true}},
        "deploymentController": {"type": "ECS"},
        "events": events,
        "createdAt": "2023-11-02T22:13:20Z",
    })
}

/// On the describe view of payments-api with its document loaded.
fn describing() -> AppState {
    let mut s = on_services();
    let generation = fetch_generation(&key(&mut s, Action::Describe));
    update(
        &mut s,
        Msg::Describe(DescribeMsg::Loaded {
            generation,
            now: NOW,
            result: Ok(service_doc()),
        }),
    );
    s
}

fn type_search(s: &mut AppState, text: &str) {
    key(s, Action::Filter);
    update(s, Msg::Input(InputKey::Clear));
    for c in text.chars() {
        update(s, Msg::Input(InputKey::Char(c)));
    }
    update(s, Msg::Input(InputKey::Submit));
}

fn cursor_text(s: &AppState) -> String {
    s.describe.lines[s.describe.cursor].text()
}

#[test]
fn search_puts_the_cursor_on_matches_and_n_walks_them() {
    let mut s = describing();
    type_search(&mut s, "taskdefinition");
    assert_eq!(cursor_text(&s), format!("taskDefinition: {TASK_DEF}"));
    let shown = screen(&s, 80, 24);
    assert!(
        shown.contains("taskDefinition: arn:aws:ecs:eu-west-1"),
        "{shown}"
    );
    assert!(shown.contains("/taskdefinition/ 1/1"), "{shown}");

    type_search(&mut s, "steady");
    let first = s.describe.cursor;
    key(&mut s, Action::SearchNext);
    assert_eq!(s.describe.cursor, s.describe.matches[1]);
    key(&mut s, Action::SearchPrev);
    assert_eq!(s.describe.cursor, first);
    key(&mut s, Action::SearchPrev);
    assert_eq!(s.describe.cursor, *s.describe.matches.last().unwrap());
    assert!(screen(&s, 80, 24).contains("search wrapped to the bottom"));

    // esc clears the search first, then leaves.
    key(&mut s, Action::Back);
    assert!(s.describe.search.is_none());
    assert!(matches!(s.view(), View::Describe { .. }));
    key(&mut s, Action::Back);
    assert!(matches!(s.view(), View::Services { .. }));
}

#[test]
fn moves_keep_the_cursor_on_screen() {
    let mut s = describing();
    let total = s.describe.lines.len();
    key(&mut s, Action::Bottom);
    assert_eq!(s.describe.cursor, total - 1);
    let shown = screen(&s, 80, 24);
    assert!(shown.contains(&format!("line {total}/{total}")), "{shown}");
    assert!(shown.contains("taskDefinition: arn"), "{shown}");
    key(&mut s, Action::Top);
    assert_eq!((s.describe.cursor, s.describe.top), (0, 0));
    key(&mut s, Action::PageDown);
    // 19 rows of lines at 80×24: the cursor goes a page down, the view follows it.
    assert_eq!((s.describe.cursor, s.describe.top), (19, 1));
    key(&mut s, Action::Down);
    assert_eq!((s.describe.cursor, s.describe.top), (20, 2));
}

#[test]
fn wrap_shows_the_end_of_long_lines() {
    let mut s = describing();
    type_search(&mut s, "targetGroupArn");
    let cut = screen(&s, 80, 24);
    assert!(!cut.contains("targetgroup/payments/abc"), "{cut}");
    key(&mut s, Action::Wrap);
    let wrapped = screen(&s, 80, 24);
    assert!(wrapped.contains("WRAP"), "{wrapped}");
    assert!(wrapped.contains("payments/abc"), "{wrapped}");
}

#[test]
fn json_toggle_and_save_write_the_form_shown() {
    let mut s = describing();
    key(&mut s, Action::ToggleJson);
    assert_eq!(s.describe.lines[0].text(), "{");
    assert!(screen(&s, 80, 24).contains(" JSON "));
    let commands = key(&mut s, Action::Save);
    let [
        Command::Describe(DescribeCommand::Save {
            dir,
            stem,
            ext,
            text,
        }),
    ] = &commands[..]
    else {
        panic!("{commands:?}");
    };
    assert_eq!(dir, &std::path::PathBuf::from("saves"));
    assert_eq!(stem, "opsdeck-describe-service-payments-api");
    assert_eq!(*ext, "json");
    assert_eq!(serde_json::from_str::<Value>(text).unwrap(), service_doc());

    key(&mut s, Action::ToggleJson);
    let commands = key(&mut s, Action::Save);
    let [Command::Describe(DescribeCommand::Save { ext, text, .. })] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert_eq!(*ext, "yaml");
    assert!(text.contains("serviceName: payments-api\n"), "{text}");

    update(
        &mut s,
        Msg::Describe(DescribeMsg::Saved {
            result: Ok("saves/x.yaml".into()),
        }),
    );
    assert!(screen(&s, 80, 24).contains("saved to saves/x.yaml"));
}

#[test]
fn c_copies_the_cursor_line_and_capital_c_the_document() {
    let mut s = describing();
    type_search(&mut s, "serviceArn");
    let commands = key(&mut s, Action::CopyId);
    assert_eq!(
        commands,
        vec![Command::Copy {
            text: "serviceArn: arn:aws:ecs:eu-west-1:123456789012:service/prod/payments-api".into()
        }]
    );
    let commands = key(&mut s, Action::CopyFull);
    let [Command::Copy { text }] = &commands[..] else {
        panic!("{commands:?}");
    };
    assert!(
        text.starts_with("clusterArn: ")
            && text.ends_with(&format!("taskDefinition: {TASK_DEF}\n")),
        "{text}"
    );
}

#[test]
fn the_snapshot_stays_until_ctrl_r() {
    let mut s = describing();
    assert!(update(&mut s, Msg::Tick { now: NOW + 5 }).is_empty());
    let commands = key(&mut s, Action::Refresh);
    let generation = fetch_generation(&commands);
    update(
        &mut s,
        Msg::Describe(DescribeMsg::Loaded {
            generation,
            now: NOW,
            result: Err("ThrottlingException: Rate exceeded".into()),
        }),
    );
    // A failed refresh keeps the document and says why.
    let shown = screen(&s, 80, 24);
    assert!(
        shown.contains("serviceName") || shown.contains("clusterArn"),
        "{shown}"
    );
    assert!(shown.contains("ThrottlingException"), "{shown}");
}

#[test]
fn masked_environment_values_show_as_dots() {
    let mut s = on_services();
    let generation = fetch_generation(&key(&mut s, Action::DescribeTaskDefinition));
    let mut doc = json!({"containerDefinitions": [{"name": "app", "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}], "secrets": [{"name": "API_KEY", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/api"}]}]});
    opsdeck::domain::describe::mask_secrets(&mut doc);
    update(
        &mut s,
        Msg::Describe(DescribeMsg::Loaded {
            generation,
            now: NOW,
            result: Ok(doc),
        }),
    );
    let shown = screen(&s, 80, 24);
    assert!(shown.contains(&format!("value: {MASK}")), "{shown}");
    assert!(!shown.contains("hunter2"));
    assert!(shown.contains("valueFrom: arn:aws:ssm:eu-west-1:1:parameter/api"));
}

// ------------------------------------------------------------------ snapshots

fn snapshot(name: &str, s: &AppState) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(s, 80, 24));
    let mut big = s.clone();
    update(
        &mut big,
        Msg::Resized {
            width: 160,
            height: 48,
        },
    );
    insta::assert_snapshot!(format!("{name}_160x48"), screen(&big, 160, 48));
}

#[test]
fn describe_service_screen() {
    snapshot("service", &describing());
}

#[test]
fn describe_search_screen() {
    let mut s = describing();
    type_search(&mut s, "arn");
    snapshot("search", &s);
}

#[test]
fn describe_loading_and_failed_screens() {
    let mut s = on_services();
    let generation = fetch_generation(&key(&mut s, Action::Describe));
    snapshot("loading", &s);
    update(
        &mut s,
        Msg::Describe(DescribeMsg::Loaded {
            generation,
            now: NOW,
            result: Err("service payments-api in cluster prod was not found".into()),
        }),
    );
    snapshot("failed", &s);
}

#[test]
fn colours_come_from_the_theme() {
    let s = describing();
    let theme = opsdeck::config::Theme::default();
    let buffer = tui::draw_with(&s, &theme, 80, 24);
    let (x, y) = tui::at(&buffer, "desiredCount");
    // The cursor is on the first line; this one is coloured by its tokens.
    assert_eq!(buffer[(x, y)].fg, theme.info.fg.unwrap_or_default());
    let (x, y) = tui::at(&buffer, "\"2023-11-02T22:13:20Z\"");
    assert_eq!(buffer[(x, y)].fg, theme.ok.fg.unwrap_or_default());
}

#[test]
fn a_16_colour_theme_gives_a_16_colour_view() {
    use ratatui::style::Color;
    let mut s = describing();
    type_search(&mut s, "arn");
    let theme = opsdeck::config::Theme::load("high-contrast", None, false).unwrap();
    let buffer = tui::draw_with(&s, &theme, 80, 24);
    let ansi = |c: Color| !matches!(c, Color::Rgb(..) | Color::Indexed(16..));
    for cell in buffer.content.iter() {
        assert!(ansi(cell.fg) && ansi(cell.bg), "{cell:?}");
    }
    // Keys and strings still differ, and a match stands out.
    let (x, y) = tui::at(&buffer, "desiredCount");
    assert_eq!(buffer[(x, y)].fg, theme.info.fg.unwrap());
    let (x, y) = tui::at(&buffer, "\"2023-11-02");
    assert_eq!(buffer[(x, y)].fg, theme.ok.fg.unwrap());
    let (x, y) = tui::at(&buffer, "arn:aws:ecs:eu-west-1:123456789012:cluster");
    assert_eq!(buffer[(x, y)].bg, theme.search_match.bg.unwrap());
}
