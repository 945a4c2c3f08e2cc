//! An endpoint that refuses connections: one attempt, and a line that says so.

use std::ffi::OsStr;
use std::net::TcpListener;

use opsdeck::backend::{AwsEcs, AwsTarget, BackendError, connect};

use super::moto::REGION;
use super::{TestResult, common};

/// Child mode: dummy static credentials in the environment, nothing else.
const DUMMY_CREDENTIALS: &str = "dummy-credentials";

/// Run `test` in a child whose only credentials are dummy ones, so a developer's own
/// AWS_PROFILE or expired SSO session cannot change the outcome.
fn with_dummy_credentials(test: &str) -> TestResult {
    let home = tempfile::tempdir()?;
    let empty = home.path().join("empty");
    std::fs::write(&empty, "")?;
    common::assert_child_passes(
        test,
        DUMMY_CREDENTIALS,
        &[
            ("HOME", home.path().as_os_str()),
            ("AWS_CONFIG_FILE", empty.as_os_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", empty.as_os_str()),
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
async fn a_refused_connection_is_not_retried() -> TestResult {
    if common::child_mode().is_none() {
        return with_dummy_credentials("refused::a_refused_connection_is_not_retried");
    }
    let endpoint = format!("http://127.0.0.1:{}", closed_port());
    // Retries stay on for timeouts and throttling (tests/ecs_moto counts them).
    let target = AwsTarget {
        region: Some(REGION.to_string()),
        endpoint_url: Some(endpoint.clone()),
        max_attempts: 3,
        ..AwsTarget::default()
    };
    let clients = connect(&target).await?;
    let err = AwsEcs::from_clients(&clients).clusters().await.unwrap_err();
    assert_eq!(clients.counter.get("ListClusters"), 1, "one attempt");
    assert_eq!(
        err,
        BackendError::Refused {
            endpoint: endpoint.clone()
        }
    );
    assert_eq!(
        err.user_message(),
        format!(
            "cannot reach {endpoint}: it refuses connections — check --endpoint-url or that the service is up"
        )
    );
    assert!(err.is_transient(), "tried again on the next refresh");
    Ok(())
}
