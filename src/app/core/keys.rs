//! Turn a key event into a message: prompts take text, otherwise the keymap decides.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::core::msg::{InputKey, Msg};
use crate::app::core::state::{AppState, Mode};

/// The message a key press means in the current state, if any.
pub fn key_to_msg(state: &AppState, key: &KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    match state.mode {
        Mode::Filter(_)
        | Mode::Command(_)
        | Mode::Confirm(_)
        | Mode::Prompt(_)
        | Mode::Hosts(_) => prompt_key(key).map(Msg::Input),
        Mode::Normal | Mode::Help(_) => state
            .keymap
            .action(state.key_context(), key)
            .map(Msg::Action),
    }
}

fn prompt_key(key: &KeyEvent) -> Option<InputKey> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') | KeyCode::Char('g') if ctrl => Some(InputKey::Cancel),
        KeyCode::Char('u') if ctrl => Some(InputKey::Clear),
        KeyCode::Char('h') if ctrl => Some(InputKey::Backspace),
        KeyCode::Char(_) if ctrl => None,
        KeyCode::Char(c) => Some(InputKey::Char(c)),
        KeyCode::Backspace => Some(InputKey::Backspace),
        KeyCode::Enter => Some(InputKey::Submit),
        KeyCode::Esc => Some(InputKey::Cancel),
        _ => None,
    }
}
