//! The audit journal as data: the JSON lines written before and after every mutating
//! operation, their pairing into entries, and how the `:journal` view shows them.
//!
//! Each operation writes an `intent` line (who, what, the state before) and, once AWS or
//! Docker answered, a `result` line with the same `id`. An intent without a result is an
//! operation whose outcome is unknown (opsdeck stopped between the two).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::app::core::table::{Column, TableRow, Tone};
use crate::app::guard::op::Op;
use crate::domain::format::short_who;
use crate::input::keymap::Keymap;

/// The format version written in every line.
pub const JOURNAL_VERSION: u32 = 1;

/// One line of the journal file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum JournalRecord {
    /// Written (and flushed to disk) before the request is sent.
    Intent(Intent),
    /// Written once the request was answered (or failed).
    Result(OpOutcome),
}

/// What is about to be done, by whom, and the state before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    #[serde(default = "version")]
    pub v: u32,
    /// Pairs the intent with its result.
    pub id: String,
    /// RFC 3339, UTC.
    pub time: String,
    /// The caller identity ARN from STS, else `profile:NAME` (AWS) or `local:USER` (Docker).
    pub who: String,
    #[serde(default)]
    pub profile: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub account: Option<String>,
    pub op: Op,
    /// The resource's state read just before sending (`desired`, `running`, ...).
    #[serde(default)]
    pub before: BTreeMap<String, serde_json::Value>,
    /// The entry this change undoes, when it is an undo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<String>,
}

/// How an operation ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpOutcome {
    #[serde(default = "version")]
    pub v: u32,
    pub id: String,
    pub time: String,
    pub ok: bool,
    /// What changed, when it worked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The AWS request id, when the service sent one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The one-line error, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

fn version() -> u32 {
    JOURNAL_VERSION
}

/// The outcome of an entry as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done {
        summary: String,
        request_id: String,
    },
    Failed {
        error: String,
        request_id: String,
    },
    /// An intent without a result: opsdeck stopped before the answer was recorded.
    Unknown,
}

/// An intent paired with its result: one row of the `:journal` view.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub id: String,
    /// Seconds since the Unix epoch, when the time could be read.
    pub at: Option<i64>,
    /// The time in local time, as the view shows it (filled in by `update`).
    pub time_text: String,
    pub who: String,
    pub profile: String,
    pub region: String,
    pub account: Option<String>,
    pub op: Op,
    /// The state before, as text (`desired 3, running 3`).
    pub before: String,
    pub outcome: Outcome,
    /// The entry this one undoes, when it is an undo.
    pub undoes: Option<String>,
    /// The undo that reversed this entry, once one is done: it cannot be undone twice.
    pub undone_by: Option<String>,
}

/// The journal file read back.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JournalLoad {
    /// Newest first.
    pub entries: Vec<JournalEntry>,
    /// Lines that are not journal records (a torn last line after a crash, hand edits).
    pub bad_lines: usize,
}

/// Pair the records of a journal file's text into entries, newest first.
pub fn read_entries(text: &str) -> JournalLoad {
    let mut entries: Vec<JournalEntry> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut bad_lines = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<JournalRecord>(line) {
            Ok(JournalRecord::Intent(intent)) => {
                index.insert(intent.id.clone(), entries.len());
                entries.push(entry_of(intent));
            }
            Ok(JournalRecord::Result(result)) => match index.get(&result.id) {
                Some(&i) => entries[i].outcome = outcome_of(result),
                None => bad_lines += 1,
            },
            Err(e) => {
                tracing::debug!("journal line skipped: {e}");
                bad_lines += 1;
            }
        }
    }
    // An undo that was done marks the entry it reversed.
    let undone: Vec<(usize, String)> = entries
        .iter()
        .filter(|e| matches!(e.outcome, Outcome::Done { .. }))
        .filter_map(|e| Some((*index.get(e.undoes.as_ref()?)?, e.id.clone())))
        .collect();
    for (i, by) in undone {
        entries[i].undone_by = Some(by);
    }
    entries.reverse();
    JournalLoad { entries, bad_lines }
}

fn entry_of(intent: Intent) -> JournalEntry {
    JournalEntry {
        at: parse_time(&intent.time),
        time_text: String::new(),
        before: before_text(&intent.before),
        id: intent.id,
        who: intent.who,
        profile: intent.profile,
        region: intent.region,
        account: intent.account,
        op: intent.op,
        outcome: Outcome::Unknown,
        undoes: intent.undoes,
        undone_by: None,
    }
}

fn outcome_of(result: OpOutcome) -> Outcome {
    let request_id = result.request_id.unwrap_or_default();
    if result.ok {
        Outcome::Done {
            summary: result.summary.unwrap_or_default(),
            request_id,
        }
    } else {
        Outcome::Failed {
            error: result.error.unwrap_or_default(),
            request_id,
        }
    }
}

/// `desired 3, running 3` from the `before` map.
pub fn before_text(before: &BTreeMap<String, serde_json::Value>) -> String {
    before
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k} {s}"),
            other => format!("{k} {other}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An RFC 3339 time as epoch seconds.
pub fn parse_time(text: &str) -> Option<i64> {
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// Epoch seconds as RFC 3339 in UTC (`2025-01-02T03:04:05Z`).
pub fn format_time(epoch: i64) -> String {
    OffsetDateTime::from_unix_timestamp(epoch)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| epoch.to_string())
}

/// `MM-DD HH:MM:SS` in local time (`offset_secs` from UTC).
pub fn local_time_text(epoch: i64, offset_secs: i32) -> String {
    let Ok(t) = OffsetDateTime::from_unix_timestamp(epoch + i64::from(offset_secs)) else {
        return String::new();
    };
    format!(
        "{:02}-{:02} {:02}:{:02}:{:02}",
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

impl JournalEntry {
    /// The operation that undoes this entry, or why there is none.
    pub fn undo(&self, keymap: &Keymap) -> Result<Op, String> {
        if self.undone_by.is_some() {
            return Err(format!(
                "{} was undone already: nothing was sent",
                self.op.title()
            ));
        }
        if let Outcome::Failed { .. } = self.outcome {
            return Err(format!(
                "{} failed: there is nothing to undo",
                self.op.title()
            ));
        }
        self.op.inverse(keymap)
    }

    fn outcome_text(&self) -> &'static str {
        if self.undone_by.is_some() {
            return "done, undone";
        }
        match self.outcome {
            Outcome::Done { .. } => "done",
            Outcome::Failed { .. } => "failed",
            Outcome::Unknown => "unknown outcome",
        }
    }

    fn detail_text(&self) -> String {
        match &self.outcome {
            Outcome::Done {
                summary,
                request_id,
            } if request_id.is_empty() => summary.clone(),
            Outcome::Done {
                summary,
                request_id,
            } => format!("{summary} (request {request_id})"),
            Outcome::Failed { error, .. } => error.clone(),
            Outcome::Unknown => {
                "opsdeck stopped before the answer was recorded: check the resource".to_string()
            }
        }
    }
}

impl TableRow for JournalEntry {
    fn columns() -> &'static [Column] {
        // The operation first: it is the column that shrinks on narrow terminals.
        const C: &[Column] = &[
            Column::text("OPERATION", 34).min(20),
            Column::text("OUTCOME", 15),
            Column::text("CHANGE", 24),
            Column::text("TIME", 14),
            Column::text("WHO", 14),
            Column::text("BEFORE", 28),
            Column::text("DETAIL", 40),
        ];
        C
    }

    fn cells(&self, _now: i64) -> Vec<String> {
        vec![
            self.op.title(),
            self.outcome_text().to_string(),
            self.op.change(),
            self.time_text.clone(),
            short_who(&self.who).to_string(),
            self.before.clone(),
            self.detail_text(),
        ]
    }

    fn tones(&self) -> Vec<Tone> {
        let outcome = match self.outcome {
            Outcome::Done { .. } if self.undone_by.is_some() => Tone::Muted,
            Outcome::Done { .. } => Tone::Ok,
            Outcome::Failed { .. } => Tone::Error,
            Outcome::Unknown => Tone::Warn,
        };
        let mut tones = vec![Tone::Normal; Self::columns().len()];
        tones[1] = outcome;
        tones[3] = Tone::Muted;
        tones[5] = Tone::Muted;
        if !matches!(self.outcome, Outcome::Done { .. }) {
            tones[6] = outcome;
        }
        tones
    }

    fn key(&self) -> String {
        self.id.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent(id: &str) -> String {
        intent_undoing(id, None)
    }

    fn intent_undoing(id: &str, undoes: Option<&str>) -> String {
        let record = JournalRecord::Intent(Intent {
            v: JOURNAL_VERSION,
            id: id.into(),
            time: "2025-03-04T05:06:07Z".into(),
            who: "arn:aws:sts::123456789012:assumed-role/Admin/alice".into(),
            profile: "prod".into(),
            region: "eu-west-1".into(),
            account: Some("123456789012".into()),
            op: Op::SetDesired {
                cluster: "c".into(),
                service: "web".into(),
                from: 3,
                to: 7,
            },
            before: BTreeMap::from([("desired".to_string(), serde_json::json!(3))]),
            undoes: undoes.map(str::to_string),
        });
        serde_json::to_string(&record).unwrap()
    }

    fn result(id: &str, ok: bool) -> String {
        serde_json::to_string(&JournalRecord::Result(OpOutcome {
            v: JOURNAL_VERSION,
            id: id.into(),
            time: "2025-03-04T05:06:08Z".into(),
            ok,
            summary: ok.then(|| "desired is now 7".to_string()),
            request_id: Some("req-1".into()),
            error: (!ok).then(|| "access denied".to_string()),
        }))
        .unwrap()
    }

    #[test]
    fn intents_pair_with_results_newest_first() {
        let text = [
            intent("a"),
            result("a", true),
            intent("b"),
            intent("c"),
            result("c", false),
        ]
        .join("\n");
        let load = read_entries(&text);
        assert_eq!(load.bad_lines, 0);
        let ids: Vec<&str> = load.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c", "b", "a"]);
        assert!(matches!(load.entries[0].outcome, Outcome::Failed { .. }));
        assert_eq!(load.entries[1].outcome, Outcome::Unknown);
        assert_eq!(
            load.entries[2].outcome,
            Outcome::Done {
                summary: "desired is now 7".into(),
                request_id: "req-1".into()
            }
        );
        assert_eq!(load.entries[2].at, Some(1_741_064_767));
        assert_eq!(load.entries[2].before, "desired 3");
    }

    #[test]
    fn torn_and_foreign_lines_are_counted_not_fatal() {
        let torn = intent("x");
        let text = format!(
            "{}\n{}\nnot json\n{}",
            intent("a"),
            result("zzz", true),
            &torn[..torn.len() / 2]
        );
        let load = read_entries(&text);
        assert_eq!(load.entries.len(), 1);
        assert_eq!(load.bad_lines, 3);
    }

    #[test]
    fn undo_is_the_inverse_unless_it_failed() {
        let mut load = read_entries(&[intent("a"), result("a", true)].join("\n"));
        let entry = load.entries.remove(0);
        assert_eq!(
            entry.undo(&Keymap::empty()),
            Ok(Op::SetDesired {
                cluster: "c".into(),
                service: "web".into(),
                from: 7,
                to: 3
            })
        );
        let failed = read_entries(&[intent("a"), result("a", false)].join("\n"));
        assert!(
            failed.entries[0]
                .undo(&Keymap::empty())
                .unwrap_err()
                .contains("failed")
        );
    }

    #[test]
    fn times_and_identities_are_shortened_for_the_table() {
        assert_eq!(local_time_text(1_741_064_767, 3_600), "03-04 06:06:07");
        assert_eq!(format_time(1_741_064_767), "2025-03-04T05:06:07Z");
        assert_eq!(parse_time("2025-03-04T05:06:07Z"), Some(1_741_064_767));
        assert_eq!(short_who("arn:aws:iam::1:user/bob"), "bob");
        assert_eq!(short_who("profile:dev"), "profile:dev");
    }

    #[test]
    fn an_entry_undone_is_marked_and_cannot_be_undone_twice() {
        let text = [
            intent("a"),
            result("a", true),
            intent_undoing("b", Some("a")),
            result("b", true),
            intent_undoing("c", Some("b")),
            result("c", false),
        ]
        .join("\n");
        let load = read_entries(&text);
        let by_id = |id: &str| load.entries.iter().find(|e| e.id == id).unwrap();
        assert_eq!(by_id("a").undone_by.as_deref(), Some("b"));
        assert_eq!(by_id("a").cells(0)[1], "done, undone");
        let keymap = Keymap::default();
        assert_eq!(
            by_id("a").undo(&keymap).unwrap_err(),
            "scale c/web was undone already: nothing was sent"
        );
        // A failed undo marks nothing: the undo itself can still be undone.
        assert_eq!(by_id("b").undone_by, None);
        assert!(by_id("b").undo(&keymap).is_ok());
    }
}
