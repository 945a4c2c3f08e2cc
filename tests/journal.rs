//! The audit journal file: records appended and read back, a process that dies between the
//! intent and the result (the intent stays, as "unknown outcome"), torn lines, concurrent
//! writers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;

use opsdeck::app::guard::op::Op;
use opsdeck::app::journal::entry::{
    Intent, JOURNAL_VERSION, JournalRecord, OpOutcome, Outcome, format_time,
};
use opsdeck::runtime::journal::{Journal, new_id};

/// Env var naming the journal a child process writes to.
const JOURNAL_ENV: &str = "OPSDECK_TEST_JOURNAL";

fn intent(id: &str, op: Op) -> JournalRecord {
    JournalRecord::Intent(Intent {
        v: JOURNAL_VERSION,
        id: id.into(),
        time: format_time(1_700_000_000),
        who: "arn:aws:sts::123456789012:user/alice".into(),
        profile: "dev".into(),
        region: "eu-west-1".into(),
        account: Some("123456789012".into()),
        op,
        before: BTreeMap::from([("desired".to_string(), serde_json::json!(3))]),
    })
}

fn done(id: &str) -> JournalRecord {
    JournalRecord::Result(OpOutcome {
        v: JOURNAL_VERSION,
        id: id.into(),
        time: format_time(1_700_000_001),
        ok: true,
        summary: Some("desired is now 7".into()),
        request_id: Some("req-7".into()),
        error: None,
    })
}

fn scale(to: i32) -> Op {
    Op::SetDesired {
        cluster: "payments".into(),
        service: "api".into(),
        from: 3,
        to,
    }
}

#[test]
fn records_are_one_json_line_each_and_read_back_paired() {
    let dir = tempfile::tempdir().unwrap();
    // The directory does not exist yet: it is created.
    let journal = Journal::new(dir.path().join("state/opsdeck/journal.jsonl"));
    assert!(journal.read().unwrap().entries.is_empty());
    journal.append(&intent("a", scale(7))).unwrap();
    journal.append(&done("a")).unwrap();
    journal.append(&intent("b", scale(9))).unwrap();

    let text = std::fs::read_to_string(journal.path()).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for line in &lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["v"], 1);
    }
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["phase"], "intent");
    assert_eq!(first["op"]["op"], "set_desired");
    assert_eq!(first["op"]["to"], 7);
    assert_eq!(first["time"], "2023-11-14T22:13:20Z");

    let load = journal.read().unwrap();
    assert_eq!(load.bad_lines, 0);
    assert_eq!(load.entries.len(), 2);
    assert_eq!(load.entries[0].id, "b");
    assert_eq!(load.entries[0].outcome, Outcome::Unknown);
    assert_eq!(
        load.entries[1].outcome,
        Outcome::Done {
            summary: "desired is now 7".into(),
            request_id: "req-7".into()
        }
    );
}

/// In a child process: write an intent, then die before the result, as a crash would.
#[test]
fn crash_child() {
    if common::child_mode().as_deref() != Some("crash") {
        return;
    }
    let path = std::env::var(JOURNAL_ENV).unwrap();
    let journal = Journal::new(path);
    journal.append(&intent("crashed", scale(12))).unwrap();
    std::process::abort();
}

#[test]
fn a_crash_between_intent_and_result_leaves_an_unknown_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let journal = Journal::new(&path);
    journal.append(&intent("earlier", scale(5))).unwrap();
    journal.append(&done("earlier")).unwrap();

    let output = common::run_child(
        "crash_child",
        "crash",
        &[(JOURNAL_ENV, OsStr::new(path.as_os_str()))],
    );
    assert!(!output.status.success(), "the child was meant to die");

    let load = journal.read().unwrap();
    assert_eq!(load.entries.len(), 2);
    let newest = &load.entries[0];
    assert_eq!(newest.id, "crashed");
    assert_eq!(newest.op, scale(12));
    assert_eq!(newest.outcome, Outcome::Unknown);
    assert!(matches!(load.entries[1].outcome, Outcome::Done { .. }));
    // Opsdeck carries on appending after the crash.
    journal.append(&done("crashed")).unwrap();
    assert!(matches!(
        journal.read().unwrap().entries[0].outcome,
        Outcome::Done { .. }
    ));
}

#[test]
fn a_torn_last_line_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::new(dir.path().join("journal.jsonl"));
    journal.append(&intent("a", scale(7))).unwrap();
    let line = serde_json::to_string(&intent("b", scale(8))).unwrap();
    // Power lost in the middle of a write: half a line, no newline.
    let mut text = std::fs::read_to_string(journal.path()).unwrap();
    text.push_str(&line[..line.len() / 2]);
    std::fs::write(journal.path(), text).unwrap();
    let load = journal.read().unwrap();
    assert_eq!(load.entries.len(), 1);
    assert_eq!(load.bad_lines, 1);
    // The next records start on a line of their own: only the torn one is lost.
    journal.append(&intent("c", scale(9))).unwrap();
    journal.append(&intent("d", scale(10))).unwrap();
    let load = journal.read().unwrap();
    let ids: Vec<&str> = load.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["d", "c", "a"]);
    assert_eq!(load.bad_lines, 1);
}

#[test]
fn concurrent_writers_never_interleave_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                // A journal per thread, as separate processes would have.
                let journal = Journal::new(path);
                for i in 0..25 {
                    let id = format!("{t}-{i}-{}", new_id());
                    journal.append(&intent(&id, scale(i))).unwrap();
                    journal.append(&done(&id)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let load = Journal::new(&path).read().unwrap();
    assert_eq!(load.bad_lines, 0);
    assert_eq!(load.entries.len(), 100);
    assert!(
        load.entries
            .iter()
            .all(|e| matches!(e.outcome, Outcome::Done { .. }))
    );
}

#[test]
fn ids_are_unique() {
    let ids: std::collections::HashSet<String> = (0..1000).map(|_| new_id()).collect();
    assert_eq!(ids.len(), 1000);
}
