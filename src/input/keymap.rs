//! The key tables of the config's `[keys.*]` sections and the lookup from a key
//! press to an [`Action`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use crossterm::event::{KeyEvent, KeyEventKind};

use crate::app::Action;
pub use crate::input::key::KeyBinding;

/// The `[keys]` section as written in the config: table name → action name → key names.
pub type KeyTables = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// A key table: the global one or the one of a view. A view's table is looked up before
/// the global one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyContext {
    Global,
    Clusters,
    Services,
    Tasks,
    Containers,
    Docker,
    Logs,
    LogGroups,
    Hosts,
    Asgs,
    Journal,
    Images,
    Describe,
}

impl KeyContext {
    /// Every context, in the order of the config file.
    pub const ALL: &'static [KeyContext] = &[
        KeyContext::Global,
        KeyContext::Clusters,
        KeyContext::Services,
        KeyContext::Tasks,
        KeyContext::Containers,
        KeyContext::Docker,
        KeyContext::Logs,
        KeyContext::LogGroups,
        KeyContext::Hosts,
        KeyContext::Asgs,
        KeyContext::Journal,
        KeyContext::Images,
        KeyContext::Describe,
    ];

    /// The table name in the config (`[keys.services]` → `services`).
    pub fn name(self) -> &'static str {
        match self {
            KeyContext::Global => "global",
            KeyContext::Clusters => "clusters",
            KeyContext::Services => "services",
            KeyContext::Tasks => "tasks",
            KeyContext::Containers => "containers",
            KeyContext::Docker => "docker",
            KeyContext::Logs => "logs",
            KeyContext::LogGroups => "loggroups",
            KeyContext::Hosts => "hosts",
            KeyContext::Asgs => "asgs",
            KeyContext::Journal => "journal",
            KeyContext::Images => "images",
            KeyContext::Describe => "describe",
        }
    }

    /// The context whose table is called `name`.
    pub fn from_name(name: &str) -> Option<KeyContext> {
        KeyContext::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for KeyContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key table that cannot be turned into a keymap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("unknown key table [keys.{0}]")]
    UnknownContext(String),
    #[error("unknown action `{action}` in [keys.{context}]")]
    UnknownAction { context: String, action: String },
    #[error("invalid key `{key}` for `{action}` in [keys.{context}]: {reason}")]
    BadKey {
        context: String,
        action: String,
        key: String,
        reason: String,
    },
    #[error("key `{key}` is bound to both `{first}` and `{second}` in [keys.{context}]")]
    Conflict {
        context: String,
        key: String,
        first: String,
        second: String,
    },
}

/// One line of the generated help screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    /// The keys that trigger the action in this context, e.g. `"j, down"`.
    pub keys: String,
    pub action: Action,
    pub description: &'static str,
    /// The table the entry comes from: the view's own or [`KeyContext::Global`].
    pub scope: KeyContext,
}

/// The live key bindings: per-context tables looked up before the global table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Per context, the bound actions in help order with their keys.
    tables: HashMap<KeyContext, Vec<(Action, Vec<KeyBinding>)>>,
    lookup: HashMap<(KeyContext, KeyBinding), Action>,
}

impl Keymap {
    /// Builds the keymap from the config's `[keys]` tables (already merged with the defaults).
    /// An action bound to an empty list is unbound.
    pub fn from_config(tables: &KeyTables) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::empty();
        for (context_name, actions) in tables {
            let context = KeyContext::from_name(context_name)
                .ok_or_else(|| KeymapError::UnknownContext(context_name.clone()))?;
            let mut entries = Vec::new();
            for (action_name, keys) in actions {
                let action =
                    Action::from_name(action_name).ok_or_else(|| KeymapError::UnknownAction {
                        context: context_name.clone(),
                        action: action_name.clone(),
                    })?;
                let mut bindings: Vec<KeyBinding> = Vec::new();
                for key in keys {
                    let binding = KeyBinding::parse(key).map_err(|reason| KeymapError::BadKey {
                        context: context_name.clone(),
                        action: action_name.clone(),
                        key: key.clone(),
                        reason,
                    })?;
                    if let Some(other) = keymap.lookup.insert((context, binding), action)
                        && other != action
                    {
                        return Err(KeymapError::Conflict {
                            context: context_name.clone(),
                            key: binding.to_string(),
                            first: other.name().to_string(),
                            second: action.name().to_string(),
                        });
                    }
                    if !bindings.contains(&binding) {
                        bindings.push(binding);
                    }
                }
                if !bindings.is_empty() {
                    entries.push((action, bindings));
                }
            }
            entries.sort_by_key(|(action, _)| help_order(*action));
            keymap.tables.insert(context, entries);
        }
        Ok(keymap)
    }

    /// A keymap without any binding.
    pub fn empty() -> Keymap {
        Keymap {
            tables: HashMap::new(),
            lookup: HashMap::new(),
        }
    }

    /// The action `key` triggers in `context`: the context's table first, then the global one.
    /// Key releases trigger nothing.
    pub fn action(&self, context: KeyContext, key: &KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        self.action_for(context, KeyBinding::from_event(key))
    }

    /// The action `binding` triggers in `context`.
    pub fn action_for(&self, context: KeyContext, binding: KeyBinding) -> Option<Action> {
        self.lookup
            .get(&(context, binding))
            .or_else(|| self.lookup.get(&(KeyContext::Global, binding)))
            .copied()
    }

    /// The keys that trigger `action` in `context`: the context's own keys, then the global
    /// keys that the context does not take for something else.
    pub fn bindings(&self, context: KeyContext, action: Action) -> Vec<KeyBinding> {
        let mut keys: Vec<KeyBinding> = self.table_keys(context, action).to_vec();
        if context != KeyContext::Global {
            for key in self.table_keys(KeyContext::Global, action) {
                if !keys.contains(key) && self.action_for(context, *key) == Some(action) {
                    keys.push(*key);
                }
            }
        }
        keys
    }

    /// The first key of `action` in `context`, for the hints of the status line.
    pub fn hint(&self, context: KeyContext, action: Action) -> Option<String> {
        self.bindings(context, action)
            .first()
            .map(ToString::to_string)
    }

    /// The key to name in a message about `action` on `context`: its first binding, or, when
    /// the user's config leaves it unbound, the action's config name so the user can bind it.
    pub fn key_name(&self, context: KeyContext, action: Action) -> String {
        self.hint(context, action)
            .unwrap_or_else(|| format!("the {} key (unbound)", action.name()))
    }

    /// The help screen of `context`: its own entries, then the global ones that still apply.
    pub fn help(&self, context: KeyContext) -> Vec<HelpEntry> {
        let own = self.entries(context);
        let mut help: Vec<HelpEntry> = own
            .iter()
            .map(|(action, _)| self.help_entry(context, *action, context))
            .collect();
        if context != KeyContext::Global {
            for (action, _) in self.entries(KeyContext::Global) {
                if own.iter().any(|(a, _)| a == action) {
                    continue;
                }
                let entry = self.help_entry(context, *action, KeyContext::Global);
                if !entry.keys.is_empty() {
                    help.push(entry);
                }
            }
        }
        help
    }

    fn help_entry(&self, context: KeyContext, action: Action, scope: KeyContext) -> HelpEntry {
        let keys: Vec<String> = self
            .bindings(context, action)
            .iter()
            .map(ToString::to_string)
            .collect();
        HelpEntry {
            keys: keys.join(", "),
            action,
            description: action.help(),
            scope,
        }
    }

    fn entries(&self, context: KeyContext) -> &[(Action, Vec<KeyBinding>)] {
        self.tables.get(&context).map_or(&[], Vec::as_slice)
    }

    fn table_keys(&self, context: KeyContext, action: Action) -> &[KeyBinding] {
        self.entries(context)
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, keys)| keys.as_slice())
    }
}

impl Default for Keymap {
    /// The keymap of the built-in configuration (`config.example.toml`).
    fn default() -> Keymap {
        Keymap::from_config(&crate::config::default_key_tables())
            .unwrap_or_else(|_| Keymap::empty())
    }
}

fn help_order(action: Action) -> usize {
    Action::ALL
        .iter()
        .position(|a| *a == action)
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn tables(entries: &[(&str, &str, &[&str])]) -> KeyTables {
        let mut tables = KeyTables::new();
        for (context, action, keys) in entries {
            tables.entry(context.to_string()).or_default().insert(
                action.to_string(),
                keys.iter().map(|k| k.to_string()).collect(),
            );
        }
        tables
    }

    #[test]
    fn messages_name_the_bound_key_or_say_it_is_unbound() {
        let keymap = Keymap::from_config(&tables(&[
            ("global", "refresh", &["f5", "ctrl-r"]),
            ("services", "rollback", &["R"]),
        ]))
        .unwrap();
        assert_eq!(keymap.key_name(KeyContext::Asgs, Action::Refresh), "f5");
        assert_eq!(keymap.key_name(KeyContext::Services, Action::Rollback), "R");
        assert_eq!(
            keymap.key_name(KeyContext::Docker, Action::ToggleAll),
            "the toggle_all key (unbound)"
        );
    }

    #[test]
    fn context_table_comes_before_global() {
        let keymap = Keymap::from_config(&tables(&[
            ("global", "enter", &["enter"]),
            ("global", "down", &["j", "down"]),
            ("global", "quit", &["q"]),
            ("docker", "tail_logs", &["l", "enter"]),
        ]))
        .unwrap();
        let enter = key(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            keymap.action(KeyContext::Docker, &enter),
            Some(Action::TailLogs)
        );
        assert_eq!(
            keymap.action(KeyContext::Services, &enter),
            Some(Action::Enter)
        );
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(keymap.action(KeyContext::Docker, &q), Some(Action::Quit));
        let x = key(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(keymap.action(KeyContext::Docker, &x), None);
        let mut release = q;
        release.kind = KeyEventKind::Release;
        assert_eq!(keymap.action(KeyContext::Docker, &release), None);
    }

    #[test]
    fn help_lists_context_then_unshadowed_global() {
        let keymap = Keymap::from_config(&tables(&[
            ("global", "enter", &["enter"]),
            ("global", "down", &["j", "down"]),
            ("global", "quit", &["q"]),
            ("docker", "tail_logs", &["l", "enter"]),
            ("docker", "stop", &["q"]),
        ]))
        .unwrap();
        let help = keymap.help(KeyContext::Docker);
        let lines: Vec<(String, Action, KeyContext)> = help
            .iter()
            .map(|e| (e.keys.clone(), e.action, e.scope))
            .collect();
        assert_eq!(
            lines,
            vec![
                ("l, enter".to_string(), Action::TailLogs, KeyContext::Docker),
                ("q".to_string(), Action::Stop, KeyContext::Docker),
                ("j, down".to_string(), Action::Down, KeyContext::Global),
            ]
        );
        assert_eq!(help[0].description, Action::TailLogs.help());
        assert_eq!(keymap.hint(KeyContext::Docker, Action::Quit), None);
        assert_eq!(
            keymap.hint(KeyContext::Services, Action::Quit),
            Some("q".into())
        );
        assert_eq!(
            keymap.hint(KeyContext::Docker, Action::Down),
            Some("j".into())
        );
    }

    #[test]
    fn rejects_bad_tables() {
        let cases: [(KeyTables, &str); 4] = [
            (
                tables(&[("foo", "up", &["k"])]),
                "unknown key table [keys.foo]",
            ),
            (
                tables(&[("global", "upp", &["k"])]),
                "unknown action `upp` in [keys.global]",
            ),
            (
                tables(&[("global", "up", &["ctrl-"])]),
                "invalid key `ctrl-` for `up` in [keys.global]: nothing follows `ctrl-`",
            ),
            (
                tables(&[("global", "up", &["k"]), ("global", "down", &["k"])]),
                "key `k` is bound to both",
            ),
        ];
        for (table, message) in cases {
            let error = Keymap::from_config(&table).unwrap_err().to_string();
            assert!(error.starts_with(message), "{error}");
        }
    }

    #[test]
    fn empty_list_unbinds() {
        let keymap = Keymap::from_config(&tables(&[("global", "quit", &[])])).unwrap();
        assert!(keymap.help(KeyContext::Global).is_empty());
    }
}
