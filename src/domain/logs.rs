//! Log lines, whatever their source: Docker or CloudWatch, and what a log view follows.

use crate::domain::ids::{ClusterName, ServiceName, TaskArn};

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogStream {
    #[default]
    Stdout,
    Stderr,
    /// CloudWatch Logs (no stdout/stderr distinction).
    Cloud,
}

/// One line in a log view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogLine {
    /// Event time, milliseconds since the Unix epoch, when known.
    pub ts_millis: Option<i64>,
    pub stream: LogStream,
    /// A short label for merged tails (`1a2b3c4d/app`); empty for single sources.
    pub label: String,
    /// Index of the label's colour (stable per source).
    pub label_colour: u8,
    /// The text, already made safe to print (no raw control sequences).
    pub text: String,
}

impl LogLine {
    /// A line of text (made safe with [`sanitize`](crate::domain::ansi::sanitize) when it needs it).
    pub fn new(text: &str) -> LogLine {
        LogLine {
            text: safe_text(text),
            ..LogLine::default()
        }
    }

    /// One line from raw bytes (no newline handling; see [`LogLine::split`] for that).
    pub fn from_bytes(bytes: &[u8]) -> LogLine {
        LogLine {
            text: crate::domain::ansi::sanitize(bytes),
            ..LogLine::default()
        }
    }

    /// Raw output that may hold several lines → one safe `LogLine` per line, each a copy of
    /// `template` with its text. Lines end at `\n`; a `\r` before it is dropped; a final
    /// newline does not make an empty line.
    pub fn split(bytes: &[u8], template: &LogLine) -> Vec<LogLine> {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes
            .split(|&b| b == b'\n')
            .map(|line| LogLine {
                text: crate::domain::ansi::sanitize(line.strip_suffix(b"\r").unwrap_or(line)),
                label: safe_text(&template.label),
                ..template.clone()
            })
            .collect()
    }

    /// With an event time in milliseconds since the Unix epoch.
    pub fn at(mut self, ts_millis: i64) -> LogLine {
        self.ts_millis = Some(ts_millis);
        self
    }

    /// From this stream.
    pub fn on(mut self, stream: LogStream) -> LogLine {
        self.stream = stream;
        self
    }

    /// With a label for merged tails and the index of its colour.
    pub fn labelled(mut self, label: &str, colour: u8) -> LogLine {
        self.label = safe_text(label);
        self.label_colour = colour;
        self
    }

    /// Whether the text and label can be printed as they are.
    pub fn is_safe(&self) -> bool {
        !crate::domain::ansi::needs_sanitizing(&self.text)
            && !crate::domain::ansi::needs_sanitizing(&self.label)
    }
}

fn safe_text(text: &str) -> String {
    if crate::domain::ansi::needs_sanitizing(text) {
        crate::domain::ansi::sanitize_str(text)
    } else {
        text.to_string()
    }
}

/// What a log view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogSource {
    /// A local Docker container.
    Docker { id: String, name: String },
    /// One ECS task (all its containers, or one).
    EcsTask {
        cluster: ClusterName,
        task: TaskArn,
        container: Option<String>,
    },
    /// Every running task of an ECS service, merged.
    EcsService {
        cluster: ClusterName,
        service: ServiceName,
    },
    /// Any log group (`:logs GROUP [PREFIX]`).
    Group {
        group: String,
        prefix: Option<String>,
        /// Start time as typed (`-15m`, `-2h`, an ISO time).
        start: Option<String>,
        /// Server-side filter pattern.
        pattern: Option<String>,
    },
}

impl LogSource {
    /// The title of the log view.
    pub fn title(&self) -> String {
        match self {
            LogSource::Docker { name, .. } => format!("container {name}"),
            LogSource::EcsTask {
                task, container, ..
            } => match container {
                Some(c) => format!("task {} / {c}", task.id()),
                None => format!("task {}", task.id()),
            },
            LogSource::EcsService { cluster, service } => format!("service {cluster}/{service}"),
            LogSource::Group { group, prefix, .. } => match prefix {
                Some(p) => format!("{group} {p}*"),
                None => group.clone(),
            },
        }
    }

    /// A file-name-safe name for saved buffers (`container-web-1`, `group-ecs-api`).
    pub fn slug(&self) -> String {
        let raw = match self {
            LogSource::Docker { name, .. } => format!("container-{name}"),
            LogSource::EcsTask { task, .. } => {
                format!("task-{}", task.id())
            }
            LogSource::EcsService { service, .. } => format!("service-{service}"),
            LogSource::Group { group, .. } => format!("group-{group}"),
        };
        let mut slug = String::new();
        for c in raw.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '-'
            };
            if !(c == '-' && slug.ends_with('-')) && slug.len() < 60 {
                slug.push(c);
            }
        }
        slug.trim_matches('-').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_makes_one_safe_line_per_newline() {
        let template = LogLine::default()
            .at(5)
            .on(LogStream::Stderr)
            .labelled("a1/app", 3);
        let lines = LogLine::split(b"one\r\ntwo \x1b[31mred\x1b[0m\n\nfour\n", &template);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["one", "two red", "", "four"]);
        assert!(lines.iter().all(|l| l.ts_millis == Some(5)
            && l.stream == LogStream::Stderr
            && l.label == "a1/app"
            && l.label_colour == 3));
        assert_eq!(LogLine::split(b"", &template).len(), 1);
    }

    #[test]
    fn constructors_sanitize() {
        assert_eq!(LogLine::new("a\x1b[2Jb").text, "ab");
        assert_eq!(LogLine::from_bytes(b"\xff").text, "\u{FFFD}");
        assert!(LogLine::new("x").labelled("\x1b]0;t\x07l", 0).is_safe());
    }
}
