//! The header (AWS context, badges) and the breadcrumbs line.
//!
//! Both lines fit any width: the header drops its least useful parts first (labels, the
//! endpoint's scheme, then the endpoint and the account), the breadcrumbs elide the views
//! on the left so the one on screen stays readable.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::AppState;
use crate::config::Theme;
use crate::domain::format::truncate;

/// How much of the context the header line shows, most first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Every field with its label.
    Full,
    /// Labels only on profile and region; the endpoint without its scheme.
    Compact,
    /// Profile, region and account.
    NoEndpoint,
    /// Profile and region.
    Minimal,
}

pub fn render_header(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let base = if state.ctx.production {
        theme.badge_production
    } else if state.stale_secs.is_some() {
        // Stale data turns the header amber.
        theme.status_bar.patch(theme.warn)
    } else {
        theme.status_bar
    };
    let width = usize::from(area.width);
    let details = [
        Detail::Full,
        Detail::Compact,
        Detail::NoEndpoint,
        Detail::Minimal,
    ];
    let line = details
        .iter()
        .map(|&d| header_line(state, theme, base, d))
        .find(|line| line.width() <= width)
        .unwrap_or_else(|| header_line(state, theme, base, Detail::Minimal));
    frame.render_widget(Paragraph::new(line).style(base), area);
}

fn header_line(state: &AppState, theme: &Theme, base: Style, detail: Detail) -> Line<'static> {
    let ctx = &state.ctx;
    let mut spans = vec![Span::styled(" opsdeck ", theme.title)];
    if ctx.production {
        spans.push(Span::styled(" PRODUCTION ", theme.badge_production));
    }
    if ctx.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.badge_read_only));
    }
    if let Some(secs) = state.stale_secs {
        let old = crate::domain::format::age(Some(0), secs);
        spans.push(Span::styled(
            format!(" STALE: data {old} old "),
            theme.warn.add_modifier(ratatui::style::Modifier::REVERSED),
        ));
    }
    let value = base.patch(theme.accent);
    let mut field = |label: Option<&str>, text: &str| {
        match label {
            Some(label) => spans.push(Span::styled(format!(" {label} "), base)),
            None => spans.push(Span::styled(" ", base)),
        }
        spans.push(Span::styled(text.to_string(), value));
    };
    let full = detail == Detail::Full;
    field(Some("profile"), &ctx.profile);
    field(Some("region"), &ctx.region);
    if let Some(account) = &ctx.account
        && detail != Detail::Minimal
    {
        field(full.then_some("account"), account);
    }
    if let Some(endpoint) = &ctx.endpoint {
        match detail {
            Detail::Full => field(Some("endpoint"), endpoint),
            Detail::Compact => field(Some("→"), strip_scheme(endpoint)),
            Detail::NoEndpoint | Detail::Minimal => {}
        }
    }
    Line::from(spans)
}

/// `http://127.0.0.1:5000` → `127.0.0.1:5000`.
fn strip_scheme(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

pub fn render_breadcrumbs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let width = usize::from(area.width);
    let crumbs: Vec<String> = state.stack.iter().map(|v| v.crumb()).collect();
    let filter = state.filter_text();
    let filter_width = if filter.is_empty() {
        0
    } else {
        "   filter: ".width() + filter.width()
    };
    // Leave out crumbs from the left (shown as `…`) until the path fits next to the filter.
    let last = crumbs.len().saturating_sub(1);
    let mut skip = 0;
    while skip < last && path_width(&crumbs[skip..], skip > 0) + filter_width > width {
        skip += 1;
    }
    let mut spans = Vec::new();
    if skip > 0 {
        spans.push(Span::styled("…", theme.muted));
    }
    for (i, crumb) in crumbs.iter().enumerate().skip(skip) {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.muted));
        }
        if i == last {
            let used: usize = spans.iter().map(|s| s.content.width()).sum();
            // Keep room for the filter, but never cut the view on screen to less than 12.
            let free = width.saturating_sub(used);
            let room = free.saturating_sub(filter_width).max(free.min(12)).max(1);
            spans.push(Span::styled(truncate(crumb, room), theme.breadcrumb));
        } else {
            spans.push(Span::styled(crumb.clone(), theme.muted));
        }
    }
    if !filter.is_empty() {
        spans.push(Span::styled("   filter: ", theme.muted));
        spans.push(Span::styled(filter.to_string(), theme.filter));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Columns taken by `crumbs` joined with ` › `, after a leading `…` when `elided`.
fn path_width(crumbs: &[String], elided: bool) -> usize {
    let names: usize = crumbs.iter().map(|c| c.width()).sum();
    let separators = crumbs.len().saturating_sub(1) + usize::from(elided);
    names + separators * " › ".width() + usize::from(elided) * "…".width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_stripped() {
        assert_eq!(strip_scheme("http://127.0.0.1:5000"), "127.0.0.1:5000");
        assert_eq!(strip_scheme("localhost:4566"), "localhost:4566");
    }

    #[test]
    fn path_widths_count_separators() {
        let crumbs = vec!["clusters".to_string(), "web".to_string()];
        assert_eq!(path_width(&crumbs, false), 8 + 3 + 3);
        assert_eq!(path_width(&crumbs[1..], true), 1 + 3 + 3);
    }
}
