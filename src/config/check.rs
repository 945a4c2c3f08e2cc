//! Checks the user's document key by key against the built-in one, before merging, so that
//! every problem points at the user's own line: unknown keys and tables, wrong types, unknown
//! actions and unparsable key names.

use std::collections::HashMap;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use crate::app::Action;
use crate::config::error::Problem;
use crate::config::suggest::did_you_mean;
use crate::input::{KeyBinding, KeyContext};

const PROFILE_KEYS: &[&str] = &["read_only", "production"];

/// Checks `user` against `defaults` (the complete built-in document).
pub(crate) fn check_document(user: &DeTable<'_>, defaults: &DeTable<'_>) -> Result<(), Problem> {
    check_fixed_table(user, defaults, &[])
}

type Entry<'a, 'i> = (&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>);

/// A table whose keys are those of the matching built-in table.
fn check_fixed_table(
    user: &DeTable<'_>,
    defaults: &DeTable<'_>,
    path: &[&str],
) -> Result<(), Problem> {
    for (key, value) in in_file_order(user) {
        let name = key.get_ref().as_ref();
        let mut child_path = path.to_vec();
        child_path.push(name);
        let dotted = child_path.join(".");
        match dotted.as_str() {
            "profiles" => check_profiles((key, value))?,
            "ssh.commands" => check_commands((key, value))?,
            "keys" => check_keys((key, value))?,
            _ => {
                let Some(default) = defaults.get(name) else {
                    let hint = did_you_mean(name, defaults.keys().map(|k| k.get_ref().as_ref()));
                    return Err(Problem::at(
                        key.span(),
                        dotted,
                        format!("unknown key `{name}` in {}{hint}", table_label(path)),
                    ));
                };
                match (value.get_ref(), default.get_ref()) {
                    (DeValue::Table(user_table), DeValue::Table(default_table)) => {
                        check_fixed_table(user_table, default_table, &child_path)?;
                    }
                    (found, expected) => check_type((key, value), &dotted, expected, found)?,
                }
            }
        }
    }
    Ok(())
}

fn check_type(
    (key, value): Entry<'_, '_>,
    dotted: &str,
    expected: &DeValue<'_>,
    found: &DeValue<'_>,
) -> Result<(), Problem> {
    let integer_for_float = matches!((expected, found), (DeValue::Float(_), DeValue::Integer(_)));
    if found.same_type(expected) || integer_for_float {
        return Ok(());
    }
    let span = if found.is_table() {
        key.span()
    } else {
        value.span()
    };
    Err(Problem::at(
        span,
        dotted,
        format!(
            "`{dotted}` must be {}, not {}",
            with_article(type_name(expected)),
            with_article(type_name(found))
        ),
    ))
}

/// `[profiles.NAME]` tables.
fn check_profiles((key, value): Entry<'_, '_>) -> Result<(), Problem> {
    let profiles = expect_table((key, value), "profiles")?;
    for (name_key, profile) in in_file_order(profiles) {
        let name = name_key.get_ref().as_ref();
        let dotted = format!("profiles.{name}");
        let settings = expect_table((name_key, profile), &dotted)?;
        for (setting_key, setting) in in_file_order(settings) {
            let setting_name = setting_key.get_ref().as_ref();
            let setting_dotted = format!("{dotted}.{setting_name}");
            if !PROFILE_KEYS.contains(&setting_name) {
                let hint = did_you_mean(setting_name, PROFILE_KEYS.iter().copied());
                return Err(Problem::at(
                    setting_key.span(),
                    setting_dotted,
                    format!("unknown key `{setting_name}` in [{dotted}]{hint}"),
                ));
            }
            check_type(
                (setting_key, setting),
                &setting_dotted,
                &DeValue::Boolean(false),
                setting.get_ref(),
            )?;
        }
    }
    Ok(())
}

/// `[ssh.commands]`: any name, string values.
fn check_commands((key, value): Entry<'_, '_>) -> Result<(), Problem> {
    let commands = expect_table((key, value), "ssh.commands")?;
    for (name_key, command) in in_file_order(commands) {
        let dotted = format!("ssh.commands.{}", name_key.get_ref());
        check_type(
            (name_key, command),
            &dotted,
            &DeValue::String("".into()),
            command.get_ref(),
        )?;
    }
    Ok(())
}

/// `[keys.CONTEXT]` tables of `action = ["key", ...]`.
fn check_keys((key, value): Entry<'_, '_>) -> Result<(), Problem> {
    let tables = expect_table((key, value), "keys")?;
    let context_names = || KeyContext::ALL.iter().map(|c| c.name());
    for (context_key, table) in in_file_order(tables) {
        let context = context_key.get_ref().as_ref();
        let dotted = format!("keys.{context}");
        if KeyContext::from_name(context).is_none() {
            let hint = did_you_mean(context, context_names());
            let all: Vec<&str> = context_names().collect();
            return Err(Problem::at(
                context_key.span(),
                dotted,
                format!(
                    "unknown key table [keys.{context}]{hint} (tables: {})",
                    all.join(", ")
                ),
            ));
        }
        let actions = expect_table((context_key, table), &dotted)?;
        let mut seen: HashMap<KeyBinding, &str> = HashMap::new();
        for (action_key, keys) in in_file_order(actions) {
            let action = action_key.get_ref().as_ref();
            let action_dotted = format!("{dotted}.{action}");
            if Action::from_name(action).is_none() {
                let hint = did_you_mean(action, Action::ALL.iter().map(|a| a.name()));
                return Err(Problem::at(
                    action_key.span(),
                    action_dotted,
                    format!("unknown action `{action}` in [keys.{context}]{hint}"),
                ));
            }
            let DeValue::Array(list) = keys.get_ref() else {
                return Err(Problem::at(
                    keys.span(),
                    action_dotted,
                    format!("`{dotted}.{action}` must be a list of keys, like [\"x\", \"ctrl-x\"]"),
                ));
            };
            for item in list.iter() {
                let Some(text) = item.get_ref().as_str() else {
                    return Err(Problem::at(
                        item.span(),
                        action_dotted,
                        format!(
                            "`{dotted}.{action}` must list key names as strings, not {}",
                            with_article(type_name(item.get_ref()))
                        ),
                    ));
                };
                let binding = KeyBinding::parse(text).map_err(|reason| {
                    Problem::at(
                        item.span(),
                        action_dotted.clone(),
                        format!(
                            "invalid key `{text}` for `{action}` in [keys.{context}]: {reason}"
                        ),
                    )
                })?;
                match seen.insert(binding, action) {
                    Some(other) if other != action => {
                        return Err(Problem::at(
                            item.span(),
                            action_dotted,
                            format!(
                                "key `{binding}` is bound to both `{other}` and `{action}` in [keys.{context}]"
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

/// The entries of `table` in the order they appear in the file, so the first problem in the
/// file is the one reported.
fn in_file_order<'a, 'i>(table: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut entries: Vec<Entry<'a, 'i>> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn expect_table<'a, 'i>(
    (key, value): Entry<'a, 'i>,
    dotted: &str,
) -> Result<&'a DeTable<'i>, Problem> {
    match value.get_ref() {
        DeValue::Table(table) => Ok(table),
        other => Err(Problem::at(
            value.span(),
            dotted,
            format!(
                "`{dotted}` must be a table, not {} (key `{}`)",
                with_article(type_name(other)),
                key.get_ref()
            ),
        )),
    }
}

fn table_label(path: &[&str]) -> String {
    if path.is_empty() {
        "the top level".to_string()
    } else {
        format!("[{}]", path.join("."))
    }
}

fn type_name(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::Boolean(_) => "boolean (true or false)",
        DeValue::Array(_) => "list",
        other => other.type_str(),
    }
}

fn with_article(noun: &str) -> String {
    let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {noun}")
}
