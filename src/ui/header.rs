//! The header (AWS context, badges) and the breadcrumbs line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::AppState;
use crate::config::Theme;

pub fn render_header(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let ctx = &state.ctx;
    let base = if ctx.production {
        theme.badge_production
    } else {
        theme.status_bar
    };
    let mut spans = vec![Span::styled(" opsdeck ", theme.title)];
    if ctx.production {
        spans.push(Span::styled(" PRODUCTION ", theme.badge_production));
    }
    if ctx.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.badge_read_only));
    }
    let mut field = |label: &str, value: &str| {
        spans.push(Span::styled(format!(" {label} "), base));
        spans.push(Span::styled(value.to_string(), base.patch(theme.accent)));
    };
    field("profile", &ctx.profile);
    field("region", &ctx.region);
    if let Some(account) = &ctx.account {
        field("account", account);
    }
    if let Some(endpoint) = &ctx.endpoint {
        field("endpoint", endpoint);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(base), area);
}

pub fn render_breadcrumbs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut spans = Vec::new();
    let last = state.stack.len().saturating_sub(1);
    for (i, view) in state.stack.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.muted));
        }
        let style = if i == last {
            theme.breadcrumb
        } else {
            theme.muted
        };
        spans.push(Span::styled(view.crumb(), style));
    }
    let filter = state.filter_text();
    if !filter.is_empty() {
        spans.push(Span::styled("   filter: ", theme.muted));
        spans.push(Span::styled(filter.to_string(), theme.filter));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
