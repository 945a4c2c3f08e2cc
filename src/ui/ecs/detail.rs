//! The detail pane of the containers view: the selected container and its task.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::AppState;
use crate::config::Theme;
use crate::domain::format::age;
use unicode_width::UnicodeWidthChar;

/// Columns taken by a label and its `: `.
const LABEL: usize = 16;

pub fn render_container_detail(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut lines = Vec::new();
    // Long values (ARNs) continue under the value, not under the label.
    let room = usize::from(area.width.saturating_sub(2));
    let field = |lines: &mut Vec<Line<'static>>, label: &str, value: String| {
        if value.is_empty() {
            return;
        }
        if room <= LABEL + 8 {
            lines.push(Line::from(vec![
                Span::styled(format!("{label}: "), theme.muted),
                Span::styled(value, theme.text),
            ]));
            return;
        }
        for (i, piece) in split_width(&value, room - LABEL).into_iter().enumerate() {
            let head = if i == 0 {
                format!("{label:>14}: ")
            } else {
                " ".repeat(LABEL)
            };
            lines.push(Line::from(vec![
                Span::styled(head, theme.muted),
                Span::styled(piece, theme.text),
            ]));
        }
    };
    if let Some(c) = state.containers.selected_row() {
        field(&mut lines, "container", c.name.clone());
        field(&mut lines, "image", c.image.clone());
        field(&mut lines, "status", c.last_status.to_string());
        field(
            &mut lines,
            "exit code",
            c.exit_code.map(|x| x.to_string()).unwrap_or_default(),
        );
        field(&mut lines, "health", c.health.to_string());
        field(&mut lines, "cpu units", c.cpu.clone());
        field(&mut lines, "memory MiB", c.memory.clone());
        field(&mut lines, "reason", c.reason.clone());
        field(&mut lines, "runtime id", c.runtime_id.clone());
    }
    if let Some(t) = &state.task {
        lines.push(Line::from(""));
        field(&mut lines, "task", t.arn.to_string());
        field(&mut lines, "task def", t.task_definition.clone());
        field(
            &mut lines,
            "status",
            format!("{} → {}", t.last_status, t.desired_status),
        );
        field(&mut lines, "group", t.group.clone());
        field(&mut lines, "launch type", t.launch_type.clone());
        field(&mut lines, "zone", t.availability_zone.clone());
        field(&mut lines, "private ip", t.private_ip.clone());
        field(
            &mut lines,
            "started",
            age(t.started_at, state.containers.now()),
        );
        field(&mut lines, "stopped reason", t.stopped_reason.clone());
        field(&mut lines, "instance", t.container_instance_arn.clone());
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Detail ", theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// `text` cut into pieces of at most `width` columns.
fn split_width(text: &str, width: usize) -> Vec<String> {
    let mut pieces = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > 0 {
            pieces.push(String::new());
            used = 0;
        }
        if let Some(last) = pieces.last_mut() {
            last.push(c);
        }
        used += w;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cut_by_columns() {
        assert_eq!(split_width("abcdef", 4), vec!["abcd", "ef"]);
        assert_eq!(split_width("abc", 4), vec!["abc"]);
        assert_eq!(split_width("日本語", 4), vec!["日本", "語"]);
    }
}
