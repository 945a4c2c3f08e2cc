//! The pure heart of the console: `update(state, msg) -> commands`.

use crate::app::core::command::Command;
use crate::app::core::command_line;
use crate::app::core::load::{Slot, store, store_by};
use crate::app::core::msg::{InputKey, Msg};
use crate::app::core::nav::{back, fetch_visible, flash, quit};
use crate::app::core::overlay;
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::{TableOps, Tone};
use crate::app::core::view::View;
use crate::app::guard::{finish, op, prompt, state as guard_state};
use crate::app::{Action, asg, docker, hosts, journal, logs, service};
use crate::domain::ecs::TaskRow;

/// Apply one message. Returns the side effects to run.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Command> {
    if let Some(now) = msg.now() {
        state.clock = now;
    }
    let mut commands = dispatch(state, msg);
    // A filter, a sort or `esc` may have moved the containers view's selection.
    commands.extend(docker::follow_selection(state));
    commands
}

fn dispatch(state: &mut AppState, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Action(action) => on_action(state, action),
        Msg::Input(key) => on_input(state, key),
        Msg::Paste(text) => crate::app::core::paste::on_paste(state, &text),
        Msg::OpFinished { op, result } => finish::finished(state, *op, result),
        Msg::IdentityResolved(result) => guard_state::identity_resolved(state, result),
        Msg::SessionEnded { result } => {
            state.dirty = true;
            if let Err(message) = result {
                flash(state, &message, Tone::Error);
            }
            fetch_visible(state)
        }
        Msg::Docker(m) => docker::update(state, m),
        Msg::Log(m) => logs::update(state, m),
        Msg::Service(m) => service::update(state, m),
        Msg::Asg(m) => asg::update(state, m),
        Msg::Journal(m) => journal::update(state, m),
        Msg::Hosts(m) => hosts::update(state, m),
        Msg::Images(m) => crate::app::images::update(state, m),
        Msg::LogGroups(m) => crate::app::loggroups::update(state, m),
        Msg::Describe(m) => crate::app::describe::update(state, m),
        Msg::Started { .. } => {
            state.dirty = true;
            fetch_visible(state)
        }
        Msg::Drawn => {
            state.dirty = false;
            state.lines_waiting = false;
            Vec::new()
        }
        Msg::Reentered => {
            state.dirty = true;
            Vec::new()
        }
        Msg::CopyFailed(error) => {
            flash(
                state,
                &format!("copy failed: {error}: nothing was copied"),
                Tone::Error,
            );
            Vec::new()
        }
        Msg::Tick { now } => {
            let stale = crate::app::core::nav::staleness(state, now);
            // Drawn when the age shown changes (`20s`, then once a minute), not every tick.
            let shown = |s: Option<i64>| s.map(|secs| crate::domain::format::age(Some(0), secs));
            if shown(stale) != shown(state.stale_secs) {
                state.dirty = true;
            }
            state.stale_secs = stale;
            // A snapshot (a describe document, the account's log groups) is read again on
            // `ctrl-r`, not on the timer.
            let snapshot = state.view().freshness() == crate::app::core::view::Freshness::Snapshot;
            if state.in_flight.is_none() && !snapshot {
                fetch_visible(state)
            } else {
                Vec::new()
            }
        }
        Msg::Resized { width, height } => {
            if width != state.screen.0 {
                with_table(state, |t| t.reset_columns());
            }
            state.screen = (width, height);
            logs::set_screen_height(state, height);
            state.dirty = true;
            Vec::new()
        }
        Msg::Connected {
            profile,
            region,
            endpoint,
        } => {
            state.ctx.profile = profile;
            state.ctx.region = region;
            state.ctx.endpoint = endpoint;
            state.dirty = true;
            Vec::new()
        }
        Msg::AccountResolved(account) => {
            state.ctx.account = Some(account);
            state.dirty = true;
            Vec::new()
        }
        Msg::ClustersLoaded {
            generation,
            now,
            result,
        } => {
            store(state, generation, |s| &mut s.clusters, result, now);
            Vec::new()
        }
        Msg::ServicesLoaded {
            generation,
            now,
            result,
        } => {
            store(state, generation, |s| &mut s.services, result, now);
            Vec::new()
        }
        Msg::TasksLoaded {
            generation,
            now,
            result,
        } => {
            store(state, generation, |s| &mut s.tasks, result, now);
            Vec::new()
        }
        Msg::TaskLoaded {
            generation,
            now,
            result,
        } => {
            store_by(state, generation, result, now, put_task, |s, message| {
                s.containers.fail(message)
            });
            Vec::new()
        }
    }
}

/// A task's detail: the task itself and its containers' table.
fn put_task(state: &mut AppState, task: Box<TaskRow>, now: i64) -> bool {
    let task_changed = state.task.as_ref() != Some(&*task);
    let rows = task.containers.clone();
    state.task = Some(*task);
    let rows_changed = state.containers.set_rows(rows, now);
    task_changed || rows_changed
}

fn on_action(state: &mut AppState, action: Action) -> Vec<Command> {
    state.dirty = true;
    if action == Action::Suspend {
        // Whatever is open stays open: it is there again after `fg`.
        return vec![Command::Interactive(
            crate::app::core::command::Session::Suspend,
        )];
    }
    if let Mode::Help(at) | Mode::Messages(at) = state.mode {
        let help = matches!(state.mode, Mode::Help(_));
        let max = overlay::max_scroll(overlay::lines(state, help), state.screen.1);
        state.mode = match (overlay::scroll(action, at, max), help) {
            (Some(at), true) => Mode::Help(at),
            (Some(at), false) => Mode::Messages(at),
            (None, _) => Mode::Normal,
        };
        return Vec::new();
    }
    state.flash = None;
    let entry = state.view().entry();
    for handler in entry.actions {
        if let Some(commands) = handler(state, action) {
            return commands;
        }
    }
    match action {
        Action::Up => with_table(state, |t| t.move_by(-1)),
        Action::Down => with_table(state, |t| t.move_by(1)),
        Action::PageUp => with_table(state, |t| t.move_by(-10)),
        Action::PageDown => with_table(state, |t| t.move_by(10)),
        Action::Top => with_table(state, |t| t.select_first()),
        Action::Bottom => with_table(state, |t| t.select_last()),
        Action::SortNext => with_table(state, |t| t.cycle_sort(1)),
        Action::SortPrev => with_table(state, |t| t.cycle_sort(-1)),
        Action::SortReverse => with_table(state, |t| t.reverse_sort()),
        Action::ScrollLeft | Action::ScrollRight => {
            let delta = if action == Action::ScrollLeft { -1 } else { 1 };
            let width = table_width(state);
            with_table(state, |t| t.scroll_columns(delta, width));
        }
        Action::Back => return back(state),
        Action::Filter => state.mode = Mode::Filter(state.filter_text().to_string()),
        Action::Command => state.mode = Mode::Command(String::new()),
        Action::Help => state.mode = Mode::Help(0),
        Action::Messages => state.mode = Mode::Messages(0),
        Action::Refresh => return fetch_visible(state),
        Action::Quit => return quit(state),
        Action::ToggleDetail => state.show_detail = !state.show_detail,
        Action::Describe | Action::DescribeTaskDefinition => {
            return crate::app::describe::open_selected(state, action);
        }
        Action::CopyId | Action::CopyFull => {
            return crate::app::core::copy::on_copy(state, action);
        }
        other => {
            let text = format!("{} is not available on this view", other.name());
            flash(state, &text, Tone::Warn);
        }
    }
    Vec::new()
}

/// The width inside the borders of the visible view's table: the screen's, or the part of it
/// beside a pane.
fn table_width(state: &AppState) -> u16 {
    let beside: [fn(&AppState) -> Option<u16>; 3] = [
        crate::app::ecs::views::containers_list_width,
        docker::list_width,
        hosts::table_width,
    ];
    let outer = beside
        .iter()
        .find_map(|width| width(state))
        .unwrap_or(state.screen.0);
    outer.saturating_sub(2)
}

/// Run `f` on the visible view's table, if it has one.
fn with_table(state: &mut AppState, f: impl Fn(&mut dyn TableOps)) {
    if let Some(table) = (state.view().entry().table)(state) {
        f(table);
    }
}

fn on_input(state: &mut AppState, key: InputKey) -> Vec<Command> {
    state.dirty = true;
    if matches!(state.mode, Mode::Confirm(_)) {
        return op::on_confirm_input(state, key);
    }
    if let Some(commands) = prompt::on_prompt_input(state, key) {
        return commands;
    }
    if let Some(commands) = crate::app::hosts::prompt::on_prompt_input(state, key) {
        return commands;
    }
    match std::mem::take(&mut state.mode) {
        Mode::Filter(mut text) => {
            match key {
                InputKey::Char(c) => text.push(c),
                InputKey::Backspace => {
                    text.pop();
                }
                InputKey::Clear => text.clear(),
                InputKey::Up | InputKey::Down | InputKey::Complete => {
                    state.mode = Mode::Filter(text);
                    return Vec::new();
                }
                InputKey::Submit => {
                    with_table(state, |t| t.set_filter(&text));
                    return Vec::new();
                }
                InputKey::Cancel => {
                    with_table(state, |t| t.set_filter(""));
                    set_search(state, "");
                    return Vec::new();
                }
            }
            with_table(state, |t| t.set_filter(&text));
            set_search(state, &text);
            state.mode = Mode::Filter(text);
            Vec::new()
        }
        Mode::Command(mut text) => match key {
            InputKey::Char(c) => {
                state.command_history.reset();
                text.push(c);
                state.mode = Mode::Command(text);
                Vec::new()
            }
            InputKey::Backspace => {
                state.command_history.reset();
                if text.pop().is_some() {
                    state.mode = Mode::Command(text);
                }
                Vec::new()
            }
            InputKey::Clear => {
                state.command_history.reset();
                state.mode = Mode::Command(String::new());
                Vec::new()
            }
            InputKey::Up => {
                let older = state.command_history.older(&text);
                state.mode = Mode::Command(older.unwrap_or(text));
                Vec::new()
            }
            InputKey::Down => {
                let newer = state.command_history.newer();
                state.mode = Mode::Command(newer.unwrap_or(text));
                Vec::new()
            }
            InputKey::Complete => {
                state.command_history.reset();
                state.mode = Mode::Command(command_line::complete(state, &text));
                Vec::new()
            }
            InputKey::Submit => {
                state.command_history.push(&text);
                command_line::run(state, &text)
            }
            InputKey::Cancel => {
                state.command_history.reset();
                Vec::new()
            }
        },
        other => {
            state.mode = other;
            Vec::new()
        }
    }
}

/// The `/` text on a view that searches instead of filtering a table.
fn set_search(state: &mut AppState, text: &str) {
    if let View::Logs { .. } = state.view() {
        logs::set_filter(state, text);
    } else if let View::Describe { .. } = state.view() {
        crate::app::describe::set_search(state, text);
    }
}
