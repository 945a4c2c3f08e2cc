//! Helpers shared by the integration tests: finding the test servers, unique names, and running
//! one test again in a child process with a controlled environment.
//!
//! Each test binary compiles this module separately and uses a part of it.
#![allow(dead_code)]

use std::collections::hash_map::RandomState;
use std::ffi::OsStr;
use std::hash::{BuildHasher, Hasher};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Env var with the moto server's URL (scripts/test.sh exports it).
pub const MOTO_URL_ENV: &str = "OPSDECK_MOTO_URL";
/// Set in a child process started by [`run_child`]; its value is the child's mode.
pub const CHILD_ENV: &str = "OPSDECK_TEST_CHILD";

/// Env var that makes a missing peer (moto, the Docker engine, sshd) fail the test instead of
/// skipping it, so a run that was meant to talk to real servers cannot pass without them.
pub const REQUIRE_PEERS_ENV: &str = "OPSDECK_REQUIRE_PEERS";
/// The older name of [`REQUIRE_PEERS_ENV`], still honoured so existing CI setups keep failing.
pub const REQUIRE_PEERS_ALIAS_ENV: &str = "OPSDECK_REQUIRE_DOCKER";

/// True where a missing test server must fail the run instead of skipping the test:
/// `OPSDECK_REQUIRE_PEERS=1` (or its alias `OPSDECK_REQUIRE_DOCKER=1`), or `CI` set.
pub fn servers_required() -> bool {
    [REQUIRE_PEERS_ENV, REQUIRE_PEERS_ALIAS_ENV]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|v| v == "1"))
        || std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The moto server to test against. `None` (with a line saying the test was skipped) when
/// `OPSDECK_MOTO_URL` is unset; panics instead when servers are required (CI).
pub fn moto_url() -> Option<String> {
    match std::env::var(MOTO_URL_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_string()),
        _ => {
            let test = std::thread::current()
                .name()
                .unwrap_or("this test")
                .to_string();
            assert!(
                !servers_required(),
                "{MOTO_URL_ENV} is not set but OPSDECK_REQUIRE_PEERS=1/CI requires moto: run scripts/test.sh"
            );
            eprintln!("skipped {test}: {MOTO_URL_ENV} is not set (run scripts/test.sh)");
            None
        }
    }
}

/// A random token of exactly `len` characters from `[a-z0-9]`. Tokens of the same length are
/// never substrings of one another unless equal, which keeps moto's substring matching of
/// cluster names from mixing up tests.
pub fn unique_token(len: usize) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        hasher.write_u32(std::process::id());
        let mut bits = hasher.finish();
        for _ in 0..8 {
            if out.len() == len {
                break;
            }
            let index = (bits % ALPHABET.len() as u64) as usize;
            out.push(char::from(ALPHABET[index]));
            bits /= ALPHABET.len() as u64;
        }
    }
    out
}

/// The mode this process was started in by [`run_child`], if it is such a child.
pub fn child_mode() -> Option<String> {
    std::env::var(CHILD_ENV).ok()
}

/// Run the test `test_name` of the current test binary again, alone, in a child process whose
/// environment holds ONLY `envs` (plus [`CHILD_ENV`] = `mode`). The way to test code that reads
/// the environment without `set_var` (unsafe in edition 2024). The child's output is echoed.
pub fn run_child(test_name: &str, mode: &str, envs: &[(&str, &OsStr)]) -> Output {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => panic!("cannot find the test binary: {e}"),
    };
    let output = Command::new(exe)
        .args([test_name, "--exact", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env(CHILD_ENV, mode)
        .envs(envs.iter().copied())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => panic!("cannot run the test binary: {e}"),
    };
    eprintln!(
        "--- child {test_name} ({mode}) ---\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Like [`run_child`], and fail unless the child's test passed.
pub fn assert_child_passes(test_name: &str, mode: &str, envs: &[(&str, &OsStr)]) {
    let output = run_child(test_name, mode, envs);
    assert!(
        output.status.success(),
        "child test {test_name} ({mode}) failed"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("1 passed"),
        "child did not run {test_name}: {stdout}"
    );
}
