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
            let text = match closest(name) {
                Some(near) => format!("unknown command :{name} — did you mean :{near}?"),
                None => format!("unknown command :{name} — try {}", known_commands()),
            };
            flash(state, &text, Tone::Error);
            Vec::new()
        }
    }
}

/// The command name (or alias) nearest to a mistyped `name`, when one is near enough to be
/// what was meant: at most two edits away, and one edit in three letters at most.
pub fn closest(name: &str) -> Option<&'static str> {
    registry::commands()
        .flat_map(|c| c.names.iter().map(move |n| (c.names[0], *n)))
        .filter(|(_, n)| n.len() > 2)
        .map(|(first, n)| (strsim::damerau_levenshtein(name, n), first))
        .filter(|(d, _)| *d <= 2 && *d * 3 <= name.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, first)| first)
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

/// Tab on the `:` line: the command name being typed, completed as far as the registry's names
/// (aliases too) agree; a space follows a name that is complete. Arguments are left alone.
pub fn complete(line: &str) -> String {
    if line.contains(char::is_whitespace) {
        return line.to_string();
    }
    let matches: Vec<&str> = registry::commands()
        .flat_map(|c| c.names.iter().copied())
        .filter(|name| name.starts_with(line))
        .collect();
    match matches.as_slice() {
        [] => line.to_string(),
        [only] => format!("{only} "),
        [first, rest @ ..] => {
            let mut prefix = first.to_string();
            for name in rest {
                while !name.starts_with(&prefix) {
                    prefix.pop();
                }
            }
            if prefix.len() > line.len() {
                prefix
            } else {
                line.to_string()
            }
        }
    }
}

/// The help rows: `(usage, what it does)` for every command.
pub fn help_rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    registry::commands().map(|c| (c.usage, c.help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_command_names_from_the_registry() {
        assert_eq!(complete("jour"), "journal ");
        assert_eq!(complete("im"), "im");
        assert_eq!(complete("ima"), "image");
        assert_eq!(complete("imag"), "image");
        assert_eq!(complete("hos"), "hosts ");
        assert_eq!(complete("zz"), "zz");
        assert_eq!(complete("services pay"), "services pay");
    }

    #[test]
    fn hint_lists_every_command() {
        assert_eq!(
            known_commands(),
            ":clusters, :services, :tasks, :containers, :hosts, :asgs, :journal, :images, :messages, :logs or :q"
        );
    }

    #[test]
    fn a_typo_gets_the_command_meant() {
        assert_eq!(closest("servces"), Some("services"));
        assert_eq!(closest("sevrices"), Some("services"));
        assert_eq!(closest("clsuters"), Some("clusters"));
        assert_eq!(closest("jornal"), Some("journal"));
        assert_eq!(closest("hots"), Some("hosts"));
        assert_eq!(closest("xyz"), None);
        assert_eq!(closest("bogus"), None);
        assert_eq!(closest("deploy"), None);
    }
}
