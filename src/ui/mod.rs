//! Pure rendering: `render(frame, &AppState, &Theme)`. Nothing here changes state.

mod asg;
mod columns;
mod docker;
mod ecs;
mod guard;
mod header;
mod help;
mod hosts;
mod journal;
pub mod logs;
mod service;
mod status;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;

use crate::app::core::table::Tone;
use crate::app::{AppState, Mode, View};
use crate::config::Theme;

/// Draw the whole console.
pub fn render(frame: &mut Frame, state: &AppState, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(ratatui::widgets::Clear, area);
    frame.buffer_mut().set_style(area, theme.text);
    let [top, crumbs, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render_header(frame, top, state, theme);
    header::render_breadcrumbs(frame, crumbs, state, theme);
    render_body(frame, body, state, theme);
    status::render_status(frame, bottom, state, theme);
    match &state.mode {
        Mode::Help(scroll) => help::render_help(frame, area, state, theme, *scroll),
        Mode::Confirm(confirm) => guard::render_confirm(frame, area, confirm, theme),
        Mode::Hosts(prompt) => hosts::render_prompt(frame, area, prompt, theme),
        _ => {}
    }
}

fn render_body(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match state.view() {
        View::Clusters => table::render_table(frame, area, &state.clusters, "Clusters", "", theme),
        View::Services { cluster } => table::render_table(
            frame,
            area,
            &state.services,
            "Services",
            cluster.as_str(),
            theme,
        ),
        View::Tasks { cluster, service } => {
            let scope = match service {
                Some(s) => format!("{cluster}/{s}"),
                None => cluster.to_string(),
            };
            table::render_table(frame, area, &state.tasks, "Tasks", &scope, theme)
        }
        View::Containers { task, .. } => {
            let (list, pane) = if state.show_detail {
                split_detail(area)
            } else {
                (area, Rect::default())
            };
            table::render_table(
                frame,
                list,
                &state.containers,
                "Containers",
                task.short_id(),
                theme,
            );
            if state.show_detail && !pane.is_empty() {
                ecs::detail::render_container_detail(frame, pane, state, theme);
            }
        }
        View::Docker => docker::render_docker(frame, area, state, theme),
        View::Logs { source } => logs::render_logs(frame, area, state, source, theme),
        View::Hosts => hosts::render_hosts(frame, area, state, theme),
        view @ (View::Asgs | View::Journal | View::ServiceDetail { .. }) => {
            asg::render_ops_view(frame, area, state, view, theme);
        }
    }
}

/// Side by side on wide terminals, stacked on narrow ones.
fn split_detail(area: Rect) -> (Rect, Rect) {
    let direction = if area.width >= 120 {
        Direction::Horizontal
    } else {
        Direction::Vertical
    };
    let parts = Layout::default()
        .direction(direction)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(area);
    (parts[0], parts[1])
}

/// The style for a tone.
pub fn tone_style(theme: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Normal => theme.text,
        Tone::Ok => theme.ok,
        Tone::Warn => theme.warn,
        Tone::Error => theme.error,
        Tone::Muted => theme.muted,
    }
}
