//! The confirmation dialog of a mutating operation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::help::centered;
use crate::app::op::Confirm;
use crate::config::Theme;

pub fn render_confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme) {
    let height = confirm.lines.len() as u16 + if confirm.typed.is_some() { 7 } else { 5 };
    let popup = centered(area, 70, height);
    if popup.is_empty() {
        return;
    }
    let mut lines = Vec::new();
    for (label, value) in &confirm.lines {
        let style = if label == "change" {
            theme.warn
        } else {
            theme.text
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>9}: "), theme.muted),
            Span::styled(value.clone(), style),
        ]));
    }
    lines.push(Line::from(""));
    match &confirm.typed {
        Some(expected) => {
            if let Some(why) = &confirm.why_typed {
                lines.push(Line::from(Span::styled(format!("{why}:"), theme.warn)));
            }
            lines.push(Line::from(vec![
                Span::styled("type ", theme.text),
                Span::styled(expected.clone(), theme.accent),
                Span::styled(" and press enter (esc cancels)", theme.text),
            ]));
            lines.push(Line::from(vec![
                Span::styled("> ", theme.key_hint),
                Span::styled(confirm.input.clone(), theme.filter),
                Span::styled("█", theme.muted),
            ]));
        }
        None => lines.push(Line::from(vec![
            Span::styled("y", theme.key_hint),
            Span::styled("/enter: do it    ", theme.text),
            Span::styled("n", theme.key_hint),
            Span::styled("/esc: cancel", theme.text),
        ])),
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warn)
        .title(Span::styled(
            format!(" Confirm: {} ", confirm.op.title()),
            theme.title,
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.text)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
