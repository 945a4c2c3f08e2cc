//! The containers view: the list grouped by Docker Compose project, and the detail pane of
//! the selected container with live CPU and memory sparklines.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::Action;
use crate::app::AppState;
use crate::app::core::columns::beside_pane;
use crate::app::core::table::{Load, TableRow, Tone};
use crate::app::docker::{DETAIL_BESIDE_FROM, DockerState, LIST_PERCENT};
use crate::config::Theme;
use crate::domain::docker::{DockerContainerRow, bytes, percent};
use crate::domain::format::{age, truncate, with_label};
use crate::input::keymap::KeyContext;
use crate::ui::columns::{Fit, fit_columns_to_edge};
use crate::ui::table::wanted_widths;
use crate::ui::tone_style;

/// Indent of rows under a group header.
const INDENT: &str = "  ";

/// Draw the containers view in `area`.
pub fn render_docker(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let docker = &state.docker;
    let with_detail = state.show_detail && docker.table.visible_len() > 0;
    let (list, pane) = if with_detail {
        split(area)
    } else {
        (area, Rect::default())
    };
    render_list(frame, list, state, theme);
    if with_detail && !pane.is_empty() {
        render_detail(frame, pane, docker, theme);
    }
}

/// List and detail side by side on wide terminals, stacked on narrow ones.
fn split(area: Rect) -> (Rect, Rect) {
    if area.width >= DETAIL_BESIDE_FROM {
        let list = beside_pane(area.width, LIST_PERCENT);
        let [a, b] = Layout::horizontal([Constraint::Length(list), Constraint::Min(0)]).areas(area);
        (a, b)
    } else {
        let [a, b] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
        (a, b)
    }
}

fn render_list(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let docker = &state.docker;
    let table = &docker.table;
    let count = if table.filter.is_empty() {
        format!("{}", table.rows().len())
    } else {
        format!("{}/{}", table.visible_len(), table.rows().len())
    };
    let mut title = vec![Span::styled(" Containers ", theme.title)];
    if !state.docker_engine.is_empty() {
        title.push(Span::styled(
            format!("{} ", state.docker_engine),
            theme.accent,
        ));
    }
    title.push(Span::styled(format!("[{count}] "), theme.muted));
    let fit = list_fit(docker, area.width.saturating_sub(2));
    let marker = fit.marker();
    if !marker.is_empty() && table.visible_len() > 0 {
        title.push(Span::styled(format!("{marker} "), theme.muted));
    }
    if !docker.show_all {
        title.push(Span::styled("stopped hidden ", theme.muted));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    if let Load::Failed(message) = &table.load {
        let lines = vec![
            Line::from(vec![
                Span::styled("✖ ", theme.error),
                Span::styled(message.clone(), theme.error),
            ]),
            Line::from(""),
            Line::from(Span::styled(
                "The view comes back by itself when the engine answers; the rest of the console works as usual.",
                theme.muted,
            )),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    }
    if table.visible_len() == 0 {
        let text = match (&table.load, table.rows().is_empty()) {
            (Load::Loading, _) => format!(
                "Connecting to the Docker engine at {}…",
                state.docker_engine
            ),
            (_, false) => "No container matches the filter".to_string(),
            (_, true) if !docker.show_all && !docker.all.is_empty() => format!(
                "No running containers (stopped ones are hidden: press {})",
                state.keymap.key_name(KeyContext::Docker, Action::ToggleAll)
            ),
            _ => "No containers".to_string(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.muted)).wrap(Wrap { trim: false }),
            inner,
        );
        return;
    }

    let columns = DockerContainerRow::columns();
    let grouped = table.sort.is_none();
    let widths = fit.widths;
    let mut lines: Vec<Line> = Vec::new();
    let header = columns
        .iter()
        .zip(&widths)
        .enumerate()
        .filter(|(_, (_, w))| **w > 0)
        .map(|(i, (c, &w))| {
            let arrow = match table.sort {
                Some((col, true)) if col == i => "↓",
                Some((col, false)) if col == i => "↑",
                _ => "",
            };
            let indent = if grouped && i == 0 { INDENT } else { "" };
            pad(&format!("{indent}{}{arrow}", c.title), w)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let header_line = Line::from(Span::styled(header, theme.header));

    let now = table.now();
    let rows: Vec<&DockerContainerRow> = table.visible().collect();
    let mut selected_line = 0;
    let mut previous: Option<&str> = None;
    for (index, row) in rows.iter().enumerate() {
        if grouped && previous != Some(row.project.as_str()) {
            previous = Some(row.project.as_str());
            lines.push(group_header(&rows, &row.project, inner.width, theme));
        }
        if index == table.selected_index() {
            selected_line = lines.len();
        }
        let mark = table.mark(&row.key());
        let mut line = row_line(row, now, &widths, grouped, mark, theme);
        if index == table.selected_index() {
            line = line.patch_style(theme.selected);
        }
        lines.push(line);
    }

    let body = inner.height.saturating_sub(1) as usize;
    let mut offset = selected_line.saturating_sub(body.saturating_sub(1));
    // Keep the selected row's group header in sight when there is room.
    if offset > 0 && selected_line - offset < body.saturating_sub(1) {
        offset -= 1;
    }
    let mut shown = vec![header_line];
    shown.extend(lines.into_iter().skip(offset).take(body));
    frame.render_widget(Paragraph::new(shown), inner);
}

/// The list's columns at `width` (its inside), scrolled by the table's offset; the name is
/// indented under group headers.
fn list_fit(docker: &DockerState, width: u16) -> Fit {
    let table = &docker.table;
    let indent = if table.sort.is_none() {
        INDENT.width()
    } else {
        0
    };
    let wanted = wanted_widths(table, indent);
    fit_columns_to_edge(
        DockerContainerRow::columns(),
        width,
        table.column_offset(),
        &wanted,
    )
}

/// `▾ shop  compose project · 3 containers, 2 running`.
fn group_header(
    rows: &[&DockerContainerRow],
    project: &str,
    width: u16,
    theme: &Theme,
) -> Line<'static> {
    let members: Vec<&&DockerContainerRow> = rows.iter().filter(|r| r.project == project).collect();
    let running = members.iter().filter(|r| r.is_running()).count();
    let (name, kind) = if project.is_empty() {
        ("no compose project".to_string(), String::new())
    } else {
        (project.to_string(), "compose project · ".to_string())
    };
    let plural = if members.len() == 1 { "" } else { "s" };
    let text = format!(
        "  {kind}{} container{plural}, {running} running",
        members.len()
    );
    let head = format!("▾ {name}");
    let rest = truncate(&text, usize::from(width).saturating_sub(head.width()));
    Line::from(vec![
        Span::styled(head, theme.accent),
        Span::styled(rest, theme.muted),
    ])
}

fn row_line(
    row: &DockerContainerRow,
    now: i64,
    widths: &[u16],
    grouped: bool,
    mark: Option<&str>,
    theme: &Theme,
) -> Line<'static> {
    let mut cells = row.cells(now);
    let mut tones = row.tones();
    // A change in flight shows on its row, after the name.
    if let (Some(label), Some(first), Some(&w)) = (mark, cells.first_mut(), widths.first()) {
        let indent = if grouped { INDENT.width() } else { 0 };
        *first = with_label(first, label, usize::from(w).saturating_sub(indent));
        if let Some(tone) = tones.first_mut() {
            *tone = Tone::Warn;
        }
    }
    let mut spans = Vec::new();
    for (i, (text, &w)) in cells.iter().zip(widths).enumerate() {
        if w == 0 {
            continue;
        }
        if !spans.is_empty() {
            spans.push(Span::raw(" "));
        }
        let text = if grouped && i == 0 {
            format!("{INDENT}{text}")
        } else {
            text.clone()
        };
        let tone = tones.get(i).copied().unwrap_or_default();
        spans.push(Span::styled(pad(&text, w), tone_style(theme, tone)));
    }
    Line::from(spans)
}

/// `text` cut or padded to exactly `width` columns.
fn pad(text: &str, width: u16) -> String {
    let cut = truncate(text, usize::from(width));
    let fill = usize::from(width).saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

fn render_detail(frame: &mut Frame, area: Rect, docker: &DockerState, theme: &Theme) {
    let row = docker.table.selected_row();
    let name = row.map(|r| r.name.as_str()).unwrap_or("");
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {name} "), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(row) = row else {
        return;
    };
    if inner.height < 2 {
        return;
    }
    let [cpu, mem, rest] = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(inner);
    // What the pane holds is the focused container's: shown only under that container's
    // name (the selection may have moved before the new focus is followed).
    let focused = docker.focus.as_deref() == Some(row.id.as_str());
    let live = docker.last_sample.filter(|_| focused && row.is_running());
    let cpu_text = live
        .and_then(|s| s.cpu_percent)
        .or(row.cpu_percent)
        .map(percent)
        .unwrap_or_else(|| "–".to_string());
    let mem_text = match live.map(|s| (s.memory_bytes, s.memory_limit)) {
        Some((used, limit)) if limit > 0 => format!("{} / {}", bytes(used), bytes(limit)),
        _ => row
            .memory_bytes
            .map(bytes)
            .unwrap_or_else(|| "–".to_string()),
    };
    let none = std::collections::VecDeque::new();
    let (cpu_history, mem_history) = if focused {
        (&docker.cpu_history, &docker.mem_history)
    } else {
        (&none, &none)
    };
    sparkline_row(frame, cpu, "cpu", &cpu_text, cpu_history, 10, theme);
    sparkline_row(frame, mem, "mem", &mem_text, mem_history, 1, theme);

    let mut lines: Vec<Line> = Vec::new();
    let field = |lines: &mut Vec<Line<'static>>, label: &str, value: String, style: Style| {
        if !value.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!("{label:>9} "), theme.muted),
                Span::styled(value, style),
            ]));
        }
    };
    let now = docker.table.now();
    let detail = docker.detail.as_ref().filter(|_| focused);
    match detail {
        Some(Ok(d)) => {
            let state_style = tone_style(theme, row.state.state_tone());
            let started = match d.started_at {
                Some(t) if row.is_running() || row.is_paused() => {
                    format!("{} ago", age(Some(t), now))
                }
                _ => String::new(),
            };
            field(&mut lines, "state", d.state.clone(), state_style);
            field(&mut lines, "started", started, theme.text);
            field(&mut lines, "image", d.image.clone(), theme.text);
            field(&mut lines, "command", d.command.clone(), theme.text);
            field(
                &mut lines,
                "restart",
                format!("{} · restarted {} times", d.restart_policy, d.restart_count),
                theme.text,
            );
            field(&mut lines, "ports", row.ports.clone(), theme.text);
            for (i, network) in d.networks.iter().enumerate() {
                let label = if i == 0 { "networks" } else { "" };
                field(&mut lines, label, network.clone(), theme.text);
            }
            for (i, mount) in d.mounts.iter().enumerate() {
                let label = if i == 0 { "mounts" } else { "" };
                field(&mut lines, label, mount.clone(), theme.text);
            }
            let env: Vec<String> = d.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
            field(&mut lines, "env", env.join(" "), theme.text);
            for (i, (k, v)) in d.labels.iter().enumerate() {
                let label = if i == 0 { "labels" } else { "" };
                field(&mut lines, label, format!("{k}={v}"), theme.muted);
            }
            field(
                &mut lines,
                "id",
                d.id.chars().take(12).collect(),
                theme.muted,
            );
        }
        Some(Err(message)) => field(&mut lines, "detail", message.clone(), theme.error),
        None => {
            field(&mut lines, "state", row.status.clone(), theme.text);
            field(&mut lines, "image", row.image.clone(), theme.text);
            lines.push(Line::from(Span::styled("loading the detail…", theme.muted)));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), rest);
}

/// `cpu  12%  ▁▂▅▇` on one row: a label, the latest value and the history.
fn sparkline_row(
    frame: &mut Frame,
    area: Rect,
    label: &str,
    value: &str,
    history: &std::collections::VecDeque<u64>,
    min_max: u64,
    theme: &Theme,
) {
    let [text, spark] =
        Layout::horizontal([Constraint::Length(22), Constraint::Min(0)]).areas(area);
    let line = Line::from(vec![
        Span::styled(format!("{label:>9} "), theme.muted),
        Span::styled(value.to_string(), theme.text),
    ]);
    frame.render_widget(Paragraph::new(line), text);
    if spark.is_empty() {
        return;
    }
    let width = usize::from(spark.width);
    let data: Vec<u64> = history
        .iter()
        .skip(history.len().saturating_sub(width))
        .copied()
        .collect();
    let max = data.iter().copied().max().unwrap_or(0).max(min_max);
    frame.render_widget(
        Sparkline::default().data(data).max(max).style(theme.gauge),
        spark,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::docker::table::NAME_MAX;

    /// The containers list's widths (the shared rule, to the edge).
    fn fit(columns: &[crate::app::core::table::Column], total: u16) -> Vec<u16> {
        fit_columns_to_edge(columns, total, 0, &[]).widths
    }

    #[test]
    fn columns_drop_from_the_right_then_the_name_grows() {
        let cols = DockerContainerRow::columns();
        let narrow = fit(cols, 78);
        assert!(narrow.iter().rev().take(2).all(|&w| w == 0));
        let shown: u16 =
            narrow.iter().sum::<u16>() + narrow.iter().filter(|&&w| w > 0).count() as u16 - 1;
        assert_eq!(shown, 78);
        let wide = fit(cols, 200);
        assert_eq!(wide[0], NAME_MAX);
        assert!(wide.iter().all(|&w| w > 0));
        assert_eq!(fit(cols, 5)[0], 5);
    }

    #[test]
    fn pad_fits_exactly() {
        assert_eq!(pad("abc", 5), "abc  ");
        assert_eq!(pad("abcdef", 4), "abc…");
        assert_eq!(pad("日本", 5), "日本 ");
    }
}
