//! The containers view on screen: reviewed snapshots at 80×24 and 160×48 (in
//! `tests/snapshots/`), and the colours that carry meaning.

use opsdeck::app::docker::DockerMsg;
use opsdeck::app::{Action, AppState, Msg, update};
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
