//! The log groups view (`:logs` alone): one row per CloudWatch log group.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::AppState;
use crate::config::Theme;
use crate::ui::table::render_table;

pub fn render_loggroups(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    render_table(frame, area, &state.loggroups.table, "Log groups", "", theme);
}
