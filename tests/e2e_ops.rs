//! The real opsdeck binary in tmux scaling a seeded service from 2 to 4, as a person would:
//! `S`, `4`, enter, `y`; the service detail shows desired 4, the journal file holds the
//! intent and the result, `:journal` lists it; `--read-only` refuses the same keys.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use tmux::{Tmux, opsdeck_bin};

const WAIT: Duration = Duration::from_secs(30);

/// Seed the small fleet (`hello-api` desired 2, `hello-worker` desired 1) under a unique
/// prefix; returns the cluster name.
fn seed(url: &str) -> String {
    let prefix = format!("{}-", common::unique_token(10));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var_os("OPSDECK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(".venv/bin/python"));
    let seeder = std::env::var_os("OPSDECK_SEED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("scripts/seed_fleet.py"));
    let out = Command::new(&python)
        .arg(&seeder)
        .args(["--endpoint", url, "--size", "small", "--prefix", &prefix])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "seeding failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    format!("{prefix}small-fleet")
}

/// opsdeck on `cluster`'s services with a private HOME and state dir.
fn start(url: &str, cluster: &str, home: &Path, extra: &[&str]) -> Tmux {
    let path = |p: &str| home.join(p).display().to_string();
    let (config, state) = (path("config"), path("state"));
    let (aws_config, aws_credentials) = (path(".aws/config"), path(".aws/credentials"));
    let home_dir = home.display().to_string();
    let mut args = vec![
        "--endpoint-url",
        url,
        "--region",
        "eu-west-1",
        "--cluster",
        cluster,
    ];
    args.extend_from_slice(extra);
    let env = [
        ("HOME", home_dir.as_str()),
        ("USER", "e2e-tester"),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("XDG_STATE_HOME", state.as_str()),
        ("XDG_DATA_HOME", state.as_str()),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_CONFIG_FILE", aws_config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", aws_credentials.as_str()),
    ];
    Tmux::start(&opsdeck_bin(), &args, &env, 160, 48)
}

/// The line of `screen` that contains `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
}

#[test]
fn scale_a_service_from_2_to_4_and_see_it() {
    let Some(url) = common::moto_url() else {
        return;
    };
    let cluster = seed(&url);
    let home = tempfile::tempdir().unwrap();
    let t = start(&url, &cluster, home.path(), &[]);

    let screen = t.wait_for("hello-worker", WAIT);
    let api: Vec<&str> = line_with(&screen, "│hello-api")
        .split_whitespace()
        .collect();
    // `│hello-api ACTIVE 2 …`: status, then desired.
    assert_eq!(api[1..3], ["ACTIVE", "2"], "{api:?}");

    // Select hello-api, then `S`: the prompt shows the current counts.
    t.type_text("/hello-api");
    t.keys(&["Enter"]);
    t.wait_for("[1/2]", WAIT);
    t.type_text("S");
    t.wait_for(
        "scale hello-api (desired 2, running 2, pending 0) to 7/+2/-1:",
        WAIT,
    );
    t.type_text("4");
    t.keys(&["Enter"]);
    let screen = t.wait_for("Confirm: scale", WAIT);
    assert!(screen.contains("change: desired 2 → 4"), "{screen}");
    assert!(
        line_with(&screen, "cluster:").contains(&cluster),
        "{screen}"
    );
    assert!(screen.contains("account: 123456789012"), "{screen}");
    t.type_text("y");

    // The detail view opens on the service and shows the new count; once 4 tasks run
    // (moto sets running = desired at once) the watch reports the scaling complete.
    let screen = t.wait_for("desired 4", WAIT);
    assert!(screen.contains("Service hello-api"), "{screen}");
    assert!(screen.contains("Deployments"), "{screen}");
    let screen = t.wait_for(
        &format!("scaling of {cluster}/hello-api completed: 4/4 running"),
        WAIT,
    );
    assert!(screen.contains("4/4 running"), "{screen}");

    // The journal file holds the intent and the result, flushed.
    let journal = home.path().join("state/opsdeck/journal.jsonl");
    let text = std::fs::read_to_string(&journal).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0]["phase"], "intent");
    assert_eq!(lines[0]["op"]["op"], "set_desired");
    assert_eq!(lines[0]["op"]["from"], 2);
    assert_eq!(lines[0]["op"]["to"], 4);
    assert_eq!(lines[0]["who"], "arn:aws:sts::123456789012:user/moto");
    assert_eq!(lines[1]["phase"], "result");
    assert_eq!(lines[1]["ok"], true);
    assert_eq!(lines[1]["id"], lines[0]["id"]);

    // esc: back on the services list, which shows 4 too.
    t.keys(&["Escape"]);
    let screen = t.wait_for("Services", WAIT);
    let api: Vec<&str> = line_with(&screen, "│hello-api")
        .split_whitespace()
        .collect();
    assert_eq!(api[1..3], ["ACTIVE", "4"], "{screen}");

    // `:journal` lists the change.
    t.type_text(":journal");
    t.keys(&["Enter"]);
    let screen = t.wait_for("desired 2 → 4", WAIT);
    assert!(
        line_with(&screen, "desired 2 → 4").contains("done"),
        "{screen}"
    );
    t.type_text("q");
    t.wait_exit(WAIT);
}

#[test]
fn read_only_refuses_scaling() {
    let Some(url) = common::moto_url() else {
        return;
    };
    let cluster = seed(&url);
    let home = tempfile::tempdir().unwrap();
    let t = start(&url, &cluster, home.path(), &["--read-only"]);
    t.wait_for("hello-worker", WAIT);
    t.type_text("/hello-api");
    t.keys(&["Enter"]);
    t.wait_for("[1/2]", WAIT);
    t.type_text("+");
    let screen = t.wait_for("read-only mode: refused to scale", WAIT);
    assert!(!screen.contains("Confirm"), "{screen}");
    assert!(!home.path().join("state/opsdeck/journal.jsonl").exists());
    t.type_text("q");
    t.wait_exit(WAIT);
}
