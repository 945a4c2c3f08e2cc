//! `credential_process` run under opsdeck's control: one child at a time, a deadline, and the
//! child's whole process group killed when the deadline passes.
//!
//! aws-config's own provider runs the command with tokio's `output()` and no `kill_on_drop`:
//! when the identity cache's load timeout drops that future, the child keeps running, and the
//! next refresh starts another one. A helper that hangs (waiting on a browser login, a locked
//! keychain, a dead VPN) piled up one child per refresh. Here every refresh runs in a task of
//! its own that always ends by itself: callers share that one refresh, and a caller that gives
//! up does not leave a child behind.
//!
//! The output format is the documented one: a JSON object with `Version` 1, `AccessKeyId`,
//! `SecretAccessKey` and optionally `SessionToken`, `Expiration` (RFC 3339) and `AccountId`.

use std::process::Stdio;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use aws_config::environment::credentials::EnvironmentVariableCredentialsProvider;
use aws_config::meta::credentials::CredentialsProviderChain;
use aws_config::profile::ProfileSet;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{self, ProvideCredentials, future};
use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Profile keys that make aws-config resolve the profile some other way before it looks at
/// `credential_process` (roles, web identity, SSO, console login): those profiles keep
/// aws-config's own chain.
const TAKES_PRECEDENCE: &[&str] = &[
    "role_arn",
    "credential_source",
    "web_identity_token_file",
    "sso_session",
    "sso_start_url",
    "login_session",
];

/// The credentials provider for `profile` when it is a `credential_process` profile: the
/// environment's credentials first (as in aws-config's default chain), then the process.
/// `None` for every other kind of profile.
pub(super) fn for_profile(
    profiles: &ProfileSet,
    profile: &str,
    timeout: Duration,
) -> Option<CredentialsProviderChain> {
    let found = profiles.get_profile(profile)?;
    let command = found.get("credential_process")?.trim();
    if command.is_empty() || TAKES_PRECEDENCE.iter().any(|key| found.get(key).is_some()) {
        return None;
    }
    let process = ProcessCredentials::new(command, timeout);
    Some(
        CredentialsProviderChain::first_try(
            "Environment",
            EnvironmentVariableCredentialsProvider::new(),
        )
        .or_else("CredentialProcess", process),
    )
}

/// The `credential_process` helper gave no answer in time; it was killed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("credential_process gave no credentials within {} s and was stopped", .timeout.as_secs_f32())]
pub struct ProcessTimedOut {
    pub timeout: Duration,
}

/// Why one run of the helper gave no credentials (cloneable, so waiters can share it).
#[derive(Debug, Clone)]
enum Failure {
    TimedOut(ProcessTimedOut),
    Failed(String),
}

impl Failure {
    fn into_error(self) -> CredentialsError {
        match self {
            Failure::TimedOut(timeout) => CredentialsError::provider_error(timeout),
            Failure::Failed(detail) => CredentialsError::provider_error(detail),
        }
    }
}

type Refresh = Shared<BoxFuture<'static, Result<Credentials, Failure>>>;

/// Runs `credential_process`; concurrent callers share the one run in flight.
///
/// The SDK's identity cache lets one caller load at a time and the others queue behind it;
/// when a run times out, the next in the queue would start the helper again and wait as
/// long. So a run that timed out is the answer for as long again as its timeout: the
/// queued requests (and refreshes in that time) fail at once with the same message.
#[derive(Debug)]
pub struct ProcessCredentials {
    command: String,
    timeout: Duration,
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    in_flight: Option<Refresh>,
    /// When the last run timed out, and how.
    timed_out: Option<(Instant, ProcessTimedOut)>,
}

impl ProcessCredentials {
    /// `command` runs through `sh -c`, as the AWS CLI and SDKs run it.
    pub fn new(command: impl Into<String>, timeout: Duration) -> Self {
        Self {
            command: command.into(),
            timeout,
            state: Arc::default(),
        }
    }

    async fn credentials(&self) -> provider::Result {
        let refresh = {
            let mut state = lock(&self.state);
            if let Some((at, timed_out)) = &state.timed_out
                && at.elapsed() < self.timeout
            {
                return Err(Failure::TimedOut(timed_out.clone()).into_error());
            }
            match state.in_flight.as_ref() {
                Some(refresh) => refresh.clone(),
                None => {
                    let refresh = self.start();
                    state.in_flight = Some(refresh.clone());
                    refresh
                }
            }
        };
        refresh.await.map_err(Failure::into_error)
    }

    /// Spawn the run: it goes on (and kills its child at the deadline) even when every caller
    /// has stopped waiting, then frees the slot for the next refresh.
    fn start(&self) -> Refresh {
        let command = self.command.clone();
        let timeout = self.timeout;
        let state = self.state.clone();
        let task = tokio::spawn(async move {
            let result = run(&command, timeout).await;
            let mut state = lock(&state);
            state.in_flight = None;
            state.timed_out = match &result {
                Err(Failure::TimedOut(timed_out)) => Some((Instant::now(), timed_out.clone())),
                _ => None,
            };
            result
        });
        task.map(|joined| {
            joined.unwrap_or_else(|e| Err(Failure::Failed(format!("credential_process: {e}"))))
        })
        .boxed()
        .shared()
    }
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The state is two plain Options: a panic cannot leave it half-written.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Run the helper once, in a process group of its own so that its children die with it.
async fn run(command: &str, timeout: Duration) -> Result<Credentials, Failure> {
    tracing::debug!("running credential_process");
    let mut child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| Failure::Failed(format!("credential_process could not start: {e}")))?;
    let mut group = GroupGuard(
        child
            .id()
            .and_then(|pid| rustix::process::Pid::from_raw(pid as i32)),
    );
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let finished = tokio::time::timeout(timeout, async {
        tokio::join!(child.wait(), read_all(stdout), read_all(stderr))
    })
    .await;
    let Ok((status, stdout, stderr)) = finished else {
        tracing::warn!(?timeout, "credential_process did not answer: killing it");
        group.kill();
        let _ = child.kill().await;
        return Err(Failure::TimedOut(ProcessTimedOut { timeout }));
    };
    // The child is reaped: its pid (and group id) may be reused from now on.
    group.0 = None;
    let status = status.map_err(|e| Failure::Failed(format!("credential_process: {e}")))?;
    if !status.success() {
        return Err(Failure::Failed(format!(
            "credential_process failed ({status}): {}",
            String::from_utf8_lossy(&stderr).trim()
        )));
    }
    parse(&stdout).map_err(|e| Failure::Failed(format!("credential_process output: {e}")))
}

/// Kills the helper's process group when dropped while the helper is still ours (the task
/// aborted at shutdown, the deadline passed).
struct GroupGuard(Option<rustix::process::Pid>);

impl GroupGuard {
    fn kill(&mut self) {
        if let Some(pid) = self.0.take() {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

impl Drop for GroupGuard {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn read_all(pipe: Option<impl AsyncRead + Unpin>) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.read_to_end(&mut out).await;
    }
    out
}

/// The helper's answer, as documented for `credential_process`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    version: i64,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<String>,
    account_id: Option<String>,
}

fn parse(stdout: &[u8]) -> Result<Credentials, String> {
    let out: Output = serde_json::from_slice(stdout).map_err(|e| e.to_string())?;
    if out.version != 1 {
        return Err(format!("unknown Version {}", out.version));
    }
    let mut builder = Credentials::builder()
        .access_key_id(out.access_key_id)
        .secret_access_key(out.secret_access_key)
        .provider_name("CredentialProcess");
    if let Some(token) = out.session_token {
        builder = builder.session_token(token);
    }
    if let Some(expiration) = out.expiration {
        let at = time::OffsetDateTime::parse(
            &expiration,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|e| format!("Expiration {expiration:?}: {e}"))?;
        builder = builder.expiry(SystemTime::from(at));
    }
    if let Some(account) = out.account_id {
        builder = builder.account_id(account);
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_output_is_read() {
        let creds = parse(
            br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "secret",
                "SessionToken": "token", "Expiration": "2030-05-02T18:36:00Z",
                "AccountId": "123456789012"}"#,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "secret");
        assert_eq!(creds.session_token(), Some("token"));
        assert!(creds.expiry().is_some());
        assert_eq!(creds.account_id().map(|a| a.as_str()), Some("123456789012"));
        let bare = parse(br#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "S"}"#).unwrap();
        assert_eq!(bare.expiry(), None);
        assert!(parse(br#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "S"}"#).is_err());
        assert!(parse(b"not json").is_err());
    }

    #[tokio::test]
    async fn a_failing_helper_says_why() {
        let provider = ProcessCredentials::new("echo nope >&2; exit 3", Duration::from_secs(5));
        let err = provider.provide_credentials().await.unwrap_err();
        let text = aws_smithy_types::error::display::DisplayErrorContext(&err).to_string();
        assert!(text.contains("nope"), "{text}");
    }
}
