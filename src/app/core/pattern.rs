//! A search pattern as typed after `/`: a regex, case-insensitive unless the text has an
//! uppercase letter; text that is not a valid regex is matched literally. Shared by the log
//! view and the describe view.

use regex::{Regex, RegexBuilder};

/// Longest regex source accepted; longer input is matched literally.
const MAX_PATTERN: usize = 1024;

/// A compiled search pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    /// `None` matches nothing (the text could not be compiled even as a literal).
    regex: Option<Regex>,
    /// Why the text is matched literally (it is not a valid regex), if it is.
    invalid: Option<String>,
}

impl Pattern {
    /// Compile `text` (see the module comment).
    pub fn new(text: &str) -> Pattern {
        let case_insensitive = !text.chars().any(char::is_uppercase);
        let build = |pattern: &str| {
            RegexBuilder::new(pattern)
                .case_insensitive(case_insensitive)
                .size_limit(1 << 20)
                .build()
        };
        let compiled = if text.len() > MAX_PATTERN {
            Err("the pattern is too long".to_string())
        } else {
            build(text).map_err(|e| first_line(&e.to_string()))
        };
        let (regex, invalid) = match compiled {
            Ok(regex) => (Some(regex), None),
            Err(why) => match build(&regex::escape(text)) {
                Ok(regex) => (Some(regex), Some(why)),
                // A literal too big to compile matches nothing rather than failing.
                Err(e) => (None, Some(first_line(&e.to_string()))),
            },
        };
        Pattern {
            text: text.to_string(),
            regex,
            invalid,
        }
    }

    /// The text as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The compiled regex (the escaped text when `invalid` is set).
    pub fn regex(&self) -> Option<&Regex> {
        self.regex.as_ref()
    }

    /// Why the text is matched literally, if it is not a valid regex.
    pub fn invalid(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex.as_ref().is_some_and(|re| re.is_match(text))
    }
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with("error:"))
        .or_else(|| text.lines().next())
        .unwrap_or("");
    line.trim().trim_start_matches("error:").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_ignores_case_and_bad_regex_is_literal() {
        let p = Pattern::new("taskdef");
        assert!(p.is_match("taskDefinition: x"));
        assert!(!Pattern::new("TaskDef").is_match("taskdefinition"));
        let bad = Pattern::new("a(b");
        assert!(bad.invalid().is_some());
        assert!(bad.is_match("xa(by"));
    }
}
