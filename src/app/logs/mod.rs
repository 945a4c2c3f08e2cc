//! The log view: one component for Docker and CloudWatch tails.
//!
//! A feature opens a log view with [`open`], which returns the `StartTail` command; the tail
//! reports with [`LogMsg`]s carrying its id, and messages from any other (stale) tail are
//! ignored. Leaving the view ([`on_close`]) stops the tail and frees the buffer.
//!
//! Lines live in a bounded [`LogBuffer`]. The view follows the newest line, or is pinned to
//! a line (`Scroll::Pinned`) by sequence number, so what the user reads does not move while
//! lines keep arriving. `/` sets a search (a regex; highlighted, `n`/`N` jump); `F` toggles
//! filter mode, which hides the lines that do not match.

pub mod buffer;
pub mod cw;
mod problem;
pub mod scroll;

use std::path::PathBuf;

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::nav::{enter, flash};
use crate::app::core::state::{AppState, Mode};
use crate::app::core::table::Tone;
use crate::app::core::view::View;
use crate::app::logs::buffer::{LineView, LogBuffer, SCAN_STEP};
pub use crate::app::logs::scroll::{Anchor, Scroll};
use crate::app::logs::scroll::{move_by, pause_here};
use crate::domain::logs::LogLine;
use crate::input::keymap::KeyContext;

/// Screen rows that are not log lines: header, breadcrumbs, status line and the view's top
/// and bottom rules.
pub const CHROME_ROWS: u16 = 5;

pub use crate::domain::logs::LogSource;

/// What a tail reports.
#[derive(Debug, Clone, PartialEq)]
pub enum LogMsg {
    /// New lines for the tail with this id.
    Lines { tail: u64, lines: Vec<LogLine> },
    /// The tail's mode changed (`LIVE`, `POLL 2s`); shown as a badge in the header.
    Mode { tail: u64, mode: String },
    /// The source samples its events (CloudWatch Live Tail above 500 events/s): a `SAMPLED`
    /// badge while `sampled` is true.
    Sampled { tail: u64, sampled: bool },
    /// A recoverable problem: shown in the view until the next one, and the tail goes on.
    Problem { tail: u64, message: String },
    /// The source ended (container gone, stream closed); the buffer is kept.
    Ended { tail: u64, reason: String },
    /// `Command::SaveLog` finished: the file written, or a one-line error.
    Saved { result: Result<PathBuf, String> },
}

impl LogMsg {
    /// The tail this message is about (`None` for `Saved`).
    pub fn tail(&self) -> Option<u64> {
        match self {
            LogMsg::Lines { tail, .. }
            | LogMsg::Mode { tail, .. }
            | LogMsg::Sampled { tail, .. }
            | LogMsg::Problem { tail, .. }
            | LogMsg::Ended { tail, .. } => Some(*tail),
            LogMsg::Saved { .. } => None,
        }
    }
}

/// State of the log view.
#[derive(Debug, Clone)]
pub struct LogViewState {
    /// Id of the tail on screen; 0 when there is none.
    pub tail: u64,
    /// The last tail id handed out.
    pub last_tail: u64,
    /// The tail of a log view this one replaced, still running until the fetch stops it;
    /// 0 when there is none.
    pub replaced_tail: u64,
    pub buffer: LogBuffer,
    pub scroll: Scroll,
    pub wrap: bool,
    pub timestamps: bool,
    /// Hide lines that do not match the search.
    pub filter_mode: bool,
    /// The tail's mode badge (`LIVE`, `POLL 2s`); empty until the tail says.
    pub mode: String,
    pub sampled: bool,
    /// The last problem the tail reported.
    pub problem: Option<String>,
    /// Why the source ended, once it has.
    pub ended: Option<String>,
    /// The match `n`/`N` last jumped to.
    pub current_match: Option<u64>,
    /// Some line came from stderr: the view shows a marker column.
    pub saw_stderr: bool,
    /// Lines received since the view opened.
    pub received: u64,
    /// `end_seq` of the buffer when the view was paused.
    pub paused_at: u64,
    /// Rows of log lines at the last draw (for page moves); set by the runtime.
    pub view_rows: u16,
}

impl Default for LogViewState {
    fn default() -> Self {
        LogViewState {
            tail: 0,
            last_tail: 0,
            replaced_tail: 0,
            buffer: LogBuffer::new(1),
            scroll: Scroll::Follow,
            wrap: false,
            timestamps: false,
            filter_mode: false,
            mode: String::new(),
            sampled: false,
            problem: None,
            ended: None,
            current_match: None,
            saw_stderr: false,
            received: 0,
            paused_at: 0,
            view_rows: 19,
        }
    }
}

/// The copy keys on a log view: the current line's text, as shown (without its timestamp).
pub fn copy(state: &AppState, _kind: CopyKind) -> Option<Copied> {
    let line = state.logs.current_line()?;
    Some(Copied::new("log line", line.text.as_str()))
}

impl LogViewState {
    /// The lines on show: all of them, or only the matches in filter mode with a search.
    pub fn lines(&self) -> LineView<'_> {
        self.buffer.view(self.filter_mode)
    }

    /// The line the view is on: the one it is pinned to when scrolled back, else the newest.
    pub fn current_line(&self) -> Option<&LogLine> {
        let view = self.lines();
        let last = view.len().checked_sub(1)?;
        let index = match self.scroll {
            Scroll::Follow => last,
            Scroll::Pinned { seq, at } => scroll::anchor_index(&view, seq, at).unwrap_or(last),
        };
        view.line(index).map(|(_, line)| line)
    }

    /// Whether the view follows new lines.
    pub fn following(&self) -> bool {
        self.scroll == Scroll::Follow
    }

    /// Lines received since the view was paused (for the `+N new` hint).
    pub fn new_since_pause(&self) -> u64 {
        match self.scroll {
            Scroll::Follow => 0,
            Scroll::Pinned { .. } => self.buffer.end_seq().saturating_sub(self.paused_at),
        }
    }

    /// Pin the view (pausing it if it follows).
    pub(crate) fn pin(&mut self, seq: u64, at: Anchor) {
        if self.following() {
            self.paused_at = self.buffer.end_seq();
        }
        self.scroll = Scroll::Pinned { seq, at };
    }

    /// The text of the search (empty when none).
    pub fn search_text(&self) -> &str {
        self.buffer.search().map(|s| s.text()).unwrap_or("")
    }
}

/// Open a log view on `source` (in place of the log view on screen, if any): the view's
/// `reset` and `fetch` start a fresh buffer and the tail, after stopping the previous one.
pub fn open(state: &mut AppState, source: LogSource) -> Vec<Command> {
    if matches!(state.view(), View::Logs { .. }) && state.stack.len() > 1 {
        state.stack.pop();
    }
    enter(state, View::Logs { source })
}

/// A log view was entered: a fresh buffer and no tail yet. A tail still running (the log view
/// this one replaces) is remembered, for the fetch to stop.
pub fn reset(state: &mut AppState) {
    let old = std::mem::take(&mut state.logs);
    let replaced_tail = if old.tail != 0 {
        old.tail
    } else {
        old.replaced_tail
    };
    state.logs = LogViewState {
        last_tail: old.last_tail,
        replaced_tail,
        buffer: LogBuffer::new(state.settings.log_buffer_lines),
        // Display preferences carry over from one log view to the next.
        wrap: old.wrap,
        timestamps: old.timestamps,
        view_rows: old.view_rows,
        ..LogViewState::default()
    };
    state.mode = Mode::Normal;
    state.dirty = true;
}

/// Start the tail of the visible log view with a new tail id (stopping the one it replaced);
/// once it runs, it streams by itself and there is nothing to fetch.
pub fn fetch(state: &mut AppState, _generation: u64) -> Vec<Command> {
    state.in_flight = None;
    let View::Logs { source } = state.view().clone() else {
        return Vec::new();
    };
    if state.logs.tail != 0 {
        return Vec::new();
    }
    let mut commands = Vec::new();
    let replaced = std::mem::take(&mut state.logs.replaced_tail);
    if replaced != 0 {
        commands.push(Command::StopTail { tail: replaced });
    }
    let tail = state.logs.last_tail + 1;
    state.logs.tail = tail;
    state.logs.last_tail = tail;
    commands.push(Command::StartTail {
        tail,
        source,
        history: state.settings.log_tail_lines,
    });
    commands
}

/// The log view is being left: stop its tail and free its buffer.
pub fn on_close(state: &mut AppState) -> Vec<Command> {
    let tail = state.logs.tail;
    let old = std::mem::take(&mut state.logs);
    state.logs = LogViewState {
        last_tail: old.last_tail,
        wrap: old.wrap,
        timestamps: old.timestamps,
        view_rows: old.view_rows,
        ..LogViewState::default()
    };
    if tail == 0 {
        Vec::new()
    } else {
        vec![Command::StopTail { tail }]
    }
}

/// The terminal is `height` rows tall: remember how many of them show log lines.
pub(crate) fn set_screen_height(state: &mut AppState, height: u16) {
    state.logs.view_rows = height.saturating_sub(CHROME_ROWS).max(1);
}

/// Apply a log message. Messages from a tail other than the current one are ignored.
pub fn update(state: &mut AppState, msg: LogMsg) -> Vec<Command> {
    if let LogMsg::Saved { result } = msg {
        state.dirty = true;
        match result {
            Ok(path) => flash(state, &format!("saved to {}", path.display()), Tone::Ok),
            Err(message) => flash(state, &message, Tone::Error),
        }
        return Vec::new();
    }
    let tail = msg.tail().unwrap_or(0);
    if tail == 0 || tail != state.logs.tail {
        return Vec::new();
    }
    if !state.stack.iter().any(|v| matches!(v, View::Logs { .. })) {
        // The view was left without `on_close` (a `:` jump): stop the tail now.
        return on_close(state);
    }
    let on_screen = matches!(state.view(), View::Logs { .. });
    let recovered = problem::track(state, &msg, on_screen);
    let logs = &mut state.logs;
    // A search of a big buffer goes on a step at a time, as messages come in.
    let searched = !logs.buffer.search_complete();
    if searched {
        logs.buffer.continue_search(SCAN_STEP);
    }
    let only_lines = matches!(msg, LogMsg::Lines { .. }) && !searched && !recovered;
    let changed = match msg {
        LogMsg::Lines { lines, .. } => {
            let any = !lines.is_empty();
            for line in lines {
                append(logs, line);
            }
            any
        }
        LogMsg::Mode { mode, .. } => replace(&mut logs.mode, one_line(mode)),
        LogMsg::Sampled { sampled, .. } => replace(&mut logs.sampled, sampled),
        LogMsg::Problem { message, .. } => replace(&mut logs.problem, Some(one_line(message))),
        LogMsg::Ended { reason, .. } => replace(&mut logs.ended, Some(one_line(reason))),
        LogMsg::Saved { .. } => false,
    };
    if (changed || searched || recovered) && on_screen {
        // New lines alone may wait for the next frame (the loop caps how often that is);
        // anything else is drawn at once.
        if only_lines {
            state.lines_waiting = true;
        } else {
            state.dirty = true;
        }
    }
    Vec::new()
}

/// A status text safe to print on one line (it may quote what a server said).
fn one_line(text: String) -> String {
    if crate::domain::ansi::needs_sanitizing(&text) {
        crate::domain::ansi::sanitize_str(&text.replace(['\n', '\r'], " "))
    } else {
        text
    }
}

fn replace<T: PartialEq>(slot: &mut T, value: T) -> bool {
    if *slot == value {
        false
    } else {
        *slot = value;
        true
    }
}

/// Append one line; a line that is not safe to print yet (control characters, embedded
/// newlines, too long) is sanitized and split here.
fn append(logs: &mut LogViewState, mut line: LogLine) {
    logs.received += 1;
    if line.stream == crate::domain::logs::LogStream::Stderr {
        logs.saw_stderr = true;
    }
    if line.is_safe() {
        logs.buffer.push(line);
    } else {
        let text = std::mem::take(&mut line.text);
        for part in LogLine::split(text.as_bytes(), &line) {
            logs.buffer.push(part);
        }
    }
}

/// Keys on the log view; `None` lets the generic handling run.
pub fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let rows = state.logs.view_rows.max(1) as isize;
    // Moves, jumps and saving need every match: finish a search still in progress.
    state.logs.buffer.continue_search(usize::MAX);
    match action {
        Action::Follow => {
            if state.logs.following() {
                pause_here(&mut state.logs);
            } else {
                state.logs.scroll = Scroll::Follow;
            }
            state.logs.current_match = None;
        }
        Action::Wrap => state.logs.wrap = !state.logs.wrap,
        Action::Timestamps => state.logs.timestamps = !state.logs.timestamps,
        Action::ToggleFilterMode => toggle_filter_mode(state),
        Action::HideContainer => hide_container(state),
        Action::SearchNext => jump(state, true),
        Action::SearchPrev => jump(state, false),
        Action::Save => return Some(save(state)),
        Action::Up => move_by(&mut state.logs, -1),
        Action::Down => move_by(&mut state.logs, 1),
        Action::PageUp => move_by(&mut state.logs, -rows),
        Action::PageDown => move_by(&mut state.logs, rows),
        Action::Top => {
            let first = state.logs.buffer.first_seq();
            state.logs.pin(first, Anchor::Top);
        }
        Action::Bottom => {
            state.logs.scroll = Scroll::Follow;
            state.logs.current_match = None;
        }
        Action::Filter => state.mode = Mode::Filter(state.logs.search_text().to_string()),
        Action::Back if state.logs.buffer.search().is_some() => set_filter(state, ""),
        _ => return None,
    }
    Some(Vec::new())
}

/// The `/` text typed on the log view: the search (a regex; literal text when it is not one).
pub fn set_filter(state: &mut AppState, text: &str) {
    state.dirty = true;
    let invalid = state.logs.buffer.set_search(text);
    state.logs.current_match = None;
    match invalid {
        Some(why) => flash(
            state,
            &format!("not a regex ({why}): matching the text as typed"),
            Tone::Warn,
        ),
        None => state.flash = None,
    }
}

/// `:logs GROUP [PREFIX] [START]`.
pub fn open_command(_state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    Vec::new()
}

fn toggle_filter_mode(state: &mut AppState) {
    state.logs.filter_mode = !state.logs.filter_mode;
    let text = match (state.logs.filter_mode, state.logs.buffer.search()) {
        (true, None) => "filter mode: type / and a pattern to hide the lines that don't match",
        (true, Some(_)) => "filter mode: only matching lines are shown",
        (false, _) => "filter mode off: all lines are shown",
    };
    flash(state, text, Tone::Normal);
}

/// `H`: hide the current line's container (merged service logs label each line with its
/// task and container), through a `!@name` term in the search; pressed with containers
/// hidden, every container shows again.
fn hide_container(state: &mut AppState) {
    let text = state.logs.search_text().to_string();
    let kept: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !(w.starts_with("!@") && w.len() > 2))
        .collect();
    if kept.len() < text.split_whitespace().count() {
        set_filter(state, &kept.join(" "));
        flash(state, "every container shows again", Tone::Normal);
        return;
    }
    let container = state
        .logs
        .current_line()
        .and_then(|l| buffer::container_of(&l.label))
        .map(str::to_string);
    let Some(container) = container else {
        flash(
            state,
            "these lines name no container: nothing to hide",
            Tone::Warn,
        );
        return;
    };
    let search = format!("{text} !@{container}");
    set_filter(state, search.trim());
    state.logs.filter_mode = true;
    let key = state
        .keymap
        .key_name(KeyContext::Logs, Action::HideContainer);
    flash(
        state,
        &format!("hiding container {container} ({key} shows every container again)"),
        Tone::Normal,
    );
}

/// `n` (forward, towards newer lines) or `N` (back): pin the next match in the middle.
fn jump(state: &mut AppState, forward: bool) {
    let logs = &state.logs;
    let Some(search) = logs.buffer.search() else {
        let key = state.keymap.key_name(KeyContext::Logs, Action::Filter);
        flash(
            state,
            &format!("no search: press {key} and type a pattern first"),
            Tone::Warn,
        );
        return;
    };
    let from = logs.current_match.or(match logs.scroll {
        Scroll::Follow => None,
        Scroll::Pinned { seq, .. } => Some(seq),
    });
    let found = if forward {
        logs.buffer.next_match(from)
    } else {
        logs.buffer.prev_match(from)
    };
    let Some((seq, wrapped)) = found else {
        let text = format!("no line matches /{}/", search.text());
        flash(state, &text, Tone::Warn);
        return;
    };
    state.logs.current_match = Some(seq);
    state.logs.pin(seq, Anchor::Middle);
    if wrapped {
        let text = if forward {
            "search wrapped to the oldest line"
        } else {
            "search wrapped to the newest line"
        };
        flash(state, text, Tone::Normal);
    }
}

/// `ctrl-s`: write the lines on show (all, or the matches in filter mode) to a new file.
fn save(state: &mut AppState) -> Vec<Command> {
    let View::Logs { source } = state.view() else {
        return Vec::new();
    };
    let stem = format!("opsdeck-{}", source.slug());
    let view = state.logs.lines();
    if view.is_empty() {
        flash(state, "nothing to save yet", Tone::Warn);
        return Vec::new();
    }
    let mut text = String::new();
    for index in 0..view.len() {
        if let Some((_, line)) = view.line(index) {
            export_line(&mut text, line);
        }
    }
    let count = view.len();
    flash(state, &format!("saving {count} lines…"), Tone::Normal);
    vec![Command::SaveLog {
        dir: state.settings.save_dir.clone(),
        stem,
        text,
    }]
}

/// One saved line: `2024-05-01T12:00:00.123Z label text` (UTC; parts that are unknown are
/// left out).
fn export_line(out: &mut String, line: &LogLine) {
    if let Some(ts) = line.ts_millis.and_then(iso_millis) {
        out.push_str(&ts);
        out.push(' ');
    }
    if !line.label.is_empty() {
        out.push_str(&line.label);
        out.push(' ');
    }
    out.push_str(&line.text);
    out.push('\n');
}

/// `2024-05-01T12:00:00.123Z`.
pub fn iso_millis(ts_millis: i64) -> Option<String> {
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ts_millis) * 1_000_000)
        .ok()?
        .format(&format)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_file_name_safe() {
        let source = LogSource::Group {
            group: "/ecs/api prod".into(),
            prefix: None,
            start: None,
            pattern: None,
        };
        assert_eq!(source.slug(), "group-ecs-api-prod");
        let docker = LogSource::Docker {
            id: "abc".into(),
            name: "../../etc/passwd".into(),
        };
        assert_eq!(docker.slug(), "container-..-..-etc-passwd");
        assert!(!docker.slug().contains('/'));
    }

    #[test]
    fn iso_times_have_milliseconds() {
        assert_eq!(
            iso_millis(1_714_564_800_123).as_deref(),
            Some("2024-05-01T12:00:00.123Z")
        );
    }
}
