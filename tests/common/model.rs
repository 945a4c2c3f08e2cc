//! Reaching a state the way the runtime does: through `update`, with each answer echoing the
//! generation of the fetch command that asked for it. Tests that set the navigation stack or
//! the generation counters by hand can reach states the console never is in.
//!
//! Included with `#[path]` by the model and rendering tests; each uses a part of it.
#![allow(dead_code)]

use opsdeck::app::{Action, AppState, Command, InputKey, Msg, update};

/// The generation of the fetch among `commands`, as the runtime reads it to answer; panics
/// with the commands when none of them is a fetch.
pub fn fetch_generation(commands: &[Command]) -> u64 {
    commands
        .iter()
        .find_map(Command::generation)
        .unwrap_or_else(|| panic!("no fetch among {commands:?}"))
}

/// Type `:line` and submit it, as a user does; the commands that starts.
pub fn command_line(s: &mut AppState, line: &str) -> Vec<Command> {
    let mut commands = update(s, Msg::Action(Action::Command));
    for c in line.chars() {
        commands.extend(update(s, Msg::Input(InputKey::Char(c))));
    }
    commands.extend(update(s, Msg::Input(InputKey::Submit)));
    commands
}
