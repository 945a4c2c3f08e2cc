//! Finding, reading and merging the config file.
//!
//! The user's text is parsed into a spanned document and checked key by key against the
//! built-in document first ([`crate::config::check`]), so every error names the user's file and line.
//! The two documents are then merged (user values win, tables merge recursively, so single
//! keys, single `[keys.*]` actions and `[profiles.*]` entries override or add) and the merged
//! document is deserialized into [`Config`]. Value checks (ranges, theme and log level names)
//! run last and are located by looking the key up in the user's document.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::{fs, io};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::DEFAULT_CONFIG;
use crate::config::check::check_document;
use crate::config::error::{ConfigError, Problem};
use crate::config::model::{Config, LOG_LEVELS};
use crate::config::paths::Paths;
use crate::config::theme::Theme;
use crate::input::{KeyBinding, KeyTables};

/// The environment variable naming a config file.
pub const CONFIG_ENV: &str = "OPSDECK_CONFIG";

/// A loaded configuration and the file it came from (`None`: built-in defaults only).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub config: Config,
    pub source: Option<PathBuf>,
}

/// The value of `OPSDECK_CONFIG`, when set and not empty.
pub fn config_path_from_env() -> Option<PathBuf> {
    std::env::var_os(CONFIG_ENV)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// Loads the configuration from, in order, `explicit` (`--config`), `env_path`
/// (`OPSDECK_CONFIG`, see [`config_path_from_env`]) or `paths.config_file`.
///
/// A missing explicit or environment file is an error; a missing default file means the
/// built-in defaults. User themes are looked up in `paths.themes_dir`.
pub fn load(
    explicit: Option<&Path>,
    env_path: Option<PathBuf>,
    paths: &Paths,
) -> Result<Loaded, ConfigError> {
    let (path, required) = match (explicit, env_path) {
        (Some(path), _) => (path.to_path_buf(), true),
        (None, Some(path)) if !path.as_os_str().is_empty() => (path, true),
        _ => (paths.config_file.clone(), false),
    };
    let themes_dir = Some(paths.themes_dir.as_path());
    match fs::read_to_string(&path) {
        Ok(text) => {
            let config = load_str_with_themes(&text, &path.display().to_string(), themes_dir)?;
            Ok(Loaded {
                config,
                source: Some(path),
            })
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if required {
                Err(ConfigError::NotFound { path })
            } else {
                let config = load_str_with_themes("", "built-in config", themes_dir)?;
                Ok(Loaded {
                    config,
                    source: None,
                })
            }
        }
        Err(source) => Err(ConfigError::Read { path, source }),
    }
}

/// Loads a config from `text` merged over the defaults; `origin` names it in errors.
/// Only the built-in themes are accepted.
pub fn load_str(text: &str, origin: &str) -> Result<Config, ConfigError> {
    load_str_with_themes(text, origin, None)
}

/// Like [`load_str`], also accepting the themes found in `themes_dir`.
pub fn load_str_with_themes(
    text: &str,
    origin: &str,
    themes_dir: Option<&Path>,
) -> Result<Config, ConfigError> {
    let defaults =
        parse(DEFAULT_CONFIG).map_err(|p| p.into_error(DEFAULT_CONFIG, "built-in config"))?;
    merge_user(text, defaults, themes_dir).map_err(|p| p.into_error(text, origin))
}

/// The `[keys]` tables of the built-in config.
pub fn default_key_tables() -> KeyTables {
    #[derive(Deserialize)]
    struct KeysOnly {
        keys: KeyTables,
    }
    toml::from_str::<KeysOnly>(DEFAULT_CONFIG)
        .map(|k| k.keys)
        .unwrap_or_default()
}

fn parse(text: &str) -> Result<DeTable<'_>, Problem> {
    DeTable::parse(text).map(Spanned::into_inner).map_err(|e| {
        let mut problem = Problem::from_toml(&e);
        problem.message = format!("TOML syntax error: {}", problem.message);
        problem
    })
}

fn merge_user<'i>(
    text: &'i str,
    defaults: DeTable<'i>,
    themes_dir: Option<&Path>,
) -> Result<Config, Problem> {
    let user = parse(text)?;
    check_document(&user, &defaults)?;
    let mut merged = defaults;
    merge(&mut merged, user.clone());
    let root = Spanned::new(0..text.len(), merged);
    let mut config = Config::deserialize(toml::de::Deserializer::from(root)).map_err(|e| {
        let mut problem = Problem::from_toml(&e);
        problem.message = plain_type_names(&problem.message);
        problem.key = problem.span.as_ref().and_then(|s| key_at(&user, s.start));
        if let Some(key) = &problem.key {
            problem.message = format!("`{key}`: {}", problem.message);
        }
        problem
    })?;
    apply_user_key_precedence(&mut config.keys, &user);
    config
        .ssh
        .commands
        .retain(|_, command| !command.trim().is_empty());
    let themes = Theme::available(themes_dir);
    check_values(&config, &themes).map_err(|(key, message)| Problem {
        span: span_of(&user, key),
        key: Some(key.to_string()),
        message,
    })?;
    Ok(config)
}

/// Serde names Rust types in its messages; users know TOML.
fn plain_type_names(message: &str) -> String {
    let mut message = message.to_string();
    for rust in ["u64", "u32", "usize"] {
        message = message.replace(
            &format!("expected {rust}"),
            "expected a whole number of 0 or more",
        );
    }
    message.replace("expected f64", "expected a number")
}

/// Merges `user` into `base`: tables merge key by key, any other value replaces.
fn merge<'i>(base: &mut DeTable<'i>, user: DeTable<'i>) {
    for (key, value) in user {
        if let Some(existing) = base.get_mut(key.get_ref().as_ref())
            && let (DeValue::Table(base_table), DeValue::Table(_)) =
                (existing.get_mut(), value.get_ref())
        {
            if let DeValue::Table(user_table) = value.into_inner() {
                merge(base_table, user_table);
            }
            continue;
        }
        base.insert(key, value);
    }
}

/// A key the user binds to an action is taken away from the other actions of the same table
/// that have it by default, so `[keys.services] restart = ["r"]` just works.
fn apply_user_key_precedence(keys: &mut KeyTables, user: &DeTable<'_>) {
    let Some(DeValue::Table(user_keys)) = user.get("keys").map(Spanned::get_ref) else {
        return;
    };
    for (context, actions) in user_keys {
        let Some(DeValue::Table(actions)) = Some(actions.get_ref()) else {
            continue;
        };
        let Some(table) = keys.get_mut(context.get_ref().as_ref()) else {
            continue;
        };
        let user_actions: BTreeSet<&str> = actions.keys().map(|k| k.get_ref().as_ref()).collect();
        let taken: Vec<KeyBinding> = table
            .iter()
            .filter(|(action, _)| user_actions.contains(action.as_str()))
            .flat_map(|(_, keys)| keys.iter().filter_map(|k| KeyBinding::parse(k).ok()))
            .collect();
        for (action, bound) in table.iter_mut() {
            if !user_actions.contains(action.as_str()) {
                bound.retain(|k| KeyBinding::parse(k).is_ok_and(|b| !taken.contains(&b)));
            }
        }
    }
}

/// Checks of values that the types alone do not catch.
fn check_values(config: &Config, themes: &[String]) -> Result<(), (&'static str, String)> {
    fn range(
        key: &'static str,
        value: u64,
        min: u64,
        max: u64,
        unit: &str,
    ) -> Result<(), (&'static str, String)> {
        if (min..=max).contains(&value) {
            Ok(())
        } else {
            Err((
                key,
                format!("`{key}` = {value} is out of range ({min}..={max}{unit})"),
            ))
        }
    }
    let general = &config.general;
    range(
        "general.refresh_interval",
        general.refresh_interval,
        1,
        3600,
        " seconds",
    )?;
    if !themes.contains(&general.theme) {
        return Err((
            "general.theme",
            format!(
                "unknown theme `{}` in `general.theme`; available themes: {}",
                general.theme,
                themes.join(", ")
            ),
        ));
    }
    if !LOG_LEVELS.contains(&general.log_level.as_str()) {
        return Err((
            "general.log_level",
            format!(
                "unknown log level `{}` in `general.log_level`; use one of: {}",
                general.log_level,
                LOG_LEVELS.join(", ")
            ),
        ));
    }
    range(
        "aws.connect_timeout",
        config.aws.connect_timeout,
        1,
        300,
        " seconds",
    )?;
    range(
        "aws.attempt_timeout",
        config.aws.attempt_timeout,
        1,
        600,
        " seconds",
    )?;
    range(
        "logs.tail_lines",
        config.logs.tail_lines.into(),
        1,
        10_000,
        "",
    )?;
    let buffer = u64::try_from(config.logs.buffer_lines).unwrap_or(u64::MAX);
    range("logs.buffer_lines", buffer, 1_000, 5_000_000, "")?;
    range(
        "logs.poll_interval",
        config.logs.poll_interval,
        1,
        60,
        " seconds",
    )?;
    range(
        "logs.redraw_interval_ms",
        config.logs.redraw_interval_ms,
        0,
        5_000,
        " ms",
    )?;
    let factor = config.ops.max_scale_factor;
    if !(1.0..=100.0).contains(&factor) {
        return Err((
            "ops.max_scale_factor",
            format!("`ops.max_scale_factor` = {factor} is out of range (1.0..=100.0)"),
        ));
    }
    range(
        "ops.max_desired",
        config.ops.max_desired.into(),
        1,
        100_000,
        "",
    )?;
    range("ssh.timeout", config.ssh.timeout, 1, 300, " seconds")?;
    Ok(())
}

/// The span of the key at dotted `path` in the user's document.
fn span_of(user: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut table = user;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let (key, value) = table.get_key_value(part)?;
        if parts.peek().is_none() {
            return Some(key.span());
        }
        let DeValue::Table(inner) = value.get_ref() else {
            return None;
        };
        table = inner;
    }
    None
}

/// The dotted path of the innermost key whose key or value covers byte `offset`.
fn key_at(user: &DeTable<'_>, offset: usize) -> Option<String> {
    for (key, value) in user {
        let name = key.get_ref().to_string();
        if let DeValue::Table(inner) = value.get_ref()
            && let Some(rest) = key_at(inner, offset)
        {
            return Some(format!("{name}.{rest}"));
        }
        if key.span().contains(&offset) || value.span().contains(&offset) {
            return Some(name);
        }
    }
    None
}
