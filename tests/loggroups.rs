//! The log groups view that `:logs` alone opens: through `update` (open, store, filter, copy,
//! `enter` tails the group as `:logs GROUP` does) and on screen (snapshots at 80×24 and
//! 160×48). The backend's listing is tested against moto in `cwlogs_moto`.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "common/model.rs"]
mod model;
#[path = "common/render.rs"]
mod tui;

use model::{command_line, fetch_generation};
use opsdeck::app::loggroups::{LogGroupsCommand, LogGroupsMsg};
use opsdeck::app::logs::LogSource;
use opsdeck::app::{Action, AppState, Command, ContextInfo, InputKey, Msg, Settings, View, update};
use opsdeck::domain::loggroups::{LogGroupClass, LogGroupRow};
use opsdeck::input::keymap::Keymap;

/// The fixed "now" of every fetch: 2023-11-14 22:13:20 UTC.
const NOW: i64 = 1_700_000_000;
const DAY: i64 = 86_400;

fn state() -> AppState {
    let ctx = ContextInfo {
        profile: "default".into(),
        region: "eu-west-1".into(),
        endpoint: Some("http://127.0.0.1:5000".into()),
        account: Some("123456789012".into()),
        read_only: false,
        production: false,
    };
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

fn group(name: &str, stored: u64, retention: Option<i32>, age_days: i64) -> LogGroupRow {
    LogGroupRow {
        name: name.into(),
        arn: format!("arn:aws:logs:eu-west-1:123456789012:log-group:{name}"),
        stored_bytes: stored,
        retention_days: retention,
        created_at: Some(NOW - age_days * DAY),
        class: LogGroupClass::Standard,
    }
}

fn groups() -> Vec<LogGroupRow> {
    vec![
        group("/aws/lambda/payments-webhook", 48_213, Some(14), 200),
        group("/ecs/payments-api", 3_482_112_000, Some(30), 412),
        group("/ecs/payments-worker", 918_004_224, Some(30), 412),
        LogGroupRow {
            class: LogGroupClass::InfrequentAccess,
            ..group("/ecs/reports-archive", 77_000_000_000, Some(3653), 30)
        },
        group("/ecs/search-indexer", 0, None, 2),
        group(
            "/aws/containerinsights/payments-prod-with-a-long-cluster-name/performance",
            12_288,
            Some(1),
            60,
        ),
    ]
}

fn loaded(generation: u64, rows: Vec<LogGroupRow>) -> Msg {
    Msg::LogGroups(LogGroupsMsg::Loaded {
        generation,
        now: NOW,
        result: Ok(rows),
    })
}

/// `:logs` typed, and the groups it asked for answered.
fn on_groups(s: &mut AppState) {
    let commands = command_line(s, "logs");
    let generation = fetch_generation(&commands);
    assert_eq!(
        commands,
        [Command::LogGroups(LogGroupsCommand::Fetch { generation })]
    );
    update(s, loaded(generation, groups()));
}

fn started(commands: &[Command]) -> Option<&LogSource> {
    commands.iter().find_map(|c| match c {
        Command::StartTail { source, .. } => Some(source),
        _ => None,
    })
}

fn type_filter(s: &mut AppState, text: &str) {
    update(s, Msg::Action(Action::Filter));
    for c in text.chars() {
        update(s, Msg::Input(InputKey::Char(c)));
    }
    update(s, Msg::Input(InputKey::Submit));
}

#[test]
fn logs_alone_lists_the_groups() {
    let mut s = state();
    on_groups(&mut s);
    assert_eq!(s.view(), &View::LogGroups);
    assert_eq!(s.loggroups.table.rows().len(), groups().len());
    let screen = tui::screen(&s, 80, 24);
    assert!(screen.contains("Log groups"), "{screen}");
    assert!(screen.contains("/ecs/payments-api"), "{screen}");
    assert!(screen.contains("never"), "{screen}");
}

#[test]
fn enter_tails_the_selected_group_as_logs_group_does() {
    // What `:logs /ecs/payments-api` opens today.
    let mut typed = state();
    let by_name = command_line(&mut typed, "logs /ecs/payments-api");
    let expected = started(&by_name).cloned().expect(":logs GROUP tails");
    assert_eq!(
        expected,
        LogSource::Group {
            group: "/ecs/payments-api".into(),
            prefix: None,
            start: None,
            pattern: None,
        }
    );

    let mut s = state();
    on_groups(&mut s);
    type_filter(&mut s, "payments-api");
    assert_eq!(s.loggroups.table.visible_len(), 1);
    let commands = update(&mut s, Msg::Action(Action::Enter));
    assert_eq!(started(&commands), Some(&expected));
    assert_eq!(
        s.view(),
        &View::Logs {
            source: expected.clone()
        }
    );
    assert_eq!(s.view(), typed.view());
    let screen = tui::screen(&s, 80, 24);
    assert!(screen.contains("/ecs/payments-api"), "{screen}");

    // Back from the tail is the list again, fetched afresh.
    let commands = update(&mut s, Msg::Action(Action::Back));
    assert_eq!(s.view(), &View::LogGroups);
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::LogGroups(LogGroupsCommand::Fetch { .. }))),
        "{commands:?}"
    );
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::StopTail { .. })),
        "{commands:?}"
    );
}

#[test]
fn logs_with_arguments_still_tails_directly() {
    let mut s = state();
    let commands = command_line(&mut s, "logs /ecs/web app/ -15m ERROR");
    assert_eq!(
        started(&commands),
        Some(&LogSource::Group {
            group: "/ecs/web".into(),
            prefix: Some("app/".into()),
            start: Some("-15m".into()),
            pattern: Some("ERROR".into()),
        })
    );
}

/// A refresh tick answered with `rows`, after the draw that clears `dirty`; whether the
/// answer made the screen dirty.
/// `ctrl-r`: the list is read again (the timer leaves it alone).
fn reload(s: &mut AppState, rows: Vec<LogGroupRow>) -> bool {
    let generation = fetch_generation(&update(s, Msg::Action(Action::Refresh)));
    s.dirty = false;
    update(s, loaded(generation, rows));
    s.dirty
}

#[test]
fn an_identical_refresh_draws_nothing() {
    let mut s = state();
    on_groups(&mut s);
    assert!(
        !reload(&mut s, groups()),
        "an identical list must not redraw"
    );
    let mut rows = groups();
    rows[0].stored_bytes += 1_000_000;
    assert!(reload(&mut s, rows), "a changed list redraws");
}

/// Every page of the account's groups is many requests: not repeated every few seconds.
#[test]
fn the_refresh_timer_does_not_page_through_the_groups_again() {
    let mut s = state();
    on_groups(&mut s);
    assert_eq!(update(&mut s, Msg::Tick { now: NOW + 5 }), []);
    assert_eq!(update(&mut s, Msg::Tick { now: NOW + 60 }), []);
}

#[test]
fn filter_and_sort_are_the_shared_ones() {
    let mut s = state();
    on_groups(&mut s);
    type_filter(&mut s, "!payments");
    let names: Vec<&str> = s
        .loggroups
        .table
        .visible()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["/ecs/reports-archive", "/ecs/search-indexer"]);
    let screen = tui::screen(&s, 80, 24);
    assert!(!screen.contains("/ecs/payments-api"), "{screen}");
}

#[test]
fn copy_keys_copy_the_name_and_the_arn() {
    let mut s = state();
    on_groups(&mut s);
    type_filter(&mut s, "payments-worker");
    let copied = |s: &mut AppState, action| match update(s, Msg::Action(action)).as_slice() {
        [Command::Copy { text }] => text.clone(),
        other => panic!("no copy: {other:?}"),
    };
    assert_eq!(copied(&mut s, Action::CopyId), "/ecs/payments-worker");
    assert_eq!(
        copied(&mut s, Action::CopyFull),
        "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/payments-worker"
    );
}

#[test]
fn enter_on_an_empty_list_opens_nothing() {
    let mut s = state();
    let generation = fetch_generation(&command_line(&mut s, "logs"));
    update(&mut s, loaded(generation, Vec::new()));
    let commands = update(&mut s, Msg::Action(Action::Enter));
    assert!(started(&commands).is_none(), "{commands:?}");
    assert_eq!(s.view(), &View::LogGroups);
}

#[test]
fn the_view_on_screen() {
    let mut s = state();
    on_groups(&mut s);
    insta::assert_snapshot!("loggroups_80x24", tui::screen(&s, 80, 24));
    insta::assert_snapshot!("loggroups_160x48", tui::screen(&s, 160, 48));
}
