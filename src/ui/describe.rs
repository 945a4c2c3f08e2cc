//! The describe view: a top rule (what is described, the format, where the cursor is), the
//! document's lines coloured by token, and a bottom rule (the search, or why a fetch failed).
//!
//! Colours come from the theme's slots, so a 16-colour theme (`high-contrast`) gives a
//! 16-colour view: keys `info`, strings `ok`, numbers `accent`, `true`/`false`/`null` `warn`,
//! punctuation `muted`; the cursor line `selected`, matches `search_match`.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::AppState;
use crate::app::describe::DescribeState;
use crate::config::Theme;
use crate::domain::describe::{DescribeTarget, DocLine, TokenKind};
use crate::ui::rule::render_rule;

/// Most matches highlighted in one line.
const MAX_HIGHLIGHTS: usize = 256;

/// Draw the describe view of `target` into `area`.
pub fn render_describe(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    target: &DescribeTarget,
    theme: &Theme,
) {
    let d = &state.describe;
    let block = Block::default()
        .borders(Borders::TOP | Borders::BOTTOM)
        .border_style(theme.border);
    let body = block.inner(area);
    frame.render_widget(block, area);
    if area.height == 0 {
        return;
    }
    render_rule(
        frame,
        Rect { height: 1, ..area },
        top_left(d, target, theme),
        top_right(d, theme),
        false,
    );
    if area.height > 1 {
        let bottom = Rect {
            y: area.bottom().saturating_sub(1),
            height: 1,
            ..area
        };
        let search = state
            .keymap
            .key_name(state.key_context(), crate::app::Action::Filter);
        render_rule(
            frame,
            bottom,
            bottom_left(d, &search, theme),
            bottom_right(d, theme),
            false,
        );
    }
    if body.is_empty() {
        return;
    }
    if d.lines.is_empty() {
        let (text, style) = match &d.error {
            Some(error) => (error.clone(), theme.error),
            None => (format!("Loading {}…", target.kind()), theme.muted),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)),
            Rect { height: 1, ..body },
        );
        return;
    }
    let rows = window(d, theme, body.width, usize::from(body.height));
    frame.render_widget(Paragraph::new(rows), body);
}

/// The screen rows from the first line shown: from `top`, moved down when wrapped lines
/// would push the cursor line off the bottom.
fn window(d: &DescribeState, theme: &Theme, width: u16, height: usize) -> Vec<Line<'static>> {
    let width = usize::from(width.max(1));
    let rows_of = |i: usize| -> usize {
        if d.wrap {
            d.lines[i].text().width().div_ceil(width).max(1)
        } else {
            1
        }
    };
    let mut start = d.top.min(d.cursor);
    while start < d.cursor && (start..=d.cursor).map(rows_of).sum::<usize>() > height {
        start += 1;
    }
    let mut out = Vec::new();
    for i in start..d.lines.len() {
        if out.len() >= height {
            break;
        }
        let spans = styled(d, i, theme, width);
        if d.wrap {
            out.extend(wrap(spans, width));
        } else {
            out.push(Line::from(spans));
        }
    }
    out.truncate(height);
    out
}

/// One document line's spans: token colours, search matches, the cursor line.
fn styled(d: &DescribeState, i: usize, theme: &Theme, width: usize) -> Vec<Span<'static>> {
    let line = &d.lines[i];
    let cursor = i == d.cursor;
    let base = |kind: TokenKind| -> Style {
        let style = token_style(theme, kind);
        if cursor {
            style.patch(theme.selected)
        } else {
            style
        }
    };
    let ranges = match &d.search {
        Some(p) if d.matches.binary_search(&i).is_ok() => match_ranges(line, p.regex()),
        _ => Vec::new(),
    };
    let mut spans = Vec::new();
    let mut offset = 0;
    for (kind, text) in &line.tokens {
        let end = offset + text.len();
        let mut at = offset;
        for r in ranges.iter().filter(|r| r.start < end && r.end > offset) {
            let (from, to) = (r.start.max(offset), r.end.min(end));
            if from > at {
                spans.push(Span::styled(
                    text[at - offset..from - offset].to_string(),
                    base(*kind),
                ));
            }
            spans.push(Span::styled(
                text[from - offset..to - offset].to_string(),
                theme.search_match,
            ));
            at = to;
        }
        if at < end {
            spans.push(Span::styled(text[at - offset..].to_string(), base(*kind)));
        }
        offset = end;
    }
    if cursor {
        let used: usize = spans.iter().map(Span::width).sum();
        let pad = width.saturating_sub(used % width.max(1));
        if used == 0 || pad < width {
            spans.push(Span::styled(" ".repeat(pad), theme.selected));
        }
    }
    spans
}

fn match_ranges(line: &DocLine, regex: Option<&regex::Regex>) -> Vec<Range<usize>> {
    let Some(re) = regex else {
        return Vec::new();
    };
    re.find_iter(&line.text())
        .filter(|m| !m.is_empty())
        .take(MAX_HIGHLIGHTS)
        .map(|m| m.range())
        .collect()
}

/// Spans cut into rows of `width` columns.
fn wrap(spans: Vec<Span<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut rows = vec![Vec::new()];
    let mut used = 0;
    for span in spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if !piece.is_empty()
                    && let Some(row) = rows.last_mut()
                {
                    row.push(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(Vec::new());
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        if !piece.is_empty()
            && let Some(row) = rows.last_mut()
        {
            row.push(Span::styled(piece, span.style));
        }
    }
    rows.into_iter().map(Line::from).collect()
}

/// The style of a token kind.
pub fn token_style(theme: &Theme, kind: TokenKind) -> Style {
    match kind {
        TokenKind::Key => theme.info,
        TokenKind::Str => theme.ok,
        TokenKind::Num => theme.accent,
        TokenKind::Literal => theme.warn,
        TokenKind::Punct => theme.muted,
        TokenKind::Space => theme.text,
    }
}

fn top_left(d: &DescribeState, target: &DescribeTarget, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![
        Span::styled(format!(" {} ", target.title()), theme.title),
        Span::styled(format!(" {} ", d.format()), theme.info),
    ];
    if d.wrap {
        spans.push(Span::styled(" WRAP ", theme.muted));
    }
    spans
}

fn top_right(d: &DescribeState, theme: &Theme) -> Vec<Span<'static>> {
    if d.lines.is_empty() {
        return Vec::new();
    }
    vec![Span::styled(
        format!(" line {}/{} ", d.cursor + 1, d.lines.len()),
        theme.muted,
    )]
}

fn bottom_left(d: &DescribeState, search_key: &str, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    match &d.search {
        Some(search) => {
            spans.push(Span::styled(format!("/{}/", search.text()), theme.filter));
            let total = d.matches.len();
            let text = match d.matches.binary_search(&d.cursor) {
                Ok(at) => format!(" {}/{total} ", at + 1),
                Err(_) if total == 1 => " 1 match ".to_string(),
                Err(_) => format!(" {total} matches "),
            };
            spans.push(Span::styled(text, theme.muted));
        }
        None => spans.push(Span::styled(
            format!("{search_key} to search "),
            theme.muted,
        )),
    }
    spans
}

fn bottom_right(d: &DescribeState, theme: &Theme) -> Vec<Span<'static>> {
    match (&d.error, d.lines.is_empty()) {
        // A failed refresh over a document still shown: say so, keep the document.
        (Some(error), false) => vec![Span::styled(format!(" ⚠ {error} "), theme.error)],
        _ => Vec::new(),
    }
}
