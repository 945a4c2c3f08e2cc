//! Pure rendering: `render(frame, &AppState, &Theme)`. Nothing here changes state.

mod asg;
mod columns;
mod describe;
mod docker;
mod ecs;
mod guard;
mod header;
mod help;
mod hosts;
mod images;
mod journal;
mod loggroups;
pub mod logs;
mod messages;
mod rule;
mod service;
mod status;
mod table;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
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
        Mode::Messages(at) => messages::render_messages(frame, area, state, theme, *at),
        Mode::Confirm(confirm) => guard::render_confirm(frame, area, confirm, theme),
        Mode::Hosts(prompt) => hosts::render_prompt(frame, area, prompt, theme),
        _ => {}
    }
}

/// The one place that matches on the view: each feature draws its own.
fn render_body(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    match state.view() {
        View::Clusters => ecs::render_clusters(frame, area, state, theme),
        View::Services { cluster } => ecs::render_services(frame, area, state, cluster, theme),
        View::Tasks { cluster, service } => {
            ecs::render_tasks(frame, area, state, cluster, service.as_ref(), theme)
        }
        View::Containers { task, .. } => ecs::render_containers(frame, area, state, task, theme),
        View::ServiceDetail { cluster, service } => service::render_service_detail(
            frame,
            area,
            state,
            cluster.as_str(),
            service.as_str(),
            theme,
        ),
        View::Docker => docker::render_docker(frame, area, state, theme),
        View::Logs { source } => logs::render_logs(frame, area, state, source, theme),
        View::Hosts => hosts::render_hosts(frame, area, state, theme),
        View::Asgs => asg::render_asgs(frame, area, state, theme),
        View::Journal => journal::render_journal(frame, area, state, theme),
        View::Images => images::render_images(frame, area, state, theme),
        View::LogGroups => loggroups::render_loggroups(frame, area, state, theme),
        View::Describe { target } => describe::render_describe(frame, area, state, target, theme),
    }
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
