//! The `:` command line: every command, its help row and the "unknown command" hint come
//! from the view registry.

use crate::app::core::command::Command;
use crate::app::core::nav::flash;
use crate::app::core::registry::{self, Arg, QUIT};
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
/// (aliases too) agree, then its arguments from the names the console knows (clusters, the
/// services of the cluster named); a space follows a word that is complete.
pub fn complete(state: &AppState, line: &str) -> String {
    let Some((command, rest)) = line.split_once(char::is_whitespace) else {
        let names = registry::commands().flat_map(|c| c.names.iter().map(|n| n.to_string()));
        return extend(line, "", line, names.collect());
    };
    let Some(spec) = registry::find_command(command) else {
        return line.to_string();
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    // The word under the cursor: a new one after a space, else the last.
    let (done, partial) = if line.ends_with(char::is_whitespace) || words.is_empty() {
        (&words[..], "")
    } else {
        (&words[..words.len() - 1], words[words.len() - 1])
    };
    let names = match spec.args.get(done.len()) {
        Some(Arg::Cluster) => state
            .clusters
            .rows()
            .iter()
            .map(|c| c.name.to_string())
            .collect(),
        Some(Arg::Service) => match done.last() {
            Some(cluster) => state
                .services
                .rows()
                .iter()
                .filter(|s| s.cluster.as_str() == *cluster)
                .map(|s| s.name.to_string())
                .collect(),
            None => Vec::new(),
        },
        Some(Arg::Other) | None => Vec::new(),
    };
    let head = &line[..line.len() - partial.len()];
    extend(line, head, partial, names)
}

/// `head` + `partial` completed as far as the `names` starting with it agree; a space after
/// a single match. `line` unchanged when nothing matches or nothing can be added.
fn extend(line: &str, head: &str, partial: &str, names: Vec<String>) -> String {
    let matches: Vec<String> = names
        .into_iter()
        .filter(|name| name.starts_with(partial))
        .collect();
    match matches.as_slice() {
        [] => line.to_string(),
        [only] => format!("{head}{only} "),
        [first, rest @ ..] => {
            let mut prefix = first.clone();
            for name in rest {
                while !name.starts_with(&prefix) {
                    prefix.pop();
                }
            }
            if prefix.len() > partial.len() {
                format!("{head}{prefix}")
            } else {
                line.to_string()
            }
        }
    }
}

/// Lines typed on the `:` line, for up and down.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    lines: Vec<String>,
    /// Which line up/down is showing, when one is.
    at: Option<usize>,
    /// What was typed before up was pressed.
    draft: String,
}

/// Lines the history keeps.
const HISTORY: usize = 50;

impl History {
    /// Keep a submitted line (the same line twice in a row once).
    pub fn push(&mut self, line: &str) {
        self.at = None;
        let line = line.trim();
        if line.is_empty() || self.lines.last().is_some_and(|l| l == line) {
            return;
        }
        if self.lines.len() == HISTORY {
            self.lines.remove(0);
        }
        self.lines.push(line.to_string());
    }

    /// Up: the line before the one shown (the newest first), keeping `typed` to come back to.
    pub fn older(&mut self, typed: &str) -> Option<String> {
        let at = match self.at {
            None => {
                self.draft = typed.to_string();
                self.lines.len().checked_sub(1)?
            }
            Some(at) => at.saturating_sub(1),
        };
        self.at = Some(at);
        self.lines.get(at).cloned()
    }

    /// Down: the line after the one shown, and past the newest what was being typed.
    pub fn newer(&mut self) -> Option<String> {
        let at = self.at?;
        if at + 1 < self.lines.len() {
            self.at = Some(at + 1);
            self.lines.get(at + 1).cloned()
        } else {
            self.at = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    /// The line was edited or the prompt closed: up starts from the newest again.
    pub fn reset(&mut self) {
        self.at = None;
    }
}

/// The help rows: `(usage, what it does)` for every command.
pub fn help_rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    registry::commands().map(|c| (c.usage, c.help))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        AppState::new(
            Default::default(),
            Default::default(),
            crate::input::keymap::Keymap::default(),
        )
    }

    #[test]
    fn tab_completes_command_names_from_the_registry() {
        let s = state();
        assert_eq!(complete(&s, "jour"), "journal ");
        assert_eq!(complete(&s, "im"), "im");
        assert_eq!(complete(&s, "ima"), "image");
        assert_eq!(complete(&s, "imag"), "image");
        assert_eq!(complete(&s, "hos"), "hosts ");
        assert_eq!(complete(&s, "zz"), "zz");
        assert_eq!(complete(&s, "services pay"), "services pay");
    }

    #[test]
    fn history_goes_back_and_forth_and_keeps_the_draft() {
        let mut h = History::default();
        h.push("clusters");
        h.push("hosts");
        h.push("hosts");
        assert_eq!(h.older("asg").as_deref(), Some("hosts"));
        assert_eq!(h.older("").as_deref(), Some("clusters"));
        assert_eq!(h.older("").as_deref(), Some("clusters"));
        assert_eq!(h.newer().as_deref(), Some("hosts"));
        assert_eq!(h.newer().as_deref(), Some("asg"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn hint_lists_every_command() {
        assert_eq!(
            known_commands(),
            ":clusters, :services, :tasks, :containers, :logs, :hosts, :asgs, :journal, :images, :messages or :q"
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
