//! Docker log frames → safe log lines: the stream they came from, the engine's timestamp
//! (`timestamps: true`) parsed into milliseconds, and the text made safe to print.

use bollard::container::LogOutput;

use crate::backend::docker::rows::parse_rfc3339_millis;
use crate::domain::logs::{LogLine, LogStream};

/// Append the lines of one frame of `docker logs --timestamps` output to `out`.
/// Returns how many lines were added.
pub fn frame_lines(output: LogOutput, out: &mut Vec<LogLine>) -> usize {
    let (stream, bytes) = match output {
        LogOutput::StdErr { message } => (LogStream::Stderr, message),
        LogOutput::StdOut { message } | LogOutput::Console { message } => {
            (LogStream::Stdout, message)
        }
        LogOutput::StdIn { .. } => return 0,
    };
    let (ts_millis, text) = split_timestamp(&bytes);
    let template = LogLine {
        ts_millis,
        stream,
        ..LogLine::default()
    };
    let lines = LogLine::split(text, &template);
    let n = lines.len();
    out.extend(lines);
    n
}

/// `2024-05-01T12:34:56.123456789Z text` → (time, `text`). Text without a valid leading
/// timestamp is returned whole.
pub fn split_timestamp(bytes: &[u8]) -> (Option<i64>, &[u8]) {
    // RFC 3339 with nanoseconds is at most 35 bytes; look no further for the space.
    let Some(space) = bytes.iter().take(40).position(|&b| b == b' ') else {
        return (None, bytes);
    };
    let parsed = std::str::from_utf8(&bytes[..space])
        .ok()
        .and_then(parse_rfc3339_millis);
    match parsed {
        Some(ts) => (Some(ts), &bytes[space + 1..]),
        None => (None, bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_keep_their_stream_and_time() {
        let mut out = Vec::new();
        let n = frame_lines(
            LogOutput::StdErr {
                message: b"2024-05-01T12:34:56.123456789Z boom \x1b[31mred\x1b[0m\n"[..].into(),
            },
            &mut out,
        );
        assert_eq!(n, 1);
        assert_eq!(out[0].stream, LogStream::Stderr);
        assert_eq!(out[0].ts_millis, Some(1_714_566_896_123));
        assert_eq!(out[0].text, "boom red");
    }

    #[test]
    fn lines_without_a_timestamp_are_kept_whole() {
        let (ts, text) = split_timestamp(b"hello world");
        assert_eq!(ts, None);
        assert_eq!(text, b"hello world");
        let (ts, text) = split_timestamp(b"2024-05-01T12:34:56Z ");
        assert!(ts.is_some());
        assert_eq!(text, b"");
    }
}
