//! The confirmation dialog of a mutating operation.
//!
//! Long values (a rollback's images) wrap under their value column, and the dialog grows to
//! fit them, so the instruction line at the bottom is never cut off.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthChar;

use crate::app::core::keys::fixed::{CANCEL, NO, SUBMIT, YES};
use crate::app::guard::op::Confirm;
use crate::config::Theme;
use crate::ui::help::centered;

/// Width of `label: ` in front of every value.
const LABEL: usize = 11;
/// The dialog's width: at least this, wider (up to `MAX_WIDTH`) for long values.
const MIN_WIDTH: u16 = 70;
const MAX_WIDTH: u16 = 110;

pub fn render_confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme) {
    let longest = confirm
        .lines
        .iter()
        .map(|(_, v)| LABEL + text_width(v) + 3)
        .max()
        .unwrap_or(0);
    let width = (longest.min(usize::from(MAX_WIDTH)) as u16)
        .max(MIN_WIDTH)
        .min(area.width);
    let room = usize::from(width.saturating_sub(2))
        .saturating_sub(LABEL)
        .max(1);
    let mut lines = Vec::new();
    for (label, value) in &confirm.lines {
        let style = if label == "change" {
            theme.warn
        } else {
            theme.text
        };
        for (i, part) in wrap(value, room).into_iter().enumerate() {
            let head = if i == 0 {
                format!("{label:>9}: ")
            } else {
                " ".repeat(LABEL)
            };
            lines.push(Line::from(vec![
                Span::styled(head, theme.muted),
                Span::styled(part, style),
            ]));
        }
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
                Span::styled(
                    format!(" and press {SUBMIT} ({CANCEL} cancels)"),
                    theme.text,
                ),
            ]));
            lines.push(Line::from(vec![
                Span::styled("> ", theme.key_hint),
                Span::styled(confirm.input.clone(), theme.filter),
                Span::styled("█", theme.muted),
            ]));
        }
        None => {
            // Enter is offered only where it confirms.
            let yes = if confirm.enter_confirms {
                format!("/{SUBMIT}: do it    ")
            } else {
                ": do it    ".to_string()
            };
            lines.push(Line::from(vec![
                Span::styled(YES, theme.key_hint),
                Span::styled(yes, theme.text),
                Span::styled(NO, theme.key_hint),
                Span::styled(format!("/{CANCEL}: cancel"), theme.text),
            ]));
        }
    }
    let height = lines.len() as u16 + 3;
    let popup = centered(area, width, height);
    if popup.is_empty() {
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warn)
        .title(Span::styled(
            format!(" Confirm: {} ", confirm.op.title()),
            theme.title,
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).style(theme.text), popup);
}

fn text_width(text: &str) -> usize {
    text.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Cut `text` into pieces of at most `width` columns, preferring to break after `, ` or a
/// space.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text;
    while text_width(rest) > width {
        let mut used = 0;
        let mut cut = 0;
        let mut last_space = None;
        for (i, c) in rest.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                break;
            }
            used += w;
            cut = i + c.len_utf8();
            if c == ' ' {
                last_space = Some(cut);
            }
        }
        // Nothing fits (a wide character in one column): the first character goes alone.
        let first = rest.chars().next().map_or(rest.len(), char::len_utf8);
        let at = last_space.filter(|&s| s > 0).unwrap_or(cut.max(first));
        let (head, tail) = rest.split_at(at.min(rest.len()));
        parts.push(head.trim_end().to_string());
        rest = tail;
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_wrap_at_spaces() {
        assert_eq!(wrap("short", 10), ["short"]);
        assert_eq!(
            wrap("app=acme/api:2.1, log=fluent:3", 20),
            ["app=acme/api:2.1,", "log=fluent:3"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn a_wide_character_wider_than_the_room_is_not_cut_in_half() {
        assert_eq!(wrap("🚀🔥", 1), ["🚀", "🔥"]);
        assert_eq!(wrap("日本語", 1), ["日", "本", "語"]);
    }
}
