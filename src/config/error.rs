//! What can go wrong while loading the config or a theme.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::PathBuf;

/// A config or theme problem, displayed on one line as `FILE:LINE: what is wrong`.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A config file named with `--config` or `OPSDECK_CONFIG` does not exist.
    #[error("config file not found: {}", .path.display())]
    NotFound { path: PathBuf },
    #[error("cannot read {}: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    /// The file was read but its content is wrong.
    #[error("{}", Located { origin, line: *line, message })]
    Invalid {
        /// The file path, or a label such as `built-in config`.
        origin: String,
        /// 1-based line of the offending key or value, when known.
        line: Option<usize>,
        /// Dotted path of the offending key (`general.refresh_interval`), when known.
        key: Option<String>,
        message: String,
    },
    /// `Theme::load` was asked for a theme that is neither built in nor in the themes dir.
    #[error("unknown theme `{name}`; available themes: {}", .available.join(", "))]
    UnknownTheme {
        name: String,
        available: Vec<String>,
    },
}

impl ConfigError {
    /// The 1-based line of an [`ConfigError::Invalid`] problem.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfigError::Invalid { line, .. } => *line,
            _ => None,
        }
    }

    /// The dotted key of an [`ConfigError::Invalid`] problem.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::Invalid { key, .. } => key.as_deref(),
            _ => None,
        }
    }
}

struct Located<'a> {
    origin: &'a str,
    line: Option<usize>,
    message: &'a str,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.origin, line, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

/// A problem found in one text, located by byte span; turned into a [`ConfigError`] once the
/// origin of the text is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub span: Option<Range<usize>>,
    pub key: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn at(span: Range<usize>, key: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            span: Some(span),
            key: Some(key.into()),
            message: message.into(),
        }
    }

    /// A TOML syntax or deserialization error.
    pub fn from_toml(error: &toml::de::Error) -> Problem {
        Problem {
            span: error.span(),
            key: None,
            message: one_line(error.message()),
        }
    }

    pub fn into_error(self, text: &str, origin: &str) -> ConfigError {
        ConfigError::Invalid {
            origin: origin.to_string(),
            line: self.span.map(|span| line_of(text, span.start)),
            key: self.key,
            message: self.message,
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let text = "a = 1\nb = 2\n";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 6), 2);
        assert_eq!(line_of(text, 999), 3);
    }

    #[test]
    fn displays_on_one_line() {
        let error = ConfigError::Invalid {
            origin: "config.toml".into(),
            line: Some(3),
            key: Some("general.theme".into()),
            message: "unknown theme".into(),
        };
        assert_eq!(error.to_string(), "config.toml:3: unknown theme");
        assert_eq!(error.line(), Some(3));
        assert_eq!(error.key(), Some("general.theme"));
    }
}
