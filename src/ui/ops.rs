//! The operations views: Auto Scaling groups, the journal and the service detail.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::journal::render_journal;
use super::rollout::render_service_detail;
use super::table::render_table;
use crate::app::{AppState, View};
use crate::config::Theme;

/// Draw `view` if it is an operations view; false otherwise.
pub fn render_ops_view(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    view: &View,
    theme: &Theme,
) -> bool {
    match view {
        View::Asgs => render_table(
            frame,
            area,
            &state.ops.asgs,
            "Auto Scaling groups",
            "",
            theme,
        ),
        View::Journal => render_journal(frame, area, state, theme),
        View::ServiceDetail { cluster, service } => render_service_detail(
            frame,
            area,
            state,
            cluster.as_str(),
            service.as_str(),
            theme,
        ),
        _ => return false,
    }
    true
}
