//! The log view: a top rule (source, mode, follow state, counts), the lines, and a bottom
//! rule (search, filter mode, the last problem or why the source ended).
//!
//! Only the lines that can be on screen are looked at: the window is found by walking out
//! from the anchored line, so drawing costs the same with 100 lines or 5 million.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use regex::Regex;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::Action;
use crate::app::AppState;
use crate::app::logs::buffer::LineView;
use crate::app::logs::scroll::anchor_index;
use crate::app::logs::{Anchor, LogSource, LogViewState, Scroll};
use crate::config::Theme;
use crate::domain::format::truncate;
use crate::domain::logs::{LogLine, LogStream};
use crate::input::keymap::KeyContext;

/// Colours of merged-tail labels, picked by `LogLine::label_colour`.
const LABEL_COLOURS: [Color; 8] = [
    Color::Cyan,
    Color::Magenta,
    Color::Green,
    Color::Blue,
    Color::LightCyan,
    Color::LightMagenta,
    Color::LightGreen,
    Color::LightBlue,
];
/// Widest label column.
const MAX_LABEL: usize = 24;
/// `HH:MM:SS.mmm `.
const TS_WIDTH: usize = 13;
/// Columns of the `↪ ` that starts a wrapped line's continuation rows.
const CONTINUATION: usize = 2;
/// Most matches highlighted in one line.
const MAX_HIGHLIGHTS: usize = 512;

/// Draw the log view of `source` into `area`.
pub fn render_logs(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    source: &LogSource,
    theme: &Theme,
) {
    let logs = &state.logs;
    let block = Block::default()
        .borders(Borders::TOP | Borders::BOTTOM)
        .border_style(theme.border);
    let body = block.inner(area);
    frame.render_widget(block, area);
    if area.height == 0 {
        return;
    }
    let top = Rect { height: 1, ..area };
    let bottom = Rect {
        y: area.bottom().saturating_sub(1),
        height: 1,
        ..area
    };
    crate::ui::rule::render_rule(
        frame,
        top,
        header_left(logs, source, theme),
        header_right(logs, theme),
        false,
    );
    if area.height > 1 {
        // A problem or the end of the source matters more than the search hints.
        crate::ui::rule::render_rule(
            frame,
            bottom,
            footer_left(
                logs,
                &state
                    .keymap
                    .key_name(KeyContext::Logs, crate::app::Action::Filter),
                theme,
            ),
            footer_right(logs, theme),
            true,
        );
    }
    if body.is_empty() {
        return;
    }
    let view = logs.lines();
    if view.is_empty() {
        let text = if !logs.buffer.is_empty() {
            format!(
                "No line matches /{}/ — press {} to show all lines",
                logs.search_text(),
                state
                    .keymap
                    .key_name(KeyContext::Logs, Action::ToggleFilterMode)
            )
        } else if logs.ended.is_some() {
            "No log lines.".to_string()
        } else {
            "Waiting for log lines…".to_string()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.muted)),
            Rect { height: 1, ..body },
        );
        return;
    }
    let painter = Painter::new(state, &view, theme, body);
    let rows = window(logs, &view, &painter, usize::from(body.height));
    frame.render_widget(Paragraph::new(rows), body);
}

fn header_left(logs: &LogViewState, source: &LogSource, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![
        Span::styled(" Logs ", theme.title),
        Span::styled(format!("{} ", source.title()), theme.accent),
    ];
    if !logs.mode.is_empty() {
        spans.push(Span::styled(format!(" {} ", logs.mode), theme.info));
        spans.push(Span::raw(" "));
    }
    if logs.sampled {
        spans.push(Span::styled(
            " SAMPLED ",
            theme.warn.add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(" "));
    }
    if logs.following() {
        spans.push(Span::styled(
            " FOLLOW ",
            theme.ok.add_modifier(Modifier::BOLD),
        ));
    } else {
        spans.push(Span::styled(
            " PAUSED ",
            theme.warn.add_modifier(Modifier::BOLD),
        ));
        let new = logs.new_since_pause();
        if new > 0 {
            spans.push(Span::styled(
                format!("+{} new ", thousands(new)),
                theme.warn,
            ));
        }
    }
    spans
}

fn header_right(logs: &LogViewState, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(
        format!(" {} lines", thousands(logs.buffer.len() as u64)),
        theme.muted,
    )];
    let dropped = logs.buffer.dropped();
    if dropped > 0 {
        spans.push(Span::styled(" · ", theme.muted));
        spans.push(Span::styled(
            format!("{} dropped", thousands(dropped)),
            theme.warn,
        ));
    }
    spans.push(Span::raw(" "));
    spans
}

fn footer_left(logs: &LogViewState, search_key: &str, theme: &Theme) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    match logs.buffer.search() {
        Some(search) => {
            spans.push(Span::styled(format!("/{}/", search.text()), theme.filter));
            let total = search.matches().len();
            let counted = match logs.current_match {
                Some(current) => {
                    let at = search.matches().partition_point(|&s| s < current);
                    if search.matches().get(at) == Some(&current) {
                        format!(" {}/{} ", at + 1, thousands(total as u64))
                    } else {
                        format!(" –/{} ", thousands(total as u64))
                    }
                }
                None if !logs.buffer.search_complete() => {
                    format!(" {}+ matches ", thousands(total as u64))
                }
                None if total == 1 => " 1 match ".to_string(),
                None => format!(" {} matches ", thousands(total as u64)),
            };
            spans.push(Span::styled(counted, theme.muted));
            if let Some(why) = search.invalid() {
                spans.push(Span::styled(format!("(as text: {why}) "), theme.warn));
            }
        }
        None => spans.push(Span::styled(
            format!("{search_key} to search "),
            theme.muted,
        )),
    }
    if logs.filter_mode {
        spans.push(Span::styled(
            " FILTER ",
            theme.accent.add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(" "));
    }
    if logs.wrap {
        spans.push(Span::styled("wrap ", theme.muted));
    }
    if logs.timestamps {
        spans.push(Span::styled("time ", theme.muted));
    }
    spans
}

fn footer_right(logs: &LogViewState, theme: &Theme) -> Vec<Span<'static>> {
    if let Some(reason) = &logs.ended {
        vec![Span::styled(format!(" ended: {reason} "), theme.warn)]
    } else if let Some(problem) = &logs.problem {
        vec![Span::styled(format!(" ⚠ {problem} "), theme.error)]
    } else {
        Vec::new()
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `HH:MM:SS.mmm` of an epoch time in milliseconds, shifted to local time.
pub fn clock_millis(ts_millis: i64, offset_secs: i32) -> String {
    let ms = ts_millis + i64::from(offset_secs) * 1000;
    let day = ms.rem_euclid(86_400_000);
    let secs = day / 1000;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        day % 1000
    )
}

/// The rows on screen: walk out from the anchored line until the screen is covered, then
/// take the `height` rows that put the anchor where it belongs.
fn window(
    logs: &LogViewState,
    view: &LineView<'_>,
    painter: &Painter<'_>,
    height: usize,
) -> Vec<Line<'static>> {
    let last = view.len() - 1;
    let (anchor, at) = match logs.scroll {
        Scroll::Follow => (last, Anchor::Bottom),
        Scroll::Pinned { seq, at } => (anchor_index(view, seq, at).unwrap_or(last), at),
    };
    let mut above: Vec<Vec<Line<'static>>> = Vec::new();
    let mut rows_above = 0;
    let mut i = anchor;
    while i > 0 && rows_above < height {
        i -= 1;
        let rows = painter.rows(view, i);
        rows_above += rows.len();
        above.push(rows);
    }
    let start_reached = i == 0;
    let mut below: Vec<Line<'static>> = Vec::new();
    let mut j = anchor;
    let mut anchor_rows = 0;
    while j <= last && below.len() < height {
        let rows = painter.rows(view, j);
        if j == anchor {
            anchor_rows = rows.len();
        }
        below.extend(rows);
        j += 1;
    }
    let end_reached = j > last;
    let total = rows_above + below.len();
    let (h, anchor_row) = (height as isize, rows_above as isize);
    let mut top = match at {
        Anchor::Top => anchor_row,
        Anchor::Middle => anchor_row - h / 2,
        Anchor::Bottom => anchor_row + anchor_rows as isize - h,
    };
    if end_reached {
        top = top.min(total as isize - h);
    }
    if start_reached || top < 0 {
        top = top.max(0);
    }
    above
        .into_iter()
        .rev()
        .flatten()
        .chain(below)
        .skip(top as usize)
        .take(height)
        .collect()
}

/// Turns one log line into screen rows.
struct Painter<'a> {
    theme: &'a Theme,
    regex: Option<&'a Regex>,
    current: Option<u64>,
    wrap: bool,
    width: usize,
    gutter: bool,
    timestamps: bool,
    label_width: usize,
    offset_secs: i32,
    colour_labels: bool,
}

impl<'a> Painter<'a> {
    fn new(state: &'a AppState, view: &LineView<'_>, theme: &'a Theme, body: Rect) -> Self {
        let logs = &state.logs;
        // The label column fits the labels near what is on screen.
        let height = usize::from(body.height);
        let last = view.len().saturating_sub(1);
        let centre = match logs.scroll {
            Scroll::Follow => last,
            Scroll::Pinned { seq, .. } => view.index_at_or_before(seq).unwrap_or(last),
        };
        let from = centre.saturating_sub(height);
        let to = (centre + height).min(last);
        let label_width = (from..=to)
            .filter_map(|i| view.line(i))
            .map(|(_, l)| l.label.width())
            .max()
            .unwrap_or(0)
            .min(MAX_LABEL);
        Painter {
            theme,
            regex: logs.buffer.search().and_then(|s| s.regex()),
            current: logs.current_match,
            wrap: logs.wrap,
            width: usize::from(body.width),
            gutter: logs.saw_stderr,
            timestamps: logs.timestamps,
            label_width,
            offset_secs: state.settings.utc_offset_secs,
            colour_labels: theme.accent.fg.is_some(),
        }
    }

    fn rows(&self, view: &LineView<'_>, index: usize) -> Vec<Line<'static>> {
        match view.line(index) {
            Some((seq, line)) => self.paint(seq, line),
            None => vec![Line::default()],
        }
    }

    fn prefix(&self, line: &LogLine) -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        if self.gutter {
            if line.stream == LogStream::Stderr {
                spans.push(Span::styled("▌", self.theme.error));
            } else {
                spans.push(Span::raw(" "));
            }
        }
        if self.timestamps {
            let ts = line
                .ts_millis
                .map(|t| format!("{} ", clock_millis(t, self.offset_secs)))
                .unwrap_or_else(|| " ".repeat(TS_WIDTH));
            spans.push(Span::styled(ts, self.theme.muted));
        }
        if self.label_width > 0 {
            let label = truncate(&line.label, self.label_width);
            let pad = self.label_width.saturating_sub(label.width());
            let style = if self.colour_labels {
                let colour = LABEL_COLOURS[usize::from(line.label_colour) % LABEL_COLOURS.len()];
                Style::new().fg(colour)
            } else {
                self.theme.muted
            };
            spans.push(Span::styled(format!("{label}{} ", " ".repeat(pad)), style));
        }
        spans
    }

    fn paint(&self, seq: u64, line: &LogLine) -> Vec<Line<'static>> {
        let prefix = self.prefix(line);
        let prefix_width: usize = prefix.iter().map(|s| s.width()).sum();
        let room = self.width.saturating_sub(prefix_width).max(1);
        let highlight = if self.current == Some(seq) {
            self.theme
                .search_match
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            self.theme.search_match
        };
        let segments = segments(&line.text, self.regex, self.theme.text, highlight);
        // Unwrapped, a line that does not fit ends with `…` in its last column.
        let fits = fits_in(&line.text, room);
        let limit = if self.wrap || fits { room } else { room - 1 };
        let mut rows = Vec::new();
        let mut current: Vec<Span<'static>> = prefix;
        let mut run = String::new();
        let mut run_style = self.theme.text;
        let mut used = 0;
        'text: for (range, style) in segments {
            for c in line.text[range].chars() {
                let w = c.width().unwrap_or(0);
                if used + w > limit && used > 0 {
                    push_run(&mut current, &mut run, run_style);
                    if !self.wrap {
                        current.push(Span::styled("…", self.theme.muted));
                        break 'text;
                    }
                    rows.push(Line::from(std::mem::take(&mut current)));
                    used = 0;
                    // Continuation rows start under the text, after a `↪` that marks them.
                    if prefix_width + CONTINUATION + 8 <= self.width {
                        current.push(Span::raw(" ".repeat(prefix_width)));
                        current.push(Span::styled("↪ ", self.theme.muted));
                        used = CONTINUATION;
                    }
                }
                if style != run_style {
                    push_run(&mut current, &mut run, run_style);
                    run_style = style;
                }
                run.push(c);
                used += w;
            }
        }
        push_run(&mut current, &mut run, run_style);
        rows.push(Line::from(current));
        rows
    }
}

/// Whether `text` takes at most `width` columns (stops counting past it).
fn fits_in(text: &str, width: usize) -> bool {
    let mut used = 0;
    for c in text.chars() {
        used += c.width().unwrap_or(0);
        if used > width {
            return false;
        }
    }
    true
}

fn push_run(spans: &mut Vec<Span<'static>>, run: &mut String, style: Style) {
    if !run.is_empty() {
        spans.push(Span::styled(std::mem::take(run), style));
    }
}

/// The text cut into plain and highlighted byte ranges.
fn segments(
    text: &str,
    regex: Option<&Regex>,
    plain: Style,
    highlight: Style,
) -> Vec<(Range<usize>, Style)> {
    let mut out = Vec::new();
    let mut at = 0;
    if let Some(regex) = regex {
        for m in regex
            .find_iter(text)
            .filter(|m| !m.is_empty())
            .take(MAX_HIGHLIGHTS)
        {
            if m.start() > at {
                out.push((at..m.start(), plain));
            }
            out.push((m.range(), highlight));
            at = m.end();
        }
    }
    if at < text.len() || out.is_empty() {
        out.push((at..text.len(), plain));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn clock_millis_is_local_time_of_day() {
        assert_eq!(clock_millis(1_714_564_800_123, 0), "12:00:00.123");
        assert_eq!(clock_millis(1_714_564_800_123, 7200), "14:00:00.123");
        assert_eq!(clock_millis(-1, 0), "23:59:59.999");
    }

    #[test]
    fn segments_split_around_matches() {
        let re = Regex::new("ab").ok();
        let plain = Style::new();
        let hl = Style::new().bg(Color::Yellow);
        let got = segments("xabyab", re.as_ref(), plain, hl);
        assert_eq!(
            got,
            vec![(0..1, plain), (1..3, hl), (3..4, plain), (4..6, hl)]
        );
        assert_eq!(segments("", None, plain, hl), vec![(0..0, plain)]);
    }
}
