//! The operations views: Auto Scaling groups, the journal and the service detail.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::{AppState, View};
use crate::config::Theme;
use crate::ui::journal::render_journal;
use crate::ui::service::render_service_detail;
use crate::ui::table::render_table;

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
