//! The service detail view: summary, progress gauge, deployments, events and stopped tasks.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Gauge, Paragraph, Row, Table};

use crate::app::AppState;
use crate::app::core::table::{Load, Tone};
use crate::config::Theme;
use crate::domain::format::{age, truncate};
use crate::domain::service::{DeploymentRow, ServiceDetail};
use crate::ui::tone_style;

/// Most deployment rows shown (ECS keeps a handful at most).
const MAX_DEPLOYMENT_ROWS: u16 = 4;

pub fn render_service_detail(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    cluster: &str,
    service: &str,
    theme: &Theme,
) {
    let Some(detail) = state.service.detail.of(cluster, service) else {
        let block = block(format!(" Service {service} "), cluster, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = match &state.service.detail.load {
            Load::Failed(message) => Span::styled(format!("✖ {message}"), theme.error),
            _ => Span::styled(format!("Loading {service}…"), theme.muted),
        };
        frame.render_widget(Paragraph::new(text), inner);
        return;
    };
    let now = state.service.detail.now;
    let rows = (detail.deployments.len() as u16).clamp(1, MAX_DEPLOYMENT_ROWS);
    let [summary, deployments, rest] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(rows + 3),
        Constraint::Min(0),
    ])
    .areas(area);
    render_summary(frame, summary, state, detail, theme);
    render_deployments(frame, deployments, detail, now, theme);
    let direction = if rest.width >= 120 {
        Direction::Horizontal
    } else {
        Direction::Vertical
    };
    let parts = Layout::default()
        .direction(direction)
        .constraints([Constraint::Percentage(60), Constraint::Percentage(40)])
        .split(rest);
    render_events(frame, parts[0], state, detail, theme);
    render_stopped(frame, parts[1], detail, now, theme);
}

fn block<'a>(title: String, scope: &str, theme: &Theme) -> Block<'a> {
    let mut spans = vec![Span::styled(title, theme.title)];
    if !scope.is_empty() {
        spans.push(Span::styled(format!("{scope} "), theme.accent));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(spans))
}

/// Draw a list's panel titled `title`: the area inside it for the rows, or `None` when there
/// is no room, or when the list is `empty` (the panel then shows `empty_note`).
fn list_panel(
    frame: &mut Frame,
    area: Rect,
    title: String,
    empty: bool,
    empty_note: &str,
    theme: &Theme,
) -> Option<Rect> {
    let block = block(title, "", theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return None;
    }
    if empty {
        frame.render_widget(Paragraph::new(Span::styled(empty_note, theme.muted)), inner);
        return None;
    }
    Some(inner)
}

fn render_summary(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    detail: &ServiceDetail,
    theme: &Theme,
) {
    let svc = &detail.service;
    let block = block(
        format!(" Service {} ", svc.name),
        svc.cluster.as_str(),
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    let [line, gauge] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(inner);
    let rollout_style = tone_style(theme, svc.rollout.tone().unwrap_or(Tone::Muted));
    let mut spans = vec![Span::styled(svc.status.to_string(), theme.text)];
    if !svc.rollout.is_empty() {
        spans.push(Span::styled("  rollout ", theme.muted));
        spans.push(Span::styled(svc.rollout.to_string(), rollout_style));
    }
    spans.extend([
        Span::styled("  desired ", theme.muted),
        Span::styled(svc.desired.to_string(), theme.text),
        Span::styled("  running ", theme.muted),
        Span::styled(
            svc.running.to_string(),
            count_style(theme, svc.running, svc.desired),
        ),
        Span::styled("  pending ", theme.muted),
        Span::styled(
            svc.pending.to_string(),
            if svc.pending > 0 {
                theme.warn
            } else {
                theme.text
            },
        ),
        Span::styled("  ", theme.muted),
        Span::styled(svc.task_definition.clone(), theme.text),
    ]);
    if !svc.launch_type.is_empty() {
        spans.push(Span::styled(format!("  {}", svc.launch_type), theme.muted));
    }
    if state
        .service
        .watch
        .as_ref()
        .is_some_and(|w| w.cluster == svc.cluster.as_str() && w.service == svc.name.as_str())
    {
        spans.push(Span::styled("  (watching)", theme.accent));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), line);

    let (running, desired) = detail.progress();
    let ratio = if desired > 0 {
        (f64::from(running.max(0)) / f64::from(desired)).clamp(0.0, 1.0)
    } else {
        1.0
    };
    let label = if desired > 0 {
        format!("{running}/{desired} running")
    } else {
        "scaled to 0".to_string()
    };
    let style = if running >= desired {
        theme.ok
    } else {
        theme.gauge
    };
    frame.render_widget(
        Gauge::default()
            .gauge_style(style)
            .ratio(ratio)
            .label(Span::styled(label, theme.text))
            .use_unicode(true),
        gauge,
    );
}

fn count_style(theme: &Theme, running: i32, desired: i32) -> ratatui::style::Style {
    if running == 0 && desired > 0 {
        theme.error
    } else if running < desired {
        theme.warn
    } else {
        theme.ok
    }
}

fn render_deployments(
    frame: &mut Frame,
    area: Rect,
    detail: &ServiceDetail,
    now: i64,
    theme: &Theme,
) {
    let Some(inner) = list_panel(
        frame,
        area,
        format!(" Deployments [{}] ", detail.deployments.len()),
        detail.deployments.is_empty(),
        "No deployments reported",
        theme,
    ) else {
        return;
    };
    // The reason column only where there is room for it (the flash also carries a failure).
    let with_reason = inner.width >= 100;
    let mut titles = vec![
        "STATUS", "ROLLOUT", "TASK DEF", "DESIRED", "PENDING", "RUNNING", "FAILED", "AGE",
    ];
    let mut widths = vec![
        Constraint::Length(7),
        Constraint::Length(11),
        Constraint::Length(20),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(5),
    ];
    if with_reason {
        titles.push("REASON");
        widths.push(Constraint::Min(10));
    }
    let header = Row::new(titles.into_iter().map(Cell::from)).style(theme.header);
    let rows = detail
        .deployments
        .iter()
        .map(|d| deployment_cells(d, now, theme, with_reason));
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}

fn deployment_cells<'a>(d: &DeploymentRow, now: i64, theme: &Theme, with_reason: bool) -> Row<'a> {
    let rollout = d.rollout_state.tone().unwrap_or(Tone::Muted);
    let status = if d.is_primary() {
        theme.accent
    } else {
        theme.muted
    };
    let failed = if d.failed > 0 {
        theme.error
    } else {
        theme.text
    };
    let mut cells = vec![
        Cell::from(Span::styled(d.status.clone(), status)),
        Cell::from(Span::styled(
            d.rollout_state.to_string(),
            tone_style(theme, rollout),
        )),
        Cell::from(truncate(&d.task_definition, 20)),
        Cell::from(d.desired.to_string()),
        Cell::from(d.pending.to_string()),
        Cell::from(Span::styled(
            d.running.to_string(),
            count_style(theme, d.running, d.desired),
        )),
        Cell::from(Span::styled(d.failed.to_string(), failed)),
        Cell::from(Span::styled(age(d.created_at, now), theme.muted)),
    ];
    if with_reason {
        cells.push(Cell::from(Span::styled(
            d.rollout_reason.clone(),
            theme.muted,
        )));
    }
    Row::new(cells)
}

fn render_events(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    detail: &ServiceDetail,
    theme: &Theme,
) {
    let total = detail.events.len();
    let scroll = state
        .service
        .detail
        .events_scroll
        .min(total.saturating_sub(1));
    let visible = area.height.saturating_sub(2) as usize;
    let title = if total == 0 {
        " Events ".to_string()
    } else {
        let last = (scroll + visible).min(total);
        format!(" Events, newest first [{}-{last} of {total}] ", scroll + 1)
    };
    let Some(inner) = list_panel(frame, area, title, total == 0, "No service events", theme) else {
        return;
    };
    let offset = state.settings.utc_offset_secs;
    let width = usize::from(inner.width);
    let lines: Vec<Line> = detail
        .events
        .iter()
        .skip(scroll)
        .take(visible)
        .map(|e| {
            let time =
                e.at.map(|t| crate::domain::format::clock_time(t, offset))
                    .unwrap_or_else(|| "--:--:--".to_string());
            let tone = event_tone(&e.message);
            Line::from(vec![
                Span::styled(format!("{time} "), theme.muted),
                Span::styled(
                    truncate(&e.message, width.saturating_sub(9)),
                    tone_style(theme, tone),
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Events that mean trouble stand out.
fn event_tone(message: &str) -> Tone {
    let lower = message.to_lowercase();
    if lower.contains("unable")
        || lower.contains("failed")
        || lower.contains("unhealthy")
        || lower.contains("error")
    {
        Tone::Error
    } else if lower.contains("steady state") {
        Tone::Ok
    } else {
        Tone::Normal
    }
}

fn render_stopped(frame: &mut Frame, area: Rect, detail: &ServiceDetail, now: i64, theme: &Theme) {
    let Some(inner) = list_panel(
        frame,
        area,
        format!(" Stopped tasks [{}] ", detail.stopped.len()),
        detail.stopped.is_empty(),
        "No stopped tasks",
        theme,
    ) else {
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = Vec::new();
    for t in &detail.stopped {
        let mut why = t.reason.clone();
        if !t.containers.is_empty() {
            why = format!("{why} — {}", t.containers.join(", "));
        }
        let head = format!("{} {:>4} ", t.short_id(), age(t.stopped_at, now));
        let room = width.saturating_sub(head.chars().count());
        lines.push(Line::from(vec![
            Span::styled(head, theme.muted),
            Span::styled(truncate(&why, room), theme.error),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
