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
        undoes: None,
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

/// Mode of the child run by [`files_are_private_whatever_the_umask`].
const UMASK_CHILD: &str = "umask-000";

/// The journal, a saved log and a new known_hosts file under umask 000: files 0600,
/// directories 0700; an existing journal is made private, an existing known_hosts file keeps
/// its mode (it is the user's). The umask is set by `sh` for a child run of this test.
#[test]
fn files_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    if common::child_mode().as_deref() == Some(UMASK_CHILD) {
        let dir = tempfile::tempdir().unwrap();
        let umask = std::process::Command::new("sh")
            .args(["-c", "umask"])
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&umask.stdout).trim(), "0000");

        let journal_file = dir.path().join("state/opsdeck/journal.jsonl");
        Journal::new(&journal_file)
            .append(&intent(&new_id(), scale(4)))
            .unwrap();
        assert_eq!(mode(&journal_file), 0o600, "new journal");
        assert_eq!(mode(journal_file.parent().unwrap()), 0o700, "journal dir");
        std::fs::set_permissions(&journal_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        Journal::new(&journal_file).append(&done("x")).unwrap();
        assert_eq!(mode(&journal_file), 0o600, "existing journal");

        let save_dir = dir.path().join("state/opsdeck/logs");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let saved = rt
            .block_on(opsdeck::runtime::logs::save::save(
                &save_dir, "web", "line\n", 1,
            ))
            .unwrap();
        assert_eq!(mode(&saved), 0o600, "saved log");
        assert_eq!(mode(&save_dir), 0o700, "save dir");

        use opsdeck::backend::hosts::ssh::known_hosts;
        let key = "AAAAC3NzaC1lZDI1NTE5AAAAILfpIOgG0XBE5zzKpFxMhcShPqxxKekzjiKCCXQoIPwz";
        let new = dir.path().join("ssh/known_hosts");
        known_hosts::append(&new, "10.0.0.1", "ssh-ed25519", key).unwrap();
        assert_eq!(mode(&new), 0o600, "new known_hosts");
        assert_eq!(mode(new.parent().unwrap()), 0o700, "new ~/.ssh");
        let existing = dir.path().join("known_hosts");
        std::fs::write(&existing, "").unwrap();
        std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
        known_hosts::append(&existing, "10.0.0.1", "ssh-ed25519", key).unwrap();
        assert_eq!(
            mode(&existing),
            0o644,
            "an existing known_hosts keeps its mode"
        );
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let output = std::process::Command::new("sh")
        .args(["-c", r#"umask 000; exec "$0" "$@""#])
        .arg(exe)
        .args([
            "files_are_private_whatever_the_umask",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(common::CHILD_ENV, UMASK_CHILD)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the child under umask 000 failed");
    assert!(
        stdout.contains("1 passed"),
        "the child did not run the test"
    );
}
