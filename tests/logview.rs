//! The log view: its model (`app::logs` through `update`), what it draws (insta snapshots at
//! 80×24 and 160×48, colours of the cells that carry meaning), the sanitizing of hostile
//! output, and saving a buffer to a real file.
//!
//! States are reached the way the running console reaches them: `logs::open`, then
//! `Msg::Log` and `Msg::Action` messages through `opsdeck::app::core::update`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/model.rs"]
mod model;
#[path = "common/render.rs"]
mod tui;

use opsdeck::app::logs::{self, LogMsg, LogSource, Scroll};
use opsdeck::app::{
    Action, AppState, Command, ContextInfo, InputKey, Mode, Msg, Settings, View, update,
};
use opsdeck::config::Theme;
use opsdeck::domain::logs::{LogLine, LogStream};
use opsdeck::input::keymap::Keymap;
use ratatui::style::{Color, Modifier};
use tui::{at, draw, find, screen, text};

/// 2023-11-14 22:13:20.000 UTC.
const T0: i64 = 1_700_000_000_000;

// ------------------------------------------------------------------ fixtures

/// A frame is due: something changed, or new lines wait for the next (capped) frame.
fn redraw_due(s: &AppState) -> bool {
    s.dirty || s.lines_waiting
}

fn state_with(buffer_lines: usize) -> AppState {
    let settings = Settings {
        refresh_secs: 5,
        utc_offset_secs: 0,
        log_tail_lines: 200,
        log_buffer_lines: buffer_lines,
        save_dir: std::env::temp_dir().join("opsdeck-logview-tests"),
        ..Settings::default()
    };
    let ctx = ContextInfo {
        profile: "default".into(),
        region: "eu-west-1".into(),
        ..ContextInfo::default()
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

fn container() -> LogSource {
    LogSource::Docker {
        id: "4f1c2d3e".into(),
        name: "web-1".into(),
    }
}

fn service() -> LogSource {
    LogSource::EcsService {
        cluster: "prod".into(),
        service: "api".into(),
    }
}

/// A state on a fresh log view of `source`; returns it and the tail id.
fn opened(source: LogSource, buffer_lines: usize) -> (AppState, u64) {
    let mut s = state_with(buffer_lines);
    let commands = logs::open(&mut s, source);
    let tail = match commands.last() {
        Some(Command::StartTail { tail, .. }) => *tail,
        other => panic!("no StartTail: {other:?}"),
    };
    (s, tail)
}

fn line(i: i64, text: &str) -> LogLine {
    LogLine::new(text).at(T0 + i * 1_250)
}

fn send(s: &mut AppState, tail: u64, lines: Vec<LogLine>) -> Vec<Command> {
    update(s, Msg::Log(LogMsg::Lines { tail, lines }))
}

fn log(s: &mut AppState, msg: LogMsg) -> Vec<Command> {
    update(s, Msg::Log(msg))
}

fn act(s: &mut AppState, action: Action) -> Vec<Command> {
    update(s, Msg::Action(action))
}

/// Open the `/` prompt, type `text`, press enter.
fn search(s: &mut AppState, text: &str) {
    act(s, Action::Filter);
    for c in text.chars() {
        update(s, Msg::Input(InputKey::Char(c)));
    }
    update(s, Msg::Input(InputKey::Submit));
}

/// Web-server-ish lines, some of them errors.
fn access_log(n: i64) -> Vec<LogLine> {
    (0..n)
        .map(|i| {
            let text = match i % 7 {
                3 => format!("ERROR upstream timed out after 30s (request {i})"),
                5 => format!("WARN slow query: SELECT * FROM orders WHERE id = {i} took 812ms"),
                _ => format!("GET /api/orders/{i} 200 {}ms", 3 + i % 40),
            };
            line(i, &text)
        })
        .collect()
}

/// Whether a screen row shows line `n` of `access_log`.
fn shows(row: &str, n: i64) -> bool {
    row.contains(&format!("orders/{n} "))
        || row.contains(&format!("(request {n})"))
        || row.contains(&format!("id = {n} "))
}

fn following() -> AppState {
    let (mut s, tail) = opened(container(), 50_000);
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "LIVE".into(),
        },
    );
    send(&mut s, tail, access_log(60));
    s
}

fn paused_with_matches() -> AppState {
    let mut s = following();
    search(&mut s, "error");
    act(&mut s, Action::SearchPrev);
    act(&mut s, Action::SearchPrev);
    s
}

fn filtered() -> AppState {
    let mut s = following();
    search(&mut s, "error|warn");
    act(&mut s, Action::ToggleFilterMode);
    s
}

fn wrapped() -> AppState {
    let (mut s, tail) = opened(container(), 50_000);
    let long = "payload=".to_string() + &"0123456789abcdef".repeat(14);
    let mut lines = access_log(12);
    lines.insert(6, line(6, &format!("DEBUG request body {long} end")));
    send(&mut s, tail, lines);
    act(&mut s, Action::Wrap);
    s
}

fn with_timestamps() -> AppState {
    let mut s = following();
    let tail = s.logs.tail;
    send(&mut s, tail, vec![LogLine::new("a line with no time")]);
    act(&mut s, Action::Timestamps);
    s
}

fn merged() -> AppState {
    let (mut s, tail) = opened(service(), 50_000);
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "POLL 2s".into(),
        },
    );
    log(
        &mut s,
        LogMsg::Sampled {
            tail,
            sampled: true,
        },
    );
    let tasks = [
        ("1a2b3c4d/app", 0u8),
        ("9f8e7d6c/app", 1),
        ("5e5e5e5e/sidecar", 2),
    ];
    let lines = (0..40)
        .map(|i| {
            let (label, colour) = tasks[i % 3];
            let stream = if i % 9 == 4 {
                LogStream::Stderr
            } else {
                LogStream::Stdout
            };
            line(
                i as i64,
                &format!("worker tick {i}: processed {} jobs", i * 3),
            )
            .labelled(label, colour)
            .on(stream)
        })
        .collect();
    send(&mut s, tail, lines);
    s
}

fn ended() -> AppState {
    let mut s = following();
    let tail = s.logs.tail;
    log(
        &mut s,
        LogMsg::Problem {
            tail,
            message: "throttled by CloudWatch, retrying in 4s".into(),
        },
    );
    log(
        &mut s,
        LogMsg::Ended {
            tail,
            reason: "container exited with code 137".into(),
        },
    );
    s
}

fn empty() -> AppState {
    let (mut s, tail) = opened(container(), 50_000);
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "LIVE".into(),
        },
    );
    s
}

// ------------------------------------------------------------------ drawing helpers

fn snapshot_both(name: &str, state: &AppState) {
    let mut s = state.clone();
    update(
        &mut s,
        Msg::Resized {
            width: 80,
            height: 24,
        },
    );
    insta::assert_snapshot!(format!("{name}_80x24"), screen(&s, 80, 24));
    update(
        &mut s,
        Msg::Resized {
            width: 80,
            height: 48,
        },
    );
    insta::assert_snapshot!(format!("{name}_160x48"), screen(&s, 160, 48));
}

/// The log lines on screen (between the view's rules), trimmed.
fn body(state: &AppState, width: u16, height: u16) -> Vec<String> {
    let screen = screen(state, width, height);
    let rows: Vec<&str> = screen.lines().collect();
    // header, breadcrumbs, top rule … bottom rule, status.
    rows[3..rows.len() - 2]
        .iter()
        .map(|r| r.trim_end().to_string())
        .collect()
}

// ------------------------------------------------------------------ snapshots

#[test]
fn snapshot_following() {
    snapshot_both("logs_following", &following());
}

#[test]
fn snapshot_paused_with_search_matches() {
    snapshot_both("logs_paused_search", &paused_with_matches());
}

#[test]
fn snapshot_filter_mode() {
    snapshot_both("logs_filter_mode", &filtered());
}

#[test]
fn snapshot_wrapped() {
    snapshot_both("logs_wrapped", &wrapped());
}

#[test]
fn snapshot_timestamps() {
    snapshot_both("logs_timestamps", &with_timestamps());
}

#[test]
fn snapshot_merged_labels() {
    snapshot_both("logs_merged_labels", &merged());
}

#[test]
fn snapshot_ended() {
    snapshot_both("logs_ended", &ended());
}

#[test]
fn snapshot_empty() {
    snapshot_both("logs_empty", &empty());
}

// ------------------------------------------------------------------ colours

#[test]
fn a_search_match_is_drawn_in_the_match_colour() {
    let s = paused_with_matches();
    let buffer = draw(&s, 80, 24);
    let theme = Theme::default();
    let (x, y) = at(&buffer, "ERROR upstream");
    let cell = &buffer[(x, y)];
    assert_eq!(cell.bg, theme.search_match.bg.unwrap());
    assert_eq!(cell.bg, Color::Yellow);
    assert_eq!(cell.fg, Color::Black);
    // Only the match: the text after it is plain.
    let after = &buffer[(x + 6, y)];
    assert_ne!(after.bg, Color::Yellow);
    // The match `N` jumped to is bold and underlined as well.
    let current = s.logs.current_match.unwrap();
    let text = &s.logs.buffer.get(current).unwrap().text;
    let (cx, cy) = at(&buffer, text);
    assert!(buffer[(cx, cy)].modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn follow_and_pause_badges_have_their_tones() {
    let theme = Theme::default();
    let s = following();
    let buffer = draw(&s, 80, 24);
    let (x, y) = at(&buffer, "FOLLOW");
    assert_eq!(buffer[(x, y)].fg, theme.ok.fg.unwrap());
    let mut s = s;
    act(&mut s, Action::Up);
    let buffer = draw(&s, 80, 24);
    let (x, y) = at(&buffer, "PAUSED");
    assert_eq!(buffer[(x, y)].fg, theme.warn.fg.unwrap());
}

#[test]
fn stderr_lines_get_a_marker_in_the_error_colour() {
    let s = merged();
    let buffer = draw(&s, 160, 48);
    let (_, y) = at(&buffer, "worker tick 31:");
    assert_eq!(buffer[(0, y)].symbol(), "▌");
    assert_eq!(buffer[(0, y)].fg, Theme::default().error.fg.unwrap());
    let (_, y) = at(&buffer, "worker tick 30:");
    assert_eq!(buffer[(0, y)].symbol(), " ");
}

#[test]
fn merged_labels_have_a_colour_per_task() {
    let s = merged();
    let buffer = draw(&s, 160, 48);
    let (x1, y1) = at(&buffer, "1a2b3c4d/app");
    let (x2, y2) = at(&buffer, "9f8e7d6c/app");
    assert_ne!(buffer[(x1, y1)].fg, buffer[(x2, y2)].fg);
    assert_ne!(buffer[(x1, y1)].fg, Color::Reset);
}

// ------------------------------------------------------------------ opening and closing

#[test]
fn open_pushes_the_view_and_starts_a_tail_with_a_new_id() {
    let mut s = state_with(1000);
    let first = logs::open(&mut s, container());
    assert_eq!(
        first,
        vec![Command::StartTail {
            tail: 1,
            source: container(),
            history: 200
        }]
    );
    assert_eq!(
        s.view(),
        &View::Logs {
            source: container()
        }
    );
    assert_eq!(s.logs.buffer.max_lines(), 1000);
    // Opening another source from the log view replaces it and stops the old tail.
    let second = logs::open(&mut s, service());
    assert_eq!(
        second,
        vec![
            Command::StopTail { tail: 1 },
            Command::StartTail {
                tail: 2,
                source: service(),
                history: 200
            }
        ]
    );
    assert_eq!(s.stack.len(), 2);
}

#[test]
fn leaving_stops_the_tail_and_frees_the_buffer() {
    let (mut s, tail) = opened(container(), 1000);
    send(&mut s, tail, access_log(100));
    let commands = act(&mut s, Action::Back);
    assert!(
        commands.contains(&Command::StopTail { tail }),
        "{commands:?}"
    );
    assert_eq!(s.view(), &View::Clusters);
    assert!(s.logs.buffer.is_empty());
    // Lines still queued from the stopped tail change nothing.
    s.dirty = false;
    send(&mut s, tail, access_log(5));
    assert!(s.logs.buffer.is_empty());
    assert!(!s.dirty);
}

#[test]
fn esc_clears_the_search_before_leaving() {
    let (mut s, tail) = opened(container(), 1000);
    send(&mut s, tail, access_log(20));
    search(&mut s, "error");
    assert!(act(&mut s, Action::Back).is_empty());
    assert!(s.logs.buffer.search().is_none());
    assert!(matches!(s.view(), View::Logs { .. }));
    act(&mut s, Action::Back);
    assert_eq!(s.view(), &View::Clusters);
}

#[test]
fn a_tail_left_behind_by_a_jump_is_stopped() {
    let (mut s, tail) = opened(container(), 1000);
    // `:clusters` closes the log view it jumps away from, so its tail stops at once ...
    let commands = model::command_line(&mut s, "clusters");
    assert!(
        commands.contains(&Command::StopTail { tail }),
        "{commands:?}"
    );
    // ... and lines still queued from it change nothing.
    let commands = send(&mut s, tail, access_log(3));
    assert!(
        !commands
            .iter()
            .any(|c| matches!(c, Command::StartTail { .. }))
    );
    assert!(s.logs.buffer.is_empty());
}

// ------------------------------------------------------------------ messages

#[test]
fn stale_tails_are_ignored() {
    let (mut s, old) = opened(container(), 1000);
    let commands = logs::open(&mut s, service());
    let Some(Command::StartTail { tail: new, .. }) = commands.last() else {
        panic!("{commands:?}")
    };
    assert_ne!(old, *new);
    s.dirty = false;
    send(&mut s, old, access_log(10));
    log(
        &mut s,
        LogMsg::Ended {
            tail: old,
            reason: "gone".into(),
        },
    );
    log(
        &mut s,
        LogMsg::Mode {
            tail: old,
            mode: "LIVE".into(),
        },
    );
    assert!(s.logs.buffer.is_empty());
    assert_eq!(s.logs.ended, None);
    assert_eq!(s.logs.mode, "");
    assert!(!redraw_due(&s), "a stale message must not cause a redraw");
    send(&mut s, *new, access_log(10));
    assert_eq!(s.logs.buffer.len(), 10);
    assert!(redraw_due(&s));
}

#[test]
fn only_visible_changes_mark_the_screen_dirty() {
    let (mut s, tail) = opened(container(), 1000);
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "LIVE".into(),
        },
    );
    s.dirty = false;
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "LIVE".into(),
        },
    );
    send(&mut s, tail, Vec::new());
    assert!(!redraw_due(&s));
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "POLL 2s".into(),
        },
    );
    assert!(s.dirty);
}

#[test]
fn the_ring_buffer_is_bounded_and_counts_what_it_dropped() {
    let (mut s, tail) = opened(container(), 1000);
    for chunk in access_log(2500).chunks(100) {
        send(&mut s, tail, chunk.to_vec());
    }
    assert_eq!(s.logs.buffer.len(), 1000);
    assert_eq!(s.logs.buffer.dropped(), 1500);
    assert_eq!(s.logs.received, 2500);
    let screen = screen(&s, 80, 24);
    assert!(screen.contains("1,000 lines · 1,500 dropped"), "{screen}");
    assert!(screen.contains("GET /api/orders/2499 200"), "{screen}");
}

#[test]
fn problems_and_the_end_of_the_source_are_shown_and_the_buffer_kept() {
    let s = ended();
    assert_eq!(s.logs.buffer.len(), 60);
    let screen = screen(&s, 160, 48);
    assert!(
        screen.contains("ended: container exited with code 137"),
        "{screen}"
    );
    let mut s = following();
    let tail = s.logs.tail;
    log(
        &mut s,
        LogMsg::Problem {
            tail,
            message: "throttled, retrying".into(),
        },
    );
    assert!(screen_contains(&s, "⚠ throttled, retrying"));
}

/// What CloudWatch says when live tail is refused: longer than an 80-column rule has room for.
const LIVE_REFUSED: &str = "live tail unavailable: LimitExceededException: the account has reached its concurrent Live Tail sessions — polling instead";

fn problem(s: &mut AppState, message: &str) {
    let tail = s.logs.tail;
    log(
        s,
        LogMsg::Problem {
            tail,
            message: message.into(),
        },
    );
}

fn mode(s: &mut AppState, mode: &str) {
    let tail = s.logs.tail;
    log(
        s,
        LogMsg::Mode {
            tail,
            mode: mode.into(),
        },
    );
}

/// The bottom rule of the log view (the row above the status line).
fn bottom_rule(s: &AppState, width: u16, height: u16) -> String {
    let screen = screen(s, width, height);
    let rows: Vec<&str> = screen.lines().collect();
    rows[rows.len() - 2].to_string()
}

#[test]
fn a_problem_is_shown_at_80_columns_cut_to_fit_and_in_full_in_the_status_line() {
    let mut s = following();
    problem(&mut s, LIVE_REFUSED);
    for width in [80, 100, 120] {
        let rule = bottom_rule(&s, width, 24);
        assert!(rule.contains("⚠ live tail unavailable"), "{width}: {rule}");
        assert!(
            rule.ends_with('…'),
            "cut with an ellipsis at {width}: {rule}"
        );
    }
    assert_eq!(
        s.flash.as_ref().map(|f| f.text.as_str()),
        Some(LIVE_REFUSED)
    );
    let wide = screen(&s, 200, 24);
    let status = wide.lines().last().unwrap_or_default();
    assert!(status.contains(LIVE_REFUSED), "{wide}");
    // A short one fits whole next to the search hint.
    problem(&mut s, "throttled, retrying");
    let rule = bottom_rule(&s, 80, 24);
    assert!(rule.contains("/ to search"), "{rule}");
    assert!(rule.contains("⚠ throttled, retrying"), "{rule}");
}

#[test]
fn a_problem_is_cleared_when_the_tail_recovers() {
    // Lines arrive after it.
    let mut s = following();
    problem(
        &mut s,
        "live tail interrupted (connection reset): reconnecting",
    );
    assert!(screen_contains(&s, "⚠ live tail interrupted"));
    let tail = s.logs.tail;
    send(&mut s, tail, vec![line(500, "GET /healthz 200")]);
    assert_eq!(s.logs.problem, None);
    assert_eq!(s.flash, None, "the status line no longer says it either");
    assert!(!screen_contains(&s, "⚠"), "{}", screen(&s, 160, 48));

    // A poll backoff ends: the interval goes back down.
    let mut s = following();
    mode(&mut s, "POLL 2s");
    problem(&mut s, "ThrottlingException: Rate exceeded");
    mode(&mut s, "POLL 4s");
    assert!(bottom_rule(&s, 80, 24).contains("⚠ ThrottlingException"));
    mode(&mut s, "POLL 2s");
    assert!(!bottom_rule(&s, 80, 24).contains('⚠'));

    // Live tail comes back.
    problem(&mut s, "live tail keeps failing: polling instead");
    mode(&mut s, "LIVE");
    assert!(!bottom_rule(&s, 80, 24).contains('⚠'));

    // Falling back from live to polling is not a recovery: the problem says why.
    problem(&mut s, LIVE_REFUSED);
    mode(&mut s, "POLL 2s");
    assert!(bottom_rule(&s, 80, 24).contains("⚠ live tail unavailable"));
}

fn screen_contains(s: &AppState, needle: &str) -> bool {
    screen(s, 160, 48).contains(needle)
}

#[test]
fn the_mode_and_sampled_badges_are_shown() {
    let s = merged();
    let screen = screen(&s, 160, 48);
    assert!(screen.contains(" POLL 2s "), "{screen}");
    assert!(screen.contains(" SAMPLED "), "{screen}");
}

// ------------------------------------------------------------------ follow and pause

#[test]
fn moving_up_pauses_and_new_lines_do_not_move_the_view() {
    let mut s = following();
    let tail = s.logs.tail;
    let before = body(&s, 80, 24);
    assert!(shows(before.last().unwrap(), 59), "{before:?}");
    act(&mut s, Action::Up);
    assert!(!s.logs.following());
    let paused = body(&s, 80, 24);
    assert!(shows(paused.last().unwrap(), 58), "{paused:?}");
    send(
        &mut s,
        tail,
        (60..90)
            .map(|i| line(i, &format!("new line {i}")))
            .collect(),
    );
    assert_eq!(body(&s, 80, 24), paused, "a paused view must not scroll");
    assert!(screen(&s, 80, 24).contains("PAUSED +30 new"));
    // G goes back to following: the newest line is at the bottom.
    act(&mut s, Action::Bottom);
    assert!(s.logs.following());
    assert!(body(&s, 80, 24).last().unwrap().contains("new line 89"));
}

#[test]
fn f_toggles_follow_and_top_shows_the_oldest_line() {
    let mut s = following();
    act(&mut s, Action::Follow);
    assert!(!s.logs.following());
    act(&mut s, Action::Follow);
    assert!(s.logs.following());
    act(&mut s, Action::Top);
    assert!(!s.logs.following());
    let rows = body(&s, 80, 24);
    assert!(shows(&rows[0], 0), "{rows:?}");
    // Every key press moves what is on screen, even right after `g`.
    act(&mut s, Action::Down);
    assert!(shows(&body(&s, 80, 24)[0], 1));
    act(&mut s, Action::PageDown);
    let rows = body(&s, 80, 24);
    assert!(shows(&rows[0], 20), "{rows:?}");
    act(&mut s, Action::PageUp);
    act(&mut s, Action::Up);
    assert!(shows(&body(&s, 80, 24)[0], 0));
}

#[test]
fn paging_up_from_the_bottom_shows_the_page_before() {
    let mut s = following();
    act(&mut s, Action::PageUp);
    let rows = body(&s, 80, 24);
    // 19 rows of lines at 80×24; the last line shown was 59, now 40.
    assert_eq!(rows.len(), 19);
    assert!(shows(rows.last().unwrap(), 40), "{rows:?}");
}

#[test]
fn a_paused_view_keeps_its_place_while_the_ring_drops_lines() {
    let (mut s, tail) = opened(container(), 100);
    send(
        &mut s,
        tail,
        (0..100).map(|i| line(i, &format!("line {i}"))).collect(),
    );
    act(&mut s, Action::Up);
    let Scroll::Pinned { seq, .. } = s.logs.scroll else {
        panic!()
    };
    assert_eq!(seq, 98);
    send(
        &mut s,
        tail,
        (100..150).map(|i| line(i, &format!("line {i}"))).collect(),
    );
    assert!(body(&s, 80, 24).last().unwrap().ends_with("line 98"));
    // Once the pinned line itself is dropped, the view stays on the oldest lines held.
    send(
        &mut s,
        tail,
        (150..300).map(|i| line(i, &format!("line {i}"))).collect(),
    );
    let rows = body(&s, 80, 24);
    assert!(rows[0].ends_with("line 200"), "{rows:?}");
}

// ------------------------------------------------------------------ search and filter

#[test]
fn search_is_a_regex_and_n_and_shift_n_wrap_around() {
    let (mut s, tail) = opened(container(), 1000);
    let texts = ["start", "error 1", "ok", "error 2", "ok", "error 3", "end"];
    send(
        &mut s,
        tail,
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| line(i as i64, t))
            .collect(),
    );
    search(&mut s, r"error \d");
    assert_eq!(s.logs.buffer.search().unwrap().matches().len(), 3);
    // From the bottom, N goes to the newest match, then older ones, then wraps.
    act(&mut s, Action::SearchPrev);
    assert_eq!(s.logs.current_match, Some(5));
    assert!(!s.logs.following());
    act(&mut s, Action::SearchPrev);
    assert_eq!(s.logs.current_match, Some(3));
    act(&mut s, Action::SearchPrev);
    assert_eq!(s.logs.current_match, Some(1));
    act(&mut s, Action::SearchPrev);
    assert_eq!(s.logs.current_match, Some(5));
    assert!(s.flash.as_ref().unwrap().text.contains("wrapped"));
    act(&mut s, Action::SearchNext);
    assert_eq!(s.logs.current_match, Some(1));
    assert!(s.flash.as_ref().unwrap().text.contains("wrapped"));
    act(&mut s, Action::SearchNext);
    assert_eq!(s.logs.current_match, Some(3));
    assert!(screen(&s, 80, 24).contains("/error \\d/ 2/3"));
}

#[test]
fn n_without_a_search_or_a_match_says_so() {
    let mut s = following();
    act(&mut s, Action::SearchNext);
    assert!(s.flash.as_ref().unwrap().text.contains("no search"));
    search(&mut s, "nothing-like-this");
    act(&mut s, Action::SearchNext);
    assert!(s.flash.as_ref().unwrap().text.contains("no line matches"));
}

#[test]
fn filter_mode_hides_lines_that_do_not_match() {
    let s = filtered();
    let rows = body(&s, 160, 48);
    let shown: Vec<&String> = rows.iter().filter(|r| !r.is_empty()).collect();
    assert!(!shown.is_empty());
    assert!(
        shown
            .iter()
            .all(|r| r.contains("ERROR") || r.contains("WARN")),
        "{shown:?}"
    );
    assert_eq!(shown.len(), 17);
    // F again shows everything.
    let mut s = s;
    act(&mut s, Action::ToggleFilterMode);
    assert!(body(&s, 160, 48).iter().any(|r| r.contains("GET /api")));
}

#[test]
fn filter_mode_with_no_match_says_how_to_get_the_lines_back() {
    let mut s = following();
    act(&mut s, Action::ToggleFilterMode);
    search(&mut s, "zzz");
    let screen = screen(&s, 80, 24);
    assert!(
        screen.contains("No line matches /zzz/ — press F to show all lines"),
        "{screen}"
    );
}

#[test]
fn an_invalid_regex_is_reported_and_matched_as_text() {
    let (mut s, tail) = opened(container(), 1000);
    send(
        &mut s,
        tail,
        vec![line(0, "call f(x) failed"), line(1, "fine")],
    );
    search(&mut s, "f(x");
    let flash = s.flash.clone().unwrap();
    assert!(flash.text.starts_with("not a regex ("), "{}", flash.text);
    assert!(flash.text.contains("matching the text as typed"));
    assert_eq!(s.logs.buffer.search().unwrap().matches().len(), 1);
    let screen = screen(&s, 160, 48);
    assert!(screen.contains("/f(x/ 1 match (as text: "), "{screen}");
}

#[test]
fn the_prompt_searches_as_you_type_and_cancel_clears_it() {
    let mut s = following();
    act(&mut s, Action::Filter);
    assert_eq!(s.mode, Mode::Filter(String::new()));
    update(&mut s, Msg::Input(InputKey::Char('E')));
    update(&mut s, Msg::Input(InputKey::Char('R')));
    update(&mut s, Msg::Input(InputKey::Char('R')));
    assert_eq!(s.logs.search_text(), "ERR");
    assert_eq!(s.logs.buffer.search().unwrap().matches().len(), 9);
    update(&mut s, Msg::Input(InputKey::Cancel));
    assert!(s.logs.buffer.search().is_none());
    // Reopening the prompt starts from the current search.
    search(&mut s, "WARN");
    act(&mut s, Action::Filter);
    assert_eq!(s.mode, Mode::Filter("WARN".into()));
}

#[test]
fn search_matches_keep_up_with_new_and_dropped_lines() {
    let (mut s, tail) = opened(container(), 1000);
    search(&mut s, "ERROR");
    for chunk in access_log(3000).chunks(250) {
        send(&mut s, tail, chunk.to_vec());
    }
    let held: Vec<u64> = s
        .logs
        .buffer
        .search()
        .unwrap()
        .matches()
        .iter()
        .copied()
        .collect();
    let expected: Vec<u64> = (2000..3000).filter(|i| i % 7 == 3).collect();
    assert_eq!(held, expected);
}

// ------------------------------------------------------------------ hostile output

#[test]
fn escape_sequences_never_reach_the_screen() {
    let (mut s, tail) = opened(container(), 1000);
    let hostile = vec![
        LogLine {
            text: "\x1b[1;31mERROR\x1b[0m red".into(),
            ..LogLine::default()
        },
        LogLine {
            text: "clear\x1b[2J\x1b[Hhome\x1b]0;pwned\x07title".into(),
            ..LogLine::default()
        },
        LogLine {
            text: "tab\there".into(),
            ..LogLine::default()
        },
        LogLine {
            text: "two\nlines\r\n".into(),
            ..LogLine::default()
        },
        LogLine {
            text: "bell\x07 nul\x00 del\x7f".into(),
            ..LogLine::default()
        },
    ];
    send(&mut s, tail, hostile);
    let texts: Vec<String> = (0..s.logs.buffer.len() as u64)
        .map(|seq| s.logs.buffer.get(seq).unwrap().text.clone())
        .collect();
    assert_eq!(
        texts,
        [
            "ERROR red",
            "clearhometitle",
            "tab     here",
            "two",
            "lines",
            "bell nul del"
        ]
    );
    let buffer = draw(&s, 80, 24);
    for cell in buffer.content.iter() {
        assert!(
            !cell.symbol().chars().any(char::is_control),
            "{:?}",
            cell.symbol()
        );
    }
}

#[test]
fn a_megabyte_line_and_binary_garbage_are_shown_safely() {
    let (mut s, tail) = opened(container(), 1000);
    let huge = format!("BIG{}", "x".repeat(1024 * 1024));
    let garbage: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    let mut lines = vec![LogLine {
        text: huge,
        ..LogLine::default()
    }];
    lines.push(LogLine::from_bytes(&garbage));
    lines.push(LogLine::from_bytes(b"after \xff\xfe the garbage"));
    send(&mut s, tail, lines);
    let big = s.logs.buffer.get(0).unwrap();
    assert!(big.text.len() <= opsdeck::domain::ansi::MAX_SAFE_BYTES);
    assert!(big.text.ends_with(" bytes]"));
    assert_eq!(
        s.logs.buffer.get(2).unwrap().text,
        "after \u{FFFD}\u{FFFD} the garbage"
    );
    for wrap in [false, true] {
        if wrap {
            act(&mut s, Action::Wrap);
        }
        act(&mut s, Action::Top);
        let buffer = draw(&s, 80, 24);
        assert!(find(&buffer, "BIGxxx").is_some(), "{}", text(&buffer));
        act(&mut s, Action::Bottom);
        let buffer = draw(&s, 80, 24);
        assert!(find(&buffer, "after").is_some(), "{}", text(&buffer));
    }
}

#[test]
fn a_hundred_thousand_lines_are_kept_bounded_and_drawn() {
    let (mut s, tail) = opened(container(), 50_000);
    search(&mut s, "ERROR");
    let mut n = 0i64;
    for _ in 0..100 {
        let batch: Vec<LogLine> = (0..1000)
            .map(|_| {
                n += 1;
                line(n, &format!("{n} GET /api/orders/{n} 200 ERROR? no"))
            })
            .collect();
        send(&mut s, tail, batch);
    }
    assert_eq!(s.logs.received, 100_000);
    assert_eq!(s.logs.buffer.len(), 50_000);
    assert_eq!(s.logs.buffer.dropped(), 50_000);
    assert_eq!(s.logs.buffer.search().unwrap().matches().len(), 50_000);
    let rows = body(&s, 200, 60);
    assert!(rows.last().unwrap().starts_with("100000 GET"), "{rows:?}");
    act(&mut s, Action::ToggleFilterMode);
    act(&mut s, Action::Top);
    let rows = body(&s, 200, 60);
    assert!(rows[0].starts_with("50001 GET"), "{rows:?}");
}

#[test]
fn tiny_terminals_do_not_panic() {
    for state in [following(), wrapped(), merged(), empty(), filtered()] {
        for (w, h) in [(1, 1), (5, 3), (10, 6), (20, 8), (3, 30)] {
            let mut s = state.clone();
            update(
                &mut s,
                Msg::Resized {
                    width: 80,
                    height: h,
                },
            );
            for action in [
                Action::Up,
                Action::PageDown,
                Action::Top,
                Action::Timestamps,
            ] {
                act(&mut s, action);
                draw(&s, w, h);
            }
        }
    }
}

// ------------------------------------------------------------------ saving

#[test]
fn save_writes_the_buffer_to_a_new_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, tail) = opened(container(), 1000);
    s.settings.save_dir = dir.path().join("logs");
    send(
        &mut s,
        tail,
        vec![
            line(0, "first"),
            LogLine::new("no time").labelled("1a2b/app", 1),
            line(2, "last"),
        ],
    );
    let commands = act(&mut s, Action::Save);
    let [
        Command::SaveLog {
            dir: save_dir,
            stem,
            text,
        },
    ] = commands.as_slice()
    else {
        panic!("{commands:?}")
    };
    assert_eq!(save_dir, &dir.path().join("logs"));
    assert_eq!(stem, "opsdeck-container-web-1");
    assert_eq!(
        text,
        "2023-11-14T22:13:20.000Z first\n1a2b/app no time\n2023-11-14T22:13:22.500Z last\n"
    );
    assert!(s.flash.as_ref().unwrap().text.contains("saving 3 lines"));

    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let first = rt
        .block_on(opsdeck::runtime::logs::save::save(
            save_dir,
            stem,
            text,
            1_700_000_000,
        ))
        .unwrap();
    assert_eq!(
        first,
        dir.path()
            .join("logs/opsdeck-container-web-1-1700000000.log")
    );
    assert_eq!(std::fs::read_to_string(&first).unwrap(), *text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&first).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The same second again: a new file, the first one untouched.
    let second = rt
        .block_on(opsdeck::runtime::logs::save::save(
            save_dir,
            stem,
            "other\n",
            1_700_000_000,
        ))
        .unwrap();
    assert_ne!(second, first);
    assert_eq!(std::fs::read_to_string(&first).unwrap(), *text);

    // The result comes back as a message: the path is shown.
    log(
        &mut s,
        LogMsg::Saved {
            result: Ok(first.clone()),
        },
    );
    let screen = screen(&s, 160, 48);
    assert!(
        screen.contains(&format!("saved to {}", first.display())),
        "{screen}"
    );
}

#[test]
fn save_in_filter_mode_writes_only_the_matches() {
    let mut s = filtered();
    let commands = act(&mut s, Action::Save);
    let [Command::SaveLog { text, .. }] = commands.as_slice() else {
        panic!("{commands:?}")
    };
    assert_eq!(text.lines().count(), 17);
    assert!(
        text.lines()
            .all(|l| l.contains("ERROR") || l.contains("WARN"))
    );
}

#[test]
fn a_failed_save_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let err = rt
        .block_on(opsdeck::runtime::logs::save::save(
            &blocker.join("logs"),
            "s",
            "t",
            1,
        ))
        .unwrap_err();
    assert!(err.starts_with("cannot create "), "{err}");
    assert!(!err.contains('\n'));
    let (mut s, _) = opened(container(), 10);
    log(
        &mut s,
        LogMsg::Saved {
            result: Err(err.clone()),
        },
    );
    assert_eq!(s.flash.unwrap().text, err);
}

#[test]
fn wrap_and_timestamps_carry_over_to_the_next_log_view() {
    let mut s = following();
    act(&mut s, Action::Wrap);
    act(&mut s, Action::Timestamps);
    act(&mut s, Action::Back);
    logs::open(&mut s, service());
    assert!(s.logs.wrap && s.logs.timestamps);
    assert!(s.logs.buffer.is_empty());
}

#[test]
fn a_search_of_a_huge_buffer_is_finished_in_steps() {
    let (mut s, tail) = opened(container(), 300_000);
    let batch: Vec<LogLine> = (0..300_000)
        .map(|i| LogLine::new(if i % 1000 == 0 { "needle" } else { "hay" }))
        .collect();
    send(&mut s, tail, batch);
    search(&mut s, "needle");
    // A keystroke searched the newest lines only; the count says there are more.
    assert!(!s.logs.buffer.search_complete());
    assert_eq!(s.logs.buffer.search().unwrap().matches().len(), 200);
    assert!(screen(&s, 80, 24).contains("/needle/ 200+ matches"));
    // The next message from the tail searches on; a key that needs every match finishes.
    log(
        &mut s,
        LogMsg::Mode {
            tail,
            mode: "LIVE".into(),
        },
    );
    assert!(s.logs.buffer.search_complete());
    assert_eq!(s.logs.buffer.search().unwrap().matches().len(), 300);
    logs::set_filter(&mut s, "needl");
    assert!(!s.logs.buffer.search_complete());
    act(&mut s, Action::SearchNext);
    assert!(s.logs.buffer.search_complete());
    assert_eq!(s.logs.current_match, Some(0));
}

#[test]
fn status_texts_from_a_tail_are_made_safe() {
    let (mut s, tail) = opened(container(), 10);
    log(
        &mut s,
        LogMsg::Problem {
            tail,
            message: "server said:\n\x1b[2Jboom".into(),
        },
    );
    assert_eq!(s.logs.problem.as_deref(), Some("server said: boom"));
    log(
        &mut s,
        LogMsg::Ended {
            tail,
            reason: "gone\x1b]0;x\x07".into(),
        },
    );
    assert_eq!(s.logs.ended.as_deref(), Some("gone"));
}

#[test]
fn new_lines_alone_may_wait_for_the_next_frame_and_anything_else_draws_at_once() {
    let (mut s, tail) = opened(container(), 1000);
    s.dirty = false;
    send(&mut s, tail, access_log(5));
    assert!(s.lines_waiting, "the lines are due on the next frame");
    assert!(!s.dirty, "new lines alone do not force a frame now");
    // A key (follow off) is drawn at once, with the lines.
    update(&mut s, Msg::Action(Action::Follow));
    assert!(s.dirty);
}

#[test]
fn a_search_takes_several_terms_and_bang_excludes() {
    let (mut s, tail) = opened(container(), 50_000);
    let lines = [
        "GET /healthcheck 200",
        "ERROR upstream timed out",
        "ERROR GET /healthcheck 500",
    ];
    let lines = lines
        .iter()
        .enumerate()
        .map(|(i, t)| line(i as i64, t))
        .collect();
    send(&mut s, tail, lines);
    search(&mut s, "error !healthcheck");
    let matches: Vec<u64> = s
        .logs
        .buffer
        .search()
        .unwrap()
        .matches()
        .iter()
        .copied()
        .collect();
    assert_eq!(matches.len(), 1, "{matches:?}");
    let line = s.logs.buffer.get(matches[0]).unwrap();
    assert_eq!(line.text, "ERROR upstream timed out");
}

#[test]
fn a_colon_command_away_from_a_log_view_stops_its_tail() {
    for line in ["hosts", "containers", "clusters", "logs", "journal"] {
        let (mut s, tail) = opened(container(), 50_000);
        let commands = model::command_line(&mut s, line);
        assert!(
            commands.contains(&Command::StopTail { tail }),
            ":{line} left the tail running: {commands:?}"
        );
    }
}

#[test]
fn h_hides_the_current_lines_container_and_shows_it_again() {
    let mut s = merged();
    // Following: the current line is the newest.
    let newest = s.logs.current_line().unwrap().label.clone();
    let container = newest.rsplit('/').next().unwrap().to_string();
    act(&mut s, Action::HideContainer);
    assert_eq!(s.logs.search_text(), format!("!@{container}"));
    assert!(s.logs.filter_mode);
    let view = s.logs.lines();
    let shown: Vec<String> = (0..view.len())
        .filter_map(|i| view.line(i).map(|(_, l)| l.label.clone()))
        .collect();
    assert!(!shown.is_empty());
    assert!(
        shown.iter().all(|l| !l.ends_with(&format!("/{container}"))),
        "{container} still shown: {shown:?}"
    );
    assert!(
        s.flash
            .as_ref()
            .unwrap()
            .text
            .starts_with(&format!("hiding container {container}"))
    );
    act(&mut s, Action::HideContainer);
    assert_eq!(s.logs.search_text(), "");
    assert_eq!(
        s.flash.as_ref().unwrap().text,
        "every container shows again"
    );
}
