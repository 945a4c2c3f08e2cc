//! The ECS views: clusters, services, tasks, and a task's containers with their detail pane.

pub mod detail;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};

use crate::app::AppState;
use crate::app::core::columns::beside_pane;
use crate::app::ecs::views::{CONTAINERS_BESIDE_FROM, CONTAINERS_PERCENT};
use crate::config::Theme;
use crate::domain::ids::{ClusterName, ServiceName, TaskArn};
use crate::ui::table::render_table;

pub fn render_clusters(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    render_table(frame, area, &state.clusters, "Clusters", "", theme);
}

pub fn render_services(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    cluster: &ClusterName,
    theme: &Theme,
) {
    render_table(
        frame,
        area,
        &state.services,
        "Services",
        cluster.as_str(),
        theme,
    );
}

pub fn render_tasks(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    cluster: &ClusterName,
    service: Option<&ServiceName>,
    theme: &Theme,
) {
    let scope = match service {
        Some(s) => format!("{cluster}/{s}"),
        None => cluster.to_string(),
    };
    render_table(frame, area, &state.tasks, "Tasks", &scope, theme);
}

pub fn render_containers(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    task: &TaskArn,
    theme: &Theme,
) {
    let (list, pane) = if state.show_detail {
        split_detail(area)
    } else {
        (area, Rect::default())
    };
    render_table(
        frame,
        list,
        &state.containers,
        "Containers",
        task.short_id(),
        theme,
    );
    if state.show_detail && !pane.is_empty() {
        detail::render_container_detail(frame, pane, state, theme);
    }
}

/// Side by side on wide terminals, stacked on narrow ones.
fn split_detail(area: Rect) -> (Rect, Rect) {
    let parts = if area.width >= CONTAINERS_BESIDE_FROM {
        Layout::default()
            .direction(Direction::Horizontal)
            .constraints([
                Constraint::Length(beside_pane(area.width, CONTAINERS_PERCENT)),
                Constraint::Min(0),
            ])
            .split(area)
    } else {
        Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(area)
    };
    (parts[0], parts[1])
}
