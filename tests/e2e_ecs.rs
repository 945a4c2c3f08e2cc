//! The real opsdeck binary in tmux, as a person uses it, against a seeded moto (and against
//! endpoints and configs that are wrong on purpose).
//!
//! The fleet is seeded once per run of this file into the shared moto (`OPSDECK_MOTO_URL`)
//! with a unique cluster-name prefix, so other tests' clusters never mix in.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/tmux.rs"]
mod tmux;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tmux::{Tmux, opsdeck_bin};

/// Long enough for a debug build on a busy 2-core machine; the screens usually come in
/// well under a second.
const WAIT: Duration = Duration::from_secs(20);

/// A demo fleet seeded into moto.
struct Fleet {
    url: String,
    /// Prepended to every cluster name, e.g. `k3x9q2m7ab-`.
    prefix: String,
}

impl Fleet {
    fn cluster(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }
}

/// The shared fleet, seeded on first use; `None` (test skipped) without moto.
fn fleet() -> Option<&'static Fleet> {
    static FLEET: OnceLock<Option<Fleet>> = OnceLock::new();
    let url = common::moto_url()?;
    FLEET.get_or_init(|| Some(seed(&url))).as_ref()
}

fn seed(url: &str) -> Fleet {
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
        .args(["--endpoint", url, "--size", "demo", "--prefix", &prefix])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {}: {e}", python.display(), seeder.display()));
    assert!(
        out.status.success(),
        "seeding the demo fleet failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Fleet {
        url: url.to_string(),
        prefix,
    }
}

/// A port nothing listens on: bound by the kernel's choice, then released.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// opsdeck running in tmux with a private HOME (no user config, log or AWS files leak in),
/// dummy credentials and `--region eu-west-1`. Its exit status lands in a file.
struct Console {
    tmux: Tmux,
    home: tempfile::TempDir,
}

impl Console {
    fn start(endpoint: &str, width: u16, height: u16, extra: &[&str]) -> Console {
        let home = tempfile::tempdir().unwrap();
        let path = |p: &str| home.path().join(p).display().to_string();
        let (config, state, status) = (path("config"), path("state"), path("exit-status"));
        let (aws_config, aws_credentials) = (path(".aws/config"), path(".aws/credentials"));
        let bin = opsdeck_bin().display().to_string();
        // `sh -c` writes the program's exit status to a file, then keeps the pane alive:
        // tmux reports a dead pane's cursor as hidden whatever the program left behind.
        let mut args = vec![
            "-c",
            r#""$0" "$@"; echo $? > "$OPSDECK_E2E_STATUS.tmp"; mv "$OPSDECK_E2E_STATUS.tmp" "$OPSDECK_E2E_STATUS"; exec sleep 600"#,
            &bin,
            "--endpoint-url",
            endpoint,
            "--region",
            "eu-west-1",
        ];
        args.extend_from_slice(extra);
        let home_dir = home.path().display().to_string();
        let env = [
            ("HOME", home_dir.as_str()),
            ("XDG_CONFIG_HOME", config.as_str()),
            ("XDG_STATE_HOME", state.as_str()),
            ("XDG_DATA_HOME", state.as_str()),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CONFIG_FILE", aws_config.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", aws_credentials.as_str()),
            ("OPSDECK_E2E_STATUS", status.as_str()),
        ];
        let tmux = Tmux::start(Path::new("/bin/sh"), &args, &env, width, height);
        Console { tmux, home }
    }

    fn wait_for(&self, text: &str) -> String {
        self.tmux.wait_for(text, WAIT)
    }

    /// Wait for `text`, then for the screen to stop changing.
    fn wait_stable(&self, text: &str) -> String {
        self.wait_for(text);
        let screen = self.stable();
        assert!(screen.contains(text), "{text:?} went away:\n{screen}");
        screen
    }

    /// The screen once two captures in a row agree: a capture can land while tmux is still
    /// drawing a frame.
    fn stable(&self) -> String {
        let deadline = Instant::now() + WAIT;
        let mut last = self.tmux.screen();
        loop {
            std::thread::sleep(Duration::from_millis(80));
            let now = self.tmux.screen();
            if now == last {
                return now;
            }
            assert!(
                Instant::now() < deadline,
                "the screen kept changing:\n{now}"
            );
            last = now;
        }
    }

    fn wait_gone(&self, text: &str) -> String {
        self.tmux.wait_gone(text, WAIT)
    }

    /// Type literal text, then press keys by name.
    fn type_then(&self, text: &str, keys: &[&str]) {
        self.tmux.type_text(text);
        if !keys.is_empty() {
            self.tmux.keys(keys);
        }
    }

    /// opsdeck's exit status, once it has exited.
    fn exit_status(&self) -> Option<String> {
        std::fs::read_to_string(self.home.path().join("exit-status"))
            .ok()
            .map(|s| s.trim().to_string())
    }

    /// Press `q`, then check that opsdeck exited 0 and left the terminal as it found it.
    fn quit_cleanly(&self) {
        self.tmux.keys(&["q"]);
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.exit_status() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "opsdeck did not exit on q; the screen was:\n{}",
                self.tmux.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status, "0", "opsdeck exit status");
        assert!(
            self.tmux.terminal_restored(),
            "terminal not restored (alternate screen or hidden cursor); screen:\n{}",
            self.tmux.screen()
        );
    }
}

/// The line of `screen` that contains `needle`.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen:\n{screen}"))
}

#[test]
fn browse_the_fleet_at_160x48() {
    let Some(fleet) = fleet() else { return };
    let payments = fleet.cluster("payments-prod");
    let c = Console::start(&fleet.url, 160, 48, &[]);

    // Clusters, with the header naming the endpoint.
    // Other tests' clusters share this moto: they may fill the screen, so find ours with `/`.
    let screen = c.wait_stable("ACTIVE");
    let count: usize = line_with(&screen, "Clusters [")
        .split("Clusters [")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(count >= 4, "at least the 4 seeded clusters:\n{screen}");
    assert!(screen.contains("region eu-west-1"), "{screen}");
    assert!(screen.contains(&fleet.url), "{screen}");
    assert!(c.tmux.alternate_screen());

    // `/` narrows the list to the one prefixed payments cluster.
    c.type_then(&format!("/{}payments", fleet.prefix), &["Enter"]);
    c.wait_for(&format!("filter: {}payments", fleet.prefix));
    // The prompt (and its cursor) is gone once enter is read.
    c.wait_gone("█");
    let screen = c.stable();
    assert!(screen.contains("[1/"), "{screen}");
    assert!(screen.contains(&payments), "{screen}");
    assert!(
        !screen.contains(&fleet.cluster("search-staging")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("filter: {}payments", fleet.prefix)),
        "{screen}"
    );

    // enter: services of the cluster, with desired and running counts.
    c.tmux.keys(&["Enter"]);
    let screen = c.wait_stable("payments-worker");
    assert!(
        line_with(&screen, "Services").contains(&payments),
        "{screen}"
    );
    for service in [
        "payments-api",
        "fraud-scoring",
        "café-api",
        "ledger-reconciliation",
    ] {
        assert!(screen.contains(service), "{service}:\n{screen}");
    }
    // fraud-scoring is seeded degraded: 3 desired, none running.
    let fraud: Vec<&str> = line_with(&screen, "fraud-scoring")
        .split_whitespace()
        .collect();
    assert_eq!(fraud[1..4], ["ACTIVE", "3", "0"], "{fraud:?}");

    // Filter to payments-api and drill into its tasks.
    c.type_then("/payments-api", &["Enter"]);
    c.wait_for("[1/5]");
    c.tmux.keys(&["Enter"]);
    let screen = c.wait_stable(&format!("Tasks {payments}/payments-api"));
    let screen = if screen.contains("RUNNING") {
        screen
    } else {
        c.wait_stable("RUNNING")
    };
    assert!(
        screen.contains("[4]"),
        "payments-api runs 4 tasks:\n{screen}"
    );
    let rows = screen
        .lines()
        .filter(|l| l.contains("RUNNING") && l.contains("EC2"))
        .count();
    assert_eq!(rows, 4, "4 running EC2 tasks:\n{screen}");

    // enter: the first task's containers, with the detail pane.
    c.tmux.keys(&["Enter"]);
    // (moto starts only a task definition's first container.)
    let screen = c.wait_stable("container: app");
    assert!(screen.contains("Detail"), "{screen}");
    assert!(screen.contains("Containers"), "{screen}");
    assert!(screen.contains("container: app"), "{screen}");
    assert!(screen.contains("acme/payments-api:2.14.3"), "{screen}");
    assert!(
        screen.contains("service:payments-api"),
        "the task's group:\n{screen}"
    );

    // esc goes back to the tasks.
    c.tmux.keys(&["Escape"]);
    c.wait_gone("Detail");
    let screen = c.stable();
    assert!(
        screen.contains(&format!("Tasks {payments}/payments-api")),
        "{screen}"
    );

    // `:tasks CLUSTER SERVICE` jumps straight to another service's tasks.
    c.type_then(&format!(":tasks {payments} payments-worker"), &["Enter"]);
    let screen = c.wait_stable(&format!("Tasks {payments}/payments-worker"));
    let screen = if screen.contains("[3]") {
        screen
    } else {
        c.wait_stable("[3]")
    };
    assert!(
        line_with(&screen, "clusters ›").contains("payments-worker"),
        "{screen}"
    );

    // An unknown command says so.
    c.type_then(":bogus", &["Enter"]);
    c.wait_for("unknown command :bogus");

    // `?` shows the keys; esc closes the help.
    c.tmux.keys(&["?"]);
    // (A capture can land while tmux is still drawing a frame: wait for each part.)
    for expected in ["Help", "move down", "filter rows", "quit opsdeck", ":tasks"] {
        c.wait_for(expected);
    }
    c.tmux.keys(&["Escape"]);
    c.wait_gone("move down");

    c.quit_cleanly();
}

#[test]
fn browse_the_fleet_at_80x24() {
    let Some(fleet) = fleet() else { return };
    let payments = fleet.cluster("platform-tools");
    let c = Console::start(&fleet.url, 80, 24, &[]);
    c.wait_for("ACTIVE");

    c.type_then(&format!("/{payments}"), &["Enter"]);
    c.wait_for("[1/");
    c.tmux.keys(&["Enter"]);
    c.wait_for("alertmanager");
    c.type_then("/grafana", &["Enter"]);
    c.wait_for("[1/5]");
    c.tmux.keys(&["Enter"]);
    let screen = c.wait_stable("Tasks");
    // At 80 columns the breadcrumbs still end with the view on screen.
    assert!(
        line_with(&screen, "›").trim_end().ends_with("grafana"),
        "{screen}"
    );
    c.wait_for("RUNNING");
    c.tmux.keys(&["Enter"]);
    // The detail pane sits under the containers at this width.
    let screen = c.wait_stable("container: app");
    assert!(screen.contains("Detail"), "{screen}");
    assert!(screen.contains("grafana/grafana:11.2.0"), "{screen}");
    for line in screen.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    c.quit_cleanly();
}

#[test]
fn a_long_error_is_read_whole_and_a_prompt_names_its_rule_at_80x24() {
    let Some(fleet) = fleet() else { return };
    let cluster = fleet.cluster("platform-tools");
    let c = Console::start(&fleet.url, 80, 24, &[]);
    c.wait_for("ACTIVE");
    // Too long for the status line: cut, with the key that shows it whole.
    c.type_then(":no-such-command-anywhere", &["Enter"]);
    let screen = c.wait_for("<m> all");
    let status = screen.lines().last().unwrap_or_default();
    assert!(
        status.contains("unknown command :no-such-command-anywhere"),
        "{screen}"
    );
    assert!(status.contains('…'), "{screen}");
    c.tmux.keys(&["m"]);
    let overlay = c.wait_for("Messages, newest first");
    // Every word of it, over the lines it wraps to.
    let words: String = overlay
        .lines()
        .map(|l| l.trim_matches(|ch: char| ch == '│' || ch.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains("unknown command :no-such-command-anywhere — try :clusters,"),
        "{overlay}"
    );
    assert!(words.contains(":messages or :q"), "{overlay}");
    c.tmux.keys(&["Escape"]);
    c.wait_for("┌ Clusters");

    // The scale prompt names the rule as `abc` is typed, and keeps it.
    c.type_then(&format!("/{cluster}"), &["Enter"]);
    c.wait_for("[1/");
    c.tmux.keys(&["Enter"]);
    c.wait_for("alertmanager");
    c.type_then("/grafana", &["Enter"]);
    c.wait_for("[1/5]");
    c.tmux.keys(&["S"]);
    c.wait_for("to 7/+2/-1:");
    c.tmux.keys(&["a", "b", "c"]);
    let screen = c.wait_for("✗ `abc` is not a count: type 7, +2 or -1");
    assert!(screen.contains("abc█"), "{screen}");
    c.tmux.keys(&["Escape"]);
    c.wait_for("cancelled: nothing was sent");
    c.quit_cleanly();
}

#[test]
fn y_describes_a_service_and_search_finds_its_task_definition_at_80x24() {
    let Some(fleet) = fleet() else { return };
    let cluster = fleet.cluster("payments-prod");
    let c = Console::start(&fleet.url, 80, 24, &[]);
    c.wait_for("ACTIVE");
    c.type_then(&format!("/{cluster}"), &["Enter"]);
    c.wait_for("[1/");
    c.tmux.keys(&["Enter"]);
    c.wait_for("payments-worker");
    c.type_then("/payments-api", &["Enter"]);
    c.wait_for("[1/");

    c.tmux.keys(&["y"]);
    let screen = c.wait_stable("Describe service payments-api");
    assert!(screen.contains("YAML"), "{screen}");
    c.wait_for("clusterArn: arn:aws:ecs:eu-west-1:");

    // The document is longer than the screen: search for the field, as a user would.
    c.type_then("/taskDefinition", &["Enter"]);
    // The first match is the deployment's; `n` goes on to the service's own.
    c.wait_for("/taskDefinition/ 1/2");
    c.tmux.keys(&["n"]);
    c.wait_for("/taskDefinition/ 2/2");
    // The ARN is wider than 80 columns: wrap it.
    c.tmux.keys(&["w"]);
    let screen = c.wait_stable("WRAP");
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("taskDefinition: "))
        .unwrap_or_else(|| panic!("no taskDefinition line:\n{screen}"));
    let joined = format!("{}{}", lines[at], lines.get(at + 1).unwrap_or(&""));
    let arn = joined
        .trim_start_matches("taskDefinition: ")
        .split_whitespace()
        .next()
        .unwrap_or_default();
    let family = format!("{}payments-api:", fleet.prefix);
    assert!(
        arn.starts_with("arn:aws:ecs:eu-west-1:")
            && arn.contains(&format!(":task-definition/{family}")),
        "{arn:?} in:\n{screen}"
    );
    for line in screen.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }

    // esc clears the search, esc again goes back to the services.
    c.tmux.keys(&["Escape"]);
    c.wait_gone("/taskDefinition/");
    c.tmux.keys(&["Escape"]);
    c.wait_for("Services");
    c.wait_gone("Describe service");
    c.quit_cleanly();
}

/// The OSC 52 payloads (base64) in `bytes`: the bare sequences, and those inside a tmux
/// passthrough (with the escape doubled).
fn osc52_payloads(bytes: &str) -> (Vec<String>, Vec<String>) {
    let find = |start: &str| -> Vec<String> {
        bytes
            .split(start)
            .skip(1)
            .filter_map(|rest| rest.split('\x07').next())
            .map(str::to_string)
            .collect()
    };
    let wrapped = find("\x1bPtmux;\x1b\x1b]52;c;");
    let all = find("\x1b]52;c;");
    (all, wrapped)
}

/// Wait until `file` holds `count` OSC 52 passthroughs; what it holds then.
fn wait_for_copies(c: &Console, file: &Path, count: usize) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let bytes = String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned();
        if osc52_payloads(&bytes).1.len() >= count {
            return bytes;
        }
        assert!(
            Instant::now() < deadline,
            "no OSC 52 sequence written; the screen was:\n{}",
            c.tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn c_copies_the_task_id_through_osc52_at_80x24() {
    use base64::Engine;
    let Some(fleet) = fleet() else { return };
    let cluster = fleet.cluster("platform-tools");
    let c = Console::start(&fleet.url, 80, 24, &[]);
    c.wait_for("ACTIVE");
    c.type_then(&format!("/{cluster}"), &["Enter"]);
    c.wait_for("[1/");
    c.tmux.keys(&["Enter"]);
    c.wait_for("alertmanager");
    c.type_then("/grafana", &["Enter"]);
    c.wait_for("[1/5]");
    c.tmux.keys(&["Enter"]);
    c.wait_for("Tasks");
    let screen = c.wait_stable("RUNNING");

    // What the console writes to its terminal from here on.
    let written = c.home.path().join("written.bytes");
    c.tmux.command(&[
        "pipe-pane",
        "-o",
        "-t",
        "t",
        &format!("cat >> '{}'", written.display()),
    ]);
    c.tmux.keys(&["c"]);
    let status = c.wait_for("copied task id");
    let bytes = wait_for_copies(&c, &written, 1);

    // Inside tmux: the bare sequence, then the same one in a passthrough (which holds the
    // sequence too, after its doubled escape).
    let (all, wrapped) = osc52_payloads(&bytes);
    assert_eq!(wrapped.len(), 1, "{bytes:?}");
    assert_eq!(all.len(), 2, "{bytes:?}");
    assert_eq!(all[1], wrapped[0], "{bytes:?}");
    let decode = |b64: &str| {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap_or_else(|e| panic!("{b64:?} is not base64: {e}"));
        String::from_utf8(raw).unwrap()
    };
    let id = decode(&wrapped[0]);
    assert_eq!(decode(&all[0]), id);
    // (moto's task ids are UUIDs; AWS's are 32 hex digits.)
    assert!(id.len() >= 32, "a task id: {id:?}");
    assert!(
        id.chars().all(|ch| ch.is_ascii_hexdigit() || ch == '-'),
        "{id:?}"
    );
    // It is the selected task's: its short id is in the table, its start in the message.
    assert!(screen.contains(&id[..8]), "{id} not listed:\n{screen}");
    let message = line_with(&status, "copied task id");
    assert!(
        message.contains(&format!(
            "copied task id {}… ({} bytes)",
            &id[..20],
            id.len()
        )),
        "{message}"
    );

    // `C`: the same task's ARN.
    c.tmux.keys(&["C"]);
    c.wait_for("copied task ARN");
    let bytes = wait_for_copies(&c, &written, 2);
    let (_, wrapped) = osc52_payloads(&bytes);
    let arn = decode(&wrapped[1]);
    assert!(arn.starts_with("arn:aws:ecs:eu-west-1:"), "{arn}");
    assert!(
        arn.ends_with(&format!("/{id}")),
        "{arn} is not the ARN of {id}"
    );
    c.quit_cleanly();
}

#[test]
fn dead_endpoint_says_unreachable_and_keeps_responding() {
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let started = Instant::now();
    let c = Console::start(&endpoint, 160, 48, &[]);
    c.tmux.wait_for("cannot reach", Duration::from_secs(10));
    let took = started.elapsed();
    let screen = c.stable();
    // One line that names the endpoint and says what to do.
    let line = line_with(&screen, "cannot reach");
    assert!(line.contains(&endpoint), "{line}");
    assert!(line.contains("--endpoint-url"), "{line}");
    eprintln!("dead endpoint reported after {took:?}");

    // Still answering keys.
    c.tmux.keys(&["?"]);
    c.wait_for("move down");
    c.tmux.keys(&["Escape"]);
    c.wait_gone("move down");
    c.type_then(":bogus", &["Enter"]);
    c.wait_for("unknown command :bogus");
    c.quit_cleanly();
}

#[test]
fn unknown_profile_is_reported_in_the_ui() {
    // No request is sent: the profile is checked before any client is built.
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let c = Console::start(&endpoint, 160, 48, &["--profile", "nosuchprofile"]);
    let screen = c.wait_stable("nosuchprofile` is not in");
    assert!(screen.contains("--profile"), "says what to do:\n{screen}");
    assert!(
        screen.contains("profile nosuchprofile"),
        "header:\n{screen}"
    );
    c.quit_cleanly();
}

#[test]
fn config_with_a_typo_stops_before_the_ui() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[general]\ntheme = \"default\"\nrefresh_intervall = 5\n",
    )
    .unwrap();
    let mut child = Command::new(opsdeck_bin())
        .arg("--config")
        .arg(&config)
        .args(["--region", "eu-west-1"])
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("opsdeck did not stop on a bad config");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "exit status {:?}", out.status);
    let expected = format!("{}:3:", config.display());
    assert!(stderr.contains(&expected), "{expected} in:\n{stderr}");
    assert!(stderr.contains("refresh_intervall"), "{stderr}");
    assert!(
        stderr.contains("refresh_interval"),
        "a suggestion:\n{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line:\n{stderr}");
    // Nothing was drawn: no alternate screen, no raw-mode output.
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
}
