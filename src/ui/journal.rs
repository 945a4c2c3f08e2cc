//! The `:journal` view: every change made from opsdeck, newest first, and the selected entry.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::AppState;
use crate::app::journal::entry::{JournalEntry, Outcome};
use crate::config::Theme;
use crate::ui::table::render_table;

/// Height of the pane that shows the selected entry in full.
const DETAIL_HEIGHT: u16 = 9;

pub fn render_journal(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let journal = &state.journal.table;
    let show_detail = state.show_detail && area.height >= DETAIL_HEIGHT + 6;
    let (list, pane) = if show_detail {
        let [list, pane] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(DETAIL_HEIGHT)]).areas(area);
        (list, pane)
    } else {
        (area, Rect::default())
    };
    let scope = if state.journal.bad_lines > 0 {
        format!("{} unreadable lines skipped", state.journal.bad_lines)
    } else {
        "newest first".to_string()
    };
    render_table(frame, list, journal, "Journal", &scope, theme);
    if show_detail && let Some(entry) = journal.selected_row() {
        render_entry(frame, pane, entry, theme);
    }
}

fn render_entry(frame: &mut Frame, area: Rect, entry: &JournalEntry, theme: &Theme) {
    let field = |label: &str, value: String, style| {
        Line::from(vec![
            Span::styled(format!("{label:>9}: "), theme.muted),
            Span::styled(value, style),
        ])
    };
    let mut lines = vec![
        field("who", entry.who.clone(), theme.text),
        field(
            "where",
            format!(
                "account {}, profile {}, region {}",
                entry.account.as_deref().unwrap_or("unknown"),
                or_dash(&entry.profile),
                or_dash(&entry.region)
            ),
            theme.text,
        ),
        field(
            "change",
            format!("{}: {}", entry.op.title(), entry.op.change()),
            theme.warn,
        ),
        field("before", or_dash(&entry.before).to_string(), theme.text),
    ];
    lines.push(match &entry.outcome {
        Outcome::Done {
            summary,
            request_id,
        } => field(
            "outcome",
            with_request(format!("done: {summary}"), request_id),
            theme.ok,
        ),
        Outcome::Failed { error, request_id } => field(
            "outcome",
            with_request(format!("failed: {error}"), request_id),
            theme.error,
        ),
        Outcome::Unknown => field(
            "outcome",
            "unknown outcome: opsdeck stopped before AWS's answer was recorded — check the resource"
                .to_string(),
            theme.warn,
        ),
    });
    lines.push(field("id", entry.id.clone(), theme.muted));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Entry (u: undo) ", theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn with_request(text: String, request_id: &str) -> String {
    if request_id.is_empty() {
        text
    } else {
        format!("{text} (request {request_id})")
    }
}

fn or_dash(text: &str) -> &str {
    if text.is_empty() { "-" } else { text }
}
