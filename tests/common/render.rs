//! Drawing the console into ratatui's `TestBackend` and reading the screen back as text.
//!
//! Included with `#[path]` by the rendering tests; each uses a part of it.
#![allow(dead_code)]

use opsdeck::app::AppState;
use opsdeck::config::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// `state` drawn with `theme` on a `width`×`height` terminal.
pub fn draw_with(state: &AppState, theme: &Theme, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| opsdeck::ui::render(frame, state, theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// `state` drawn with the default theme on a `width`×`height` terminal.
pub fn draw(state: &AppState, width: u16, height: u16) -> Buffer {
    draw_with(state, &Theme::default(), width, height)
}

/// The screen as text, one line per row, trailing blanks trimmed. Cells hidden behind
/// wide characters are skipped, as a terminal shows them.
pub fn text(buffer: &Buffer) -> String {
    let width = usize::from(buffer.area.width);
    let mut out = String::new();
    if width == 0 {
        return out;
    }
    for row in buffer.content.chunks(width) {
        let mut line = String::new();
        let mut skip = 0usize;
        for cell in row {
            if skip == 0 {
                line.push_str(cell.symbol());
                skip = cell.symbol().width().max(1);
            }
            skip -= 1;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `state` drawn with the default theme at `width`×`height`, as text.
pub fn screen(state: &AppState, width: u16, height: u16) -> String {
    text(&draw(state, width, height))
}

/// Where `needle` starts on screen: (x, y) in cells. Only for needles of single-width
/// characters on rows without wide characters before them.
pub fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    text(buffer).lines().enumerate().find_map(|(y, line)| {
        line.find(needle)
            .map(|byte| (line[..byte].width() as u16, y as u16))
    })
}

/// Like [`find`], and panics with the screen when `needle` is not on it.
pub fn at(buffer: &Buffer, needle: &str) -> (u16, u16) {
    find(buffer, needle).unwrap_or_else(|| panic!("{needle:?} not on screen:\n{}", text(buffer)))
}
