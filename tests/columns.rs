//! Columns on a narrow terminal: the title's hidden-column marker, `scroll_left`/`scroll_right`
//! through `update` (bounded by what the screen hides), and what starts them over (another
//! view, another width). Reviewed snapshots in `tests/snapshots/`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "common/model.rs"]
mod model;
#[path = "common/render.rs"]
mod tui;

use opsdeck::app::{Action, AppState, Command, ContextInfo, Msg, Settings, update};
use opsdeck::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use opsdeck::domain::ids::TaskArn;
use opsdeck::input::keymap::Keymap;

use model::fetch_generation;
use tui::screen;

/// 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;

fn act(s: &mut AppState, action: Action) -> Vec<Command> {
    update(s, Msg::Action(action))
}

fn service(name: &str, desired: i32, running: i32, pending: i32) -> ServiceRow {
    ServiceRow {
        cluster: "prod".into(),
        name: name.into(),
        status: "ACTIVE".into(),
        desired,
        running,
        pending,
        launch_type: "FARGATE".into(),
        task_definition: format!("{name}:12"),
        rollout: "COMPLETED".into(),
        created_at: Some(NOW - 86_400 * 3),
        ..Default::default()
    }
}

fn task(id: &str) -> TaskRow {
    TaskRow {
        cluster: "prod".into(),
        arn: TaskArn::from(format!("arn:aws:ecs:eu-west-1:1:task/prod/{id}")),
        last_status: "RUNNING".into(),
        desired_status: "RUNNING".into(),
        health: "HEALTHY".into(),
        task_definition: "api:12".into(),
        launch_type: "FARGATE".into(),
        availability_zone: "eu-west-1a".into(),
        private_ip: "10.0.3.17".into(),
        started_at: Some(NOW - 3_600),
        containers: vec![ContainerRow {
            name: "app".into(),
            image: "acme/payments-api:2.14.3".into(),
            last_status: "RUNNING".into(),
            health: "HEALTHY".into(),
            cpu: "512".into(),
            memory: "1024".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The services of cluster `prod` on an 80×24 screen.
fn at_services() -> AppState {
    let mut s = AppState::new(
        ContextInfo::default(),
        Settings::default(),
        Keymap::default(),
    );
    update(
        &mut s,
        Msg::Resized {
            width: 80,
            height: 24,
        },
    );
    let generation = fetch_generation(&act(&mut s, Action::Refresh));
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation,
            now: NOW,
            result: Ok(vec![ClusterRow {
                name: "prod".into(),
                status: "ACTIVE".into(),
                ..Default::default()
            }]),
        },
    );
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation,
            now: NOW,
            result: Ok(vec![
                service("api", 3, 1, 2),
                service("worker", 2, 2, 0),
                service("scheduler", 1, 0, 0),
            ]),
        },
    );
    s
}

fn at_tasks() -> AppState {
    let mut s = at_services();
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: NOW,
            result: Ok(vec![task("7109c95421cf4112"), task("5fd2f177a0b14c3e")]),
        },
    );
    s
}

/// The table's title line (the third line on screen).
fn title(s: &AppState, width: u16) -> String {
    screen(s, width, 24)
        .lines()
        .nth(2)
        .unwrap_or("")
        .to_string()
}

/// The table's header line.
fn header(s: &AppState, width: u16) -> String {
    screen(s, width, 24)
        .lines()
        .nth(3)
        .unwrap_or("")
        .to_string()
}

#[test]
fn at_80_columns_the_task_counts_are_compact_and_the_title_counts_what_is_hidden() {
    let s = at_services();
    let shown = screen(&s, 80, 24);
    assert!(header(&s, 80).contains("TASKS"), "{shown}");
    assert!(!header(&s, 80).contains("RUNNING"), "{shown}");
    assert!(shown.contains("1/3 +2"), "{shown}");
    assert!(shown.contains("2/2 "), "{shown}");
    assert!(title(&s, 80).contains("+1 col →"), "{shown}");
    insta::assert_snapshot!("services_80x24", shown);
}

#[test]
fn wide_terminals_show_every_column_whole_and_no_marker() {
    let mut s = at_services();
    update(
        &mut s,
        Msg::Resized {
            width: 160,
            height: 24,
        },
    );
    let head = header(&s, 160);
    for column in ["DESIRED", "RUNNING", "PENDING", "LAUNCH", "TASK DEF", "AGE"] {
        assert!(head.contains(column), "{head}");
    }
    assert!(!head.contains("TASKS"), "{head}");
    assert!(!title(&s, 160).contains("cols"), "{}", title(&s, 160));
    // Nothing hidden: → has nowhere to go.
    act(&mut s, Action::ScrollRight);
    assert_eq!(s.services.column_offset(), 0);
}

#[test]
fn right_shows_the_hidden_columns_and_stops_at_the_last() {
    let mut s = at_services();
    act(&mut s, Action::ScrollRight);
    let shown = screen(&s, 80, 24);
    assert!(
        header(&s, 80).starts_with("│NAME"),
        "the name stays: {shown}"
    );
    assert!(header(&s, 80).contains("LAUNCH"), "{shown}");
    assert!(!header(&s, 80).contains("STATUS"), "{shown}");
    assert!(title(&s, 80).contains("← 1"), "{shown}");
    assert!(!title(&s, 80).contains("cols →"), "{shown}");
    insta::assert_snapshot!("services_scrolled_80x24", shown);

    // Everything is in sight: more presses change nothing, and one left is back.
    act(&mut s, Action::ScrollRight);
    act(&mut s, Action::ScrollRight);
    assert_eq!(s.services.column_offset(), 1);
    act(&mut s, Action::ScrollLeft);
    assert_eq!(s.services.column_offset(), 0);
    assert!(title(&s, 80).contains("+1 col →"));
    act(&mut s, Action::ScrollLeft);
    assert_eq!(s.services.column_offset(), 0);
}

#[test]
fn right_shows_the_tasks_hidden_columns_instead_of_the_lowest_ones() {
    let mut s = at_tasks();
    let shown = screen(&s, 80, 24);
    assert!(title(&s, 80).contains("+4 cols →"), "{shown}");
    for hidden in ["DESIRED", "LAUNCH", "AZ", "PRIVATE IP"] {
        assert!(!header(&s, 80).contains(hidden), "{shown}");
    }
    insta::assert_snapshot!("tasks_80x24", shown);
    act(&mut s, Action::ScrollRight);
    let shown = screen(&s, 80, 24);
    assert!(
        header(&s, 80).starts_with("│TASK "),
        "the id stays: {shown}"
    );
    for brought in ["DESIRED", "LAUNCH", "AZ", "PRIVATE IP"] {
        assert!(header(&s, 80).contains(brought), "{shown}");
    }
    assert!(shown.contains("10.0.3.17"), "{shown}");
    assert!(title(&s, 80).contains("← 1"), "{shown}");
    assert!(!title(&s, 80).contains("→"), "{shown}");
    insta::assert_snapshot!("tasks_scrolled_80x24", shown);
    act(&mut s, Action::ScrollRight);
    assert_eq!(s.tasks.column_offset(), 1);
}

#[test]
fn another_view_or_another_width_starts_at_the_first_columns() {
    let mut s = at_services();
    act(&mut s, Action::ScrollRight);
    assert_eq!(s.services.column_offset(), 1);
    // Into the tasks and back: the services start over.
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: NOW,
            result: Ok(vec![task("7109c95421cf4112")]),
        },
    );
    act(&mut s, Action::ScrollRight);
    assert_eq!(s.tasks.column_offset(), 1);
    act(&mut s, Action::Back);
    assert_eq!(s.services.column_offset(), 0);
    assert!(title(&s, 80).contains("+1 col →"));

    // A new width starts over; a new height alone does not.
    act(&mut s, Action::ScrollRight);
    update(
        &mut s,
        Msg::Resized {
            width: 80,
            height: 40,
        },
    );
    assert_eq!(s.services.column_offset(), 1);
    update(
        &mut s,
        Msg::Resized {
            width: 70,
            height: 40,
        },
    );
    assert_eq!(s.services.column_offset(), 0);
}

#[test]
fn beside_the_detail_pane_right_reaches_what_the_narrower_table_hides() {
    let mut s = at_tasks();
    update(
        &mut s,
        Msg::Resized {
            width: 160,
            height: 48,
        },
    );
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TaskLoaded {
            generation,
            now: NOW,
            result: Ok(Box::new(task("7109c95421cf4112"))),
        },
    );
    let shown = screen(&s, 160, 48);
    assert!(
        shown.contains("Detail"),
        "the pane is beside the table: {shown}"
    );
    assert!(title(&s, 160).contains("cols →"), "{shown}");
    assert!(!header(&s, 160).contains("MEM"), "{shown}");
    act(&mut s, Action::ScrollRight);
    let shown = screen(&s, 160, 48);
    assert!(header(&s, 160).contains("MEM"), "{shown}");
    assert!(title(&s, 160).contains("← 1"), "{shown}");
}

#[test]
fn the_keys_are_rebindable_and_free_elsewhere() {
    use opsdeck::input::keymap::KeyContext;
    let s = at_services();
    assert_eq!(
        s.keymap.key_name(KeyContext::Services, Action::ScrollRight),
        "right"
    );
    assert_eq!(
        s.keymap.key_name(KeyContext::Tasks, Action::ScrollLeft),
        "left"
    );
}
