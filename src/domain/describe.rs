//! The describe view's document: what is described ([`DescribeTarget`]), the document itself
//! (a `serde_json::Value` tree), the masking of secret values, and the two ways it is shown —
//! YAML and JSON — as lines of coloured tokens.
//!
//! The YAML is emitted here rather than by a YAML crate: a document is small, the output must
//! be coloured token by token, and every string that a YAML reader would take for something
//! else (`true`, `1.0`, `a: b`, a leading space, a date) must be quoted.

use serde_json::Value;

use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// What a secret value is replaced with.
pub const MASK: &str = "••••••";

/// Which of the two describe keys was pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DescribeKind {
    /// `y`: the selected item itself.
    Item,
    /// `Y`: the task definition of the selected service or task.
    TaskDefinition,
}

/// What the describe view shows, with the ids needed to fetch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescribeTarget {
    Cluster {
        cluster: ClusterName,
    },
    Service {
        cluster: ClusterName,
        service: ServiceName,
    },
    Task {
        cluster: ClusterName,
        task: TaskArn,
    },
    /// One container of an ECS task.
    Container {
        cluster: ClusterName,
        task: TaskArn,
        container: String,
    },
    /// A task definition, by ARN (or `family:revision`).
    TaskDefinition {
        arn: String,
    },
    /// An EC2 instance.
    Instance {
        id: String,
    },
    /// An Auto Scaling group.
    Asg {
        name: String,
    },
    /// A local Docker container (`docker inspect`).
    DockerContainer {
        id: String,
        name: String,
    },
}

impl DescribeTarget {
    /// What kind of thing it is: `service`, `task definition`.
    pub fn kind(&self) -> &'static str {
        match self {
            DescribeTarget::Cluster { .. } => "cluster",
            DescribeTarget::Service { .. } => "service",
            DescribeTarget::Task { .. } => "task",
            DescribeTarget::Container { .. } => "container",
            DescribeTarget::TaskDefinition { .. } => "task definition",
            DescribeTarget::Instance { .. } => "instance",
            DescribeTarget::Asg { .. } => "Auto Scaling group",
            DescribeTarget::DockerContainer { .. } => "Docker container",
        }
    }

    /// Its short name: `payments-api`, `web:7`, the task id.
    pub fn name(&self) -> String {
        match self {
            DescribeTarget::Cluster { cluster } => cluster.to_string(),
            DescribeTarget::Service { service, .. } => service.to_string(),
            DescribeTarget::Task { task, .. } => task.id().to_string(),
            DescribeTarget::Container { container, .. } => container.clone(),
            DescribeTarget::TaskDefinition { arn } => crate::domain::ecs::family_revision(arn),
            DescribeTarget::Instance { id } => id.clone(),
            DescribeTarget::Asg { name } => name.clone(),
            DescribeTarget::DockerContainer { name, .. } => name.clone(),
        }
    }

    /// `Describe service payments-api`.
    pub fn title(&self) -> String {
        format!("Describe {} {}", self.kind(), self.name())
    }

    /// A file-name-safe stem for a saved document: `describe-service-payments-api`.
    pub fn slug(&self) -> String {
        let raw = format!("describe-{}-{}", self.kind(), self.name());
        raw.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    }
}

/// Replace secret values in place: every `environment` list entry's `value` (ECS container
/// definitions and overrides) and the value part of every `Env` entry (`NAME=value`, Docker).
/// Names stay, and `secrets` (`name` and `valueFrom`) are kept as given: they say where a
/// secret lives, not what it is, and are never resolved.
pub fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), &mut *child) {
                    ("environment", Value::Array(entries)) => {
                        for entry in entries.iter_mut() {
                            if let Some(v) = entry.get_mut("value") {
                                *v = Value::String(MASK.to_string());
                            }
                        }
                    }
                    ("Env", Value::Array(entries)) => {
                        for entry in entries.iter_mut() {
                            if let Value::String(text) = entry
                                && let Some((name, _)) = text.split_once('=')
                            {
                                *text = format!("{name}={MASK}");
                            }
                        }
                    }
                    _ => mask_secrets(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

/// What a piece of a line is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Key,
    Str,
    Num,
    /// `true`, `false`, `null`.
    Literal,
    /// `:`, `- `, `{`, `,`, quotes' surroundings and the like.
    Punct,
    /// Indentation.
    Space,
}

/// One line of the shown document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocLine {
    pub tokens: Vec<(TokenKind, String)>,
}

impl DocLine {
    /// The line as plain text.
    pub fn text(&self) -> String {
        self.tokens.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn push(&mut self, kind: TokenKind, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.tokens.push((kind, text));
        }
    }

    fn indented(indent: usize) -> DocLine {
        let mut line = DocLine::default();
        line.push(TokenKind::Space, " ".repeat(indent));
        line
    }
}

/// The whole document as lines of text (what is saved and copied).
pub fn plain_text(lines: &[DocLine]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.text());
        out.push('\n');
    }
    out
}

/// The document as YAML, one [`DocLine`] per line.
pub fn yaml_lines(value: &Value) -> Vec<DocLine> {
    let mut out = Vec::new();
    let mut first = DocLine::default();
    match value {
        Value::Object(map) if !map.is_empty() => yaml_map(&mut out, first, map, 0),
        Value::Array(items) if !items.is_empty() => yaml_seq(&mut out, first, items, 0),
        scalar => {
            yaml_scalar(&mut out, &mut first, scalar, 0);
            out.push(first);
        }
    }
    out
}

/// Entries of `map` at `indent`; the first goes on `line` (after a `- `), the rest on lines
/// of their own.
fn yaml_map(
    out: &mut Vec<DocLine>,
    mut line: DocLine,
    map: &serde_json::Map<String, Value>,
    indent: usize,
) {
    for (key, value) in map {
        push_string(&mut line, TokenKind::Key, key);
        line.push(TokenKind::Punct, ":");
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push(line);
                yaml_map(out, DocLine::indented(indent + 2), inner, indent + 2);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push(line);
                yaml_seq(out, DocLine::indented(indent + 2), items, indent + 2);
            }
            scalar => {
                line.push(TokenKind::Space, " ");
                yaml_scalar(out, &mut line, scalar, indent + 2);
                out.push(line);
            }
        }
        line = DocLine::indented(indent);
    }
}

/// Items of `items` at `indent`, each after a `- `; the first on `line`.
fn yaml_seq(out: &mut Vec<DocLine>, mut line: DocLine, items: &[Value], indent: usize) {
    for item in items {
        line.push(TokenKind::Punct, "- ");
        match item {
            Value::Object(inner) if !inner.is_empty() => yaml_map(out, line, inner, indent + 2),
            Value::Array(inner) if !inner.is_empty() => yaml_seq(out, line, inner, indent + 2),
            scalar => {
                yaml_scalar(out, &mut line, scalar, indent + 2);
                out.push(line);
            }
        }
        line = DocLine::indented(indent);
    }
}

/// A scalar (or an empty collection) at the end of `line`. A multi-line string becomes a
/// literal block whose lines follow at `indent`.
fn yaml_scalar(out: &mut Vec<DocLine>, line: &mut DocLine, value: &Value, indent: usize) {
    match value {
        Value::Null => line.push(TokenKind::Literal, "null"),
        Value::Bool(b) => line.push(TokenKind::Literal, b.to_string()),
        Value::Number(n) => line.push(TokenKind::Num, n.to_string()),
        Value::Object(_) => line.push(TokenKind::Punct, "{}"),
        Value::Array(_) => line.push(TokenKind::Punct, "[]"),
        Value::String(s) if literal_block_fits(s) => {
            let body = s.trim_end_matches('\n');
            let trailing = s.len() - body.len();
            let chomp = match trailing {
                0 => "|-",
                1 => "|",
                _ => "|+",
            };
            line.push(TokenKind::Punct, chomp);
            let mut rows: Vec<&str> = body.split('\n').collect();
            // `|+` keeps the extra trailing newlines as empty lines.
            rows.extend(std::iter::repeat_n("", trailing.saturating_sub(1)));
            let finished = std::mem::take(line);
            out.push(finished);
            let last = rows.len().saturating_sub(1);
            for (i, row) in rows.into_iter().enumerate() {
                let mut block = if row.is_empty() {
                    DocLine::default()
                } else {
                    DocLine::indented(indent)
                };
                block.push(TokenKind::Str, row);
                if i == last {
                    *line = block;
                } else {
                    out.push(block);
                }
            }
        }
        Value::String(s) => push_string(line, TokenKind::Str, s),
    }
}

/// A multi-line string that reads best as a `|` block: nothing a block cannot hold as is
/// (control characters, a first line starting with a space that would set the indentation).
fn literal_block_fits(s: &str) -> bool {
    let body = s.trim_end_matches('\n');
    body.contains('\n')
        && !body.starts_with([' ', '\t'])
        && !s.chars().any(|c| c != '\n' && needs_escape(c))
        && !body.split('\n').any(|l| l.ends_with([' ', '\t']))
}

/// A string as a plain scalar when YAML would read it back as the same string, else quoted.
fn push_string(line: &mut DocLine, kind: TokenKind, s: &str) {
    if is_plain_safe(s) {
        line.push(kind, s);
    } else {
        line.push(kind, quoted(s));
    }
}

/// Whether `s` can be written without quotes and still read back as this string.
pub fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(char::is_whitespace) || s.ends_with(char::is_whitespace) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.chars().any(|c| needs_escape(c) || c == '\t' || c == '\n') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    !reads_as_other(s)
}

/// Words and numbers a YAML reader (1.1 or 1.2) takes for something other than a string.
fn reads_as_other(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf",
        ".nan",
    ];
    let lower = s.to_ascii_lowercase();
    if WORDS.contains(&lower.as_str()) {
        return true;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || first == '+' || first == '-' || first == '.') {
        return false;
    }
    // Numbers in any notation (`1_000`, `0x1f`, `1e3`, `1:30` sexagesimal) and dates: a
    // leading digit with nothing but digits and number punctuation is quoted.
    lower.parse::<f64>().is_ok()
        || s.chars()
            .all(|c| c.is_ascii_hexdigit() || "+-._:xobTtZz ".contains(c))
}

/// A double-quoted scalar, valid as YAML and as JSON.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters never written raw: they would move the cursor or break a line on a terminal.
fn needs_escape(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{feff}'
}

/// The document as indented JSON, one [`DocLine`] per line.
pub fn json_lines(value: &Value) -> Vec<DocLine> {
    let mut out = Vec::new();
    json_value(&mut out, DocLine::default(), value, 0, false);
    out
}

fn json_value(
    out: &mut Vec<DocLine>,
    mut line: DocLine,
    value: &Value,
    indent: usize,
    comma: bool,
) {
    let close = |out: &mut Vec<DocLine>, bracket: &str| {
        let mut end = DocLine::indented(indent);
        end.push(TokenKind::Punct, bracket);
        if comma {
            end.push(TokenKind::Punct, ",");
        }
        out.push(end);
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            line.push(TokenKind::Punct, "{");
            out.push(line);
            let last = map.len() - 1;
            for (i, (key, child)) in map.iter().enumerate() {
                let mut entry = DocLine::indented(indent + 2);
                entry.push(TokenKind::Key, quoted(key));
                entry.push(TokenKind::Punct, ": ");
                json_value(out, entry, child, indent + 2, i < last);
            }
            close(out, "}");
        }
        Value::Array(items) if !items.is_empty() => {
            line.push(TokenKind::Punct, "[");
            out.push(line);
            let last = items.len() - 1;
            for (i, child) in items.iter().enumerate() {
                json_value(
                    out,
                    DocLine::indented(indent + 2),
                    child,
                    indent + 2,
                    i < last,
                );
            }
            close(out, "]");
        }
        scalar => {
            match scalar {
                Value::Null => line.push(TokenKind::Literal, "null"),
                Value::Bool(b) => line.push(TokenKind::Literal, b.to_string()),
                Value::Number(n) => line.push(TokenKind::Num, n.to_string()),
                Value::String(s) => line.push(TokenKind::Str, quoted(s)),
                Value::Object(_) => line.push(TokenKind::Punct, "{}"),
                Value::Array(_) => line.push(TokenKind::Punct, "[]"),
            }
            if comma {
                line.push(TokenKind::Punct, ",");
            }
            out.push(line);
        }
    }
}

#[cfg(test)]
#[path = "describe_tests.rs"]
mod tests;
