//! The overlays that scroll (help, `:messages`): their keys and their layout. The layout is
//! the model's, so `update` knows where scrolling ends and the UI only draws it.

use crate::app::Action;
use crate::app::core::command_line::help_rows;
use crate::app::core::messages::Message;
use crate::app::core::state::AppState;
use crate::app::core::table::Tone;
use crate::domain::format::clock_time;

/// Widest the help overlay gets.
pub const HELP_WIDTH: u16 = 72;
/// Widest the messages overlay gets.
pub const MESSAGES_WIDTH: u16 = 100;
/// Columns before a message's text: `18:43:25 `.
const TIME_COLUMNS: usize = 9;

/// What a key does to an open overlay scrolled by `scroll`: the new scroll, or `None` to
/// close it. Every other key closes it, `q` and `esc` too: an overlay never quits.
pub fn scroll(action: Action, scroll: u16, max: u16) -> Option<u16> {
    let scroll = scroll.min(max);
    match action {
        Action::Down => Some(scroll.saturating_add(1).min(max)),
        Action::Up => Some(scroll.saturating_sub(1)),
        Action::PageDown => Some(scroll.saturating_add(10).min(max)),
        Action::PageUp => Some(scroll.saturating_sub(10)),
        Action::Top => Some(0),
        Action::Bottom => Some(max),
        _ => None,
    }
}

/// Rows of text an overlay of `lines` lines shows on a screen `rows` tall: as tall as its
/// text, up to the screen less a line above and below (3 rows at the least), less borders.
pub fn visible_rows(lines: usize, rows: u16) -> usize {
    let wanted = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    let height = wanted.min(rows.saturating_sub(2).max(3)).min(rows);
    usize::from(height.saturating_sub(2))
}

/// How far an overlay of `lines` lines scrolls on this screen.
pub fn max_scroll(lines: usize, rows: u16) -> u16 {
    u16::try_from(lines.saturating_sub(visible_rows(lines, rows))).unwrap_or(u16::MAX)
}

/// Lines of the help overlay.
pub fn help_lines(state: &AppState) -> usize {
    state.keymap.help(state.key_context()).len() + 2 + help_rows().count()
}

/// One line of the messages overlay: the time (on a message's first line), text, tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageLine {
    pub time: String,
    pub text: String,
    pub tone: Tone,
}

/// The messages overlay's width on this screen.
pub fn messages_width(state: &AppState) -> u16 {
    MESSAGES_WIDTH.min(state.screen.0)
}

/// The messages overlay's lines, newest message first, each wrapped whole at word
/// boundaries to the overlay's width.
pub fn message_lines(state: &AppState) -> Vec<MessageLine> {
    let inner = usize::from(messages_width(state).saturating_sub(2));
    let text_width = inner.saturating_sub(TIME_COLUMNS).max(10);
    let mut lines = Vec::new();
    for message in state.messages.newest_first() {
        push_message(
            &mut lines,
            message,
            text_width,
            state.settings.utc_offset_secs,
        );
    }
    lines
}

fn push_message(lines: &mut Vec<MessageLine>, m: &Message, width: usize, offset: i32) {
    let text = if m.count > 1 {
        format!("{} (×{})", m.text, m.count)
    } else {
        m.text.clone()
    };
    let options = textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .break_words(true);
    for (i, part) in textwrap::wrap(&text, options).into_iter().enumerate() {
        let time = if i == 0 && m.time > 0 {
            clock_time(m.time, offset)
        } else {
            String::new()
        };
        lines.push(MessageLine {
            time,
            text: part.into_owned(),
            tone: m.tone,
        });
    }
}

/// Lines of the overlay `mode` shows, if it is one that scrolls.
pub fn lines(state: &AppState, help: bool) -> usize {
    if help {
        help_lines(state)
    } else {
        message_lines(state).len().max(1)
    }
}
