//! The bottom line: the open prompt, or a message, key hints and the last refresh time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::tone_style;
use crate::app::{Action, AppState, Mode, View};
use crate::config::Theme;

/// Actions worth a hint on each view, in order.
fn hint_actions(view: &View) -> &'static [Action] {
    match view {
        View::Clusters => &[
            Action::Enter,
            Action::Filter,
            Action::Command,
            Action::Help,
            Action::Quit,
        ],
        View::Services { .. } => &[
            Action::Enter,
            Action::Back,
            Action::Filter,
            Action::SortNext,
            Action::Help,
        ],
        View::Tasks { .. } => &[
            Action::Enter,
            Action::Back,
            Action::ToggleAll,
            Action::Filter,
            Action::Help,
        ],
        View::Containers { .. } => &[
            Action::Back,
            Action::ToggleDetail,
            Action::Filter,
            Action::Help,
        ],
        _ => &[Action::Back, Action::Filter, Action::Help],
    }
}

pub fn render_status(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match &state.mode {
        Mode::Filter(text) => return render_prompt(frame, area, "/", text, theme),
        Mode::Command(text) => return render_prompt(frame, area, ":", text, theme),
        Mode::Normal | Mode::Help(_) | Mode::Confirm(_) => {}
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
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(clock.chars().count() as u16),
    ])
    .areas(area);
    let line = match &state.flash {
        Some(flash) => Line::from(Span::styled(
            format!(" {}", flash.text),
            tone_style(theme, flash.tone),
        )),
        None => {
            let ctx = state.key_context();
            let mut spans = Vec::new();
            for action in hint_actions(state.view()) {
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
        other => other.name(),
    }
}

fn render_prompt(frame: &mut Frame, area: Rect, prefix: &str, text: &str, theme: &Theme) {
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), theme.key_hint),
        Span::styled(text.to_string(), theme.filter),
        Span::styled("█", theme.muted),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar), area);
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
}
