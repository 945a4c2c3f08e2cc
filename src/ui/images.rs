//! The `:images` view: one row per image tag.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::app::AppState;
use crate::config::Theme;
use crate::ui::table::render_table;

pub fn render_images(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let scope = format!("on {}", state.docker_engine);
    render_table(frame, area, &state.images.table, "Images", &scope, theme);
}
