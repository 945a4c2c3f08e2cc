//! The hosts view: the EC2 table, the selected host's detail, a command's output, and the
//! dialogs (trust a host key, a key's passphrase, pick a command).

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::core::columns::beside_pane;
use crate::app::core::keys::fixed::{CANCEL, NO, SUBMIT, YES};
use crate::app::hosts::prompt::{HostsPrompt, trust_lines};
use crate::app::hosts::target::request_for;
use crate::app::hosts::{CommandPane, MAX_PASSPHRASE_TRIES, SIDE_BY_SIDE_WIDTH, TABLE_PERCENT};
use crate::app::{Action, AppState};
use crate::config::Theme;
use crate::domain::format::{age, truncate};
use crate::domain::hosts::HostRow;
use crate::input::keymap::KeyContext;
use crate::ui::help::centered;
use crate::ui::table::render_table;

/// From this height (and below the width above) the detail pane sits under the table.
const STACKED_HEIGHT: u16 = 36;
/// Rows the detail pane takes when stacked.
const STACKED_ROWS: u16 = 16;
/// Below [`STACKED_HEIGHT`], from this height the pane still sits under the table, taking
/// the larger half (an 80×24 terminal has a 20-row body: 8 for the table, 12 for the pane).
const SMALL_HEIGHT: u16 = 14;

/// The body of the hosts view.
pub fn render_hosts(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let list = &state.hosts.list;
    let scope = if list.filter.trim().is_empty() {
        String::new()
    } else {
        format!(
            "/{} ({} of {})",
            list.filter.trim(),
            list.table.visible_len(),
            list.all().len()
        )
    };
    let side_by_side = area.width >= SIDE_BY_SIDE_WIDTH;
    let pane_rows = if side_by_side || area.height >= STACKED_HEIGHT {
        Some(STACKED_ROWS)
    } else if area.height >= SMALL_HEIGHT {
        Some(area.height - area.height * 2 / 5)
    } else {
        None
    };
    let (table_area, pane) = match (&state.hosts.output, state.show_detail, pane_rows) {
        (Some(_), _, _) => split(area, side_by_side, area.height / 2),
        (None, true, Some(rows)) => split(area, side_by_side, rows),
        _ => (area, Rect::default()),
    };
    render_table(frame, table_area, &list.table, "Hosts", &scope, theme);
    if pane.is_empty() {
        return;
    }
    match &state.hosts.output {
        Some(output) => render_output(frame, pane, state, output, theme),
        None => render_detail(frame, pane, state, theme),
    }
}

/// The table and a pane: beside it (the table `TABLE_PERCENT` wide), or under it (`rows`
/// high).
fn split(area: Rect, side_by_side: bool, rows: u16) -> (Rect, Rect) {
    let parts = if side_by_side {
        Layout::default()
            .direction(Direction::Horizontal)
            .constraints([
                Constraint::Length(beside_pane(area.width, TABLE_PERCENT)),
                Constraint::Min(0),
            ])
            .split(area)
    } else {
        Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Min(5), Constraint::Length(rows)])
            .split(area)
    };
    (parts[0], parts[1])
}

fn render_detail(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let mut lines = Vec::new();
    if let Some(host) = state.hosts.list.selected() {
        let now = state.hosts.list.table.now();
        detail_lines(&mut lines, host, now, theme);
        lines.push(Line::from(""));
        let ssh = match request_for(host, &state.hosts.settings, &state.ctx.profile) {
            Ok(req) => {
                let target = match &req.user {
                    Some(user) => format!("{user}@{}", req.address),
                    None => format!("{} (user from ~/.ssh/config, else ec2-user)", req.address),
                };
                let via = req.bastion.map(|b| format!(" via {b}")).unwrap_or_default();
                Span::styled(format!("{target}{via}"), theme.text)
            }
            Err(why) => Span::styled(why, theme.warn),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{:>12}: ", "ssh"), theme.muted),
            ssh,
        ]));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Host ", theme.title));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

fn detail_lines(lines: &mut Vec<Line<'static>>, host: &HostRow, now: i64, theme: &Theme) {
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!("{label:>12}: "), theme.muted),
                Span::styled(value, theme.text),
            ]));
        }
    };
    field("name", host.name.clone());
    field("instance", host.id.clone());
    field("state", host.state.to_string());
    field("type", host.instance_type.clone());
    field("zone", host.availability_zone.clone());
    field("private ip", host.private_ip.clone());
    field("private dns", host.private_dns.clone());
    field("public ip", host.public_ip.clone());
    field("launched", age(host.launched_at, now));
    field("ecs cluster", host.cluster_cell());
    for (key, value) in &host.tags {
        field(&format!("tag {key}"), value.clone());
    }
}

fn render_output(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    pane: &CommandPane,
    theme: &Theme,
) {
    let close = state.keymap.key_name(KeyContext::Hosts, Action::Back);
    let (status, style) = match pane.exit_status {
        Some(0) => ("exit 0".to_string(), theme.ok),
        Some(n) => (format!("exit {n}"), theme.error),
        None => ("no exit status".to_string(), theme.warn),
    };
    let mut title = vec![
        Span::styled(format!(" {} ", pane.name), theme.title),
        Span::styled(format!("on {} ", pane.host), theme.accent),
        Span::styled(format!("{status} "), style),
    ];
    if pane.truncated {
        title.push(Span::styled("(cut) ", theme.warn));
    }
    title.push(Span::styled(format!("{close} closes "), theme.muted));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Line::from(title));
    let inner_width = usize::from(area.width.saturating_sub(2));
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        truncate(&format!("$ {}", pane.command), inner_width),
        theme.muted,
    ))];
    lines.extend(
        pane.lines
            .iter()
            .skip(pane.scroll)
            .map(|l| Line::from(Span::styled(truncate(l, inner_width), theme.text))),
    );
    if pane.lines.is_empty() {
        lines.push(Line::from(Span::styled("(no output)", theme.muted)));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The open hosts dialog, over everything.
pub fn render_prompt(frame: &mut Frame, area: Rect, prompt: &HostsPrompt, theme: &Theme) {
    match prompt {
        HostsPrompt::TrustKey { plan, key, .. } => {
            let rows = trust_lines(plan, key);
            let mut lines: Vec<Line> = rows
                .into_iter()
                .map(|(label, value)| {
                    let style = if label == "fingerprint" {
                        theme.accent
                    } else {
                        theme.text
                    };
                    Line::from(vec![
                        Span::styled(format!("{label:>11}: "), theme.muted),
                        Span::styled(value, style),
                    ])
                })
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "This key is not in known_hosts. Compare the fingerprint with one you trust.",
                theme.warn,
            )));
            lines.push(Line::from(vec![
                Span::styled(YES, theme.key_hint),
                Span::styled(": trust it, save it and connect    ", theme.text),
                Span::styled(NO, theme.key_hint),
                Span::styled(format!("/{CANCEL}: do not connect"), theme.text),
            ]));
            let height = lines.len() as u16 + 2;
            popup(
                frame,
                centered(area, 84, height),
                " Unknown host key ",
                lines,
                theme,
            );
        }
        HostsPrompt::Passphrase {
            key, input, failed, ..
        } => {
            let mut lines = vec![
                Line::from(Span::styled(
                    format!("passphrase for {} ({}):", key.shown, key.hop),
                    theme.text,
                )),
                Line::from(vec![
                    Span::styled("> ", theme.muted),
                    // Masked: one dot per character typed, never the text.
                    Span::styled("•".repeat(input.len()), theme.accent),
                    Span::styled("_", theme.muted),
                ]),
                Line::from(""),
            ];
            if *failed > 0 {
                lines.push(Line::from(Span::styled(
                    format!(
                        "wrong passphrase — try {} of {MAX_PASSPHRASE_TRIES}",
                        failed + 1
                    ),
                    theme.warn,
                )));
            }
            lines.push(Line::from(Span::styled(
                "Used once for this connection; never saved or logged.",
                theme.muted,
            )));
            lines.push(Line::from(vec![
                Span::styled(SUBMIT, theme.key_hint),
                Span::styled(": unlock and connect    ", theme.text),
                Span::styled(CANCEL, theme.key_hint),
                Span::styled(": cancel", theme.text),
            ]));
            let height = lines.len() as u16 + 2;
            popup(
                frame,
                centered(area, 72, height),
                " Passphrase ",
                lines,
                theme,
            );
        }
        HostsPrompt::Commands {
            request,
            commands,
            selected,
        } => {
            let mut lines: Vec<Line> = commands
                .iter()
                .enumerate()
                .map(|(i, (name, command))| {
                    let style = if i == *selected {
                        theme.selected
                    } else {
                        theme.text
                    };
                    let number = if i < 9 {
                        format!("{} ", i + 1)
                    } else {
                        "  ".to_string()
                    };
                    Line::from(vec![
                        Span::styled(number, theme.key_hint),
                        Span::styled(format!("{name:<14} "), style),
                        Span::styled(command.clone(), theme.muted),
                    ])
                })
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled("↑/↓ j/k", theme.key_hint),
                Span::styled(" move  ", theme.text),
                Span::styled(SUBMIT, theme.key_hint),
                Span::styled("/", theme.text),
                Span::styled("1-9", theme.key_hint),
                Span::styled(" run  ", theme.text),
                Span::styled(CANCEL, theme.key_hint),
                Span::styled(" cancel", theme.text),
            ]));
            let height = lines.len() as u16 + 2;
            popup(
                frame,
                centered(area, 64, height),
                &format!(" Run on {} ", request.label),
                lines,
                theme,
            );
        }
    }
}

fn popup(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warn)
        .title(Span::styled(title.to_string(), theme.title));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.text)
            .wrap(Wrap { trim: false }),
        area,
    );
}
