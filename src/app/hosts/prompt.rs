//! The hosts view's dialogs: trusting a new host key, a key's passphrase, and the menu of
//! named commands.

use crate::app::core::command::Command;
use crate::app::core::msg::InputKey;
use crate::app::core::nav::flash;
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::Tone;
use crate::app::hosts::{HostsCommand, Purpose};
use crate::domain::ssh::{HostKey, LockedKey, Passphrase, SshPlan, SshRequest};

/// A dialog that takes the keyboard (shown over the view).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostsPrompt {
    /// A host presented a key `known_hosts` does not have: `y` saves it and goes on.
    TrustKey {
        plan: Box<SshPlan>,
        key: HostKey,
        purpose: Purpose,
    },
    /// An identity file needs its passphrase: typed masked, sent once on enter.
    Passphrase {
        plan: Box<SshPlan>,
        key: LockedKey,
        purpose: Purpose,
        /// What was typed so far (never shown, wiped when dropped).
        input: Passphrase,
        /// Wrong passphrases given before this prompt.
        failed: u8,
    },
    /// Pick one of `[ssh.commands]` to run on a host.
    Commands {
        request: SshRequest,
        /// `(name, command line)`, in name order.
        commands: Vec<(String, String)>,
        selected: usize,
    },
}

/// A key typed while a hosts dialog is open; `None` when none is.
pub fn on_prompt_input(state: &mut AppState, key: InputKey) -> Option<Vec<Command>> {
    if !matches!(state.mode, Mode::Hosts(_)) {
        return None;
    }
    let Mode::Hosts(prompt) = std::mem::take(&mut state.mode) else {
        return None;
    };
    state.dirty = true;
    Some(match *prompt {
        HostsPrompt::TrustKey {
            plan,
            key: host_key,
            purpose,
        } => match key {
            InputKey::Char('y' | 'Y') => {
                let text = format!("saving the key of {}, connecting…", host_key.host);
                flash(state, &text, Tone::Muted);
                vec![Command::Hosts(HostsCommand::Trust {
                    plan,
                    key: host_key,
                    purpose,
                })]
            }
            InputKey::Char('n' | 'N') | InputKey::Cancel => {
                let text = format!(
                    "not trusted: the key of {} was not saved and nothing was sent",
                    host_key.host
                );
                flash(state, &text, Tone::Warn);
                Vec::new()
            }
            _ => {
                state.mode = Mode::Hosts(Box::new(HostsPrompt::TrustKey {
                    plan,
                    key: host_key,
                    purpose,
                }));
                Vec::new()
            }
        },
        HostsPrompt::Passphrase {
            plan,
            key: locked,
            purpose,
            mut input,
            failed,
        } => {
            match key {
                InputKey::Char(c) => input.push(c),
                InputKey::Backspace => input.pop(),
                InputKey::Clear => input.clear(),
                InputKey::Cancel => {
                    let text = format!(
                        "cancelled: no passphrase for {}, not connected to {}",
                        locked.shown, plan.label
                    );
                    flash(state, &text, Tone::Warn);
                    return Some(Vec::new());
                }
                InputKey::Submit if !input.is_empty() => {
                    let text = format!("unlocking {}, connecting…", locked.shown);
                    flash(state, &text, Tone::Muted);
                    return Some(vec![Command::Hosts(HostsCommand::Unlock {
                        plan,
                        key: locked,
                        passphrase: std::mem::take(&mut input),
                        purpose,
                        attempt: failed + 1,
                    })]);
                }
                InputKey::Submit | InputKey::Up | InputKey::Down | InputKey::Complete => {}
            }
            state.mode = Mode::Hosts(Box::new(HostsPrompt::Passphrase {
                plan,
                key: locked,
                purpose,
                input,
                failed,
            }));
            Vec::new()
        }
        HostsPrompt::Commands {
            request,
            commands,
            selected,
        } => {
            let pick = |index: usize, state: &mut AppState| match commands.get(index) {
                Some((name, command)) => crate::app::hosts::connect(
                    state,
                    request.clone(),
                    Purpose::Run {
                        name: name.clone(),
                        command: command.clone(),
                    },
                ),
                None => Vec::new(),
            };
            let last = commands.len().saturating_sub(1);
            let keep = |selected: usize, state: &mut AppState| {
                state.mode = Mode::Hosts(Box::new(HostsPrompt::Commands {
                    request: request.clone(),
                    commands: commands.clone(),
                    selected,
                }));
                Vec::new()
            };
            match key {
                InputKey::Submit => pick(selected, state),
                InputKey::Char(c @ '1'..='9') => {
                    let index = c as usize - '1' as usize;
                    if index <= last {
                        pick(index, state)
                    } else {
                        keep(selected, state)
                    }
                }
                InputKey::Char('j') | InputKey::Down => keep((selected + 1).min(last), state),
                InputKey::Char('k') | InputKey::Up => keep(selected.saturating_sub(1), state),
                InputKey::Cancel | InputKey::Char('q') => Vec::new(),
                _ => keep(selected, state),
            }
        }
    })
}

/// The lines of the trust dialog, shown above its `y`/`n` hint.
pub fn trust_lines(plan: &SshPlan, key: &HostKey) -> Vec<(String, String)> {
    let mut lines = vec![
        (key.role.name().to_string(), key.host.clone()),
        ("key".to_string(), key.key_type.clone()),
        ("fingerprint".to_string(), key.fingerprint.clone()),
    ];
    if !key.other_types_known.is_empty() {
        lines.push((
            "note".to_string(),
            format!(
                "keys of other types are known for it: {}",
                key.other_types_known.join(", ")
            ),
        ));
    }
    lines.push((
        "saved to".to_string(),
        plan.known_hosts.display().to_string(),
    ));
    lines
}
