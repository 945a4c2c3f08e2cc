//! Where opsdeck keeps its files, following the XDG base directories on every platform.

use std::path::{Path, PathBuf};

use etcetera::base_strategy::{BaseStrategy, Xdg};

use crate::config::theme::Theme;

const APP_DIR: &str = "opsdeck";

/// The files and directories opsdeck reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// `<config dir>/opsdeck/config.toml`, read when neither `--config` nor
    /// `OPSDECK_CONFIG` names a file.
    pub config_file: PathBuf,
    /// `<config dir>/opsdeck/themes`, user themes as `<name>.toml`.
    pub themes_dir: PathBuf,
    /// `<state dir>/opsdeck` (the data dir when there is no state dir).
    pub state_dir: PathBuf,
    /// `<state>/opsdeck.log`.
    pub log_file: PathBuf,
    /// `<state>/journal.jsonl`, the audit journal of operations.
    pub journal_file: PathBuf,
}

impl Paths {
    /// Resolves the paths from the environment: `XDG_CONFIG_HOME` (else `~/.config`) and
    /// `XDG_STATE_HOME` (else `~/.local/state`). Without a home directory, absolute XDG
    /// variables are still honoured and the rest falls back to the system temp dir.
    pub fn resolve() -> Paths {
        match Xdg::new() {
            Ok(xdg) => {
                let state_home = xdg.state_dir().unwrap_or_else(|| xdg.data_dir());
                Paths::from_dirs(&xdg.config_dir(), &state_home)
            }
            Err(_) => {
                let fallback = std::env::temp_dir().join("opsdeck-no-home");
                let from_env = |name: &str, default: &str| {
                    std::env::var_os(name)
                        .map(PathBuf::from)
                        .filter(|path| path.is_absolute())
                        .unwrap_or_else(|| fallback.join(default))
                };
                Paths::from_dirs(
                    &from_env("XDG_CONFIG_HOME", ".config"),
                    &from_env("XDG_STATE_HOME", ".local/state"),
                )
            }
        }
    }

    /// The paths under a given config home and state home (the parents of `opsdeck/`).
    pub fn from_dirs(config_home: &Path, state_home: &Path) -> Paths {
        let config_dir = config_home.join(APP_DIR);
        let state_dir = state_home.join(APP_DIR);
        Paths {
            config_file: config_dir.join("config.toml"),
            themes_dir: config_dir.join("themes"),
            log_file: state_dir.join("opsdeck.log"),
            journal_file: state_dir.join("journal.jsonl"),
            state_dir,
        }
    }

    /// The text of `opsdeck --paths`: one `name: path` line per file, with "(not present)"
    /// where a file or directory does not exist. `loaded_source` is the config file in use
    /// (`None`: built-in defaults), `theme_name` the configured theme.
    pub fn describe(&self, loaded_source: Option<&Path>, theme_name: &str) -> String {
        let mut lines = Vec::new();
        match loaded_source {
            Some(source) => lines.push(format!("config: {}", present(source))),
            None => lines.push(format!(
                "config: {} (not present, using built-in defaults)",
                self.config_file.display()
            )),
        }
        lines.push(format!("themes: {}", present(&self.themes_dir)));
        let theme_file = self.themes_dir.join(format!("{theme_name}.toml"));
        let builtin = Theme::builtin_names().contains(&theme_name);
        lines.push(match (theme_file.is_file(), builtin) {
            (true, true) => format!(
                "theme: {} (over built-in `{theme_name}`)",
                theme_file.display()
            ),
            (true, false) => format!("theme: {}", theme_file.display()),
            (false, true) => format!("theme: built-in `{theme_name}`"),
            (false, false) => format!("theme: {} (not present)", theme_file.display()),
        });
        lines.push(format!("state: {}", present(&self.state_dir)));
        lines.push(format!("log: {}", present(&self.log_file)));
        lines.push(format!("journal: {}", present(&self.journal_file)));
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

fn present(path: &Path) -> String {
    if path.exists() {
        path.display().to_string()
    } else {
        format!("{} (not present)", path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_under_the_given_homes() {
        let paths = Paths::from_dirs(Path::new("/c"), Path::new("/s"));
        assert_eq!(paths.config_file, Path::new("/c/opsdeck/config.toml"));
        assert_eq!(paths.themes_dir, Path::new("/c/opsdeck/themes"));
        assert_eq!(paths.state_dir, Path::new("/s/opsdeck"));
        assert_eq!(paths.log_file, Path::new("/s/opsdeck/opsdeck.log"));
        assert_eq!(paths.journal_file, Path::new("/s/opsdeck/journal.jsonl"));
    }

    #[test]
    fn describe_marks_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::from_dirs(&dir.path().join("config"), &dir.path().join("state"));
        std::fs::create_dir_all(&paths.state_dir).unwrap();
        std::fs::write(&paths.log_file, "").unwrap();
        let text = paths.describe(None, "default");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6);
        assert!(lines[0].starts_with("config: ") && lines[0].contains("(not present"));
        assert!(lines[1].ends_with("themes (not present)"));
        assert_eq!(lines[2], "theme: built-in `default`");
        assert!(!lines[3].contains("not present"));
        assert!(!lines[4].contains("not present"));
        assert!(lines[5].ends_with("journal.jsonl (not present)"));
    }
}
