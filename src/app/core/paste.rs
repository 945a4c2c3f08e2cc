//! Bracketed paste into the open text prompt: the filter, the `:` command line, the
//! operations prompts and the passphrase prompt.
//!
//! A paste is text: its line breaks never submit. Interior line breaks and tabs become
//! spaces, the line break a copied line ends with is dropped, other control characters are
//! dropped. Dialogs that answer single keys (y/n, trust a host key, the command menu, the
//! typed confirmation of a risky operation) ignore pastes: pasting must not answer them.

use crate::app::core::command::Command;
use crate::app::core::msg::{InputKey, Msg};
use crate::app::core::state::{AppState, Mode};
use crate::app::core::update::update;
use crate::app::hosts::prompt::HostsPrompt;

/// Put pasted `text` into the open text prompt, if one is open.
pub fn on_paste(state: &mut AppState, text: &str) -> Vec<Command> {
    let text = paste_text(text);
    let Some(last) = text.chars().next_back() else {
        return Vec::new();
    };
    let accepts = match &state.mode {
        Mode::Filter(_) | Mode::Command(_) | Mode::Prompt(_) => true,
        Mode::Hosts(prompt) => matches!(**prompt, HostsPrompt::Passphrase { .. }),
        Mode::Normal | Mode::Help(_) | Mode::Messages(_) | Mode::Confirm(_) => false,
    };
    if !accepts {
        return Vec::new();
    }
    if let Mode::Filter(typed) | Mode::Command(typed) = &mut state.mode {
        // All but the last character go in at once; the last goes through the prompt as a
        // key, so the filter is applied once, not once per pasted character.
        typed.push_str(&text[..text.len() - last.len_utf8()]);
        return update(state, Msg::Input(InputKey::Char(last)));
    }
    let mut commands = Vec::new();
    for c in text.chars() {
        commands.extend(update(state, Msg::Input(InputKey::Char(c))));
    }
    commands
}

/// The pasted text as one line of prompt input.
pub fn paste_text(text: &str) -> String {
    let text = text.trim_end_matches(['\r', '\n']);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::paste_text;

    #[test]
    fn line_breaks_become_spaces_and_the_last_one_goes() {
        assert_eq!(paste_text("a\nb\r\nc\td\n"), "a b c d");
        assert_eq!(paste_text("secret\r\n"), "secret");
        assert_eq!(paste_text("x\u{1b}[1my"), "x[1my");
        assert_eq!(paste_text("\n\n"), "");
    }
}
