//! Colour themes: a [`Theme`] maps semantic slots (`ok`, `error`, `selected`, ...) to styles.
//!
//! Built-in themes live in `themes/*.toml` and are embedded. A file `<name>.toml` in the user
//! themes dir with the name of a built-in theme overrides single slots of it; a file with a
//! new name is a theme of its own, applied on top of the default theme. A theme file looks
//! like:
//!
//! ```toml
//! [slots]
//! ok = { fg = "green", modifiers = ["bold"] }
//! selected = { fg = "black", bg = "#5fafd7" }
//! border = { fg = 240 }
//! ```
//!
//! Colours are names (`red`, `light-blue`, `dark-gray`, `reset`), `#rrggbb` or an index
//! 0..=255. Modifiers: bold, dim, italic, underlined, reversed, crossed_out, slow_blink,
//! rapid_blink, hidden.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use toml::Spanned;

use crate::config::error::{ConfigError, Problem};
use crate::config::suggest::did_you_mean;

const BUILTIN_THEMES: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

const BUILTIN_NAMES: &[&str] = &["default", "light", "high-contrast"];

const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
    ("slow_blink", Modifier::SLOW_BLINK),
    ("rapid_blink", Modifier::RAPID_BLINK),
    ("hidden", Modifier::HIDDEN),
];

macro_rules! theme_slots {
    ($($slot:ident => $doc:literal;)*) => {
        /// The styles of the semantic slots the UI draws with.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct Theme {
            $(#[doc = $doc] pub $slot: Style,)*
        }

        impl Theme {
            /// The slot names, as written in theme files.
            pub const SLOTS: &'static [&'static str] = &[$(stringify!($slot),)*];

            /// The style of the slot called `name`.
            pub fn slot(&self, name: &str) -> Option<Style> {
                match name {
                    $(stringify!($slot) => Some(self.$slot),)*
                    _ => None,
                }
            }

            fn slot_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($slot) => Some(&mut self.$slot),)*
                    _ => None,
                }
            }

            /// Every slot with its style.
            pub fn slots(&self) -> Vec<(&'static str, Style)> {
                vec![$((stringify!($slot), self.$slot),)*]
            }

            /// All slots set to `style`.
            fn uniform(style: Style) -> Theme {
                Theme { $($slot: style,)* }
            }
        }
    };
}

theme_slots! {
    text => "Ordinary text.";
    muted => "Secondary text: ages, ids, hints.";
    border => "Block borders.";
    title => "Block titles.";
    header => "The header row of a table.";
    selected => "The selected row.";
    status_bar => "The status line at the bottom.";
    key_hint => "Key names in hints and help.";
    ok => "Healthy: running, steady, exit 0.";
    warn => "Needs attention: pending, deploying, draining.";
    error => "Broken: failed, stopped unexpectedly, errors.";
    info => "Neutral information messages.";
    accent => "Emphasis that is neither good nor bad.";
    badge_read_only => "The READ-ONLY badge.";
    badge_production => "The production profile badge.";
    breadcrumb => "The navigation path (cluster › service › task).";
    filter => "The filter and command input.";
    search_match => "Search matches in logs and tables.";
    gauge => "Gauges and bars (running / desired).";
}

impl Default for Theme {
    /// The built-in `default` theme.
    fn default() -> Theme {
        let mut theme = Theme::uniform(Style::new());
        match theme.apply(BUILTIN_THEMES[0].1, "built-in theme default") {
            Ok(()) => theme,
            Err(_) => Theme::no_color(),
        }
    }
}

impl Theme {
    /// Loads theme `name`: a built-in theme, possibly with single slots overridden by
    /// `<user_dir>/<name>.toml`, or a user theme applied on top of the default theme. With
    /// `no_color` (see [`no_color_from_env`]) the result is [`Theme::no_color`].
    pub fn load(name: &str, user_dir: Option<&Path>, no_color: bool) -> Result<Theme, ConfigError> {
        if no_color {
            return Ok(Theme::no_color());
        }
        let builtin = builtin_text(name);
        let user_file = user_dir
            .filter(|_| valid_name(name))
            .map(|dir| dir.join(format!("{name}.toml")))
            .filter(|path| path.is_file());
        if builtin.is_none() && user_file.is_none() {
            return Err(ConfigError::UnknownTheme {
                name: name.to_string(),
                available: Theme::available(user_dir),
            });
        }
        let mut theme = Theme::default();
        if let Some(text) = builtin {
            theme.apply(text, &format!("built-in theme {name}"))?;
        }
        if let Some(path) = user_file {
            let text = fs::read_to_string(&path).map_err(|source| ConfigError::Read {
                path: path.clone(),
                source,
            })?;
            theme.apply(&text, &path.display().to_string())?;
        }
        Ok(theme)
    }

    /// The names of the built-in themes.
    pub fn builtin_names() -> &'static [&'static str] {
        BUILTIN_NAMES
    }

    /// The built-in themes, then the themes in `user_dir` that are not built in, sorted.
    pub fn available(user_dir: Option<&Path>) -> Vec<String> {
        let mut names: Vec<String> = BUILTIN_NAMES.iter().map(|n| n.to_string()).collect();
        let mut user: Vec<String> = user_dir
            .and_then(|dir| fs::read_dir(dir).ok())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "toml"))
            .filter_map(|path| path.file_stem().and_then(|s| s.to_str()).map(String::from))
            .filter(|name| valid_name(name) && !BUILTIN_NAMES.contains(&name.as_str()))
            .collect();
        user.sort();
        names.append(&mut user);
        names
    }

    /// The theme for `NO_COLOR`: no colour at all; meaning is carried by bold, dim,
    /// reversed and underlined text.
    pub fn no_color() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reversed = Style::new().add_modifier(Modifier::REVERSED);
        Theme {
            text: plain,
            muted: Style::new().add_modifier(Modifier::DIM),
            border: plain,
            title: bold,
            header: bold.add_modifier(Modifier::UNDERLINED),
            selected: reversed.add_modifier(Modifier::BOLD),
            status_bar: reversed,
            key_hint: bold,
            ok: plain,
            warn: bold,
            error: bold.add_modifier(Modifier::UNDERLINED),
            info: plain,
            accent: bold,
            badge_read_only: reversed,
            badge_production: reversed.add_modifier(Modifier::BOLD),
            breadcrumb: bold,
            filter: Style::new().add_modifier(Modifier::UNDERLINED),
            search_match: bold.add_modifier(Modifier::UNDERLINED),
            gauge: reversed,
        }
    }

    /// Sets the slots a theme file defines; `origin` names the file in errors.
    fn apply(&mut self, text: &str, origin: &str) -> Result<(), ConfigError> {
        for (name, style) in parse_slots(text).map_err(|p| p.into_error(text, origin))? {
            if let Some(slot) = self.slot_mut(&name) {
                *slot = style;
            }
        }
        Ok(())
    }
}

/// Whether `NO_COLOR` is set to a non-empty value (<https://no-color.org>).
pub fn no_color_from_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
}

fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN_THEMES
        .iter()
        .find(|(builtin, _)| *builtin == name)
        .map(|(_, text)| *text)
}

/// Theme names are file stems: letters, digits, `-` and `_`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    #[serde(default)]
    slots: BTreeMap<String, Spanned<SlotSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotSpec {
    #[serde(default)]
    fg: Option<Spanned<toml::Value>>,
    #[serde(default)]
    bg: Option<Spanned<toml::Value>>,
    #[serde(default)]
    modifiers: Vec<Spanned<String>>,
}

/// The slots a theme file sets, in file order of names.
fn parse_slots(text: &str) -> Result<Vec<(String, Style)>, Problem> {
    let file: ThemeFile = toml::from_str(text).map_err(|e| Problem::from_toml(&e))?;
    let mut slots = Vec::new();
    for (name, spec) in file.slots {
        let key = format!("slots.{name}");
        if !Theme::SLOTS.contains(&name.as_str()) {
            let hint = did_you_mean(&name, Theme::SLOTS.iter().copied());
            return Err(Problem::at(
                spec.span(),
                key,
                format!("unknown colour slot `{name}`{hint}"),
            ));
        }
        let spec = spec.into_inner();
        let mut style = Style::new();
        if let Some(fg) = &spec.fg {
            style = style.fg(parse_color(fg, &key)?);
        }
        if let Some(bg) = &spec.bg {
            style = style.bg(parse_color(bg, &key)?);
        }
        for modifier in &spec.modifiers {
            let word = modifier.get_ref().as_str();
            let Some((_, flag)) = MODIFIERS.iter().find(|(n, _)| *n == word) else {
                let hint = did_you_mean(word, MODIFIERS.iter().map(|(n, _)| *n));
                return Err(Problem::at(
                    modifier.span(),
                    key,
                    format!("unknown modifier `{word}` in slot `{name}`{hint}"),
                ));
            };
            style = style.add_modifier(*flag);
        }
        slots.push((name, style));
    }
    Ok(slots)
}

fn parse_color(value: &Spanned<toml::Value>, key: &str) -> Result<Color, Problem> {
    let parsed = match value.get_ref() {
        toml::Value::String(name) if name == "default" => Some(Color::Reset),
        toml::Value::String(name) => name.parse::<Color>().ok(),
        toml::Value::Integer(index) => u8::try_from(*index).ok().map(Color::Indexed),
        _ => None,
    };
    parsed.ok_or_else(|| {
        Problem::at(
            value.span(),
            key,
            format!(
                "invalid colour {} for `{key}`: use a name (red, light-blue), #rrggbb or 0..=255",
                value.get_ref()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_sets_every_slot() {
        for (name, text) in BUILTIN_THEMES {
            let slots = parse_slots(text).unwrap_or_else(|p| panic!("{name}: {p:?}"));
            let mut names: Vec<&str> = slots.iter().map(|(n, _)| n.as_str()).collect();
            names.sort_unstable();
            let mut expected = Theme::SLOTS.to_vec();
            expected.sort_unstable();
            assert_eq!(names, expected, "{name}");
        }
        assert_eq!(BUILTIN_NAMES.len(), BUILTIN_THEMES.len());
    }

    #[test]
    fn default_is_the_default_file() {
        assert_ne!(Theme::default(), Theme::no_color());
        assert_eq!(
            Theme::load("default", None, false).unwrap(),
            Theme::default()
        );
    }

    #[test]
    fn colours_and_modifiers() {
        let text = r##"
[slots]
ok = { fg = "light-green", bg = "#102030", modifiers = ["bold", "reversed"] }
border = { fg = 240 }
"##;
        let slots = parse_slots(text).unwrap();
        assert_eq!(slots[0].0, "border");
        assert_eq!(slots[0].1, Style::new().fg(Color::Indexed(240)));
        assert_eq!(
            slots[1].1,
            Style::new()
                .fg(Color::LightGreen)
                .bg(Color::Rgb(0x10, 0x20, 0x30))
                .add_modifier(Modifier::BOLD | Modifier::REVERSED)
        );
    }

    #[test]
    fn bad_theme_files_name_the_line() {
        let cases = [
            (
                "[slots]\nokk = { fg = \"red\" }\n",
                2,
                "unknown colour slot `okk`; did you mean `ok`?",
            ),
            (
                "[slots]\n\nok = { fg = \"redd\" }\n",
                3,
                "invalid colour \"redd\" for `slots.ok`",
            ),
            ("[slots]\nok = { fg = 256 }\n", 2, "invalid colour 256"),
            (
                "[slots]\nok = { modifiers = [\"blod\"] }\n",
                2,
                "did you mean `bold`?",
            ),
            (
                "[slots]\nok = { colour = \"red\" }\n",
                2,
                "unknown field `colour`",
            ),
            ("[slots\n", 1, ""),
        ];
        for (text, line, message) in cases {
            let error = Theme::default().apply(text, "mine.toml").unwrap_err();
            let shown = error.to_string();
            assert!(shown.starts_with(&format!("mine.toml:{line}: ")), "{shown}");
            assert!(shown.contains(message), "{shown}");
        }
    }
}
