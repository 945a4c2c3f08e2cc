//! A profile whose `credential_process` never answers.

use std::ffi::OsStr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use opsdeck::backend::{AwsEcs, AwsTarget, connect};

use super::moto::REGION;
use super::{TestResult, common};

/// Child mode: the AWS config names only the hanging helper's profile.
const HUNG_HELPER: &str = "hung-helper";

/// The helper: a shell that starts a child of its own and waits on it forever, writing both
/// pids (`SHELL CHILD`) to `pids` first.
fn write_helper(dir: &Path, pids: &Path) -> std::io::Result<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("hang.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nsleep 100000 &\necho \"$$ $!\" >> '{}'\nwait\n",
            pids.display()
        ),
    )?;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))?;
    Ok(script)
}

/// The helper runs started so far, as (shell pid, its child's pid).
fn runs(pids: &Path) -> Vec<(u32, u32)> {
    let text = std::fs::read_to_string(pids).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (shell, child) = line.split_once(' ')?;
            Some((shell.parse().ok()?, child.parse().ok()?))
        })
        .collect()
}

/// Running, or asleep: not gone and not a zombie waiting to be reaped.
fn alive(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // `pid (comm) STATE ...`; comm may hold spaces, the state follows the last `)`.
    let state = stat
        .rsplit(')')
        .next()
        .and_then(|rest| rest.trim().chars().next());
    !matches!(state, Some('Z' | 'X') | None)
}

fn alive_runs(pids: &Path) -> usize {
    runs(pids)
        .iter()
        .filter(|(shell, child)| alive(*shell) || alive(*child))
        .count()
}

#[tokio::test]
async fn a_hung_credential_process_is_run_once_and_killed() -> TestResult {
    let dir = match common::child_mode() {
        Some(mode) => {
            assert_eq!(mode, HUNG_HELPER);
            std::path::PathBuf::from(std::env::var("OPSDECK_TEST_DIR")?)
        }
        None => {
            let home = tempfile::tempdir()?;
            let pids = home.path().join("pids");
            let helper = write_helper(home.path(), &pids)?;
            let config = home.path().join("config");
            std::fs::write(
                &config,
                format!(
                    "[profile hung]\nregion = {REGION}\ncredential_process = {}\n",
                    helper.display()
                ),
            )?;
            let credentials = home.path().join("credentials");
            std::fs::write(&credentials, "")?;
            common::assert_child_passes(
                "credentials::a_hung_credential_process_is_run_once_and_killed",
                HUNG_HELPER,
                &[
                    ("HOME", home.path().as_os_str()),
                    ("PATH", OsStr::new("/usr/local/bin:/usr/bin:/bin")),
                    ("OPSDECK_TEST_DIR", home.path().as_os_str()),
                    ("AWS_CONFIG_FILE", config.as_os_str()),
                    ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_os_str()),
                    ("AWS_EC2_METADATA_DISABLED", OsStr::new("true")),
                ],
            );
            // Nothing survives the test either.
            assert_eq!(
                alive_runs(&pids),
                0,
                "helpers left running: {:?}",
                runs(&pids)
            );
            return Ok(());
        }
    };
    let pids = dir.join("pids");
    // Credentials are resolved before anything is sent: no server is needed.
    let target = AwsTarget {
        profile: Some("hung".to_string()),
        endpoint_url: Some("http://127.0.0.1:9".to_string()),
        max_attempts: 1,
        credential_timeout: Duration::from_secs(1),
        ..AwsTarget::default()
    };
    let clients = connect(&target).await?;

    // Watch how many helper runs are alive at once while the refreshes go on.
    let most_alive = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (most_alive, done, pids) = (most_alive.clone(), done.clone(), pids.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                most_alive.fetch_max(alive_runs(&pids), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };

    let ecs = AwsEcs::from_clients(&clients);
    // Several views refreshing at once: one helper run, one answer for all of them.
    let together = futures::future::join_all((0..4).map(|_| ecs.clusters())).await;
    let mut messages: Vec<String> = together
        .into_iter()
        .map(|r| r.unwrap_err().user_message())
        .collect();
    assert_eq!(runs(&pids).len(), 1, "{:?}", runs(&pids));
    // Right after, the same answer without starting the helper again.
    messages.push(clients.account_id().await.unwrap_err().user_message());
    assert_eq!(runs(&pids).len(), 1, "{:?}", runs(&pids));
    // Later refreshes (the refresh timer) try again, one run each.
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        messages.push(ecs.clusters().await.unwrap_err().user_message());
    }
    assert_eq!(runs(&pids).len(), 3, "{:?}", runs(&pids));

    // A killed helper may take a moment to be reaped.
    for _ in 0..100 {
        if alive_runs(&pids) == 0 {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done.store(true, Ordering::Relaxed);
    watcher.join().unwrap();

    assert_eq!(
        alive_runs(&pids),
        0,
        "helpers left running: {:?}",
        runs(&pids)
    );
    assert!(
        most_alive.load(Ordering::Relaxed) <= 1,
        "{} helpers were alive at once",
        most_alive.load(Ordering::Relaxed)
    );
    for message in &messages {
        assert_eq!(
            message,
            "the profile's credential_process gave no credentials within 1 s and was stopped: run it by hand to see why"
        );
    }
    // Nothing was sent without credentials.
    assert_eq!(clients.counter.total(), 0);
    Ok(())
}
