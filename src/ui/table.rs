//! The shared table widget: fitted columns, tones, selection, and the loading/empty/error states.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState as WidgetState};

use super::tone_style;
use crate::app::table::{Column, Load, TableRow, TableState};
use crate::config::Theme;
use crate::domain::format::truncate;

/// The smallest width the first (name) column shrinks to before others are dropped.
const MIN_FIRST: u16 = 12;

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
    let mut title_spans = vec![Span::styled(format!(" {title} "), theme.title)];
    if !scope.is_empty() {
        title_spans.push(Span::styled(format!("{scope} "), theme.accent));
    }
    title_spans.push(Span::styled(format!("[{count}] "), theme.muted));
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
        let [msg, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
        let line = Line::from(vec![
            Span::styled("✖ ", theme.error),
            Span::styled(message.clone(), theme.error),
        ]);
        frame.render_widget(Paragraph::new(line), msg);
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

    let widths = fit_columns(R::columns(), list_area.width);
    let header = Row::new(
        R::columns()
            .iter()
            .zip(&widths)
            .map(|(c, &w)| Cell::from(header_title(c, table.sort, R::columns(), w))),
    )
    .style(theme.header);
    let now = table.now();
    let rows = table.visible().map(|row| {
        let cells = row.cells(now);
        let tones = row.tones();
        Row::new(
            cells
                .into_iter()
                .zip(&widths)
                .enumerate()
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

fn header_title(col: &Column, sort: Option<(usize, bool)>, all: &[Column], width: u16) -> String {
    let index = all.iter().position(|c| c == col);
    let arrow = match sort {
        Some((i, desc)) if Some(i) == index => {
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

/// Column widths that fit `total`: the first column shrinks first, then columns are
/// dropped from the right (width 0).
pub fn fit_columns(columns: &[Column], total: u16) -> Vec<u16> {
    let mut widths: Vec<u16> = columns.iter().map(|c| c.width).collect();
    let needed = |w: &[u16]| -> u32 {
        let shown = w.iter().filter(|&&x| x > 0).count() as u32;
        w.iter().map(|&x| u32::from(x)).sum::<u32>() + shown.saturating_sub(1)
    };
    let total32 = u32::from(total);
    if let Some(first) = widths.first_mut() {
        let over =
            needed(&columns.iter().map(|c| c.width).collect::<Vec<_>>()).saturating_sub(total32);
        let shrink = (over as u16).min(first.saturating_sub(MIN_FIRST));
        *first -= shrink;
    }
    while needed(&widths) > total32 {
        match widths.iter().rposition(|&w| w > 0) {
            Some(0) | None => {
                if let Some(first) = widths.first_mut() {
                    *first = total;
                }
                break;
            }
            Some(i) => widths[i] = 0,
        }
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column::text("NAME", 20),
        Column::text("A", 10),
        Column::text("B", 10),
    ];

    #[test]
    fn wide_terminals_show_every_column() {
        assert_eq!(fit_columns(COLS, 100), vec![20, 10, 10]);
    }

    #[test]
    fn narrow_terminals_shrink_the_name_then_drop_columns() {
        let w = fit_columns(COLS, 35);
        assert_eq!(w, vec![13, 10, 10]);
        let w = fit_columns(COLS, 24);
        assert_eq!(w, vec![12, 10, 0]);
        let w = fit_columns(COLS, 5);
        assert_eq!(w, vec![5, 0, 0]);
        let w = fit_columns(COLS, 0);
        assert_eq!(w, vec![0, 0, 0]);
    }
}
