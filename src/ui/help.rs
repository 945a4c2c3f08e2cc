//! The `?` overlay, generated from the live keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::AppState;
use crate::app::update::COMMANDS;
use crate::config::Theme;

pub fn render_help(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let popup = centered(area, 72, 30);
    if popup.is_empty() {
        return;
    }
    let mut lines = Vec::new();
    for entry in state.keymap.help(state.key_context()) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>16}  ", entry.keys), theme.key_hint),
            Span::styled(entry.description.to_string(), theme.text),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("commands", theme.title)));
    for (cmd, what) in COMMANDS {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>26}  ", format!(":{cmd}")), theme.key_hint),
            Span::styled(what.to_string(), theme.text),
        ]));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Help — esc to close ", theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.text)
            .scroll((scroll, 0)),
        popup,
    );
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
