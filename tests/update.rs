//! `update` as a function: message sequences in, state and commands out.

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "common/model.rs"]
mod model;

use opsdeck::app::core::table::Load;
use opsdeck::app::{
    Action, AppState, Command, ContextInfo, InputKey, Mode, Msg, Settings, View, update,
};
use opsdeck::domain::ecs::{ClusterRow, ContainerRow, ServiceRow, TaskRow};
use opsdeck::domain::ids::{ClusterName, ServiceName, TaskArn};
use opsdeck::input::keymap::Keymap;

use model::fetch_generation;

fn state() -> AppState {
    AppState::new(
        ContextInfo::default(),
        Settings::default(),
        Keymap::default(),
    )
}

fn cluster(name: &str) -> ClusterRow {
    ClusterRow {
        name: name.into(),
        status: "ACTIVE".into(),
        ..Default::default()
    }
}

fn service(cluster: &str, name: &str, desired: i32, running: i32) -> ServiceRow {
    ServiceRow {
        cluster: cluster.into(),
        name: name.into(),
        status: "ACTIVE".into(),
        desired,
        running,
        ..Default::default()
    }
}

fn task(cluster: &str, id: &str) -> TaskRow {
    TaskRow {
        cluster: cluster.into(),
        arn: TaskArn::from(format!("arn:aws:ecs:eu-west-1:1:task/{cluster}/{id}")),
        last_status: "RUNNING".into(),
        containers: vec![ContainerRow {
            name: "app".into(),
            image: "web:1".into(),
            last_status: "RUNNING".into(),
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn act(s: &mut AppState, a: Action) -> Vec<Command> {
    update(s, Msg::Action(a))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(s, Msg::Input(InputKey::Char(c)));
    }
}

/// Answer the clusters fetch among `commands` with clusters.
fn load_clusters(s: &mut AppState, commands: &[Command], names: &[&str]) {
    let generation = fetch_generation(commands);
    update(
        s,
        Msg::ClustersLoaded {
            generation,
            now: 1_000,
            result: Ok(names.iter().map(|n| cluster(n)).collect()),
        },
    );
}

#[test]
fn start_fetches_clusters_and_drills_down_to_containers() {
    let mut s = state();
    let cmds = act(&mut s, Action::Refresh);
    assert_eq!(cmds, vec![Command::FetchClusters { generation: 1 }]);
    load_clusters(&mut s, &cmds, &["alpha", "bravo"]);
    assert_eq!(s.clusters.visible_len(), 2);

    act(&mut s, Action::Down);
    let cmds = act(&mut s, Action::Enter);
    assert_eq!(
        cmds,
        vec![Command::FetchServices {
            generation: 2,
            cluster: ClusterName::from("bravo")
        }]
    );
    assert_eq!(
        s.view(),
        &View::Services {
            cluster: "bravo".into()
        }
    );
    assert_eq!(s.services.load, Load::Loading);

    update(
        &mut s,
        Msg::ServicesLoaded {
            generation: 2,
            now: 1_000,
            result: Ok(vec![service("bravo", "api", 2, 2)]),
        },
    );
    let cmds = act(&mut s, Action::Enter);
    assert_eq!(
        cmds,
        vec![Command::FetchTasks {
            generation: 3,
            cluster: "bravo".into(),
            service: Some(ServiceName::from("api")),
            include_stopped: false,
        }]
    );
    update(
        &mut s,
        Msg::TasksLoaded {
            generation: 3,
            now: 1_000,
            result: Ok(vec![task("bravo", "abcdef0123456789")]),
        },
    );
    let cmds = act(&mut s, Action::Enter);
    assert!(matches!(
        cmds.as_slice(),
        [Command::FetchTask { generation: 4, .. }]
    ));
    update(
        &mut s,
        Msg::TaskLoaded {
            generation: 4,
            now: 1_000,
            result: Ok(Box::new(task("bravo", "abcdef0123456789"))),
        },
    );
    assert_eq!(
        s.containers.selected_row().map(|c| c.name.as_str()),
        Some("app")
    );
    let crumbs: Vec<String> = s.stack.iter().map(View::crumb).collect();
    assert_eq!(crumbs, ["clusters", "bravo", "api", "abcdef01"]);

    // esc walks back up, refetching the parent.
    let cmds = act(&mut s, Action::Back);
    assert!(matches!(cmds.as_slice(), [Command::FetchTasks { .. }]));
    act(&mut s, Action::Back);
    act(&mut s, Action::Back);
    assert_eq!(s.view(), &View::Clusters);
    // The selection on the clusters view was kept.
    assert_eq!(
        s.clusters.selected_row().map(|c| c.name.as_str()),
        Some("bravo")
    );
    // esc at the root does nothing.
    assert!(act(&mut s, Action::Back).is_empty());
    assert_eq!(s.stack.len(), 1);
}

#[test]
fn stale_generations_are_dropped() {
    let mut s = state();
    act(&mut s, Action::Refresh);
    act(&mut s, Action::Refresh); // generation 2 supersedes 1
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation: 1,
            now: 1,
            result: Ok(vec![cluster("old")]),
        },
    );
    assert_eq!(s.clusters.rows().len(), 0, "a stale result must not show");
    assert_eq!(
        update(&mut s, Msg::Tick { now: 2 }),
        [],
        "generation 2 is still awaited: a tick asks for nothing more"
    );
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation: 2,
            now: 1,
            result: Ok(vec![cluster("new")]),
        },
    );
    assert_eq!(s.clusters.rows()[0].name.as_str(), "new");
    let next = update(&mut s, Msg::Tick { now: 3 });
    assert_eq!(
        next,
        [Command::FetchClusters { generation: 3 }],
        "once generation 2 is in, the next tick refreshes"
    );
}

#[test]
fn a_result_for_a_view_left_behind_is_dropped() {
    let mut s = state();
    let cmds = act(&mut s, Action::Refresh);
    load_clusters(&mut s, &cmds, &["alpha"]);
    act(&mut s, Action::Enter); // generation 2: services of alpha
    act(&mut s, Action::Back); // generation 3: clusters again
    update(
        &mut s,
        Msg::ServicesLoaded {
            generation: 2,
            now: 1,
            result: Ok(vec![service("alpha", "late", 1, 1)]),
        },
    );
    assert!(s.services.rows().is_empty());
}

#[test]
fn ticks_do_not_stack_fetches() {
    let mut s = state();
    let cmds = act(&mut s, Action::Refresh);
    assert!(
        update(&mut s, Msg::Tick { now: 5 }).is_empty(),
        "one in flight already"
    );
    load_clusters(&mut s, &cmds, &["alpha"]);
    assert_eq!(
        update(&mut s, Msg::Tick { now: 10 }),
        vec![Command::FetchClusters { generation: 2 }]
    );
}

#[test]
fn errors_become_a_message_and_keep_the_rows() {
    let mut s = state();
    let cmds = act(&mut s, Action::Refresh);
    load_clusters(&mut s, &cmds, &["alpha"]);
    act(&mut s, Action::Refresh);
    update(
        &mut s,
        Msg::ClustersLoaded {
            generation: 2,
            now: 20,
            result: Err("AWS endpoint unreachable".into()),
        },
    );
    assert_eq!(
        s.clusters.load,
        Load::Failed("AWS endpoint unreachable".into())
    );
    assert_eq!(s.clusters.rows().len(), 1);
    // The next successful refresh clears the error.
    let cmds = update(&mut s, Msg::Tick { now: 25 });
    load_clusters(&mut s, &cmds, &["alpha"]);
    assert_eq!(s.clusters.load, Load::Loaded);
}

#[test]
fn filter_narrows_live_and_esc_clears_it() {
    let mut s = state();
    let cmds = act(&mut s, Action::Refresh);
    load_clusters(&mut s, &cmds, &["payments", "search", "platform"]);
    act(&mut s, Action::Filter);
    assert_eq!(s.mode, Mode::Filter(String::new()));
    typed(&mut s, "p");
    assert_eq!(s.clusters.visible_len(), 2);
    typed(&mut s, "ay");
    assert_eq!(s.clusters.visible_len(), 1);
    update(&mut s, Msg::Input(InputKey::Submit));
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.filter_text(), "pay");
    // Exclusion.
    act(&mut s, Action::Filter);
    update(&mut s, Msg::Input(InputKey::Clear));
    typed(&mut s, "!pla");
    update(&mut s, Msg::Input(InputKey::Submit));
    assert_eq!(s.clusters.visible_len(), 2);
    // esc in normal mode clears the filter before going back.
    act(&mut s, Action::Back);
    assert_eq!(s.filter_text(), "");
    assert_eq!(s.clusters.visible_len(), 3);
}

#[test]
fn command_line_jumps_and_reports_unknown_commands() {
    let mut s = state();
    act(&mut s, Action::Command);
    typed(&mut s, "tasks prod web");
    let cmds = update(&mut s, Msg::Input(InputKey::Submit));
    assert!(matches!(
        cmds.as_slice(),
        [Command::FetchTasks { cluster, service: Some(svc), .. }]
            if cluster.as_str() == "prod" && svc.as_str() == "web"
    ));
    let crumbs: Vec<String> = s.stack.iter().map(View::crumb).collect();
    assert_eq!(crumbs, ["clusters", "prod", "web"]);

    act(&mut s, Action::Command);
    typed(&mut s, "services");
    let cmds = update(&mut s, Msg::Input(InputKey::Submit));
    assert!(
        matches!(cmds.as_slice(), [Command::FetchServices { cluster, .. }] if cluster.as_str() == "prod")
    );

    act(&mut s, Action::Command);
    typed(&mut s, "bogus");
    assert!(update(&mut s, Msg::Input(InputKey::Submit)).is_empty());
    let flash = s.flash.clone().expect("a message");
    assert!(
        flash.text.contains("unknown command :bogus"),
        "{}",
        flash.text
    );

    act(&mut s, Action::Command);
    typed(&mut s, "q");
    assert_eq!(update(&mut s, Msg::Input(InputKey::Submit)), vec![]);
    assert!(s.quit);
}

#[test]
fn services_without_a_cluster_asks_which() {
    let mut s = state();
    act(&mut s, Action::Command);
    typed(&mut s, "services");
    assert!(update(&mut s, Msg::Input(InputKey::Submit)).is_empty());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("which cluster"))
    );
    assert_eq!(s.view(), &View::Clusters);
}

#[test]
fn help_opens_and_closes() {
    let mut s = state();
    act(&mut s, Action::Help);
    assert_eq!(s.mode, Mode::Help(0));
    act(&mut s, Action::Down);
    assert_eq!(s.mode, Mode::Help(1));
    act(&mut s, Action::Back);
    assert_eq!(s.mode, Mode::Normal);
}

#[test]
fn toggling_stopped_tasks_refetches_with_the_flag() {
    let mut s = state();
    act(&mut s, Action::Command);
    typed(&mut s, "tasks prod");
    update(&mut s, Msg::Input(InputKey::Submit));
    let cmds = act(&mut s, Action::ToggleAll);
    assert!(matches!(
        cmds.as_slice(),
        [Command::FetchTasks {
            include_stopped: true,
            ..
        }]
    ));
}

#[test]
fn actions_not_offered_here_say_so() {
    let mut s = state();
    assert!(act(&mut s, Action::Redeploy).is_empty());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("redeploy"))
    );
}

#[test]
fn a_paste_goes_into_the_filter_and_the_command_line_as_text() {
    let mut s = state();
    let cmds = act(&mut s, Action::Refresh);
    load_clusters(&mut s, &cmds, &["payments", "search", "platform"]);
    act(&mut s, Action::Filter);
    // The line break is text: the filter stays open, and it is applied.
    assert!(update(&mut s, Msg::Paste("pay\nments\n".into())).is_empty());
    assert_eq!(s.mode, Mode::Filter("pay ments".into()));
    update(&mut s, Msg::Input(InputKey::Clear));
    update(&mut s, Msg::Paste("pay".into()));
    assert_eq!(s.clusters.visible_len(), 1);
    update(&mut s, Msg::Input(InputKey::Submit));
    assert_eq!(s.filter_text(), "pay");

    // A pasted command runs on enter, not on the pasted line break.
    act(&mut s, Action::Command);
    update(&mut s, Msg::Paste("containers\n".into()));
    assert_eq!(s.mode, Mode::Command("containers".into()));
    update(&mut s, Msg::Input(InputKey::Submit));
    assert_eq!(*s.view(), View::Docker);

    // Outside a prompt a paste does nothing (it is not a string of key presses).
    assert!(update(&mut s, Msg::Paste("q".into())).is_empty());
    assert!(!s.quit);
    assert_eq!(s.mode, Mode::Normal);
}

/// The generation of the one ECS fetch in `commands`.
fn fetched(commands: &[Command]) -> u64 {
    let [command] = commands else {
        panic!("expected one fetch, got {commands:?}");
    };
    command.generation().expect("a fetch")
}

/// A refresh tick, as the timer sends it; returns the fetch's generation.
fn tick(s: &mut AppState) -> u64 {
    fetched(&update(s, Msg::Tick { now: 1_000 }))
}

/// Answer a fresh fetch of the visible ECS view with `result` (built from the generation),
/// after the draw that clears `dirty`; returns whether the answer made the screen dirty.
fn reload(s: &mut AppState, result: impl Fn(u64) -> Msg) -> bool {
    let generation = tick(s);
    s.dirty = false;
    update(s, result(generation));
    s.dirty
}

#[test]
fn an_identical_reload_draws_nothing_and_a_changed_one_draws() {
    let mut s = state();
    let clusters = |names: &'static [&'static str]| {
        move |generation| Msg::ClustersLoaded {
            generation,
            now: 1_000,
            result: Ok(names.iter().map(|n| cluster(n)).collect()),
        }
    };
    assert!(reload(&mut s, clusters(&["prod"])), "first load");
    assert!(!reload(&mut s, clusters(&["prod"])), "clusters: same rows");
    assert!(
        reload(&mut s, clusters(&["prod", "dev"])),
        "clusters: new row"
    );

    let commands = act(&mut s, Action::Enter);
    let services = |desired: i32| {
        move |generation| Msg::ServicesLoaded {
            generation,
            now: 1_000,
            result: Ok(vec![service("prod", "web", desired, 2)]),
        }
    };
    update(&mut s, services(2)(fetched(&commands)));
    assert!(!reload(&mut s, services(2)), "services: same rows");
    assert!(reload(&mut s, services(3)), "services: desired changed");

    let commands = act(&mut s, Action::Enter);
    let tasks = |status: &'static str| {
        move |generation| {
            let mut row = task("prod", "t1");
            row.last_status = status.into();
            Msg::TasksLoaded {
                generation,
                now: 1_000,
                result: Ok(vec![row]),
            }
        }
    };
    update(&mut s, tasks("RUNNING")(fetched(&commands)));
    assert!(!reload(&mut s, tasks("RUNNING")), "tasks: same rows");
    assert!(reload(&mut s, tasks("STOPPED")), "tasks: status changed");

    let commands = act(&mut s, Action::Enter);
    assert!(matches!(s.view(), View::Containers { .. }));
    let containers = |image: &'static str| {
        move |generation| {
            let mut row = task("prod", "t1");
            row.containers[0].image = image.into();
            Msg::TaskLoaded {
                generation,
                now: 1_000,
                result: Ok(Box::new(row)),
            }
        }
    };
    update(&mut s, containers("web:1")(fetched(&commands)));
    assert!(
        !reload(&mut s, containers("web:1")),
        "containers: same task"
    );
    assert!(
        reload(&mut s, containers("web:2")),
        "containers: image changed"
    );
}

#[test]
fn the_same_failure_again_draws_nothing() {
    let mut s = state();
    let failed = |message: &'static str| {
        move |generation| Msg::ClustersLoaded {
            generation,
            now: 1_000,
            result: Err(message.to_string()),
        }
    };
    assert!(reload(&mut s, failed("throttled")));
    assert!(!reload(&mut s, failed("throttled")), "same failure");
    assert!(reload(&mut s, failed("expired token")), "another failure");
    assert_eq!(s.clusters.load, Load::Failed("expired token".into()));
}

#[test]
fn an_identical_reload_moves_the_refresh_clock_once_a_minute() {
    let mut s = state();
    let at = |now: i64| {
        move |generation| Msg::ClustersLoaded {
            generation,
            now,
            result: Ok(vec![cluster("prod")]),
        }
    };
    assert!(reload(&mut s, at(1_000)));
    assert!(!reload(&mut s, at(1_010)), "same minute");
    assert_eq!(s.last_refresh, Some(1_000));
    assert!(reload(&mut s, at(1_100)), "a minute later the ages move");
    assert_eq!(s.last_refresh, Some(1_100));
}

#[test]
fn an_identical_container_list_draws_nothing() {
    use opsdeck::app::docker::DockerMsg;
    use opsdeck::domain::docker::DockerContainerRow;
    let mut s = state();
    opsdeck::app::docker::open(&mut s, &[]);
    let listed = |s: &mut AppState, state_text: &str| {
        s.dirty = false;
        let row = DockerContainerRow {
            id: "c1".into(),
            name: "web".into(),
            state: state_text.into(),
            ..Default::default()
        };
        update(
            s,
            Msg::Docker(DockerMsg::Listed {
                now: 1_000,
                result: Ok(vec![row]),
            }),
        );
        s.dirty
    };
    assert!(listed(&mut s, "running"), "first list");
    assert!(!listed(&mut s, "running"), "same list");
    assert!(listed(&mut s, "exited"), "state changed");
    let failed = |s: &mut AppState| {
        s.dirty = false;
        update(
            s,
            Msg::Docker(DockerMsg::Listed {
                now: 1_000,
                result: Err("engine gone".into()),
            }),
        );
        s.dirty
    };
    assert!(failed(&mut s), "first failure");
    assert!(!failed(&mut s), "same failure");
}

#[test]
fn tab_completes_a_command_name_on_the_command_line() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use opsdeck::app::core::keys::key_to_msg;
    let mut s = state();
    let press = |s: &mut AppState, code: KeyCode| {
        let msg = key_to_msg(s, &KeyEvent::new(code, KeyModifiers::NONE)).expect("a key");
        update(s, msg)
    };
    for code in [':', 'j', 'o', 'u'].map(KeyCode::Char) {
        press(&mut s, code);
    }
    press(&mut s, KeyCode::Tab);
    assert_eq!(s.mode, Mode::Command("journal ".into()));
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view(), &View::Journal);
}

#[test]
fn help_closes_on_q_and_esc_and_never_quits() {
    let mut s = state();
    for close in [Action::Quit, Action::Back] {
        act(&mut s, Action::Help);
        act(&mut s, Action::Bottom);
        assert!(
            matches!(s.mode, Mode::Help(_)),
            "G scrolls, it does not close"
        );
        act(&mut s, Action::Top);
        assert_eq!(s.mode, Mode::Help(0));
        act(&mut s, close);
        assert_eq!(s.mode, Mode::Normal, "{close:?} closes the help");
        assert!(!s.quit, "{close:?} in the help must not quit");
    }
}

#[test]
fn every_message_is_kept_for_the_messages_overlay() {
    let mut s = state();
    update(&mut s, Msg::Tick { now: 1_700_000_000 });
    model::command_line(&mut s, "bogus");
    update(&mut s, Msg::Tick { now: 1_700_000_005 });
    model::command_line(&mut s, &"x".repeat(120));
    model::command_line(&mut s, "messages");
    assert_eq!(s.mode, Mode::Messages(0));
    let texts: Vec<&str> = s.messages.newest_first().map(|m| m.text.as_str()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts[1].starts_with("unknown command :bogus"), "{texts:?}");
    assert!(texts[0].contains(&"x".repeat(120)), "kept whole: {texts:?}");
    assert_eq!(
        s.messages.newest_first().nth(1).map(|m| m.time),
        Some(1_700_000_000)
    );
    // q closes it and does not quit; `m` opens it again.
    act(&mut s, Action::Quit);
    assert_eq!(s.mode, Mode::Normal);
    assert!(!s.quit);
    act(&mut s, Action::Messages);
    assert_eq!(s.mode, Mode::Messages(0));
}

#[test]
fn a_mistyped_command_names_the_one_meant() {
    let mut s = state();
    model::command_line(&mut s, "servces");
    let text = &s.flash.as_ref().expect("a message").text;
    assert_eq!(text, "unknown command :servces — did you mean :services?");
    assert_eq!(s.view(), &View::Clusters);
}

#[test]
fn the_command_line_completes_known_names_and_keeps_a_history() {
    let mut s = state();
    let commands = act(&mut s, Action::Refresh);
    load_clusters(&mut s, &commands, &["payments-prod", "platform-tools"]);
    act(&mut s, Action::Command);
    typed(&mut s, "services pa");
    update(&mut s, Msg::Input(InputKey::Complete));
    assert_eq!(s.mode, Mode::Command("services payments-prod ".into()));
    update(&mut s, Msg::Input(InputKey::Submit));
    act(&mut s, Action::Command);
    typed(&mut s, "hos");
    update(&mut s, Msg::Input(InputKey::Up));
    assert_eq!(s.mode, Mode::Command("services payments-prod".into()));
    update(&mut s, Msg::Input(InputKey::Down));
    assert_eq!(
        s.mode,
        Mode::Command("hos".into()),
        "down comes back to what was typed"
    );
}
