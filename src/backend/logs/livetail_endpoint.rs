//! Live tail against local emulators: strip the `stream-` host prefix.
//!
//! The SDK sends CloudWatch Logs `StartLiveTail` to `stream-<host>` (the operation's endpoint
//! prefix). On AWS that host exists; with an endpoint override (moto, LocalStack at
//! `http://127.0.0.1:5000`) it does not resolve, so live tail could never work locally. This
//! interceptor is installed on the logs client only when an endpoint override is in effect, and
//! rewrites `stream-HOST` back to `HOST` before the request is signed (the signature then covers
//! the host that is really used).

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// The host prefix the SDK adds for live tail.
pub const STREAM_PREFIX: &str = "stream-";

/// Rewrites `scheme://stream-HOST…` to `scheme://HOST…`; other requests pass untouched.
#[derive(Debug, Clone, Copy, Default)]
pub struct StripStreamPrefix;

impl Intercept for StripStreamPrefix {
    fn name(&self) -> &'static str {
        "OpsdeckStripStreamPrefix"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let request = context.request_mut();
        if let Some(uri) = strip_stream_prefix(request.uri()) {
            tracing::trace!(%uri, "live tail: endpoint override, host prefix removed");
            request.set_uri(uri)?;
            // A Host header set earlier would still name the prefixed host.
            if let Some(host) = request
                .headers()
                .get("host")
                .and_then(|h| h.strip_prefix(STREAM_PREFIX))
                .map(str::to_string)
            {
                request.headers_mut().insert("host", host);
            }
        }
        Ok(())
    }
}

/// `http://stream-127.0.0.1:5000/` → `Some("http://127.0.0.1:5000/")`; `None` when the host
/// has no `stream-` prefix.
pub fn strip_stream_prefix(uri: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let host = rest.strip_prefix(STREAM_PREFIX)?;
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_host_prefix_is_stripped() {
        assert_eq!(
            strip_stream_prefix("http://stream-127.0.0.1:5000/").as_deref(),
            Some("http://127.0.0.1:5000/")
        );
        assert_eq!(
            strip_stream_prefix("https://stream-localhost.localstack.cloud:4566/x?y=stream-")
                .as_deref(),
            Some("https://localhost.localstack.cloud:4566/x?y=stream-")
        );
        assert_eq!(strip_stream_prefix("http://127.0.0.1:5000/stream-"), None);
        assert_eq!(strip_stream_prefix("stream-host"), None);
    }
}
