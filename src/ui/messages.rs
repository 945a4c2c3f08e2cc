//! The `:messages` overlay: every message the status line showed, newest first, in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::core::overlay::{self, message_lines};
use crate::app::{Action, AppState};
use crate::config::Theme;
use crate::ui::help::centered;
use crate::ui::tone_style;

pub fn render_messages(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, at: u16) {
    let rows = message_lines(state);
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|row| {
            Line::from(vec![
                Span::styled(format!("{:<9}", row.time), theme.muted),
                Span::styled(row.text.clone(), tone_style(theme, row.tone)),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::from(Span::styled("no messages yet", theme.muted)));
    }
    let visible = overlay::visible_rows(lines.len(), area.height);
    let height = u16::try_from(visible + 2).unwrap_or(u16::MAX);
    let popup = centered(area, overlay::messages_width(state), height);
    if popup.is_empty() {
        return;
    }
    let max = overlay::max_scroll(lines.len(), area.height);
    let at = at.min(max);
    let ctx = state.key_context();
    let close = state.keymap.key_name(ctx, Action::Back);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Messages, newest first — {close} to close "),
            theme.title,
        ));
    if max > 0 {
        let keys = match (
            state.keymap.hint(ctx, Action::Down),
            state.keymap.hint(ctx, Action::Up),
        ) {
            (Some(d), Some(u)) => format!("{d}/{u}: "),
            _ => String::new(),
        };
        let more = if at < max { "more below" } else { "more above" };
        block = block.title_bottom(Span::styled(format!(" {keys}{more} "), theme.muted));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.text)
            .scroll((at, 0)),
        popup,
    );
}
