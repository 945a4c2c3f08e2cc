//! The shared table widget: fitted columns, tones, selection, and the loading/empty/error states.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, Table, TableState as WidgetState, Wrap,
};
use unicode_width::UnicodeWidthStr;

use crate::app::core::table::{Column, Load, TableRow, TableState, Tone};
use crate::config::Theme;
use crate::domain::format::truncate;
use crate::ui::columns::{Fit, fit_columns};
use crate::ui::tone_style;

/// Most lines an error message takes above the rows.
const MAX_ERROR_LINES: usize = 3;

pub fn render_table<R: TableRow>(
    frame: &mut Frame,
    area: Rect,
    table: &TableState<R>,
    title: &str,
    scope: &str,
    theme: &Theme,
) {
    let count = if table.filter.is_empty() {
        format!("{}", table.rows().len())
    } else {
        format!("{}/{}", table.visible_len(), table.rows().len())
    };
    let head = format!(" {title} ");
    let count = format!("[{count}] ");
    // The rows are as wide as the inside of the borders (an error takes lines, not width).
    let fit = table_fit(table, area.width.saturating_sub(2));
    let inside = usize::from(area.width.saturating_sub(2));
    // The hidden columns' marker gives way after the scope, before the count.
    let marker = match fit.as_ref().map(Fit::marker) {
        Some(marker) if !marker.is_empty() => format!("{marker} "),
        _ => String::new(),
    };
    let marker = if head.width() + count.width() + marker.width() < inside {
        marker
    } else {
        String::new()
    };
    // The scope gives way first, so the count and the hidden columns stay inside the corners.
    let room = inside.saturating_sub(head.width() + count.width() + marker.width() + 1);
    let mut title_spans = vec![Span::styled(head, theme.title)];
    if !scope.is_empty() && room > 0 {
        title_spans.push(Span::styled(
            format!("{} ", truncate(scope, room)),
            theme.accent,
        ));
    }
    title_spans.push(Span::styled(count, theme.muted));
    if !marker.is_empty() {
        title_spans.push(Span::styled(marker, theme.muted));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(title_spans));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }

    let mut list_area = inner;
    if let Load::Failed(message) = &table.load {
        let line = Line::from(vec![
            Span::styled("✖ ", theme.error),
            Span::styled(message.clone(), theme.error),
        ]);
        // Wrapped over up to three lines: the advice is at the end of the message.
        let needed = wrapped_lines(&format!("✖ {message}"), usize::from(inner.width));
        let height = (needed.clamp(1, MAX_ERROR_LINES) as u16).min(inner.height);
        let [msg, rest] =
            Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(inner);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: false }), msg);
        list_area = rest;
    }
    if list_area.is_empty() {
        return;
    }

    if table.rows().is_empty() {
        let text = match &table.load {
            Load::Loading => format!("Loading {}…", title.to_lowercase()),
            Load::Loaded => format!("No {}", title.to_lowercase()),
            Load::Failed(_) => String::new(),
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), list_area);
        return;
    }

    let Some(Fit { widths, .. }) = fit else {
        return;
    };
    let header = Row::new(
        R::columns()
            .iter()
            .zip(&widths)
            .filter(|(_, w)| **w > 0)
            .map(|(c, &w)| Cell::from(header_title(c, table.sort, R::columns(), w))),
    )
    .style(theme.header);
    let now = table.now();
    let rows = table.visible().map(|row| {
        let mut cells = row.cells(now);
        let mut tones = row.tones();
        // A change in flight shows on its row, after the pinned first cell.
        if let (Some(label), Some(first), Some(&w)) =
            (table.mark(&row.key()), cells.first_mut(), widths.first())
        {
            *first = crate::domain::format::with_label(first, label, usize::from(w));
            if let Some(tone) = tones.first_mut() {
                *tone = Tone::Warn;
            }
        }
        Row::new(
            cells
                .into_iter()
                .zip(&widths)
                .enumerate()
                .filter(|(_, (_, w))| **w > 0)
                .map(|(i, (text, &w))| {
                    let tone = tones.get(i).copied().unwrap_or_default();
                    Cell::from(Span::styled(
                        truncate(&text, w as usize),
                        tone_style(theme, tone),
                    ))
                }),
        )
    });
    let constraints: Vec<Constraint> = widths
        .iter()
        .filter(|&&w| w > 0)
        .map(|&w| Constraint::Length(w))
        .collect();
    let widget = Table::new(rows, constraints)
        .header(header)
        .column_spacing(1)
        .row_highlight_style(theme.selected);
    let mut ws = WidgetState::default();
    if table.visible_len() > 0 {
        ws.select(Some(table.selected_index()));
    }
    frame.render_stateful_widget(widget, list_area, &mut ws);
}

/// The columns of `table` at `width`, scrolled by its offset; `None` when it has no rows.
fn table_fit<R: TableRow>(table: &TableState<R>, width: u16) -> Option<Fit> {
    if table.rows().is_empty() {
        return None;
    }
    Some(fit_columns(
        R::columns(),
        width,
        table.column_offset(),
        &wanted_widths(table, 0),
    ))
}

/// The widest cell of each column over all the rows (filtered or not, so a filter does not
/// move the columns), or its title with the sort arrow; `indent` is added to the first.
pub fn wanted_widths<R: TableRow>(table: &TableState<R>, indent: usize) -> Vec<u16> {
    let sorted = table.sort.map(|(i, _)| i);
    let mut wanted: Vec<usize> = R::columns()
        .iter()
        .enumerate()
        .map(|(i, c)| c.title.width() + usize::from(sorted == Some(i)))
        .collect();
    let now = table.now();
    for row in table.rows() {
        for (i, (want, cell)) in wanted.iter_mut().zip(row.cells(now)).enumerate() {
            let indent = if i == 0 { indent } else { 0 };
            *want = (*want).max(cell.width() + indent);
        }
    }
    wanted
        .into_iter()
        .map(|w| w.min(usize::from(u16::MAX)) as u16)
        .collect()
}

/// How many lines greedy word wrapping at `width` makes of `text`.
fn wrapped_lines(text: &str, width: usize) -> usize {
    if width == 0 {
        return 1;
    }
    let mut lines = 1;
    let mut used = 0;
    for word in text.split(' ') {
        let w = word.width();
        let with_space = if used == 0 { w } else { used + 1 + w };
        if with_space <= width {
            used = with_space;
        } else {
            if used > 0 {
                lines += 1;
            }
            // A word longer than the line is broken over several.
            lines += w.saturating_sub(1) / width;
            used = if w == 0 { 0 } else { (w - 1) % width + 1 };
        }
    }
    lines
}

fn header_title(col: &Column, sort: Option<(usize, bool)>, all: &[Column], width: u16) -> String {
    let index = all.iter().position(|c| c == col);
    // A compact form carries the arrow of the columns it stands for.
    let stands_for = |i: usize| {
        col.compact_for
            .is_some_and(|(first, count)| i >= first && i < first + count)
    };
    let arrow = match sort {
        Some((i, desc)) if Some(i) == index || stands_for(i) => {
            if desc {
                "↓"
            } else {
                "↑"
            }
        }
        _ => "",
    };
    truncate(&format!("{}{arrow}", col.title), width as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column::text("NAME", 20),
        Column::text("A", 10),
        Column::text("B", 10),
    ];

    fn fit(columns: &[Column], total: u16) -> Vec<u16> {
        fit_columns(columns, total, 0, &[]).widths
    }

    #[test]
    fn wide_terminals_show_every_column() {
        assert_eq!(fit(COLS, 100), vec![20, 10, 10]);
    }

    #[test]
    fn narrow_terminals_drop_columns_before_names_get_short() {
        const WIDE: &[Column] = &[
            Column::text("NAME", 30).min(20),
            Column::text("A", 10),
            Column::text("B", 10),
        ];
        // The name shrinks to 20 before a column goes.
        assert_eq!(fit(WIDE, 45), vec![23, 10, 10]);
        assert_eq!(fit(WIDE, 42), vec![20, 10, 10]);
        // Then B is dropped and the name gets the room back.
        assert_eq!(fit(WIDE, 41), vec![30, 10, 0]);
        assert_eq!(fit(WIDE, 40), vec![29, 10, 0]);
        assert_eq!(fit(WIDE, 35), vec![24, 10, 0]);
        // A lone name takes what there is.
        assert_eq!(fit(WIDE, 25), vec![25, 0, 0]);
        assert_eq!(fit(WIDE, 5), vec![5, 0, 0]);
        assert_eq!(fit(WIDE, 0), vec![0, 0, 0]);
        assert_eq!(fit(COLS, 35), vec![20, 10, 0]);
    }

    #[test]
    fn wrapping_counts_lines() {
        assert_eq!(wrapped_lines("abc def", 7), 1);
        assert_eq!(wrapped_lines("abc def", 6), 2);
        assert_eq!(wrapped_lines("abcdefghij", 4), 3);
        assert_eq!(wrapped_lines("", 4), 1);
        assert_eq!(wrapped_lines("abc", 0), 1);
    }

    #[test]
    fn every_width_fits() {
        for total in 0..200u16 {
            let w = fit(COLS, total);
            let shown = w.iter().filter(|&&x| x > 0).count() as u32;
            let used: u32 = w.iter().map(|&x| u32::from(x)).sum::<u32>() + shown.saturating_sub(1);
            assert!(used <= u32::from(total), "{total}: {w:?}");
        }
    }
}
