//! What the console draws: every ECS view and state rendered with ratatui's `TestBackend`,
//! compared with the reviewed snapshots in `tests/snapshots/`, plus the colours that carry
//! meaning and the sizes that must never panic.
//!
//! States are reached the way the running console reaches them: messages fed through
//! `opsdeck::app::core::update`. The clock is fixed (`NOW`, UTC) so snapshots are stable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/model.rs"]
mod model;
#[path = "common/render.rs"]
mod tui;

use model::fetch_generation;
use opsdeck::app::guard::op::{self, Op};
use opsdeck::app::{Action, AppState, Command, ContextInfo, InputKey, Msg, Settings, View, update};
use opsdeck::config::Theme;
use opsdeck::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use opsdeck::domain::ids::TaskArn;
use opsdeck::input::keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use tui::{at, draw_with as draw, screen, text};
use unicode_width::UnicodeWidthStr;

/// The fixed "now" of every fetch: 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;
const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";

// ------------------------------------------------------------------ fixtures

fn ctx() -> ContextInfo {
    ContextInfo {
        profile: "default".into(),
        region: REGION.into(),
        endpoint: Some("http://127.0.0.1:5000".into()),
        account: Some(ACCOUNT.into()),
        read_only: false,
        production: false,
    }
}

fn new_state(ctx: ContextInfo) -> AppState {
    AppState::new(
        ctx,
        Settings {
            refresh_secs: 5,
            utc_offset_secs: 0,
            ..Settings::default()
        },
        Keymap::default(),
    )
}

fn cluster(name: &str, services: i32, running: i32, pending: i32, instances: i32) -> ClusterRow {
    ClusterRow {
        name: name.into(),
        arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{name}"),
        status: "ACTIVE".into(),
        active_services: services,
        running_tasks: running,
        pending_tasks: pending,
        container_instances: instances,
    }
}

fn clusters() -> Vec<ClusterRow> {
    vec![
        cluster("payments-prod", 5, 14, 3, 3),
        cluster("search-staging", 4, 10, 0, 0),
        cluster("platform-tools", 5, 11, 2, 2),
        cluster("data-pipeline", 3, 11, 0, 0),
    ]
}

fn service(name: &str, desired: i32, running: i32, launch: &str, task_def: &str) -> ServiceRow {
    ServiceRow {
        cluster: "payments-prod".into(),
        name: name.into(),
        arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/payments-prod/{name}"),
        status: "ACTIVE".into(),
        desired,
        running,
        pending: (desired - running).max(0),
        launch_type: launch.into(),
        task_definition: task_def.into(),
        rollout: "COMPLETED".into(),
        created_at: Some(NOW - 86_400 * 12),
    }
}

/// Healthy, degraded (running < desired), down (0 running), a very long name and a
/// non-ASCII one.
fn services() -> Vec<ServiceRow> {
    let mut fraud = service("fraud-scoring", 3, 0, "FARGATE", "fraud-scoring:7");
    fraud.rollout = "FAILED".into();
    let mut worker = service("payments-worker", 4, 2, "EC2", "payments-worker:31");
    worker.rollout = "IN_PROGRESS".into();
    worker.created_at = Some(NOW - 300);
    vec![
        service("payments-api", 4, 4, "EC2", "payments-api:112"),
        worker,
        fraud,
        service(
            "ledger-reconciliation-and-settlement-batch-processor-eu-west-1",
            2,
            2,
            "EC2",
            "ledger-reconciliation:9",
        ),
        service("café-api", 2, 2, "FARGATE", "cafe-api:4"),
    ]
}

const TASK_ID: &str = "7109c95421cf41129098eacc4b2b7cb8";

fn task(id: &str, status: &str, health: &str) -> TaskRow {
    TaskRow {
        cluster: "payments-prod".into(),
        arn: TaskArn::from(format!(
            "arn:aws:ecs:{REGION}:{ACCOUNT}:task/payments-prod/{id}"
        )),
        last_status: status.into(),
        desired_status: "RUNNING".into(),
        health: health.into(),
        task_definition: "payments-api:112".into(),
        launch_type: "EC2".into(),
        availability_zone: "eu-west-1a".into(),
        private_ip: "10.0.3.17".into(),
        group: "service:payments-api".into(),
        container_instance_arn: format!(
            "arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/payments-prod/27ef01d425014adcbcef7a6376d4f82f"
        ),
        started_at: Some(NOW - 3_600 * 5),
        stopped_at: None,
        stopped_reason: String::new(),
        containers: vec![
            ContainerRow {
                name: "app".into(),
                image: "acme/payments-api:2.14.3".into(),
                last_status: "RUNNING".into(),
                exit_code: None,
                health: "HEALTHY".into(),
                cpu: "512".into(),
                memory: "1024".into(),
                reason: String::new(),
                runtime_id: "7109c95421cf41129098eacc4b2b7cb8-2531612879".into(),
            },
            ContainerRow {
                name: "log-router".into(),
                image: "amazon/aws-for-fluent-bit:2.32.0".into(),
                last_status: "STOPPED".into(),
                exit_code: Some(137),
                health: "UNKNOWN".into(),
                cpu: "64".into(),
                memory: "128".into(),
                reason: "OutOfMemoryError: Container killed due to memory usage".into(),
                runtime_id: String::new(),
            },
        ],
    }
}

fn tasks() -> Vec<TaskRow> {
    let mut stopped = task("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "STOPPED", "UNKNOWN");
    stopped.desired_status = "STOPPED".into();
    stopped.stopped_at = Some(NOW - 120);
    stopped.stopped_reason = "Essential container in task exited".into();
    vec![
        task(TASK_ID, "RUNNING", "HEALTHY"),
        task("5fd2f177a0b14c3e9d2e8f7a6b5c4d3e", "RUNNING", "UNHEALTHY"),
        task("9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49", "PENDING", "UNKNOWN"),
        stopped,
    ]
}

// ------------------------------------------------------------ reaching states

fn act(s: &mut AppState, action: Action) -> Vec<Command> {
    update(s, Msg::Action(action))
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(s, Msg::Input(InputKey::Char(c)));
    }
}

/// Just started: the first fetch is in flight; returns the state and that fetch's generation.
fn loading() -> (AppState, u64) {
    loading_with(ctx())
}

fn loading_with(ctx: ContextInfo) -> (AppState, u64) {
    let mut s = new_state(ctx);
    let generation = fetch_generation(&act(&mut s, Action::Refresh));
    (s, generation)
}

/// Answer the clusters fetch of `generation` with `rows`.
fn load_clusters(s: &mut AppState, generation: u64, rows: Vec<ClusterRow>) {
    update(
        s,
        Msg::ClustersLoaded {
            generation,
            now: NOW,
            result: Ok(rows),
        },
    );
}

fn at_clusters_with(ctx: ContextInfo) -> AppState {
    let (mut s, generation) = loading_with(ctx);
    load_clusters(&mut s, generation, clusters());
    s
}

fn at_clusters() -> AppState {
    at_clusters_with(ctx())
}

fn at_services_with(ctx: ContextInfo) -> AppState {
    let mut s = at_clusters_with(ctx);
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation,
            now: NOW,
            result: Ok(services()),
        },
    );
    s
}

fn at_services() -> AppState {
    at_services_with(ctx())
}

fn at_tasks() -> AppState {
    let mut s = at_services();
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: NOW,
            result: Ok(tasks()),
        },
    );
    s
}

fn at_containers() -> AppState {
    let mut s = at_tasks();
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TaskLoaded {
            generation,
            now: NOW,
            result: Ok(Box::new(task(TASK_ID, "RUNNING", "HEALTHY"))),
        },
    );
    assert!(matches!(s.view(), View::Containers { .. }));
    s
}

/// The scale-up confirmation of the selected service.
fn confirming(ctx: ContextInfo, typed_reason: Option<String>) -> AppState {
    let mut s = at_services_with(ctx);
    op::request(
        &mut s,
        Op::SetDesired {
            cluster: "payments-prod".into(),
            service: "payments-api".into(),
            from: 4,
            to: 5,
        },
        typed_reason,
    );
    s
}

// -------------------------------------------------------------------- drawing

/// Snapshot one state at 80×24 and 160×48.
fn snapshot_both(name: &str, state: &AppState) {
    insta::assert_snapshot!(format!("{name}_80x24"), screen(state, 80, 24));
    insta::assert_snapshot!(format!("{name}_160x48"), screen(state, 160, 48));
}

fn fg(buffer: &Buffer, x: u16, y: u16) -> Color {
    buffer[(x, y)].fg
}

fn style_of(buffer: &Buffer, x: u16, y: u16) -> Style {
    buffer[(x, y)].style()
}

/// The screen's styles: per row, runs of cells with the same foreground, background and
/// modifiers. For theme snapshots, where the colours are the point.
fn styles(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    for (y, row) in buffer.content.chunks(width).enumerate() {
        let mut runs: Vec<(usize, usize, String)> = Vec::new();
        for (x, cell) in row.iter().enumerate() {
            let key = format!("{:?}/{:?}/{:?}", cell.fg, cell.bg, cell.modifier);
            match runs.last_mut() {
                Some((_, end, k)) if *k == key => *end = x,
                _ => runs.push((x, x, key)),
            }
        }
        let runs: Vec<String> = runs
            .into_iter()
            .map(|(a, b, k)| format!("{a}-{b} {k}"))
            .collect();
        out.push_str(&format!("{y:>2}: {}\n", runs.join(" | ")));
    }
    out
}

// ------------------------------------------------------------------ snapshots

#[test]
fn clusters_view() {
    snapshot_both("clusters", &at_clusters());
}

#[test]
fn services_view() {
    snapshot_both("services", &at_services());
}

#[test]
fn tasks_view() {
    snapshot_both("tasks", &at_tasks());
}

#[test]
fn containers_view_with_the_detail_pane() {
    let s = at_containers();
    assert!(s.show_detail);
    snapshot_both("containers", &s);
    // The detail pane shows the selected container and its task, long ARNs included.
    let wide = screen(&s, 160, 48);
    assert!(wide.contains("container: app"), "{wide}");
    assert!(
        wide.contains("task: arn:aws:ecs:eu-west-1:123456789012:task/"),
        "{wide}"
    );
    assert!(wide.contains("group: service:payments-api"), "{wide}");
}

#[test]
fn containers_view_without_the_detail_pane() {
    let mut s = at_containers();
    act(&mut s, Action::ToggleDetail);
    assert!(!s.show_detail);
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("containers_no_detail_80x24", shown);
    assert!(!shown.contains("Detail"), "{shown}");
}

#[test]
fn loading_state() {
    let (s, _) = loading();
    snapshot_both("loading", &s);
    assert!(screen(&s, 80, 24).contains("Loading clusters…"));
}

#[test]
fn empty_state() {
    let (mut s, generation) = loading();
    load_clusters(&mut s, generation, Vec::new());
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("empty_80x24", shown);
    assert!(shown.contains("No clusters"), "{shown}");
}

const UNREACHABLE: &str = "cannot reach http://127.0.0.1:9: Connection refused (os error 111) — check the network, VPN or --endpoint-url";

#[test]
fn error_without_rows() {
    let (mut s, generation) = loading();
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation,
            now: NOW,
            result: Err(UNREACHABLE.into()),
        },
    );
    snapshot_both("error_no_rows", &s);
    // The advice at the end of the message is on screen at 80 columns too.
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("--endpoint-url"), "{shown}");
    assert!(!shown.contains("Loading"), "{shown}");
}

#[test]
fn error_keeps_the_old_rows() {
    let mut s = at_clusters();
    let generation = fetch_generation(&act(&mut s, Action::Refresh));
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation,
            now: NOW + 5,
            result: Err(UNREACHABLE.into()),
        },
    );
    snapshot_both("error_with_rows", &s);
    let shown = screen(&s, 160, 48);
    assert!(shown.contains("cannot reach"), "{shown}");
    assert!(shown.contains("payments-prod"), "{shown}");
}

#[test]
fn read_only_state() {
    let mut s = at_services_with(ContextInfo {
        read_only: true,
        ..ctx()
    });
    // A change is refused with a message, never a dialog.
    op::request(
        &mut s,
        Op::SetDesired {
            cluster: "payments-prod".into(),
            service: "payments-api".into(),
            from: 4,
            to: 5,
        },
        None,
    );
    snapshot_both("read_only", &s);
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("READ-ONLY"), "{shown}");
    assert!(shown.contains("read-only mode: refused"), "{shown}");
    assert!(!shown.contains("Confirm"), "{shown}");
}

#[test]
fn production_header() {
    let s = at_clusters_with(ContextInfo {
        profile: "prod-admin".into(),
        production: true,
        ..ctx()
    });
    snapshot_both("production", &s);
}

#[test]
fn help_overlay() {
    let mut s = at_services();
    act(&mut s, Action::Help);
    snapshot_both("help", &s);
    let shown = screen(&s, 160, 48);
    for expected in ["move down", "filter rows", ":tasks", "quit opsdeck"] {
        assert!(shown.contains(expected), "{expected}:\n{shown}");
    }
}

#[test]
fn filter_prompt() {
    let mut s = at_services();
    act(&mut s, Action::Filter);
    type_text(&mut s, "pay");
    snapshot_both("filter_prompt", &s);
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("[2/5]"), "{shown}");
    assert!(shown.lines().last().unwrap().starts_with("/pay"), "{shown}");
}

#[test]
fn filter_applied() {
    let mut s = at_services();
    act(&mut s, Action::Filter);
    type_text(&mut s, "!pay");
    update(&mut s, Msg::Input(InputKey::Submit));
    insta::assert_snapshot!("filter_applied_80x24", screen(&s, 80, 24));
}

#[test]
fn command_prompt() {
    let mut s = at_clusters();
    act(&mut s, Action::Command);
    type_text(&mut s, "tasks payments-prod payments-api");
    snapshot_both("command_prompt", &s);
}

#[test]
fn unknown_command_message() {
    let mut s = at_clusters();
    act(&mut s, Action::Command);
    type_text(&mut s, "bogus");
    update(&mut s, Msg::Input(InputKey::Submit));
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("unknown_command_80x24", shown);
    assert!(shown.contains("unknown command :bogus"), "{shown}");
}

#[test]
fn long_prompt_input_shows_its_end() {
    let mut s = at_clusters();
    act(&mut s, Action::Command);
    type_text(&mut s, &format!("tasks {} end-of-input", "x".repeat(120)));
    let shown = screen(&s, 80, 24);
    let last = shown.lines().last().unwrap();
    assert!(last.contains("end-of-input█"), "{last}");
}

#[test]
fn confirmation_dialog() {
    let s = confirming(ctx(), None);
    snapshot_both("confirm", &s);
    let shown = screen(&s, 80, 24);
    for expected in [
        "Confirm: scale payments-prod/payments-api",
        "desired 4 → 5",
        ACCOUNT,
        REGION,
        "y/enter",
    ] {
        assert!(shown.contains(expected), "{expected}:\n{shown}");
    }
}

#[test]
fn typed_confirmation_dialog() {
    let mut s = confirming(
        ContextInfo {
            profile: "prod-admin".into(),
            production: true,
            ..ctx()
        },
        None,
    );
    type_text(&mut s, "payments-a");
    snapshot_both("confirm_typed", &s);
    let shown = screen(&s, 80, 24);
    assert!(shown.contains("this is a production profile"), "{shown}");
    assert!(shown.contains("> payments-a█"), "{shown}");
}

#[test]
fn long_and_non_ascii_names() {
    let long = format!("{}-end", "very-long-service-name".repeat(11));
    let rows = vec![
        ServiceRow {
            name: long.as_str().into(),
            ..service("x", 1, 1, "FARGATE", "x:1")
        },
        service("café-api", 2, 2, "FARGATE", "cafe-api:4"),
        service("日本語-サービス-東京", 2, 1, "FARGATE", "日本語:3"),
        service("ünïcödé-wörker", 1, 1, "EC2", "wörker:1"),
    ];
    let mut s = at_clusters_with(ContextInfo {
        profile: "профиль-très-long".into(),
        ..ctx()
    });
    // A cluster name as long as ECS allows (255), reached with a `:` jump.
    let cluster = format!("{}-cluster", "c".repeat(247));
    act(&mut s, Action::Command);
    type_text(&mut s, &format!("services {cluster}"));
    let generation = fetch_generation(&update(&mut s, Msg::Input(InputKey::Submit)));
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation,
            now: NOW,
            result: Ok(rows),
        },
    );
    snapshot_both("long_names", &s);
    for (w, h) in [(80, 24), (160, 48)] {
        let shown = screen(&s, w, h);
        // The count in the title survives a scope that does not fit.
        assert!(shown.contains("[4]"), "{w}x{h}:\n{shown}");
        assert!(shown.contains("café-api"), "{shown}");
        assert!(shown.contains("日本語-サービス-東京"), "{shown}");
        // No line is wider than the screen.
        for line in shown.lines() {
            assert!(line.width() <= usize::from(w), "{line}");
        }
    }
}

#[test]
fn breadcrumbs_keep_the_view_on_screen() {
    let mut s = at_services();
    act(&mut s, Action::Down);
    act(&mut s, Action::Down);
    act(&mut s, Action::Down);
    let generation = fetch_generation(&act(&mut s, Action::Enter));
    update(
        &mut s,
        Msg::TasksLoaded {
            generation,
            now: NOW,
            result: Ok(tasks()),
        },
    );
    let shown = screen(&s, 80, 24);
    let crumbs = shown.lines().nth(1).unwrap();
    assert!(
        crumbs.ends_with("ledger-reconciliation-and-settlement-batch-processor-eu-west-1"),
        "{crumbs}"
    );
}

#[test]
fn high_contrast_theme() {
    let theme = Theme::load("high-contrast", None, false).unwrap();
    let buffer = draw(&at_services(), &theme, 80, 24);
    insta::assert_snapshot!("services_high_contrast_styles_80x24", styles(&buffer));
}

#[test]
fn no_color_theme() {
    let theme = Theme::no_color();
    let mut s = at_services();
    act(&mut s, Action::Down);
    let buffer = draw(&s, &theme, 80, 24);
    insta::assert_snapshot!("services_no_color_80x24", text(&buffer));
    insta::assert_snapshot!("services_no_color_styles_80x24", styles(&buffer));
    for cell in &buffer.content {
        for color in [cell.fg, cell.bg] {
            assert_eq!(color, Color::Reset, "a colour in no-color mode: {cell:?}");
        }
    }
    // Meaning survives without colour: the selected row is reversed, errors are marked.
    let (_, y) = at(&buffer, "payments-worker");
    assert!(buffer[(1, y)].modifier.contains(Modifier::REVERSED));
    // At 80 columns the task counts are the compact TASKS cell, in the running tone.
    let (x, _) = at(&buffer, "TASKS");
    let (_, down) = at(&buffer, "fraud-scoring");
    assert_eq!(
        style_of(&buffer, x, down),
        style_of(&buffer, x, down).patch(theme.error)
    );
    assert!(buffer[(x, down)].modifier.contains(Modifier::UNDERLINED));
}

// --------------------------------------------------------------------- colours

#[test]
fn running_cells_warn_when_degraded_and_error_when_down() {
    let theme = Theme::default();
    let s = at_services();
    let buffer = draw(&s, &theme, 160, 48);
    let (running_x, _) = at(&buffer, "RUNNING");
    let row = |name: &str| at(&buffer, name).1;
    // payments-api is selected; the others are plain rows.
    assert_eq!(
        fg(&buffer, running_x, row("payments-worker")),
        theme.warn.fg.unwrap()
    );
    assert_eq!(
        fg(&buffer, running_x, row("fraud-scoring")),
        theme.error.fg.unwrap()
    );
    assert_eq!(
        fg(&buffer, running_x, row("café-api")),
        theme.ok.fg.unwrap()
    );
    // The rollout column carries the deployment state.
    let (rollout_x, _) = at(&buffer, "ROLLOUT");
    assert_eq!(
        fg(&buffer, rollout_x, row("fraud-scoring")),
        theme.error.fg.unwrap()
    );
    assert_eq!(
        fg(&buffer, rollout_x, row("payments-worker")),
        theme.warn.fg.unwrap()
    );
}

#[test]
fn selected_row_uses_the_selected_style() {
    let theme = Theme::default();
    let mut s = at_services();
    act(&mut s, Action::Down);
    let buffer = draw(&s, &theme, 160, 48);
    let (x, y) = at(&buffer, "payments-worker");
    for cx in [x, x + 40, x + 80] {
        assert_eq!(buffer[(cx, y)].bg, theme.selected.bg.unwrap(), "x={cx}");
        assert_eq!(buffer[(cx, y)].fg, theme.selected.fg.unwrap(), "x={cx}");
    }
    // The row above is not selected.
    let (_, above) = at(&buffer, "payments-api");
    assert_ne!(buffer[(x, above)].bg, theme.selected.bg.unwrap());
}

#[test]
fn read_only_badge_uses_its_style() {
    let theme = Theme::default();
    let s = at_clusters_with(ContextInfo {
        read_only: true,
        ..ctx()
    });
    let buffer = draw(&s, &theme, 80, 24);
    let (x, y) = at(&buffer, "READ-ONLY");
    assert_eq!(y, 0);
    let badge = theme.badge_read_only;
    for cx in x - 1..x + 10 {
        assert_eq!(buffer[(cx, y)].bg, badge.bg.unwrap(), "x={cx}");
        assert_eq!(buffer[(cx, y)].fg, badge.fg.unwrap(), "x={cx}");
    }
}

#[test]
fn production_header_uses_the_production_style() {
    let theme = Theme::default();
    let s = at_clusters_with(ContextInfo {
        profile: "prod-admin".into(),
        production: true,
        ..ctx()
    });
    let buffer = draw(&s, &theme, 160, 48);
    let (x, y) = at(&buffer, "PRODUCTION");
    assert_eq!(y, 0);
    let badge = theme.badge_production;
    assert_eq!(buffer[(x, 0)].bg, badge.bg.unwrap());
    // The whole header line is in the production colours, out to the right edge.
    for cx in [x + 20, 100, 159] {
        assert_eq!(buffer[(cx, 0)].bg, badge.bg.unwrap(), "x={cx}");
    }
    // Not so on other profiles.
    let plain = draw(&at_clusters(), &theme, 160, 48);
    assert_ne!(plain[(159, 0)].bg, badge.bg.unwrap());
}

#[test]
fn errors_are_in_the_error_colour() {
    let theme = Theme::default();
    let (mut s, generation) = loading();
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation,
            now: NOW,
            result: Err(UNREACHABLE.into()),
        },
    );
    let buffer = draw(&s, &theme, 80, 24);
    let (x, y) = at(&buffer, "cannot reach");
    assert_eq!(fg(&buffer, x, y), theme.error.fg.unwrap());
}

// ------------------------------------------------------------ sizes and resizes

/// Every view and overlay, for the size sweeps.
fn every_state() -> Vec<(&'static str, AppState)> {
    let mut help = at_services();
    act(&mut help, Action::Help);
    let mut filter = at_services();
    act(&mut filter, Action::Filter);
    type_text(&mut filter, "pay");
    let mut command = at_clusters();
    act(&mut command, Action::Command);
    type_text(&mut command, "tasks");
    let mut error = at_clusters();
    let generation = fetch_generation(&act(&mut error, Action::Refresh));
    update(
        &mut error,
        Msg::ClustersLoaded {
            generation,
            now: NOW,
            result: Err(UNREACHABLE.into()),
        },
    );
    let mut no_detail = at_containers();
    act(&mut no_detail, Action::ToggleDetail);
    vec![
        ("loading", loading().0),
        ("clusters", at_clusters()),
        (
            "production read-only",
            at_clusters_with(ContextInfo {
                production: true,
                read_only: true,
                ..ctx()
            }),
        ),
        ("services", at_services()),
        ("tasks", at_tasks()),
        ("containers", at_containers()),
        ("containers without detail", no_detail),
        ("error", error),
        ("help", help),
        ("filter", filter),
        ("command", command),
        ("confirm", confirming(ctx(), None)),
        (
            "typed confirm",
            confirming(ctx(), Some("big change".into())),
        ),
    ]
}

#[test]
fn tiny_terminals_never_panic() {
    let theme = Theme::default();
    for (name, state) in every_state() {
        for width in 0..=30 {
            for height in 0..=12 {
                let result = std::panic::catch_unwind(|| draw(&state, &theme, width, height));
                assert!(result.is_ok(), "{name} panicked at {width}x{height}");
            }
        }
    }
}

#[test]
fn tiny_terminal_snapshots() {
    let s = at_services();
    insta::assert_snapshot!("services_20x5", screen(&s, 20, 5));
    insta::assert_snapshot!("services_1x1", screen(&s, 1, 1));
    assert_eq!(screen(&s, 30, 0), "");
}

#[test]
fn resizing_redraws_cleanly() {
    let theme = Theme::default();
    for (name, state) in every_state() {
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        for (w, h) in [
            (160, 48),
            (80, 24),
            (20, 5),
            (1, 1),
            (0, 0),
            (7, 30),
            (200, 3),
            (81, 25),
            (80, 24),
        ] {
            terminal.backend_mut().resize(w, h);
            terminal
                .draw(|frame| opsdeck::ui::render(frame, &state, &theme))
                .unwrap_or_else(|e| panic!("{name} at {w}x{h}: {e}"));
        }
        // After the sequence the screen is exactly what a fresh 80x24 terminal shows.
        assert_eq!(
            text(terminal.backend().buffer()),
            text(&draw(&state, &theme, 80, 24)),
            "{name}"
        );
        assert_eq!(
            terminal.backend().buffer(),
            &draw(&state, &theme, 80, 24),
            "{name}: styles differ after resizing"
        );
    }
}

// ------------------------------------------------------------------------ idle

/// Refresh the clusters view with `rows` at `now`, as the refresh timer does.
fn refresh_clusters(s: &mut AppState, rows: Vec<ClusterRow>, now: i64) {
    let generation = fetch_generation(&update(s, Msg::Tick { now }));
    update(
        s,
        Msg::ClustersLoaded {
            generation,
            now,
            result: Ok(rows),
        },
    );
}

#[test]
fn identical_refreshes_draw_nothing() {
    let mut s = at_clusters();
    let before = screen(&s, 80, 24);
    s.dirty = false;
    // Same data in the same minute: no redraw, so nothing is written to the terminal.
    refresh_clusters(&mut s, clusters(), NOW + 5);
    assert!(!s.dirty, "identical data must not cause a redraw");
    assert_eq!(screen(&s, 80, 24), before);
    // A change is drawn at once; the live marker stays as it is.
    let mut changed = clusters();
    changed[0].running_tasks += 1;
    refresh_clusters(&mut s, changed.clone(), NOW + 10);
    assert!(s.dirty);
    let shown = screen(&s, 80, 24);
    assert_ne!(shown, before);
    assert!(
        shown.lines().last().unwrap().ends_with("● live 5s"),
        "{shown}"
    );
    // A new minute is drawn (ages and the clock move) even when the data is the same.
    s.dirty = false;
    refresh_clusters(&mut s, changed, NOW + 70);
    assert!(s.dirty);
    // The same failure twice is drawn once.
    for expect_dirty in [true, false] {
        s.dirty = false;
        let generation = fetch_generation(&update(&mut s, Msg::Tick { now: NOW + 75 }));
        update(
            &mut s,
            Msg::ClustersLoaded {
                generation,
                now: NOW + 75,
                result: Err(UNREACHABLE.into()),
            },
        );
        assert_eq!(s.dirty, expect_dirty);
    }
}

#[test]
fn a_long_message_is_cut_with_the_key_that_shows_it_whole() {
    let mut s = at_clusters();
    act(&mut s, Action::Command);
    type_text(&mut s, &format!("deploy-{}", "x".repeat(90)));
    update(&mut s, Msg::Input(InputKey::Submit));
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("long_message_80x24", shown);
    let status = shown.lines().last().expect("a status line");
    assert!(status.contains("…"), "{status}");
    assert!(status.ends_with("<m> all"), "{status}");
}

#[test]
fn the_messages_overlay_shows_them_whole_newest_first() {
    let mut s = at_clusters();
    update(&mut s, Msg::Tick { now: NOW + 60 });
    act(&mut s, Action::Command);
    type_text(&mut s, "bogus");
    update(&mut s, Msg::Input(InputKey::Submit));
    update(&mut s, Msg::Tick { now: NOW + 120 });
    act(&mut s, Action::Command);
    type_text(&mut s, &format!("deploy-{}", "x".repeat(90)));
    update(&mut s, Msg::Input(InputKey::Submit));
    act(&mut s, Action::Messages);
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("messages_overlay_80x24", shown);
    assert!(shown.contains("Messages, newest first"), "{shown}");
    assert!(
        shown.contains("22:15:20 unknown command :deploy-"),
        "{shown}"
    );
    assert!(shown.contains("22:14:20 unknown command :bogus"), "{shown}");
}

#[test]
fn a_prompt_shows_its_rule_inside_the_prompt() {
    let mut s = at_services();
    act(&mut s, Action::SetDesired);
    type_text(&mut s, "abc");
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("prompt_problem_80x24", shown);
    let status = shown.lines().last().expect("a status line");
    assert!(status.contains("abc█  ✗ `abc` is not a count"), "{status}");
}

#[test]
fn healthy_polling_shows_a_static_marker_and_stale_data_turns_the_header_amber() {
    let mut s = at_clusters();
    let shown = screen(&s, 80, 24);
    assert!(
        shown.lines().last().unwrap().ends_with("● live 5s"),
        "{shown}"
    );
    // Identical refreshes keep it as it is: nothing to redraw.
    refresh_clusters(&mut s, clusters(), NOW + 5);
    assert_eq!(screen(&s, 80, 24), shown);
    // No answer for more than three intervals: the header says how old the data is.
    let mut stale = Vec::new();
    for now in [NOW + 10, NOW + 15, NOW + 20, NOW + 25, NOW + 30] {
        s.dirty = false;
        update(&mut s, Msg::Tick { now });
        stale.push(s.stale_secs);
    }
    assert_eq!(stale, [None, None, None, Some(20), Some(25)]);
    let shown = screen(&s, 80, 24);
    insta::assert_snapshot!("stale_header_80x24", shown);
    assert!(
        shown
            .lines()
            .next()
            .unwrap()
            .contains("STALE: data 25s old"),
        "{shown}"
    );
    assert!(
        shown.lines().last().unwrap().ends_with("● stale 25s"),
        "{shown}"
    );
    let buffer = draw(&s, &Theme::default(), 80, 24);
    let amber = Theme::default().warn.fg.unwrap_or(Color::Reset);
    assert_eq!(buffer[(79, 0)].fg, amber, "the header is amber");
    // The next answer (the same data) makes it fresh again.
    let generation = s.generation;
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation,
            now: NOW + 31,
            result: Ok(clusters()),
        },
    );
    assert_eq!(s.stale_secs, None);
    assert!(s.dirty);
    assert!(!screen(&s, 80, 24).contains("STALE"));
}

#[test]
fn a_change_in_flight_shows_on_its_row_until_it_finishes() {
    let mut s = at_services();
    act(&mut s, Action::Redeploy);
    let sent = update(&mut s, Msg::Input(InputKey::Char('y')));
    let [Command::RunOp(op)] = sent.as_slice() else {
        panic!("no redeploy sent: {sent:?}");
    };
    let shown = screen(&s, 80, 24);
    let row = shown
        .lines()
        .find(|l| l.contains("payments-api"))
        .expect("the row");
    assert!(row.contains("payments-api redeploying…"), "{shown}");
    update(
        &mut s,
        Msg::OpFinished {
            op: Box::new(op.clone()),
            result: Err("AccessDenied: not allowed".into()),
        },
    );
    assert!(!screen(&s, 80, 24).contains("redeploying…"));
}
