//! The bottom line: the open prompt, or a message, key hints and the last refresh time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthStr;

use crate::app::core::view::Freshness;
use crate::app::{Action, AppState, Mode};
use crate::config::Theme;
use crate::domain::format::{age, clock_time, truncate};
use crate::ui::tone_style;

pub fn render_status(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match &state.mode {
        Mode::Filter(text) => return render_prompt(frame, area, "/", text, theme),
        Mode::Command(text) => return render_prompt(frame, area, ":", text, theme),
        Mode::Prompt(prompt) => {
            let label = prompt.label();
            let Some(problem) = &prompt.problem else {
                return render_prompt(frame, area, &label, &prompt.input, theme);
            };
            // The problem matters more than the label's counts: the short label when both
            // do not fit.
            let problem = format!("  ✗ {problem}");
            let full = label.width() + prompt.input.width() + 1 + problem.width();
            let label = if full <= usize::from(area.width) {
                label
            } else {
                prompt.short_label()
            };
            return render_prompt_problem(frame, area, &label, &prompt.input, &problem, theme);
        }
        Mode::Normal | Mode::Help(_) | Mode::Messages(_) | Mode::Confirm(_) | Mode::Hosts(_) => {}
    }
    let (clock, clock_style) = freshness(state, theme);
    let flash = state.flash.as_ref().map(|f| format!(" {}", f.text));
    // A message is worth more than the clock: the clock goes when they don't both fit,
    // and on terminals too narrow for it and a key hint.
    let width = usize::from(area.width);
    let clock = match &flash {
        _ if clock.width() * 2 > width => String::new(),
        Some(text) if text.width() + clock.width() > width => String::new(),
        _ => clock,
    };
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(clock.width() as u16)])
            .areas(area);
    let line = match (&state.flash, flash) {
        (Some(f), Some(text)) => {
            let room = usize::from(left.width);
            // Cut: as much as fits, `…`, and the key that shows it whole.
            let more = state
                .keymap
                .hint(state.key_context(), Action::Messages)
                .map(|key| format!(" <{key}> all"))
                .unwrap_or_default();
            if text.width() <= room || more.width() * 3 > room {
                Line::from(Span::styled(
                    truncate(&text, room),
                    tone_style(theme, f.tone),
                ))
            } else {
                Line::from(vec![
                    Span::styled(
                        cut_keeping_outcome(&text, room - more.width()),
                        tone_style(theme, f.tone),
                    ),
                    Span::styled(more, theme.key_hint),
                ])
            }
        }
        _ => {
            let ctx = state.key_context();
            let mut spans = Vec::new();
            // Whole hints only, most useful first, as many as fit.
            let mut used = 0;
            for action in state.view().entry().hints {
                if let Some(key) = state.keymap.hint(ctx, *action) {
                    let key = format!(" <{key}>");
                    let name = format!(" {}", short_name(*action));
                    used += key.width() + name.width();
                    if used > usize::from(left.width) {
                        break;
                    }
                    spans.push(Span::styled(key, theme.key_hint));
                    spans.push(Span::styled(name, theme.muted));
                }
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line).style(theme.status_bar), left);
    frame.render_widget(
        Paragraph::new(Span::styled(clock, clock_style)).style(theme.status_bar),
        right,
    );
}

/// The end of a refusal says what it means for the user: cut the middle, not that.
const OUTCOMES: &[&str] = &[
    "nothing was sent",
    "nothing was copied",
    "nothing to change",
];

/// `text` in `width` columns; a message that ends in an outcome ("…: nothing was sent") is
/// cut in the middle so the outcome stays.
fn cut_keeping_outcome(text: &str, width: usize) -> String {
    let Some(outcome) = OUTCOMES.iter().find(|o| text.ends_with(*o)) else {
        return truncate(text, width);
    };
    let tail = format!(" {outcome}");
    if tail.width() + 8 > width {
        return truncate(text, width);
    }
    let head = &text[..text.len() - outcome.len()];
    format!("{}{tail}", truncate(head.trim_end(), width - tail.width()))
}

/// The right end of the status line: a static `● live 5s` while the view's data is fresh
/// (it costs no redraws), `● stale 2m` once no answer came for three intervals, and on a
/// log view the time of its newest event.
fn freshness(state: &AppState, theme: &Theme) -> (String, ratatui::style::Style) {
    match state.view().freshness() {
        Freshness::Polled => {}
        Freshness::Snapshot => return (String::new(), theme.muted),
        Freshness::Stream => {
            let newest = state.logs.buffer.newest_millis();
            let text = newest
                .map(|ms| {
                    let at = clock_time(ms.div_euclid(1000), state.settings.utc_offset_secs);
                    format!(" last event {at} ")
                })
                .unwrap_or_default();
            return (text, theme.muted);
        }
    }
    match state.stale_secs {
        Some(secs) => (format!(" ● stale {} ", age(Some(0), secs)), theme.warn),
        None if state.last_ok.is_some() => (
            format!(" ● live {}s ", state.settings.refresh_secs.max(1)),
            theme.muted,
        ),
        None => (String::new(), theme.muted),
    }
}

fn short_name(action: Action) -> &'static str {
    match action {
        Action::Enter => "open",
        Action::Back => "back",
        Action::Filter => "filter",
        Action::Command => "cmd",
        Action::Help => "help",
        Action::Quit => "quit",
        Action::SortNext => "sort",
        Action::ToggleAll => "stopped",
        Action::ToggleDetail => "detail",
        Action::TailLogs => "logs",
        Action::SearchNext => "next",
        Action::ToggleFilterMode => "only matches",
        Action::Timestamps => "time",
        Action::SetDesired => "scale",
        Action::ScaleUp => "+1",
        Action::ScaleDown => "-1",
        Action::RunCommand => "run",
        Action::ToggleJson => "json",
        Action::Describe => "describe",
        Action::CopyId => "copy",
        Action::StopTask => "stop",
        Action::DescribeTaskDefinition => "task def",
        other => other.name(),
    }
}

fn render_prompt(frame: &mut Frame, area: Rect, prefix: &str, text: &str, theme: &Theme) {
    // Show the end of a long input: that is where the user types.
    let room = usize::from(area.width).saturating_sub(prefix.width() + 1);
    let text = tail(text, room);
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), theme.key_hint),
        Span::styled(text, theme.filter),
        Span::styled("█", theme.muted),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar), area);
}

/// A prompt with what is wrong with its input after the cursor, cut at the edge.
fn render_prompt_problem(
    frame: &mut Frame,
    area: Rect,
    prefix: &str,
    text: &str,
    problem: &str,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let room = width.saturating_sub(prefix.width() + 1).min(width / 2);
    let text = tail(text, room);
    let left = width.saturating_sub(prefix.width() + text.width() + 1);
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), theme.key_hint),
        Span::styled(text, theme.filter),
        Span::styled("█", theme.muted),
        Span::styled(truncate(problem, left), theme.error),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar), area);
}

/// The end of `text` that fits in `width` columns, starting with `…` when cut.
fn tail(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut kept = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    if width == 0 {
        return String::new();
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_refusal_keeps_its_outcome() {
        let text = "e2e-ze89yt57 is running: only stopped containers are removed — stop it first: nothing was sent";
        let cut = cut_keeping_outcome(text, 60);
        assert!(cut.ends_with("… nothing was sent"), "{cut}");
        assert!(cut.width() <= 60, "{cut}");
        assert_eq!(
            cut_keeping_outcome("short: nothing was sent", 60),
            "short: nothing was sent"
        );
        assert_eq!(
            cut_keeping_outcome("plain long text here", 10),
            "plain lon…"
        );
    }

    #[test]
    fn long_input_shows_its_end() {
        assert_eq!(tail("short", 10), "short");
        assert_eq!(tail("abcdefghij", 5), "…ghij");
        assert_eq!(tail("日本語テキスト", 5), "…スト");
        assert_eq!(tail("abc", 0), "");
    }
}
