//! Building the clients: profiles, regions, missing credentials, dead and silent endpoints.
//!
//! Tests that depend on the environment run again in a child process with a controlled one
//! (`common::run_child`), since setting env vars is unsafe in edition 2024.

use std::error::Error;
use std::ffi::OsStr;
use std::net::TcpListener;
use std::time::Duration;

use opsdeck::backend::{AwsEcs, AwsTarget, BackendError, connect};

use super::{REGION, TestResult, common, moto_target};

/// Child mode: dummy static credentials in the environment, nothing else.
const DUMMY_CREDENTIALS: &str = "dummy-credentials";

/// Run `test` in a child whose only credentials are dummy ones, so a developer's own
/// AWS_PROFILE or expired SSO session cannot change the outcome. These tests need no moto.
fn with_dummy_credentials(test: &str) -> TestResult {
    let home = tempfile::tempdir()?;
    let (config, credentials) = write_aws_files(home.path(), "", "")?;
    common::assert_child_passes(
        test,
        DUMMY_CREDENTIALS,
        &[
            ("HOME", home.path().as_os_str()),
            ("AWS_CONFIG_FILE", config.as_os_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_os_str()),
            ("AWS_EC2_METADATA_DISABLED", OsStr::new("true")),
            ("AWS_ACCESS_KEY_ID", OsStr::new("testing")),
            ("AWS_SECRET_ACCESS_KEY", OsStr::new("testing")),
        ],
    );
    Ok(())
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_dead_endpoint_is_unreachable_after_one_attempt() -> TestResult {
    if common::child_mode().is_none() {
        return with_dummy_credentials("connect::a_dead_endpoint_is_unreachable_after_one_attempt");
    }
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    let target = AwsTarget {
        region: Some(REGION.to_string()),
        endpoint_url: Some(endpoint.clone()),
        max_attempts: 1,
        attempt_timeout: Duration::from_secs(30),
        ..AwsTarget::default()
    };
    let clients = connect(&target).await?;
    let ecs = AwsEcs::from_clients(&clients);
    let err = ecs.clusters().await.unwrap_err();
    // Refused, not a timeout after the 30 s attempt timeout.
    assert!(
        matches!(&err, BackendError::Refused { endpoint: e } if *e == endpoint),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert!(
        err.user_message()
            .starts_with(&format!("cannot reach {endpoint}"))
    );
    assert_eq!(clients.counter.get("ListClusters"), 1);
    Ok(())
}

#[tokio::test]
async fn retries_are_counted_as_requests() -> TestResult {
    if common::child_mode().is_none() {
        return with_dummy_credentials("connect::retries_are_counted_as_requests");
    }
    // A silent endpoint: attempts time out and are retried (a refused one is not).
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let target = AwsTarget {
        region: Some(REGION.to_string()),
        endpoint_url: Some(format!("http://{}", listener.local_addr()?)),
        max_attempts: 3,
        attempt_timeout: Duration::from_millis(300),
        ..AwsTarget::default()
    };
    let clients = connect(&target).await?;
    let err = AwsEcs::from_clients(&clients).clusters().await.unwrap_err();
    assert!(matches!(err, BackendError::Timeout { .. }), "{err:?}");
    assert_eq!(clients.counter.get("ListClusters"), 3);
    drop(listener);
    Ok(())
}

#[tokio::test]
async fn a_silent_endpoint_times_out() -> TestResult {
    if common::child_mode().is_none() {
        return with_dummy_credentials("connect::a_silent_endpoint_times_out");
    }
    // Accepts connections (the kernel does) but never answers.
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let target = AwsTarget {
        region: Some(REGION.to_string()),
        endpoint_url: Some(format!("http://{}", listener.local_addr()?)),
        max_attempts: 1,
        attempt_timeout: Duration::from_millis(500),
        ..AwsTarget::default()
    };
    let clients = connect(&target).await?;
    let err = AwsEcs::from_clients(&clients).clusters().await.unwrap_err();
    assert_eq!(
        err,
        BackendError::Timeout {
            operation: "ListClusters"
        }
    );
    drop(listener);
    Ok(())
}

/// Child mode: no credentials anywhere (empty HOME and AWS files, no env credentials).
const NO_CREDENTIALS: &str = "no-credentials";
/// Child mode: profiles from the test's own config files.
const PROFILE_FILES: &str = "profile-files";
/// Child mode: `AWS_PROFILE` names a profile that does not exist.
const ENV_PROFILE: &str = "env-profile";

#[tokio::test]
async fn no_credentials_say_how_to_log_in() -> TestResult {
    let Some(mode) = common::child_mode() else {
        let Some(url) = common::moto_url() else {
            return Ok(());
        };
        let home = tempfile::tempdir()?;
        let (config, credentials) = write_aws_files(home.path(), "", "")?;
        common::assert_child_passes(
            "connect::no_credentials_say_how_to_log_in",
            NO_CREDENTIALS,
            &[
                ("HOME", home.path().as_os_str()),
                ("AWS_CONFIG_FILE", config.as_os_str()),
                ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_os_str()),
                ("AWS_EC2_METADATA_DISABLED", OsStr::new("true")),
                ("AWS_REGION", OsStr::new(REGION)),
                (common::MOTO_URL_ENV, OsStr::new(&url)),
            ],
        );
        return Ok(());
    };
    assert_eq!(mode, NO_CREDENTIALS);
    let url = std::env::var(common::MOTO_URL_ENV)?;
    let clients = connect(&AwsTarget {
        region: None,
        ..moto_target(&url)
    })
    .await?;
    assert_eq!(clients.region, REGION, "region from AWS_REGION");
    assert_eq!(clients.profile, "default");
    let err = AwsEcs::from_clients(&clients).clusters().await.unwrap_err();
    assert_eq!(err, BackendError::NoCredentials);
    assert_eq!(
        err.user_message(),
        "no AWS credentials found: run `aws sso login` or set AWS_PROFILE"
    );
    assert_eq!(clients.account_id().await, Err(BackendError::NoCredentials));
    // Nothing was sent: credentials are resolved before the request goes out.
    assert_eq!(clients.counter.total(), 0);
    Ok(())
}

#[tokio::test]
async fn profiles_are_checked_up_front() -> TestResult {
    let Some(mode) = common::child_mode() else {
        let Some(url) = common::moto_url() else {
            return Ok(());
        };
        let home = tempfile::tempdir()?;
        let (config, credentials) = write_aws_files(
            home.path(),
            "[profile known]\nregion = eu-central-1\n",
            "[known]\naws_access_key_id = AKIDTESTKNOWN\naws_secret_access_key = testsecret\n",
        )?;
        let mut envs = vec![
            ("HOME", home.path().as_os_str()),
            ("AWS_CONFIG_FILE", config.as_os_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_os_str()),
            ("AWS_EC2_METADATA_DISABLED", OsStr::new("true")),
            (common::MOTO_URL_ENV, OsStr::new(&url)),
        ];
        common::assert_child_passes(
            "connect::profiles_are_checked_up_front",
            PROFILE_FILES,
            &envs,
        );
        envs.push(("AWS_PROFILE", OsStr::new("ghost")));
        common::assert_child_passes("connect::profiles_are_checked_up_front", ENV_PROFILE, &envs);
        return Ok(());
    };
    let url = std::env::var(common::MOTO_URL_ENV)?;
    let no_region = AwsTarget {
        region: None,
        ..moto_target(&url)
    };
    if mode == ENV_PROFILE {
        let err = connect(&no_region).await.unwrap_err();
        assert_eq!(err, BackendError::UnknownProfile("ghost".to_string()));
        return Ok(());
    }
    assert_eq!(mode, PROFILE_FILES);

    let missing = AwsTarget {
        profile: Some("missing".to_string()),
        ..no_region.clone()
    };
    let err = connect(&missing).await.unwrap_err();
    assert_eq!(err, BackendError::UnknownProfile("missing".to_string()));
    assert!(err.user_message().contains("`missing`"));

    // The default profile has no region and neither has the environment.
    assert_eq!(
        connect(&no_region).await.unwrap_err(),
        BackendError::NoRegion
    );

    // A known profile brings its region and its credentials.
    let known = AwsTarget {
        profile: Some("known".to_string()),
        ..no_region
    };
    let clients = connect(&known).await?;
    assert_eq!(clients.profile, "known");
    assert_eq!(clients.region, "eu-central-1");
    assert_eq!(clients.endpoint.as_deref(), Some(url.as_str()));
    AwsEcs::from_clients(&clients).clusters().await?;
    assert_eq!(clients.account_id().await?, "123456789012");
    Ok(())
}

fn write_aws_files(
    dir: &std::path::Path,
    config: &str,
    credentials: &str,
) -> Result<(std::path::PathBuf, std::path::PathBuf), Box<dyn Error>> {
    let config_path = dir.join("config");
    let credentials_path = dir.join("credentials");
    std::fs::write(&config_path, config)?;
    std::fs::write(&credentials_path, credentials)?;
    Ok((config_path, credentials_path))
}
