//! The `:asgs` view: Auto Scaling groups with their capacity and the ECS cluster each feeds.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::AppState;
use crate::config::Theme;
use crate::ui::table::render_table;

pub fn render_asgs(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    render_table(frame, area, &state.asgs, "Auto Scaling groups", "", theme);
}
