//! The describe view: one resource's whole document (`y` on any view, `Y` for the task
//! definition of a service or task), as YAML or JSON (`J`), with a cursor line, `/` search
//! with `n`/`N`, wrap (`w`), save (`ctrl-s`) and the copy keys (`c` the line, `C` all of it).
//!
//! The document is a snapshot: it is fetched when the view opens and again on `ctrl-r`,
//! never on the refresh timer, so the text does not move under the reader.

mod keys;

use std::path::PathBuf;

use serde_json::Value;

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load;
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{self, flash, never_stale};
use crate::app::core::pattern::Pattern;
use crate::app::core::registry::{ViewEntry, nothing_to_describe};
use crate::app::core::state::AppState;
use crate::app::core::table::{TableOps, Tone};
use crate::app::core::view::View;
use crate::domain::describe::{DescribeKind, DescribeTarget, DocLine, json_lines, yaml_lines};
use crate::input::keymap::KeyContext;

pub use keys::{on_action, set_search};

/// Screen rows that are not document lines: header, breadcrumbs, status line and the view's
/// top and bottom rules.
pub const CHROME_ROWS: u16 = 5;

/// What the describe view keeps.
#[derive(Debug, Clone, Default)]
pub struct DescribeState {
    /// The document as last fetched (secrets already masked by the backend).
    pub doc: Option<Value>,
    /// Why the last fetch failed, if it did.
    pub error: Option<String>,
    /// A fetch is asked for (on entering, `ctrl-r`).
    wanted: bool,
    /// Shown as JSON instead of YAML.
    pub json: bool,
    /// Long lines wrap instead of being cut at the edge.
    pub wrap: bool,
    /// The document in the shown form.
    pub lines: Vec<DocLine>,
    /// The line the cursor is on (what `c` copies).
    pub cursor: usize,
    /// The first line on screen (without wrap; with wrap the drawing may start later so the
    /// cursor line fits).
    pub top: usize,
    /// The `/` search, if one is set.
    pub search: Option<Pattern>,
    /// Indices of the lines the search matches, ascending.
    pub matches: Vec<usize>,
}

impl DescribeState {
    /// The search text (empty when none).
    pub fn search_text(&self) -> &str {
        self.search.as_ref().map(Pattern::text).unwrap_or("")
    }

    /// The format's name, for the rule and the saved file.
    pub fn format(&self) -> &'static str {
        if self.json { "JSON" } else { "YAML" }
    }

    /// Lay the document out again in the shown form, and search it again.
    fn relayout(&mut self) {
        self.lines = match &self.doc {
            Some(doc) if self.json => json_lines(doc),
            Some(doc) => yaml_lines(doc),
            None => Vec::new(),
        };
        self.cursor = self.cursor.min(self.lines.len().saturating_sub(1));
        self.top = self.top.min(self.cursor);
        self.rematch();
    }

    fn rematch(&mut self) {
        self.matches = match &self.search {
            Some(p) => (0..self.lines.len())
                .filter(|&i| p.is_match(&self.lines[i].text()))
                .collect(),
            None => Vec::new(),
        };
    }
}

/// What the runtime reports for the view.
#[derive(Debug, Clone, PartialEq)]
pub enum DescribeMsg {
    Loaded {
        generation: u64,
        now: i64,
        result: Fetched<Value>,
    },
    /// `DescribeCommand::Save` finished: the file written, or a one-line error.
    Saved { result: Result<PathBuf, String> },
}

/// What the view asks the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescribeCommand {
    /// Read `target`'s document.
    Fetch {
        generation: u64,
        target: DescribeTarget,
    },
    /// Write `text` to a new private file `<dir>/<stem>-<epoch seconds>.<ext>`.
    Save {
        dir: PathBuf,
        stem: String,
        ext: &'static str,
        text: String,
    },
}

pub static ENTRY: ViewEntry = ViewEntry {
    title: "Describe",
    key_context: KeyContext::Describe,
    hints: &[
        Action::Filter,
        Action::SearchNext,
        Action::Wrap,
        Action::ToggleJson,
        Action::Save,
    ],
    command: None,
    table: no_table,
    filter_text: no_filter,
    fetch,
    reset,
    stale: never_stale,
    leave,
    actions: &[on_action],
    copy,
    describe: nothing_to_describe,
};

fn no_table(_state: &mut AppState) -> Option<&mut dyn TableOps> {
    None
}

fn no_filter(_state: &AppState) -> &str {
    ""
}

/// `describe` / `describe_task_definition` on any view: open what the view's entry says.
pub fn open_selected(state: &mut AppState, action: Action) -> Vec<Command> {
    let kind = if action == Action::DescribeTaskDefinition {
        DescribeKind::TaskDefinition
    } else {
        DescribeKind::Item
    };
    match (state.view().entry().describe)(state, kind) {
        Some(target) => nav::enter(state, View::Describe { target }),
        None => {
            let text = match kind {
                DescribeKind::Item => "nothing to describe here",
                DescribeKind::TaskDefinition => "no task definition here",
            };
            flash(state, text, Tone::Warn);
            Vec::new()
        }
    }
}

/// A fresh view: no document yet, the display preferences of the last one.
fn reset(state: &mut AppState) {
    let old = std::mem::take(&mut state.describe);
    state.describe = DescribeState {
        json: old.json,
        wrap: old.wrap,
        wanted: true,
        ..DescribeState::default()
    };
}

/// Leaving frees the document; the preferences stay.
fn leave(state: &mut AppState) -> Vec<Command> {
    let old = std::mem::take(&mut state.describe);
    state.describe = DescribeState {
        json: old.json,
        wrap: old.wrap,
        ..DescribeState::default()
    };
    Vec::new()
}

/// Fetch on entering and on `ctrl-r` (or when an answer was lost); the timer's refreshes
/// leave the snapshot alone.
fn fetch(state: &mut AppState, generation: u64) -> Vec<Command> {
    let View::Describe { target } = state.view().clone() else {
        return Vec::new();
    };
    let describe = &state.describe;
    let lost = describe.doc.is_none() && describe.error.is_none();
    if !(describe.wanted || lost) {
        state.in_flight = None;
        return Vec::new();
    }
    state.describe.wanted = false;
    vec![Command::Describe(DescribeCommand::Fetch {
        generation,
        target,
    })]
}

/// Ask for the document again (`ctrl-r`).
pub(crate) fn refetch(state: &mut AppState) -> Vec<Command> {
    state.describe.wanted = true;
    nav::fetch_visible(state)
}

/// `c` copies the line under the cursor, `C` the whole document.
fn copy(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let d = &state.describe;
    match kind {
        CopyKind::Id => {
            let line = d.lines.get(d.cursor)?.text();
            Some(Copied::new("line", line.trim()))
        }
        CopyKind::Full => Some(Copied::new(
            "document",
            crate::domain::describe::plain_text(&d.lines),
        )),
    }
}

/// Apply what the runtime reported.
pub fn update(state: &mut AppState, msg: DescribeMsg) -> Vec<Command> {
    match msg {
        DescribeMsg::Loaded {
            generation,
            now,
            result,
        } => {
            load::store_by(state, generation, result, now, put, |s, message| {
                let d = &mut s.describe;
                let changed = d.error.as_ref() != Some(&message);
                d.error = Some(message);
                changed
            });
        }
        DescribeMsg::Saved { result } => {
            state.dirty = true;
            match result {
                Ok(path) => flash(state, &format!("saved to {}", path.display()), Tone::Ok),
                Err(message) => flash(state, &message, Tone::Error),
            }
        }
    }
    Vec::new()
}

fn put(state: &mut AppState, doc: Value, _now: i64) -> bool {
    let d = &mut state.describe;
    let had_error = d.error.take().is_some();
    if d.doc.as_ref() == Some(&doc) {
        return had_error;
    }
    d.doc = Some(doc);
    d.relayout();
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::describe::DescribeTarget;

    #[test]
    fn the_timer_does_not_refetch_a_loaded_document() {
        let mut state = AppState::new(
            Default::default(),
            Default::default(),
            crate::input::keymap::Keymap::empty(),
        );
        let target = DescribeTarget::Asg { name: "a".into() };
        let commands = nav::enter(&mut state, View::Describe { target });
        let Some(Command::Describe(DescribeCommand::Fetch { generation, .. })) =
            commands.first().cloned()
        else {
            panic!("no fetch: {commands:?}");
        };
        update(
            &mut state,
            DescribeMsg::Loaded {
                generation,
                now: 0,
                result: Ok(serde_json::json!({"a": 1})),
            },
        );
        assert_eq!(state.describe.lines.len(), 1);
        assert!(nav::fetch_visible(&mut state).is_empty());
        assert_eq!(state.in_flight, None);
        assert_eq!(refetch(&mut state).len(), 1);
    }
}
