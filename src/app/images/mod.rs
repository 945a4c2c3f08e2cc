//! The `:images` view: the Docker engine's images, one row per tag, with the containers that
//! use each. Read-only; the first view built the way ARCHITECTURE.md's checklist says.

use crate::app::Action;
use crate::app::core::command::Command;
use crate::app::core::copy::{Copied, CopyKind};
use crate::app::core::load;
use crate::app::core::msg::Fetched;
use crate::app::core::nav::{self, never_stale, nothing, nothing_to_stop};
use crate::app::core::registry::{CommandSpec, ViewEntry};
use crate::app::core::state::AppState;
use crate::app::core::table::{Column, TableOps, TableRow, TableState, Tone};
use crate::app::core::view::View;
use crate::domain::docker::bytes;
use crate::domain::format::age;
use crate::domain::images::ImageRow;
use crate::input::keymap::KeyContext;

/// What the `:images` view keeps.
#[derive(Debug, Clone, Default)]
pub struct ImagesState {
    pub table: TableState<ImageRow>,
}

/// What the runtime reports for the view.
#[derive(Debug, Clone, PartialEq)]
pub enum ImagesMsg {
    Loaded {
        generation: u64,
        now: i64,
        result: Fetched<Vec<ImageRow>>,
    },
}

/// What the view asks the runtime to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImagesCommand {
    /// List the engine's images.
    Fetch { generation: u64 },
}

pub static ENTRY: ViewEntry = ViewEntry {
    title: "Images",
    key_context: KeyContext::Images,
    hints: &[
        Action::Filter,
        Action::SortNext,
        Action::Refresh,
        Action::Back,
        Action::Help,
    ],
    command: Some(&CommandSpec {
        names: &["images", "image", "img"],
        usage: "images",
        help: "Docker images, one row per tag",
        needs_args: false,
        args: &[],
        run: open,
    }),
    table,
    filter_text: filter,
    fetch,
    reset: nothing,
    stale: never_stale,
    leave: nothing_to_stop,
    actions: &[],
    copy,
    describe: crate::app::core::registry::nothing_to_describe,
};

/// The copy keys: the image id as `docker images` shows it, or the full `sha256:` id.
fn copy(state: &AppState, kind: CopyKind) -> Option<Copied> {
    let row = state.images.table.selected_row()?;
    Some(match kind {
        CopyKind::Id => Copied::new("image id", row.short_id()),
        CopyKind::Full => Copied::new("full image id", row.id.as_str()),
    })
}

impl TableRow for ImageRow {
    fn columns() -> &'static [Column] {
        const C: &[Column] = &[
            Column::text("REPOSITORY", 36).min(16),
            Column::text("TAG", 16).min(8),
            Column::text("IMAGE ID", 12),
            Column::num("SIZE", 6),
            Column::num("CREATED", 7),
            Column::num("USED BY", 7),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        vec![
            self.repository.clone(),
            self.tag.clone(),
            self.short_id().to_string(),
            bytes(self.size),
            age(self.created, now),
            self.containers.to_string(),
        ]
    }

    /// Dangling images and images no container uses are the ones a prune would take.
    fn tone(&self) -> Tone {
        if self.dangling || self.containers == 0 {
            Tone::Muted
        } else {
            Tone::Normal
        }
    }

    fn key(&self) -> String {
        format!("{} {}:{}", self.id, self.repository, self.tag)
    }
}

/// `:images`: open the images view.
pub fn open(state: &mut AppState, _args: &[&str]) -> Vec<Command> {
    nav::open_over_root(state, View::Images)
}

fn fetch(_state: &mut AppState, generation: u64) -> Vec<Command> {
    vec![Command::Images(ImagesCommand::Fetch { generation })]
}

fn table(state: &mut AppState) -> Option<&mut dyn TableOps> {
    Some(&mut state.images.table)
}

fn filter(state: &AppState) -> &str {
    &state.images.table.filter.text
}

/// Apply what the runtime reported.
pub fn update(state: &mut AppState, msg: ImagesMsg) -> Vec<Command> {
    match msg {
        ImagesMsg::Loaded {
            generation,
            now,
            result,
        } => {
            load::store(state, generation, |s| &mut s.images.table, result, now);
        }
    }
    Vec::new()
}
