//! The log groups view: `:logs` without a group lists the account's log groups; `enter` tails
//! the selected one, as `:logs GROUP` does. Read-only.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load;
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{self, never_stale, nothing, nothing_to_stop};
use crate::app::core::registry::{ViewEntry, nothing_to_describe};
use crate::app::core::state::AppState;
use crate::app::core::table::{Column, TableOps, TableRow, TableState, Tone};
use crate::app::core::view::View;
use crate::domain::docker::bytes;
use crate::domain::format::age;
use crate::domain::loggroups::{LogGroupClass, LogGroupRow};
use crate::domain::logs::LogSource;
use crate::input::keymap::KeyContext;

/// What the log groups view keeps.
#[derive(Debug, Clone, Default)]
pub struct LogGroupsState {
    pub table: TableState<LogGroupRow>,
}

/// What the runtime reports for the view.
#[derive(Debug, Clone, PartialEq)]
pub enum LogGroupsMsg {
    Loaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<LogGroupRow>>,
    },
}

/// What the view asks the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogGroupsCommand {
    /// List every log group (all pages).
    Fetch { generation: u64 },
}

/// The view's registry entry. It has no `:` command of its own: `:logs` alone opens it.
pub static ENTRY: ViewEntry = ViewEntry {
    title: "Log groups",
    key_context: KeyContext::LogGroups,
    hints: &[
        Action::Enter,
        Action::Filter,
        Action::SortNext,
        Action::Refresh,
        Action::Back,
        Action::Help,
    ],
    command: None,
    table,
    filter_text: filter,
    fetch,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[on_action],
    copy,
    describe: nothing_to_describe,
};

impl TableRow for LogGroupRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("NAME", 64).min(20),
            Column::num("STORED", 7),
            Column::num("RETENTION", 9),
            Column::text("CLASS", 10),
            Column::num("AGE", 5),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        vec![
            self.name.clone(),
            bytes(self.stored_bytes),
            self.retention(),
            self.class.label().to_string(),
            age(self.created_at, now),
        ]
    }

    /// A class other than standard is marked: such groups lack some of the standard features.
    fn tones(&self) -> Vec<Tone> {
        let mut tones = vec![self.tone(); Self::columns().len()];
        if self.class != LogGroupClass::Standard {
            tones[3] = Tone::Warn;
        }
        tones
    }

    /// Groups that hold nothing are muted.
    fn tone(&self) -> Tone {
        if self.stored_bytes == 0 {
            Tone::Muted
        } else {
            Tone::Normal
        }
    }

    fn key(&self) -> String {
        self.name.clone()
    }
}

fn fetch(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::LogGroups(LogGroupsCommand::Fetch { generation })]
}

fn table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.loggroups.table)
}

fn filter(state: &AppState) -> &str {
    &state.loggroups.table.filter.text
}

/// The copy keys: the group's name, or its ARN.
fn copy(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.loggroups.table.selected_row()?;
    Some(match kind {
        CopyKind::Full if !row.arn.is_empty() => Copied::new("log group ARN", row.arn.as_str()),
        _ => Copied::new("log group name", row.name.as_str()),
    })
}

/// `enter`: tail the selected group, from now, every stream (as `:logs GROUP`).
fn on_action(state: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if action != Action::Enter {
        return None;
    }
    let Some(row) = state.loggroups.table.selected_row() else {
        nav::flash(state, "no log group selected", Tone::Warn);
        return Some(Vec::new());
    };
    let source = LogSource::Group {
        group: row.name.clone(),
        prefix: None,
        start: None,
        pattern: None,
    };
    Some(nav::enter(state, View::Logs { source }))
}

/// Apply what the runtime reported.
pub fn update(state: &mut AppState, msg: LogGroupsMsg) -> Vec<Command> {
    match msg {
        LogGroupsMsg::Loaded {
            generation,
            now,
            result,
        } => {
            load::store(state, generation, |s| &mut s.loggroups.table, result, now);
        }
    }
    Vec::new()
}
