//! The containers view on screen: reviewed snapshots at 80×24 and 160×48 (in
//! `tests/snapshots/`), and the colours that carry meaning.

use opsdeck::app::docker::{DockerCommand, DockerMsg};
use opsdeck::app::{Action, AppState, Command, InputKey, Msg, update};
use opsdeck::config::Theme;
use opsdeck::domain::docker::{DockerContainerDetail, StatsSample};
use unicode_width::UnicodeWidthStr;

use super::model::{NOW, at_docker, fleet, select};
use super::tui::{draw, text};

fn snapshot_both(name: &str, state: &AppState) {
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(format!("docker__{name}_80x24"), text(&draw(state, 80, 24)));
        insta::assert_snapshot!(format!("docker__{name}_160x48"), text(&draw(state, 160, 48)));
    });
}

/// The fleet with `shop-web-1` selected, its detail loaded and a minute of samples.
fn with_detail() -> AppState {
    let mut s = at_docker(fleet());
    select(&mut s, "shop-web-1");
    update(
        &mut s,
        Msg::Docker(DockerMsg::Detail {
            id: "id-shop-web-1".into(),
            result: Ok(Box::new(DockerContainerDetail {
                id: "id-shop-web-1".into(),
                name: "shop-web-1".into(),
                image: "shop/web:1.4".into(),
                command: "/docker-entrypoint.sh nginx -g daemon off;".into(),
                env: vec![
                    ("PATH".into(), "•••".into()),
                    ("DB_PASSWORD".into(), "•••".into()),
                    ("EMPTY".into(), String::new()),
                ],
                mounts: vec!["shop_static → /usr/share/nginx/html (ro)".into()],
                networks: vec!["shop_default: 172.18.0.3".into()],
                labels: vec![
                    ("com.docker.compose.project".into(), "shop".into()),
                    ("com.docker.compose.service".into(), "web".into()),
                ],
                restart_policy: "unless-stopped".into(),
                restart_count: 2,
                state: "running".into(),
                run_state: "running".into(),
                started_at: Some(NOW - 7_200),
                created: Some(NOW - 86_400),
            })),
        }),
    );
    for i in 0..60u64 {
        update(
            &mut s,
            Msg::Docker(DockerMsg::Sample {
                id: "id-shop-web-1".into(),
                sample: StatsSample {
                    cpu_percent: Some((i % 10) as f64 * 0.8),
                    memory_bytes: (40 + i % 7) * 1024 * 1024,
                    memory_limit: 2 * 1024 * 1024 * 1024,
                },
            }),
        );
    }
    s
}

#[test]
fn grouped_by_compose_project_with_the_detail_pane() {
    let s = with_detail();
    let screen = text(&draw(&s, 160, 48));
    assert!(screen.contains("▾ shop"), "{screen}");
    assert!(screen.contains("▾ no compose project"), "{screen}");
    assert!(
        screen.contains("DB_PASSWORD=•••"),
        "env values are masked: {screen}"
    );
    assert!(!screen.contains("hunter"), "{screen}");
    snapshot_both("grouped_detail", &s);
}

#[test]
fn without_the_detail_pane_and_sorted_there_are_no_group_headers() {
    let mut s = with_detail();
    update(&mut s, Msg::Action(Action::ToggleDetail));
    update(&mut s, Msg::Action(Action::SortNext));
    let screen = text(&draw(&s, 80, 24));
    assert!(!screen.contains("▾"), "{screen}");
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("docker__sorted_no_detail_80x24", screen);
    });
}

#[test]
fn at_80_columns_the_title_counts_the_hidden_columns_and_right_shows_them() {
    let mut s = with_detail();
    let screen = text(&draw(&s, 80, 24));
    assert!(screen.contains("[5] +3 cols →"), "{screen}");
    assert!(!screen.contains("PORTS"), "{screen}");
    for _ in 0..10 {
        update(&mut s, Msg::Action(Action::ScrollRight));
    }
    let screen = text(&draw(&s, 80, 24));
    assert!(screen.contains("PROJECT"), "the last column: {screen}");
    assert!(screen.contains("  NAME"), "the name stays: {screen}");
    assert!(!screen.contains("cols →"), "{screen}");
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!("docker__scrolled_80x24", screen);
    });
}

#[test]
fn stopped_rows_are_muted() {
    let s = with_detail();
    let theme = Theme::default();
    let buffer = draw(&s, 160, 48);
    let screen = text(&buffer);
    let at = |needle: &str| -> (u16, u16) {
        let (y, line) = screen
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} is on screen"));
        let byte = line.find(needle).unwrap();
        (line[..byte].width() as u16, y as u16)
    };
    let muted = theme.muted.fg.unwrap_or_default();
    assert_eq!(buffer[at("shop-db-1")].fg, muted);
    assert_ne!(buffer[at("loose")].fg, muted);
}

#[test]
fn an_unreachable_engine_is_said_plainly() {
    let mut s = at_docker(fleet());
    update(
        &mut s,
        Msg::Docker(DockerMsg::Listed {
            now: NOW + 10,
            result: Err("no Docker engine at unix:///var/run/docker.sock (no socket there): start Docker or set DOCKER_HOST (retrying every 2 s)".into()),
        }),
    );
    snapshot_both("unreachable", &s);
}

#[test]
fn tiny_terminals_do_not_panic() {
    let s = with_detail();
    for (w, h) in [(1, 1), (10, 5), (30, 8), (79, 23), (119, 30), (120, 30)] {
        draw(&s, w, h);
    }
}

/// The detail pane of `s` at `width`×`height`, as text.
fn pane(s: &AppState, width: u16, height: u16) -> String {
    text(&draw(s, width, height))
}

#[test]
fn a_moved_selection_never_shows_the_previous_containers_detail() {
    let mut s = with_detail();
    assert!(pane(&s, 160, 48).contains("nginx -g daemon off"));
    // Typing a filter moves the selection without an up/down key.
    update(&mut s, Msg::Action(Action::Filter));
    let mut commands = Vec::new();
    for c in "worker".chars() {
        commands.extend(update(&mut s, Msg::Input(InputKey::Char(c))));
    }
    assert_eq!(
        s.docker.table.selected_row().map(|r| r.name.as_str()),
        Some("shop-worker-1")
    );
    assert!(
        commands.contains(&Command::Docker(DockerCommand::Focus {
            id: "id-shop-worker-1".into()
        })),
        "the new container's detail is asked for at once: {commands:?}"
    );
    let old_detail = [
        "nginx -g daemon off",
        "DB_PASSWORD",
        "com.docker.compose.service",
    ];
    for (w, h) in [(80, 24), (160, 48)] {
        let screen = pane(&s, w, h);
        assert!(screen.contains(" shop-worker-1 "), "{screen}");
        assert!(screen.contains("loading the detail…"), "{screen}");
        for old in old_detail {
            assert!(
                !screen.contains(old),
                "{old} of shop-web-1 shown at {w}×{h}:\n{screen}"
            );
        }
    }
    // The detail of the container left behind, arriving late, is dropped.
    let late = |id: &str, command: &str| {
        Msg::Docker(DockerMsg::Detail {
            id: id.into(),
            result: Ok(Box::new(DockerContainerDetail {
                id: id.into(),
                command: command.into(),
                state: "running".into(),
                ..DockerContainerDetail::default()
            })),
        })
    };
    update(&mut s, late("id-shop-web-1", "nginx -g daemon off;"));
    assert!(!pane(&s, 160, 48).contains("nginx"));
    update(&mut s, late("id-shop-worker-1", "worker --queue orders"));
    let screen = pane(&s, 160, 48);
    assert!(screen.contains("worker --queue orders"), "{screen}");
    assert!(!screen.contains("loading the detail…"), "{screen}");
}

#[test]
fn sorting_moves_the_detail_pane_with_the_selection() {
    let mut s = with_detail();
    update(&mut s, Msg::Action(Action::SortNext));
    let selected = s.docker.table.selected_row().map(|r| r.name.clone());
    assert_ne!(
        selected.as_deref(),
        Some("shop-web-1"),
        "the sort moved the selection"
    );
    let screen = pane(&s, 160, 48);
    assert!(!screen.contains("nginx -g daemon off"), "{screen}");
    assert!(screen.contains("loading the detail…"), "{screen}");
}
