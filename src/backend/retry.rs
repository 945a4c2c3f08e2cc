//! Which failures are worth another attempt within one request.
//!
//! The SDK's standard retry mode retries throttling (with exponential backoff and jitter),
//! AWS's 5xx faults, timeouts and every I/O error. A refused connection is an I/O error too,
//! but retrying it only delays the answer: nothing listens there, and the user waits 0.7–1.8 s
//! of backoff to learn it. [`RefusedIsFinal`] stops the retries for that one case.

use std::error::Error as StdError;
use std::io;

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};

/// Forbids retrying an attempt whose connection was refused.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefusedIsFinal;

impl ClassifyRetry for RefusedIsFinal {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let refused = match ctx.output_or_error() {
            Some(Err(err)) => err
                .as_connector_error()
                .is_some_and(|e| e.is_io() && is_refused(e)),
            _ => false,
        };
        if refused {
            RetryAction::RetryForbidden
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "OpsdeckRefusedIsFinal"
    }

    fn priority(&self) -> RetryClassifierPriority {
        // After the classifier that calls every I/O error transient.
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// A refused TCP connect anywhere in the error chain.
pub(crate) fn is_refused(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::ConnectionRefused)
        {
            return true;
        }
        current = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::result::ConnectorError;

    #[test]
    fn only_a_refused_connect_counts() {
        let refused =
            ConnectorError::io(Box::new(io::Error::from(io::ErrorKind::ConnectionRefused)));
        assert!(is_refused(&refused));
        let reset = ConnectorError::io(Box::new(io::Error::from(io::ErrorKind::ConnectionReset)));
        assert!(!is_refused(&reset));
    }
}
