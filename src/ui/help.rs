//! The `?` overlay, generated from the live keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::core::command_line::help_rows;
use crate::app::core::overlay;
use crate::app::{Action, AppState};
use crate::config::Theme;

pub fn render_help(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let mut lines = Vec::new();
    for entry in state.keymap.help(state.key_context()) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>16}  ", entry.keys), theme.key_hint),
            Span::styled(entry.description.to_string(), theme.text),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("commands", theme.title)));
    // Commands right-aligned on the longest one.
    let width = help_rows().map(|(cmd, _)| cmd.len() + 1).max().unwrap_or(0);
    for (cmd, what) in help_rows() {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>width$}  ", format!(":{cmd}")), theme.key_hint),
            Span::styled(what.to_string(), theme.text),
        ]));
    }
    // As tall as the help, up to the screen less a line above and below.
    let visible = overlay::visible_rows(lines.len(), area.height);
    let height = u16::try_from(visible + 2).unwrap_or(u16::MAX);
    let popup = centered(area, overlay::HELP_WIDTH, height);
    if popup.is_empty() {
        return;
    }
    let hidden = usize::from(overlay::max_scroll(lines.len(), area.height));
    // Never scroll past the last line.
    let scroll = scroll.min(u16::try_from(hidden).unwrap_or(u16::MAX));
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(
                " Help — {} to close ",
                state.keymap.key_name(state.key_context(), Action::Back)
            ),
            theme.title,
        ));
    if hidden > 0 {
        let ctx = state.key_context();
        let (down, up) = (Action::Down, Action::Up);
        let keys = match (state.keymap.hint(ctx, down), state.keymap.hint(ctx, up)) {
            (Some(d), Some(u)) => format!("{d}/{u}: "),
            _ => String::new(),
        };
        let more = if usize::from(scroll) < hidden {
            format!(" {keys}more below ")
        } else {
            format!(" {keys}more above ")
        };
        block = block.title_bottom(Span::styled(more, theme.muted));
    }
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
