//! Log lines, whatever their source: Docker or CloudWatch.

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
