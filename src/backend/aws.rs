//! Building the AWS clients once at start-up: profile, region, endpoint, timeouts and retries.
//!
//! Credentials come from aws-config's standard chain (environment, profile files with SSO,
//! assume-role and `credential_process`, container and instance credentials). The region is
//! resolved WITHOUT instance metadata (asking it costs seconds off EC2): explicit, then
//! `AWS_REGION`/`AWS_DEFAULT_REGION`, then the profile.

use std::borrow::Cow;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::Region;
use aws_config::SdkConfig;
use aws_config::identity::IdentityCache;
use aws_config::profile::ProfileSet;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_types::os_shim_internal::{Env, Fs};

use crate::backend::counter::ApiCounter;
use crate::backend::error::{BackendError, one_line};
use crate::backend::limiter::RateLimits;
use crate::backend::retry::RefusedIsFinal;

/// The profile aws-config uses when none is named.
const DEFAULT_PROFILE: &str = "default";

/// Where and how to talk to AWS (or an emulator such as moto or LocalStack).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsTarget {
    /// `--profile`; `None` falls back to `AWS_PROFILE`, then `default`.
    pub profile: Option<String>,
    /// `--region`; `None` falls back to `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile.
    pub region: Option<String>,
    /// `--endpoint-url`; `None` lets aws-config read `AWS_ENDPOINT_URL` (and the profile).
    pub endpoint_url: Option<String>,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt of one request.
    pub attempt_timeout: Duration,
    /// Attempts per request, first one included (standard retry mode). Tests use 1.
    pub max_attempts: u32,
    /// Time a profile's `credential_process` gets to answer before it is killed.
    pub credential_timeout: Duration,
}

impl Default for AwsTarget {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            connect_timeout: Duration::from_secs(3),
            attempt_timeout: Duration::from_secs(10),
            max_attempts: 3,
            credential_timeout: Duration::from_secs(10),
        }
    }
}

impl AwsTarget {
    /// The whole-operation budget: every attempt, plus room for the backoff between them.
    pub fn operation_timeout(&self) -> Duration {
        let attempts = self.max_attempts.max(1);
        self.attempt_timeout * attempts + Duration::from_secs(2) * (attempts - 1)
    }

    fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .operation_attempt_timeout(self.attempt_timeout)
            .operation_timeout(self.operation_timeout())
            .build()
    }

    /// Standard mode: throttling, 5xx faults and timeouts are retried with exponential backoff
    /// and full jitter (1 s base, 20 s cap), within the client's retry quota.
    fn retry_config(&self) -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(self.max_attempts.max(1))
            .with_initial_backoff(Duration::from_secs(1))
            .with_max_backoff(Duration::from_secs(20))
    }
}

/// Every AWS client opsdeck uses, built from one shared configuration.
#[derive(Debug, Clone)]
pub struct AwsClients {
    pub ecs: aws_sdk_ecs::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub autoscaling: aws_sdk_autoscaling::Client,
    pub sts: aws_sdk_sts::Client,
    /// Counts the requests of all the clients above.
    pub counter: ApiCounter,
    /// Paces the ECS describe calls of every adapter made from these clients.
    pub ecs_limits: RateLimits,
    pub region: String,
    /// The profile in use (`"default"` when none was named).
    pub profile: String,
    /// The endpoint override in effect (explicit, `AWS_ENDPOINT_URL` or the profile), if any.
    pub endpoint: Option<String>,
}

impl AwsClients {
    /// The account the credentials belong to (STS `GetCallerIdentity`). Also the cheapest way
    /// to find out at start-up whether the credentials work.
    pub async fn account_id(&self) -> Result<String, BackendError> {
        let out = self.sts.get_caller_identity().send().await.map_err(|e| {
            BackendError::from_sdk("GetCallerIdentity", e).with_endpoint(&self.endpoint_label())
        })?;
        Ok(out.account().unwrap_or_default().to_string())
    }

    /// What to call the endpoint in messages: the override, or the region's AWS endpoints.
    pub fn endpoint_label(&self) -> String {
        match &self.endpoint {
            Some(url) => url.clone(),
            None => format!("AWS in {}", self.region),
        }
    }
}

/// Resolve the profile and region, then build every client with timeouts, retries and the
/// request counter.
pub async fn connect(target: &AwsTarget) -> Result<AwsClients, BackendError> {
    let profiles = load_profiles(target).await?;
    let profile = profiles.selected_profile().to_string();
    if profile != DEFAULT_PROFILE && profiles.get_profile(&profile).is_none() {
        return Err(BackendError::UnknownProfile(profile));
    }
    let region = resolve_region(target, &profiles, &profile)?;
    tracing::debug!(%profile, %region, endpoint = ?target.endpoint_url, "building AWS clients");

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.clone()))
        .timeout_config(target.timeout_config())
        .retry_config(target.retry_config());
    if let Some(name) = &target.profile {
        loader = loader.profile_name(name);
    }
    if let Some(url) = &target.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(chain) =
        super::credentials::for_profile(&profiles, &profile, target.credential_timeout)
    {
        loader = loader.credentials_provider(chain);
    }
    // The cache's own load timeout (5 s by default) must not cut the helper's run short: the
    // helper's timeout is the one that kills it and says so.
    let cache = IdentityCache::lazy()
        .load_timeout(target.credential_timeout + Duration::from_secs(2))
        .build();
    loader = loader.identity_cache(cache);
    let sdk = loader.load().await;
    Ok(build_clients(&sdk, region, profile))
}

fn build_clients(sdk: &SdkConfig, region: String, profile: String) -> AwsClients {
    let counter = ApiCounter::new();
    let ecs = aws_sdk_ecs::config::Builder::from(sdk)
        .interceptor(counter.interceptor())
        .retry_classifier(RefusedIsFinal)
        .build();
    let mut logs = aws_sdk_cloudwatchlogs::config::Builder::from(sdk)
        .interceptor(counter.interceptor())
        .retry_classifier(RefusedIsFinal);
    if sdk.endpoint_url().is_some() {
        // Live tail's `stream-` host does not exist on local emulators.
        logs = logs.interceptor(crate::backend::logs::livetail_endpoint::StripStreamPrefix);
    }
    let logs = logs.build();
    let ec2 = aws_sdk_ec2::config::Builder::from(sdk)
        .interceptor(counter.interceptor())
        .retry_classifier(RefusedIsFinal)
        .build();
    let autoscaling = aws_sdk_autoscaling::config::Builder::from(sdk)
        .interceptor(counter.interceptor())
        .retry_classifier(RefusedIsFinal)
        .build();
    let sts = aws_sdk_sts::config::Builder::from(sdk)
        .interceptor(counter.interceptor())
        .retry_classifier(RefusedIsFinal)
        .build();
    AwsClients {
        ecs: aws_sdk_ecs::Client::from_conf(ecs),
        logs: aws_sdk_cloudwatchlogs::Client::from_conf(logs),
        ec2: aws_sdk_ec2::Client::from_conf(ec2),
        autoscaling: aws_sdk_autoscaling::Client::from_conf(autoscaling),
        sts: aws_sdk_sts::Client::from_conf(sts),
        counter,
        ecs_limits: RateLimits::default(),
        region,
        profile,
        endpoint: sdk.endpoint_url().map(str::to_string),
    }
}

/// `~/.aws/config` and `~/.aws/credentials` (or `AWS_CONFIG_FILE`/`AWS_SHARED_CREDENTIALS_FILE`),
/// with the selected profile: explicit, else `AWS_PROFILE`, else `default`.
async fn load_profiles(target: &AwsTarget) -> Result<ProfileSet, BackendError> {
    let selected = target.profile.clone().map(Cow::Owned);
    aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        // The default files: ~/.aws/config and ~/.aws/credentials, or the env overrides.
        &Default::default(),
        selected,
    )
    .await
    .map_err(|e| BackendError::BadProfileFile {
        detail: one_line(&e.to_string()),
    })
}

fn resolve_region(
    target: &AwsTarget,
    profiles: &ProfileSet,
    profile: &str,
) -> Result<String, BackendError> {
    let from_env = || {
        ["AWS_REGION", "AWS_DEFAULT_REGION"]
            .iter()
            .find_map(|key| std::env::var(key).ok().and_then(non_empty))
    };
    let from_profile = || {
        profiles
            .get_profile(profile)
            .and_then(|p| p.get("region"))
            .map(str::to_string)
            .and_then(non_empty)
    };
    target
        .region
        .clone()
        .and_then(non_empty)
        .or_else(from_env)
        .or_else(from_profile)
        .ok_or(BackendError::NoRegion)
}

fn non_empty(value: String) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_is_retried_in_standard_mode() {
        let retry = AwsTarget::default().retry_config();
        assert_eq!(retry.mode(), aws_config::retry::RetryMode::Standard);
        assert_eq!(retry.max_attempts(), 3);
        assert_eq!(retry.initial_backoff(), Duration::from_secs(1));
    }

    #[test]
    fn operation_timeout_covers_every_attempt() {
        let target = AwsTarget {
            attempt_timeout: Duration::from_secs(2),
            max_attempts: 3,
            ..AwsTarget::default()
        };
        assert_eq!(target.operation_timeout(), Duration::from_secs(10));
        let once = AwsTarget {
            max_attempts: 0,
            ..target
        };
        assert_eq!(once.operation_timeout(), Duration::from_secs(2));
    }
}
