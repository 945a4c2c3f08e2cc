//! Turn a key event into a message: prompts take text, otherwise the keymap decides.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::Action;
use crate::app::core::msg::{InputKey, Msg};
use crate::app::core::state::{AppState, Mode};
use crate::input::keymap::KeyContext;

/// The keys every prompt and dialog takes, as [`prompt_key`] and the confirm dialog read
/// them. They are not in the keymap: a prompt takes every printable key as text.
pub mod fixed {
    pub const SUBMIT: &str = "enter";
    pub const CANCEL: &str = "esc";
    pub const YES: &str = "y";
    pub const NO: &str = "n";
}

/// The message a terminal event means: keys as below, pastes as text, resizes as the size.
pub fn event_to_msg(state: &AppState, event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => key_to_msg(state, &key),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(width, height) => Some(Msg::Resized { width, height }),
        _ => None,
    }
}

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
        | Mode::Hosts(_) => {
            // A control key bound to suspend (ctrl-z) works in prompts too: raw mode
            // makes it a key, and a terminal user expects it to suspend anywhere.
            let suspend = key.modifiers.contains(KeyModifiers::CONTROL)
                && state.keymap.action(KeyContext::Global, key) == Some(Action::Suspend);
            if suspend {
                return Some(Msg::Action(Action::Suspend));
            }
            prompt_key(key).map(Msg::Input)
        }
        Mode::Normal | Mode::Help(_) | Mode::Messages(_) => state
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
        KeyCode::Up => Some(InputKey::Up),
        KeyCode::Down => Some(InputKey::Down),
        KeyCode::Tab => Some(InputKey::Complete),
        _ => None,
    }
}
