//! The bottom line: the open prompt, or a message, key hints and the last refresh time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use unicode_width::UnicodeWidthStr;

use crate::app::{Action, AppState, Mode};
use crate::config::Theme;
use crate::domain::format::truncate;
use crate::ui::tone_style;

pub fn render_status(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match &state.mode {
        Mode::Filter(text) => return render_prompt(frame, area, "/", text, theme),
        Mode::Command(text) => return render_prompt(frame, area, ":", text, theme),
        Mode::Prompt(prompt) => {
            return render_prompt(frame, area, &prompt.label(), &prompt.input, theme);
        }
        Mode::Normal | Mode::Help(_) | Mode::Confirm(_) | Mode::Hosts(_) => {}
    }
    let clock = state
        .last_refresh
        .map(|t| {
            format!(
                " refreshed {} ",
                clock_time(t, state.settings.utc_offset_secs)
            )
        })
        .unwrap_or_default();
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
        (Some(f), Some(text)) => Line::from(Span::styled(
            truncate(&text, usize::from(left.width)),
            tone_style(theme, f.tone),
        )),
        _ => {
            let ctx = state.key_context();
            let mut spans = Vec::new();
            for action in state.view().entry().hints {
                if let Some(key) = state.keymap.hint(ctx, *action) {
                    spans.push(Span::styled(format!(" <{key}>"), theme.key_hint));
                    spans.push(Span::styled(
                        format!(" {}", short_name(*action)),
                        theme.muted,
                    ));
                }
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line).style(theme.status_bar), left);
    frame.render_widget(
        Paragraph::new(Span::styled(clock, theme.muted)).style(theme.status_bar),
        right,
    );
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

/// `HH:MM:SS` of an epoch time, shifted to local time.
pub fn clock_time(epoch: i64, offset_secs: i32) -> String {
    let secs = (epoch + i64::from(offset_secs)).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_wrap_at_midnight() {
        assert_eq!(clock_time(0, 0), "00:00:00");
        assert_eq!(clock_time(3_661, 0), "01:01:01");
        assert_eq!(clock_time(0, -3_600), "23:00:00");
    }

    #[test]
    fn long_input_shows_its_end() {
        assert_eq!(tail("short", 10), "short");
        assert_eq!(tail("abcdefghij", 5), "…ghij");
        assert_eq!(tail("日本語テキスト", 5), "…スト");
        assert_eq!(tail("abc", 0), "");
    }
}
