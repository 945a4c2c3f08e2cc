//! `update` on the containers view: what each key does, what it refuses, and what it sends.

use opsdeck::app::core::command::Session;
use opsdeck::app::core::table::Load;
use opsdeck::app::docker::{DockerCommand, DockerMsg};
use opsdeck::app::guard::op::{self, Op};
use opsdeck::app::logs::LogSource;
use opsdeck::app::{
    Action, AppState, Command, ContextInfo, InputKey, Mode, Msg, Settings, View, update,
};
use opsdeck::domain::docker::{DockerContainerRow, StatsSample};
use opsdeck::input::keymap::Keymap;

pub const NOW: i64 = 1_700_000_000;

pub fn container(name: &str, project: &str, state: &str) -> DockerContainerRow {
    let running = state == "running" || state == "paused";
    DockerContainerRow {
        id: format!("id-{name}"),
        name: name.into(),
        image: "shop/web:1.4".into(),
        state: state.into(),
        status: match state {
            "running" => "Up 2 hours".into(),
            "paused" => "Up 2 hours (Paused)".into(),
            "exited" => "Exited (137) 5 minutes ago".into(),
            _ => "Created".into(),
        },
        project: project.into(),
        service: name.split('-').nth(1).unwrap_or("").into(),
        ports: if name.contains("web") {
            "8080→80/tcp".into()
        } else {
            String::new()
        },
        created: NOW - 86_400,
        started_at: running.then_some(NOW - 7_200),
        cpu_percent: running.then_some(1.5),
        memory_bytes: running.then_some(48 * 1024 * 1024),
        memory_limit: running.then_some(2 * 1024 * 1024 * 1024),
        ..Default::default()
    }
}

pub fn fleet() -> Vec<DockerContainerRow> {
    vec![
        container("loose", "", "running"),
        container("shop-web-1", "shop", "running"),
        container("shop-db-1", "shop", "exited"),
        container("blog-app-1", "blog", "paused"),
        container("shop-worker-1", "shop", "running"),
    ]
}

pub fn state() -> AppState {
    let mut s = AppState::new(
        ContextInfo::default(),
        Settings::default(),
        Keymap::default(),
    );
    s.docker_engine = "unix:///var/run/docker.sock".into();
    s
}

/// On the containers view with `rows` listed.
pub fn at_docker(rows: Vec<DockerContainerRow>) -> AppState {
    let mut s = state();
    opsdeck::app::docker::open(&mut s, &[]);
    update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: NOW,
            result: Ok(rows),
        }),
    );
    s
}

fn act(s: &mut AppState, a: Action) -> Vec<Command> {
    update(s, Msg::Action(a))
}

/// Select the row named `name`.
pub fn select(s: &mut AppState, name: &str) -> Vec<Command> {
    act(s, Action::Top);
    let mut commands = Vec::new();
    for _ in 0..s.docker.table.visible_len() {
        if s.docker.table.selected_row().map(|r| r.name.as_str()) == Some(name) {
            return commands;
        }
        commands = act(s, Action::Down);
    }
    panic!("no row named {name}");
}

fn names(s: &AppState) -> Vec<String> {
    s.docker.table.visible().map(|r| r.name.clone()).collect()
}

#[test]
fn opening_the_view_starts_the_watcher_and_groups_the_rows() {
    let mut s = state();
    let commands = opsdeck::app::docker::open(&mut s, &[]);
    assert_eq!(s.view(), &View::Docker);
    assert_eq!(
        commands,
        [Command::Docker(DockerCommand::Watch {
            focus: None,
            lease_secs: 17
        })]
    );
    assert_eq!(
        update(&mut s, Msg::Tick { now: NOW }),
        [Command::Docker(DockerCommand::Watch {
            focus: None,
            lease_secs: 17
        })],
        "the watcher pushes lists; nothing is awaited, so a tick renews its lease"
    );
    let commands = update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: NOW,
            result: Ok(fleet()),
        }),
    );
    assert_eq!(
        names(&s),
        [
            "blog-app-1",
            "shop-db-1",
            "shop-web-1",
            "shop-worker-1",
            "loose"
        ]
    );
    // The detail pane follows the selection.
    assert_eq!(
        commands,
        [Command::Docker(DockerCommand::Focus {
            id: "id-blog-app-1".into()
        })]
    );
    assert_eq!(s.last_refresh, Some(NOW));
}

#[test]
fn a_refresh_tick_renews_the_lease_with_the_focus() {
    let mut s = at_docker(fleet());
    let commands = update(&mut s, Msg::Tick { now: NOW + 5 });
    assert_eq!(
        commands,
        [Command::Docker(DockerCommand::Watch {
            focus: Some("id-blog-app-1".into()),
            lease_secs: 17
        })]
    );
}

#[test]
fn moving_focuses_the_new_row_and_resets_the_sparklines() {
    let mut s = at_docker(fleet());
    update(
        &mut s,
        Msg::Docker(DockerMsg::Sample {
            id: "id-blog-app-1".into(),
            sample: StatsSample {
                cpu_percent: Some(2.5),
                memory_bytes: 100,
                memory_limit: 1000,
            },
        }),
    );
    assert_eq!(
        s.docker.cpu_history.iter().copied().collect::<Vec<_>>(),
        [25]
    );
    let commands = act(&mut s, Action::Down);
    assert_eq!(
        commands,
        [Command::Docker(DockerCommand::Focus {
            id: "id-shop-db-1".into()
        })]
    );
    assert!(s.docker.cpu_history.is_empty());
    // A sample of the old focus arriving late is dropped.
    update(
        &mut s,
        Msg::Docker(DockerMsg::Sample {
            id: "id-blog-app-1".into(),
            sample: StatsSample::default(),
        }),
    );
    assert!(s.docker.mem_history.is_empty());
}

#[test]
fn the_sparkline_history_is_bounded() {
    let mut s = at_docker(fleet());
    for i in 0..500u64 {
        update(
            &mut s,
            Msg::Docker(DockerMsg::Sample {
                id: "id-blog-app-1".into(),
                sample: StatsSample {
                    cpu_percent: None,
                    memory_bytes: i,
                    memory_limit: 0,
                },
            }),
        );
    }
    assert_eq!(s.docker.mem_history.len(), opsdeck::app::docker::HISTORY);
    // The newest sample is last; moves under 5% of the value shown are not shown.
    let newest = *s.docker.mem_history.back().expect("a sample");
    assert!((475..=499).contains(&newest), "newest {newest}");
}

#[test]
fn toggle_all_hides_and_shows_stopped_containers() {
    let mut s = at_docker(fleet());
    assert!(s.docker.show_all);
    act(&mut s, Action::ToggleAll);
    assert!(!names(&s).contains(&"shop-db-1".to_string()));
    assert!(
        names(&s).contains(&"blog-app-1".to_string()),
        "paused ones stay"
    );
    assert_eq!(
        s.flash.as_ref().unwrap().text,
        "showing running containers only"
    );
    act(&mut s, Action::ToggleAll);
    assert!(names(&s).contains(&"shop-db-1".to_string()));
}

#[test]
fn removing_a_running_container_is_refused_before_anything_is_sent() {
    let mut s = at_docker(fleet());
    select(&mut s, "shop-web-1");
    let commands = act(&mut s, Action::Remove);
    assert!(commands.is_empty());
    assert_eq!(s.mode, Mode::Normal, "no confirmation opens");
    assert_eq!(
        s.flash.as_ref().unwrap().text,
        "shop-web-1 is running: only stopped containers are removed — stop it first (s)"
    );
}

#[test]
fn removing_a_stopped_container_asks_naming_the_engine() {
    let mut s = at_docker(fleet());
    select(&mut s, "shop-db-1");
    act(&mut s, Action::Remove);
    let Mode::Confirm(confirm) = &s.mode else {
        panic!("a confirmation opens, got {:?}", s.mode);
    };
    assert_eq!(
        confirm.op,
        Op::DockerRemove {
            id: "id-shop-db-1".into(),
            name: "shop-db-1".into()
        }
    );
    assert!(confirm.lines.contains(&(
        "engine".to_string(),
        "unix:///var/run/docker.sock".to_string()
    )));
    let commands = update(&mut s, Msg::Input(InputKey::Char('y')));
    assert_eq!(commands, [Command::RunOp(confirm_op("shop-db-1"))]);
}

fn confirm_op(name: &str) -> Op {
    Op::DockerRemove {
        id: format!("id-{name}"),
        name: name.into(),
    }
}

#[test]
fn pause_toggles_and_start_stop_refuse_what_is_already_so() {
    let mut s = at_docker(fleet());
    select(&mut s, "blog-app-1");
    act(&mut s, Action::Pause);
    assert!(matches!(&s.mode, Mode::Confirm(c) if matches!(c.op, Op::DockerUnpause { .. })));
    s.mode = Mode::Normal;
    select(&mut s, "shop-web-1");
    act(&mut s, Action::Pause);
    assert!(matches!(&s.mode, Mode::Confirm(c) if matches!(c.op, Op::DockerPause { .. })));
    s.mode = Mode::Normal;
    assert!(act(&mut s, Action::Start).is_empty());
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(
        s.flash.as_ref().unwrap().text,
        "shop-web-1 is already running: nothing sent"
    );
    select(&mut s, "shop-db-1");
    act(&mut s, Action::Stop);
    assert_eq!(s.mode, Mode::Normal);
    act(&mut s, Action::Start);
    assert!(matches!(&s.mode, Mode::Confirm(c) if matches!(c.op, Op::DockerStart { .. })));
}

#[test]
fn read_only_refuses_every_docker_operation_and_sends_nothing() {
    let mut s = at_docker(fleet());
    s.ctx.read_only = true;
    let cases = [
        ("shop-web-1", Action::Restart),
        ("shop-web-1", Action::Stop),
        ("shop-db-1", Action::Start),
        ("shop-web-1", Action::Pause),
        ("blog-app-1", Action::Pause),
        ("shop-db-1", Action::Remove),
    ];
    for (name, action) in cases {
        select(&mut s, name);
        let commands = act(&mut s, action);
        assert!(
            commands.is_empty(),
            "{action:?} on {name} sent {commands:?}"
        );
        assert_eq!(s.mode, Mode::Normal, "{action:?} on {name} opened a dialog");
        let flash = s.flash.clone().unwrap().text;
        assert!(flash.starts_with("read-only mode: refused to"), "{flash}");
    }
    // Every Docker operation, whatever asks for it.
    for example in Op::all_examples().into_iter().filter(Op::is_docker) {
        op::request(&mut s, example.clone(), None);
        assert_eq!(s.mode, Mode::Normal, "{example:?}");
        // Nothing can confirm it: a "y" now is just a key.
        assert!(update(&mut s, Msg::Input(InputKey::Char('y'))).is_empty());
    }
}

#[test]
fn exec_and_logs_act_on_the_selected_container() {
    let mut s = at_docker(fleet());
    select(&mut s, "shop-web-1");
    assert_eq!(
        act(&mut s, Action::Exec),
        [Command::Interactive(Session::DockerExec {
            id: "id-shop-web-1".into(),
            name: "shop-web-1".into()
        })]
    );
    select(&mut s, "shop-db-1");
    assert!(act(&mut s, Action::Exec).is_empty());
    assert_eq!(
        s.flash.as_ref().unwrap().text,
        "shop-db-1 is not running: start it first (S)"
    );
    let commands = act(&mut s, Action::TailLogs);
    let source = LogSource::Docker {
        id: "id-shop-db-1".into(),
        name: "shop-db-1".into(),
    };
    assert!(
        commands
            .iter()
            .any(|c| matches!(c, Command::StartTail { source: s, .. } if *s == source)),
        "{commands:?}"
    );
    assert_eq!(s.view(), &View::Logs { source });
}

#[test]
fn an_unreachable_engine_fails_the_view_and_a_new_list_recovers_it() {
    let mut s = at_docker(fleet());
    update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: NOW + 10,
            result: Err("no Docker engine at unix:///var/run/docker.sock (no socket there): start Docker or set DOCKER_HOST (retrying every 2 s)".into()),
        }),
    );
    assert!(matches!(s.docker.table.load, Load::Failed(_)));
    assert_eq!(s.docker.table.visible_len(), 0, "no stale rows to act on");
    assert!(act(&mut s, Action::Stop).is_empty());
    assert_eq!(s.flash.as_ref().unwrap().text, "no container selected");
    update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: NOW + 12,
            result: Ok(fleet()),
        }),
    );
    assert_eq!(s.docker.table.load, Load::Loaded);
    assert_eq!(s.docker.table.visible_len(), 5);
}
