//! The hosts table: EC2 rows, and a filter that understands tags.
//!
//! The `/` filter on the hosts view takes space-separated terms. `key=value` matches a tag
//! exactly (case-insensitive, `*` at the end matches a prefix; `state=running` matches the
//! state); `!key=value` excludes. The other words go to the generic substring filter.

use crate::app::core::load::{Slot, fail_into};
use crate::app::core::table::{Column, TableOps, TableRow, TableState, Tone};
use crate::domain::format::age;
use crate::domain::hosts::HostRow;
use crate::domain::status::InstanceState;

impl InstanceState {
    /// A host's row: running is normal, starting or stopping a warning, the rest is muted.
    pub fn tone(&self) -> Tone {
        match self {
            InstanceState::Running => Tone::Normal,
            _ => self.state_tone(),
        }
    }

    /// The state itself: green while running.
    pub fn state_tone(&self) -> Tone {
        match self {
            InstanceState::Running => Tone::Ok,
            InstanceState::Pending | InstanceState::Stopping => Tone::Warn,
            _ => Tone::Muted,
        }
    }
}

impl TableRow for HostRow {
    fn columns() -> &'static [Column] {
        // Most useful first: narrow terminals drop columns from the right.
        const C: &[Column] = &[
            Column::text("NAME", 24).min(20),
            Column::text("ID", 19).priority(4),
            Column::text("STATE", 8).priority(7),
            Column::text("PRIVATE IP", 15).priority(6),
            Column::text("ECS CLUSTER (TASKS)", 22).min(19).priority(5),
            Column::text("TYPE", 10).priority(3),
            Column::text("AZ", 10).priority(2),
            Column::text("PUBLIC IP", 15).priority(1),
            Column::num("AGE", 4).priority(3),
        ];
        C
    }

    fn cells(&self, now: i64) -> Vec<String> {
        vec![
            self.name.clone(),
            self.id.clone(),
            self.state.to_string(),
            self.private_ip.clone(),
            self.cluster_cell(),
            self.instance_type.clone(),
            self.availability_zone.clone(),
            self.public_ip.clone(),
            age(self.launched_at, now),
        ]
    }

    fn tone(&self) -> Tone {
        self.state.tone()
    }

    fn tones(&self) -> Vec<Tone> {
        let row = self.tone();
        let mut tones = vec![row; Self::columns().len()];
        tones[2] = self.state.state_tone();
        tones
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

/// One `key=value` term of the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagTerm {
    pub key: String,
    pub value: String,
    pub negate: bool,
}

impl TagTerm {
    /// Whether `host` passes this term.
    pub fn matches(&self, host: &HostRow) -> bool {
        let value_matches = |v: &str| match self.value.strip_suffix('*') {
            Some(prefix) => v.to_lowercase().starts_with(prefix),
            None => v.eq_ignore_ascii_case(&self.value),
        };
        let found = if self.key == "state" {
            value_matches(host.state.as_str())
        } else {
            host.tags
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case(&self.key) && value_matches(v))
        };
        found != self.negate
    }
}

/// Split filter text into tag terms and the rest (for the substring filter).
pub fn split_filter(text: &str) -> (Vec<TagTerm>, String) {
    let mut terms = Vec::new();
    let mut rest = Vec::new();
    for word in text.split_whitespace() {
        let (negate, body) = match word.strip_prefix('!') {
            Some(body) => (true, body),
            None => (false, word),
        };
        match body.split_once('=') {
            Some((key, value)) if !key.is_empty() => terms.push(TagTerm {
                key: key.to_lowercase(),
                value: value.to_lowercase(),
                negate,
            }),
            _ => rest.push(word),
        }
    }
    (terms, rest.join(" "))
}

/// Every fetched host, and the table of those that pass the tag terms and the state toggle.
#[derive(Debug, Clone, Default)]
pub struct HostsTable {
    all: Vec<HostRow>,
    pub table: TableState<HostRow>,
    /// The filter as typed.
    pub filter: String,
    /// Show terminated (and shutting-down) instances too.
    pub show_gone: bool,
    now: i64,
}

impl HostsTable {
    /// New rows from a fetch; whether anything shown changed.
    pub fn set_rows(&mut self, rows: Vec<HostRow>, now: i64) -> bool {
        self.all = rows;
        self.now = now;
        self.apply()
    }

    /// Every fetched host, whatever the filter.
    pub fn all(&self) -> &[HostRow] {
        &self.all
    }

    pub fn selected(&self) -> Option<&HostRow> {
        self.table.selected_row()
    }

    /// Show or hide terminated instances.
    pub fn toggle_gone(&mut self) {
        self.show_gone = !self.show_gone;
        self.apply();
    }

    /// Forget the rows (a new scope); the filter stays.
    pub fn reset(&mut self) {
        self.all.clear();
        self.table.reset();
        let (_, rest) = split_filter(&self.filter);
        self.table.set_filter(&rest);
    }

    fn apply(&mut self) -> bool {
        let (terms, rest) = split_filter(&self.filter);
        let rows: Vec<HostRow> = self
            .all
            .iter()
            .filter(|h| self.show_gone || !h.is_gone())
            .filter(|h| terms.iter().all(|t| t.matches(h)))
            .cloned()
            .collect();
        if self.table.filter.text != rest {
            self.table.set_filter(&rest);
        }
        self.table.set_rows(rows, self.now)
    }
}

impl Slot<Vec<HostRow>> for HostsTable {
    fn put(&mut self, rows: Vec<HostRow>, now: i64) -> bool {
        self.set_rows(rows, now)
    }

    fn fail(&mut self, message: String) -> bool {
        fail_into(&mut self.table.load, message)
    }
}

impl TableOps for HostsTable {
    fn move_by(&mut self, delta: isize) {
        self.table.move_by(delta)
    }
    fn select_first(&mut self) {
        self.table.select_first()
    }
    fn select_last(&mut self) {
        self.table.select_last()
    }
    fn cycle_sort(&mut self, step: isize) {
        self.table.cycle_sort(step)
    }
    fn reverse_sort(&mut self) {
        self.table.reverse_sort()
    }
    fn set_filter(&mut self, text: &str) {
        self.filter = text.to_string();
        let loaded = self.table.load.clone();
        self.apply();
        if self.all.is_empty() {
            // Nothing fetched yet: keep showing "loading" (or the error), not "no hosts".
            self.table.load = loaded;
        }
        self.table.select_first();
    }
    fn scroll_columns(&mut self, delta: isize, width: u16) {
        self.table.scroll_columns(delta, width)
    }
    fn reset_columns(&mut self) {
        self.table.reset_columns()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(id: &str, state: &str, tags: &[(&str, &str)]) -> HostRow {
        HostRow {
            id: id.into(),
            name: id.into(),
            state: state.into(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..HostRow::default()
        }
    }

    fn table() -> HostsTable {
        let mut t = HostsTable::default();
        t.set_rows(
            vec![
                host("i-a", "running", &[("env", "prod"), ("team", "pay")]),
                host("i-b", "running", &[("env", "production")]),
                host("i-c", "stopped", &[("env", "prod")]),
                host("i-d", "terminated", &[("env", "prod")]),
            ],
            0,
        );
        t
    }

    fn ids(t: &HostsTable) -> Vec<&str> {
        t.table.visible().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn tag_terms_match_exactly_and_combine() {
        let mut t = table();
        assert_eq!(ids(&t), ["i-a", "i-b", "i-c"], "terminated hidden");
        t.set_filter("env=prod");
        assert_eq!(ids(&t), ["i-a", "i-c"]);
        t.set_filter("ENV=PROD state=running");
        assert_eq!(ids(&t), ["i-a"]);
        t.set_filter("env=prod*");
        assert_eq!(ids(&t), ["i-a", "i-b", "i-c"]);
        t.set_filter("!env=prod");
        assert_eq!(ids(&t), ["i-b"]);
        t.set_filter("env=prod i-c");
        assert_eq!(ids(&t), ["i-c"], "other words are a substring filter");
        t.set_filter("");
        t.toggle_gone();
        assert_eq!(ids(&t), ["i-a", "i-b", "i-c", "i-d"]);
    }

    #[test]
    fn the_filter_survives_a_refresh() {
        let mut t = table();
        t.set_filter("team=pay");
        t.set_rows(vec![host("i-z", "running", &[("team", "pay")])], 60);
        assert_eq!(ids(&t), ["i-z"]);
        assert_eq!(t.filter, "team=pay");
    }

    #[test]
    fn filter_words() {
        let (terms, rest) = split_filter("env=prod web !state=stopped =x");
        assert_eq!(terms.len(), 2);
        assert!(terms[1].negate);
        assert_eq!(rest, "web =x");
    }
}
