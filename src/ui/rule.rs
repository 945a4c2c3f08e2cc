//! A rule row (the top and bottom lines of the log and describe views): spans on the left,
//! spans on the right, cut to the width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::format::truncate;

/// Left spans and right spans on one rule row. When both don't fit, the right part gives
/// way, or with `right_first` the left part does and the right one is cut to fit.
pub fn render_rule(
    frame: &mut Frame,
    area: Rect,
    left: Vec<Span<'static>>,
    right: Vec<Span<'static>>,
    right_first: bool,
) {
    let total = usize::from(area.width);
    let left_width: usize = left.iter().map(|s| s.width()).sum();
    let right_width: usize = right.iter().map(|s| s.width()).sum();
    let right_width = if left_width + right_width < total {
        right_width
    } else if right_first {
        right_width.min(total)
    } else {
        0
    };
    let right = clip(right, right_width);
    let left_room = total.saturating_sub(right_width);
    frame.render_widget(
        Paragraph::new(Line::from(clip(left, left_room))),
        Rect {
            width: left_room as u16,
            ..area
        },
    );
    if right_width > 0 {
        frame.render_widget(
            Paragraph::new(Line::from(right)),
            Rect {
                x: area.x + (total - right_width) as u16,
                width: right_width as u16,
                ..area
            },
        );
    }
}

/// Spans cut to `width` columns, the last one ending with `…` when cut.
pub fn clip(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = span.width();
        if used + w <= width {
            used += w;
            out.push(span);
        } else {
            let room = width - used;
            if room > 0 {
                out.push(Span::styled(truncate(&span.content, room), span.style));
            }
            break;
        }
    }
    out
}
