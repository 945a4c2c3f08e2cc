//! What can go wrong talking to AWS, classified so the UI can print one line that names the cause
//! and what to do. The full error chain goes to the log (tracing, debug level), never to the screen.

use std::error::Error as StdError;

use aws_config::imds::client::error::ImdsError;
use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::credentials::ProcessTimedOut;
use super::retry::is_refused;

/// Longest AWS-provided message kept in an error (the UI shows one line).
const MAX_MESSAGE: usize = 160;

/// An AWS backend failure, with a one-line [`Display`](std::fmt::Display) meant for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error("no AWS credentials found: run `aws sso login` or set AWS_PROFILE")]
    NoCredentials,
    #[error("AWS credentials have expired: run `aws sso login` or refresh them, then retry")]
    ExpiredCredentials,
    #[error("AWS rejected the credentials ({code}): check the profile or run `aws sso login`")]
    InvalidCredentials { code: String },
    #[error("AWS credentials could not be loaded: {detail}")]
    CredentialsFailed { detail: String },
    #[error(
        "the profile's credential_process gave no credentials within {} s and was stopped: run it by hand to see why",
        .timeout.as_secs_f32()
    )]
    CredentialProcessTimedOut { timeout: std::time::Duration },
    #[error(
        "AWS profile `{0}` is not in ~/.aws/config or ~/.aws/credentials: check --profile or AWS_PROFILE"
    )]
    UnknownProfile(String),
    #[error("no AWS region: pass --region, set AWS_REGION or add region to the profile")]
    NoRegion,
    #[error("the AWS config files could not be read: {detail}")]
    BadProfileFile { detail: String },
    #[error("access denied on {operation}: {message} — check the role's permissions")]
    AccessDenied {
        operation: &'static str,
        message: String,
    },
    #[error("cannot reach {endpoint}: {detail} — check the network, VPN or --endpoint-url")]
    Unreachable { endpoint: String, detail: String },
    #[error(
        "cannot reach {endpoint}: it refuses connections — check --endpoint-url or that the service is up"
    )]
    Refused { endpoint: String },
    #[error("{operation} timed out: check the network or VPN")]
    Timeout { operation: &'static str },
    /// Said after the SDK's own retries (backoff with jitter) ran out; the next refresh tries
    /// again by itself.
    #[error(
        "AWS is throttling {} — retrying on the next refresh",
        super::operations::action(operation)
    )]
    Throttled { operation: &'static str },
    #[error("not found: {what}")]
    NotFound { what: String },
    #[error("AWS {code} on {operation}: {message}")]
    Api {
        operation: &'static str,
        code: String,
        message: String,
    },
    #[error("{0}")]
    Other(String),
}

/// What [`BackendError::Unreachable`] names when the caller has not said which endpoint it used.
const DEFAULT_ENDPOINT_LABEL: &str = "the AWS endpoint";

impl BackendError {
    /// Classify an SDK error from `operation` (e.g. `"DescribeServices"`).
    ///
    /// Works for every AWS service client: they all answer with
    /// `SdkError<OperationError, HttpResponse>`.
    pub fn from_sdk<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        tracing::debug!(operation, error = %DisplayErrorContext(&err), "AWS call failed");
        if let Some(found) = credentials_problem(&err) {
            return found;
        }
        match &err {
            SdkError::ConstructionFailure(_) => {
                BackendError::Other(format!("{operation}: the request could not be built"))
            }
            SdkError::TimeoutError(_) => BackendError::Timeout { operation },
            SdkError::DispatchFailure(failure) => {
                if failure.is_timeout() {
                    BackendError::Timeout { operation }
                } else if failure.is_io() && is_refused(&err) {
                    BackendError::Refused {
                        endpoint: DEFAULT_ENDPOINT_LABEL.to_string(),
                    }
                } else if failure.is_io() {
                    BackendError::Unreachable {
                        endpoint: DEFAULT_ENDPOINT_LABEL.to_string(),
                        detail: innermost(&err),
                    }
                } else {
                    BackendError::Other(format!("{operation}: {}", innermost(&err)))
                }
            }
            SdkError::ResponseError(response) => {
                let status = response.raw().status().as_u16();
                BackendError::Api {
                    operation,
                    code: format!("HTTP {status}"),
                    message: "unexpected response".to_string(),
                }
            }
            SdkError::ServiceError(service) => {
                let status = service.raw().status().as_u16();
                let code = service.err().code().map(str::to_string);
                let message = service.err().message().map(one_line).unwrap_or_default();
                from_code(operation, code, message, status)
            }
            _ => BackendError::Other(format!("{operation}: {}", innermost(&err))),
        }
    }

    /// One short line for the status bar.
    pub fn user_message(&self) -> String {
        one_line(&self.to_string())
    }

    /// Worth retrying on the next refresh without the user doing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            BackendError::Timeout { .. }
            | BackendError::Throttled { .. }
            | BackendError::Unreachable { .. }
            | BackendError::Refused { .. } => true,
            BackendError::Api { code, .. } => is_server_fault(code),
            _ => false,
        }
    }

    /// Name the endpoint in an [`BackendError::Unreachable`] or [`BackendError::Refused`]
    /// (other errors pass through).
    pub fn with_endpoint(self, endpoint: &str) -> BackendError {
        match self {
            BackendError::Unreachable { detail, .. } => BackendError::Unreachable {
                endpoint: endpoint.to_string(),
                detail,
            },
            BackendError::Refused { .. } => BackendError::Refused {
                endpoint: endpoint.to_string(),
            },
            other => other,
        }
    }

    /// Say what was not found (e.g. `cluster prod`), replacing AWS's generic message.
    pub fn with_not_found(self, what: impl Into<String>) -> BackendError {
        match self {
            BackendError::NotFound { .. } => BackendError::NotFound { what: what.into() },
            other => other,
        }
    }
}

/// Classify a service error by its code.
fn from_code(
    operation: &'static str,
    code: Option<String>,
    message: String,
    status: u16,
) -> BackendError {
    let Some(code) = code else {
        return BackendError::Api {
            operation,
            code: format!("HTTP {status}"),
            message: if message.is_empty() {
                "unexpected response".to_string()
            } else {
                message
            },
        };
    };
    match code.as_str() {
        "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => {
            BackendError::ExpiredCredentials
        }
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "AuthFailure"
        | "SignatureDoesNotMatch"
        | "IncompleteSignature"
        | "InvalidSignatureException"
        | "MissingAuthenticationToken" => BackendError::InvalidCredentials { code },
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
            BackendError::AccessDenied { operation, message }
        }
        "ThrottlingException"
        | "Throttling"
        | "ThrottledException"
        | "RequestThrottledException"
        | "RequestThrottled"
        | "TooManyRequestsException"
        | "RequestLimitExceeded"
        | "ProvisionedThroughputExceededException"
        | "SlowDown"
        | "BandwidthLimitExceeded"
        | "PriorRequestNotComplete"
        | "EC2ThrottledException" => BackendError::Throttled { operation },
        c if c.ends_with("NotFoundException")
            || c.ends_with(".NotFound")
            || c == "NotFound"
            || c == "ResourceNotFound" =>
        {
            BackendError::NotFound {
                what: if message.is_empty() { code } else { message },
            }
        }
        _ => BackendError::Api {
            operation,
            code,
            message,
        },
    }
}

/// Error codes AWS uses for its own (retryable) faults.
fn is_server_fault(code: &str) -> bool {
    matches!(
        code,
        "ServerException"
            | "InternalFailure"
            | "InternalError"
            | "InternalServerError"
            | "ServiceUnavailable"
            | "ServiceUnavailableException"
    ) || code.starts_with("HTTP 5")
}

/// A credential-provider failure anywhere in the chain (identity resolution fails before a
/// request is sent; the SDK reports it as a dispatch or construction failure).
fn credentials_problem(err: &(dyn StdError + 'static)) -> Option<BackendError> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(cred) = e.downcast_ref::<CredentialsError>() {
            return Some(classify_credentials(cred));
        }
        current = e.source();
    }
    None
}

fn classify_credentials(err: &CredentialsError) -> BackendError {
    if let Some(timed_out) = find::<ProcessTimedOut>(err) {
        return BackendError::CredentialProcessTimedOut {
            timeout: timed_out.timeout,
        };
    }
    let chain = DisplayErrorContext(err).to_string();
    if chain.to_ascii_lowercase().contains("expired") {
        return BackendError::ExpiredCredentials;
    }
    match err {
        CredentialsError::CredentialsNotLoaded(_) => BackendError::NoCredentials,
        // Instance metadata is the chain's last resort: when it answers with an error (403 off
        // EC2 behind some proxies, 401 in containers past the hop limit), nothing else had
        // credentials either.
        _ if chain_has::<ImdsError>(err) => BackendError::NoCredentials,
        _ => BackendError::CredentialsFailed {
            detail: innermost(err),
        },
    }
}

fn chain_has<T: StdError + 'static>(err: &(dyn StdError + 'static)) -> bool {
    find::<T>(err).is_some()
}

/// The first error of type `T` in the chain.
fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// The most specific message in an error chain, on one short line.
fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    one_line(&last.to_string())
}

/// Collapse whitespace (AWS messages can hold newlines) and cap the length.
pub(crate) fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= MAX_MESSAGE {
        return joined;
    }
    let mut cut: String = joined.chars().take(MAX_MESSAGE - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str, message: &str) -> BackendError {
        from_code("DescribeServices", Some(code.into()), message.into(), 400)
    }

    #[test]
    fn service_codes_map_to_causes() {
        assert_eq!(
            api("ExpiredTokenException", "x"),
            BackendError::ExpiredCredentials
        );
        assert_eq!(
            api("AccessDeniedException", "no ecs:DescribeServices"),
            BackendError::AccessDenied {
                operation: "DescribeServices",
                message: "no ecs:DescribeServices".into()
            }
        );
        assert_eq!(
            api("ThrottlingException", "Rate exceeded"),
            BackendError::Throttled {
                operation: "DescribeServices"
            }
        );
        assert_eq!(
            api("ClusterNotFoundException", "Cluster not found."),
            BackendError::NotFound {
                what: "Cluster not found.".into()
            }
        );
        assert_eq!(
            api("InvalidInstanceID.NotFound", ""),
            BackendError::NotFound {
                what: "InvalidInstanceID.NotFound".into()
            }
        );
        assert!(matches!(
            api("UnrecognizedClientException", ""),
            BackendError::InvalidCredentials { .. }
        ));
        assert!(matches!(
            api("InvalidParameterException", "bad"),
            BackendError::Api { .. }
        ));
    }

    #[test]
    fn missing_code_keeps_the_status() {
        let err = from_code("ExecuteCommand", None, String::new(), 500);
        assert_eq!(
            err.user_message(),
            "AWS HTTP 500 on ExecuteCommand: unexpected response"
        );
        assert!(err.is_transient());
    }

    #[test]
    fn transient_errors_are_the_retryable_ones() {
        assert!(BackendError::Timeout { operation: "X" }.is_transient());
        assert!(BackendError::Throttled { operation: "X" }.is_transient());
        assert!(!BackendError::NoCredentials.is_transient());
        assert!(!api("AccessDeniedException", "").is_transient());
        assert!(api("ServerException", "").is_transient());
    }

    #[test]
    fn credential_errors_are_found_in_the_chain() {
        let not_loaded = CredentialsError::not_loaded("no providers in chain provided credentials");
        assert_eq!(
            credentials_problem(&not_loaded),
            Some(BackendError::NoCredentials)
        );
        let expired = CredentialsError::provider_error("the SSO token has expired");
        assert_eq!(
            credentials_problem(&expired),
            Some(BackendError::ExpiredCredentials)
        );
        let other = CredentialsError::invalid_configuration("profile loops");
        assert_eq!(
            credentials_problem(&other),
            Some(BackendError::CredentialsFailed {
                detail: "profile loops".into()
            })
        );
    }

    #[test]
    fn messages_are_one_short_line() {
        let err = BackendError::Api {
            operation: "X",
            code: "C".into(),
            message: one_line(&format!("a\nb {}", "z".repeat(400))),
        };
        let line = err.user_message();
        assert!(!line.contains('\n'));
        assert!(line.chars().count() <= MAX_MESSAGE);
        assert_eq!(
            BackendError::NoCredentials.user_message(),
            "no AWS credentials found: run `aws sso login` or set AWS_PROFILE"
        );
    }

    #[test]
    fn throttling_is_said_as_such() {
        use aws_sdk_ecs::operation::describe_services::DescribeServicesError;
        use aws_smithy_types::body::SdkBody;
        use aws_smithy_types::error::ErrorMetadata;
        let throttled = |code: &str| {
            let meta = ErrorMetadata::builder()
                .code(code)
                .message("Rate exceeded")
                .build();
            let raw = HttpResponse::new(400.try_into().unwrap(), SdkBody::empty());
            let err: SdkError<DescribeServicesError, HttpResponse> =
                SdkError::service_error(DescribeServicesError::generic(meta), raw);
            BackendError::from_sdk("DescribeServices", err)
        };
        let err = throttled("ThrottlingException");
        assert_eq!(
            err.user_message(),
            "AWS is throttling ecs:DescribeServices — retrying on the next refresh"
        );
        assert!(err.is_transient());
        assert_eq!(
            throttled("TooManyRequestsException"),
            BackendError::Throttled {
                operation: "DescribeServices"
            }
        );
    }

    #[test]
    fn a_refused_connect_is_named_as_such() {
        use aws_sdk_ecs::operation::list_clusters::ListClustersError;
        use aws_smithy_runtime_api::client::result::ConnectorError;
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let err: SdkError<ListClustersError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(Box::new(refused)));
        let err = BackendError::from_sdk("ListClusters", err).with_endpoint("http://127.0.0.1:9");
        assert_eq!(
            err.user_message(),
            "cannot reach http://127.0.0.1:9: it refuses connections — check --endpoint-url or that the service is up"
        );
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        let err: SdkError<ListClustersError, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::io(Box::new(reset)));
        assert!(matches!(
            BackendError::from_sdk("ListClusters", err),
            BackendError::Unreachable { .. }
        ));
    }

    #[test]
    fn endpoint_and_not_found_context_can_be_added() {
        let err = BackendError::Unreachable {
            endpoint: DEFAULT_ENDPOINT_LABEL.into(),
            detail: "connection refused".into(),
        }
        .with_endpoint("http://127.0.0.1:9");
        assert!(
            err.user_message()
                .starts_with("cannot reach http://127.0.0.1:9")
        );
        let err =
            api("ClusterNotFoundException", "Cluster not found.").with_not_found("cluster prod");
        assert_eq!(err.user_message(), "not found: cluster prod");
    }
}
