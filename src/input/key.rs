//! Key names as written in the config (`k`, `G`, `ctrl-r`, `pageup`) and their match with
//! terminal key events.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key with its modifiers, normalised so that a binding compares equal to the key event
/// a terminal sends for it.
///
/// Normalisation: a character key never carries SHIFT (shift is in the character: `G`, `+`),
/// a lowercase letter sent with SHIFT becomes the uppercase letter, and shift-tab is
/// [`KeyCode::BackTab`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyBinding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const MODIFIER_PREFIXES: &[(&str, KeyModifiers)] = &[
    ("ctrl-", KeyModifiers::CONTROL),
    ("alt-", KeyModifiers::ALT),
    ("shift-", KeyModifiers::SHIFT),
];

const NAMED_KEYS: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
];

impl KeyBinding {
    /// A binding for `code` with `modifiers`, normalised.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> KeyBinding {
        let mut code = code;
        let mut modifiers =
            modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        match code {
            KeyCode::Char(c) => {
                if modifiers.contains(KeyModifiers::SHIFT) && c.is_lowercase() {
                    let mut upper = c.to_uppercase();
                    if let (Some(u), None) = (upper.next(), upper.next()) {
                        code = KeyCode::Char(u);
                    }
                }
                modifiers.remove(KeyModifiers::SHIFT);
            }
            KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
                code = KeyCode::BackTab;
                modifiers.remove(KeyModifiers::SHIFT);
            }
            KeyCode::BackTab => modifiers.remove(KeyModifiers::SHIFT),
            _ => {}
        }
        KeyBinding { code, modifiers }
    }

    /// The binding a key event matches.
    pub fn from_event(event: &KeyEvent) -> KeyBinding {
        KeyBinding::new(event.code, event.modifiers)
    }

    /// Parses a key name as written in the config: `k`, `G`, `+`, `ctrl-r`, `alt-x`,
    /// `shift-up`, `enter`, `esc`, `tab`, `backtab`, `space`, `up`, `pageup`, `home`, `f1`, ...
    /// The error is a short reason, without the key itself.
    pub fn parse(text: &str) -> Result<KeyBinding, String> {
        if text.is_empty() {
            return Err("a key name is empty".to_string());
        }
        let mut rest = text;
        let mut modifiers = KeyModifiers::NONE;
        // A single character is always a key, even "-".
        while rest.chars().nth(1).is_some() {
            let Some((prefix, modifier)) = MODIFIER_PREFIXES.iter().find(|(prefix, _)| {
                rest.get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
            }) else {
                break;
            };
            rest = &rest[prefix.len()..];
            if rest.is_empty() {
                return Err(format!("nothing follows `{prefix}`"));
            }
            modifiers |= *modifier;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_control() => {
                return Err("a control character is not a key name".to_string());
            }
            (Some(c), None) => KeyCode::Char(c),
            _ => named_key(rest).ok_or_else(|| format!("unknown key name `{rest}`"))?,
        };
        Ok(KeyBinding::new(code, modifiers))
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMED_KEYS.iter().find(|(n, _)| *n == lower) {
        return Some(*code);
    }
    let number: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=24).contains(&number).then_some(KeyCode::F(number))
}

impl fmt::Display for KeyBinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (prefix, modifier) in MODIFIER_PREFIXES {
            if self.modifiers.contains(*modifier) {
                f.write_str(prefix)?;
            }
        }
        if let Some((name, _)) = NAMED_KEYS.iter().find(|(_, code)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn parses_key_names() {
        let cases = [
            ("k", KeyCode::Char('k'), KeyModifiers::NONE),
            ("G", KeyCode::Char('G'), KeyModifiers::NONE),
            ("shift-g", KeyCode::Char('G'), KeyModifiers::NONE),
            ("ctrl-r", KeyCode::Char('r'), KeyModifiers::CONTROL),
            ("Ctrl-R", KeyCode::Char('R'), KeyModifiers::CONTROL),
            ("alt-x", KeyCode::Char('x'), KeyModifiers::ALT),
            (
                "ctrl-alt-x",
                KeyCode::Char('x'),
                KeyModifiers::CONTROL | KeyModifiers::ALT,
            ),
            ("ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
            ("-", KeyCode::Char('-'), KeyModifiers::NONE),
            ("+", KeyCode::Char('+'), KeyModifiers::NONE),
            ("<", KeyCode::Char('<'), KeyModifiers::NONE),
            ("enter", KeyCode::Enter, KeyModifiers::NONE),
            ("Esc", KeyCode::Esc, KeyModifiers::NONE),
            ("backtab", KeyCode::BackTab, KeyModifiers::NONE),
            ("shift-tab", KeyCode::BackTab, KeyModifiers::NONE),
            ("space", KeyCode::Char(' '), KeyModifiers::NONE),
            ("shift-up", KeyCode::Up, KeyModifiers::SHIFT),
            ("pagedown", KeyCode::PageDown, KeyModifiers::NONE),
            ("f12", KeyCode::F(12), KeyModifiers::NONE),
            ("delete", KeyCode::Delete, KeyModifiers::NONE),
        ];
        for (text, code, modifiers) in cases {
            assert_eq!(
                KeyBinding::parse(text),
                Ok(KeyBinding { code, modifiers }),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_bad_key_names() {
        for text in [
            "",
            "ctrl-",
            "alt-ctrl-",
            "pgup",
            "f0",
            "f99",
            "ctrl-foo",
            "\t",
        ] {
            assert!(KeyBinding::parse(text).is_err(), "{text:?}");
        }
        assert_eq!(
            KeyBinding::parse("ctrl-"),
            Err("nothing follows `ctrl-`".to_string())
        );
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "k",
            "G",
            "ctrl-r",
            "alt-x",
            "ctrl-alt-x",
            "enter",
            "esc",
            "tab",
            "backtab",
            "space",
            "up",
            "down",
            "left",
            "right",
            "pageup",
            "pagedown",
            "home",
            "end",
            "f1",
            "f12",
            "delete",
            "backspace",
            "+",
            "/",
            ":",
            "?",
            "<",
            "-",
            "ctrl--",
            "shift-up",
        ] {
            let binding = KeyBinding::parse(text).unwrap();
            assert_eq!(binding.to_string(), text);
            assert_eq!(KeyBinding::parse(&binding.to_string()), Ok(binding));
        }
    }

    #[test]
    fn uppercase_matches_with_or_without_shift() {
        let g = KeyBinding::parse("G").unwrap();
        assert_eq!(
            KeyBinding::from_event(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            g
        );
        assert_eq!(
            KeyBinding::from_event(&key(KeyCode::Char('G'), KeyModifiers::NONE)),
            g
        );
        assert_eq!(
            KeyBinding::from_event(&key(KeyCode::Char('g'), KeyModifiers::SHIFT)),
            g
        );
        let plus = KeyBinding::parse("+").unwrap();
        assert_eq!(
            KeyBinding::from_event(&key(KeyCode::Char('+'), KeyModifiers::SHIFT)),
            plus
        );
        let backtab = KeyBinding::parse("backtab").unwrap();
        assert_eq!(
            KeyBinding::from_event(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            backtab
        );
    }
}
