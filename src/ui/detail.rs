//! The detail pane of the containers view: the selected container and its task.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::AppState;
use crate::config::Theme;
use crate::domain::format::age;

pub fn render_container_detail(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut lines = Vec::new();
    let field = |lines: &mut Vec<Line<'static>>, label: &str, value: String| {
        if !value.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!("{label:>14}: "), theme.muted),
                Span::styled(value, theme.text),
            ]));
        }
    };
    if let Some(c) = state.containers.selected_row() {
        field(&mut lines, "container", c.name.clone());
        field(&mut lines, "image", c.image.clone());
        field(&mut lines, "status", c.last_status.clone());
        field(
            &mut lines,
            "exit code",
            c.exit_code.map(|x| x.to_string()).unwrap_or_default(),
        );
        field(&mut lines, "health", c.health.clone());
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
