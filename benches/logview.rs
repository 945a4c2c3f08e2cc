//! Log view throughput: lines appended per second through `update`, and the time to draw a
//! full 200×60 screen, in the states that cost the most. Run with
//! `cargo bench --bench logview`; figures are printed, nothing is asserted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use opsdeck::app::logs::{self, LogMsg, LogSource};
use opsdeck::app::{Action, AppState, ContextInfo, Msg, Settings, update};
use opsdeck::config::Theme;
use opsdeck::domain::ansi;
use opsdeck::domain::logs::LogLine;
use opsdeck::input::keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const BATCH: usize = 1000;

fn opened(buffer_lines: usize) -> (AppState, u64) {
    let settings = Settings {
        log_buffer_lines: buffer_lines,
        ..Settings::default()
    };
    let mut state = AppState::new(ContextInfo::default(), settings, Keymap::default());
    update(
        &mut state,
        Msg::Resized {
            width: 80,
            height: 60,
        },
    );
    let source = LogSource::Docker {
        id: "bench".into(),
        name: "bench".into(),
    };
    logs::open(&mut state, source);
    let tail = state.logs.tail;
    (state, tail)
}

fn text(n: usize, coloured: bool) -> String {
    let level = if n % 1000 == 7 { "ERROR" } else { "INFO" };
    if coloured {
        format!(
            "\x1b[32m{level}\x1b[0m 10.0.3.{} GET /api/orders/{n} HTTP/1.1 200 {}ms \"Mozilla/5.0\"",
            n % 255,
            n % 97
        )
    } else {
        format!(
            "{level} 10.0.3.{} GET /api/orders/{n} HTTP/1.1 200 {}ms \"Mozilla/5.0\"",
            n % 255,
            n % 97
        )
    }
}

fn batches(total: usize, coloured: bool, labelled: bool) -> Vec<Vec<LogLine>> {
    (0..total / BATCH)
        .map(|b| {
            (0..BATCH)
                .map(|i| {
                    let n = b * BATCH + i;
                    let line = LogLine {
                        text: text(n, coloured),
                        ts_millis: Some(1_700_000_000_000 + n as i64),
                        ..LogLine::default()
                    };
                    if labelled {
                        line.labelled(&format!("{:08x}/app", n % 3), (n % 3) as u8)
                    } else {
                        line
                    }
                })
                .collect()
        })
        .collect()
}

/// Lines per second through `update`.
fn append(name: &str, total: usize, coloured: bool, search: Option<&str>) -> AppState {
    let (mut state, tail) = opened(50_000);
    if let Some(text) = search {
        logs::set_filter(&mut state, text);
    }
    let input = batches(total, coloured, true);
    let start = Instant::now();
    for lines in input {
        update(&mut state, Msg::Log(LogMsg::Lines { tail, lines }));
    }
    let took = start.elapsed();
    println!(
        "append  {name:<44} {:>12.0} lines/s  ({total} lines in {:.1} ms; buffer {} lines, {} dropped)",
        total as f64 / took.as_secs_f64(),
        took.as_secs_f64() * 1e3,
        state.logs.buffer.len(),
        state.logs.buffer.dropped(),
    );
    state
}

/// Mean time to draw the whole console at 200×60.
fn render(name: &str, state: &AppState) {
    let theme = Theme::default();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let frames = 200;
    // Warm up once.
    terminal
        .draw(|frame| opsdeck::ui::render(frame, state, &theme))
        .unwrap();
    let start = Instant::now();
    for _ in 0..frames {
        terminal
            .draw(|frame| opsdeck::ui::render(frame, state, &theme))
            .unwrap();
    }
    let mean = start.elapsed() / frames;
    println!("render  {name:<44} {:>9.3} ms/frame (200×60)", ms(mean));
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    println!(
        "opsdeck log view bench — {} logical CPUs",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    let plain = append("plain lines, no search", 1_000_000, false, None);
    append(
        "ANSI-coloured lines (sanitized on append)",
        1_000_000,
        true,
        None,
    );
    let searched = append(
        "plain lines, search /ERROR/ set",
        1_000_000,
        false,
        Some("ERROR"),
    );

    render("following, 50,000 lines", &plain);
    let mut s = plain.clone();
    update(&mut s, Msg::Action(Action::Timestamps));
    render("following, timestamps + labels", &s);
    let mut s = plain.clone();
    update(&mut s, Msg::Action(Action::Wrap));
    render("following, wrapped", &s);
    let mut s = searched.clone();
    update(&mut s, Msg::Action(Action::SearchPrev));
    render("paused on a match, highlights", &s);
    let mut s = searched.clone();
    update(&mut s, Msg::Action(Action::ToggleFilterMode));
    render("filter mode, 1 line in 1000 matches", &s);

    // The long-line and keystroke costs.
    let huge = vec![b'x'; 1024 * 1024];
    let start = Instant::now();
    let runs = 50;
    for _ in 0..runs {
        std::hint::black_box(ansi::sanitize(&huge));
    }
    println!(
        "sanitize 1 MB line (cut to 16 KB)                    {:>9.3} ms",
        ms(start.elapsed() / runs)
    );
    let mut s = plain.clone();
    let start = Instant::now();
    let runs = 20;
    for i in 0..runs {
        logs::set_filter(&mut s, if i % 2 == 0 { "orders/4" } else { "orders/42" });
    }
    println!(
        "set search over 50,000 lines (one keystroke)         {:>9.3} ms",
        ms(start.elapsed() / runs)
    );
    let (mut s, tail) = opened(50_000);
    let long = "y".repeat(1024 * 1024);
    let start = Instant::now();
    for _ in 0..20 {
        update(
            &mut s,
            Msg::Log(LogMsg::Lines {
                tail,
                lines: vec![LogLine {
                    text: long.clone(),
                    ..LogLine::default()
                }],
            }),
        );
    }
    println!(
        "append a raw 1 MB line through update                {:>9.3} ms",
        ms(start.elapsed() / 20)
    );
    update(&mut s, Msg::Action(Action::Wrap));
    render("wrapped, screen of 16 KB (cut) lines", &s);
}
