//! The `:` command line: every command, its help row and the "unknown command" hint come
//! from the view registry.

use crate::app::core::command::Command;
use crate::app::core::nav::flash;
use crate::app::core::registry::{self, QUIT};
use crate::app::core::state::AppState;
use crate::app::core::table::Tone;

/// Run a line typed after `:`.
pub fn run(state: &mut AppState, line: &str) -> Vec<Command> {
    let mut words = line.split_whitespace();
    let Some(name) = words.next() else {
        return Vec::new();
    };
    let args: Vec<&str> = words.collect();
    match registry::find_command(name) {
        Some(command) => (command.run)(state, &args),
        None => {
            let text = format!("unknown command :{name} — try {}", known_commands());
            flash(state, &text, Tone::Error);
            Vec::new()
        }
    }
}

/// `:clusters, :services, … :logs or :q`: the commands that work as typed first, then those
/// that need arguments, then the shortest way out.
pub fn known_commands() -> String {
    let views = || registry::commands().filter(|c| !std::ptr::eq(*c, &QUIT));
    let names: Vec<String> = views()
        .filter(|c| !c.needs_args)
        .chain(views().filter(|c| c.needs_args))
        .map(|c| format!(":{}", c.names[0]))
        .collect();
    let quit = QUIT.names.iter().min_by_key(|n| n.len()).unwrap_or(&"quit");
    format!("{} or :{quit}", names.join(", "))
}

/// The help rows: `(usage, what it does)` for every command.
pub fn help_rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    registry::commands().map(|c| (c.usage, c.help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_lists_every_command() {
        assert_eq!(
            known_commands(),
            ":clusters, :services, :tasks, :containers, :hosts, :asgs, :journal, :images, :logs or :q"
        );
    }
}
