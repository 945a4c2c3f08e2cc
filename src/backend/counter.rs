//! Counts the AWS requests opsdeck sends, per operation.
//!
//! One [`ApiCounter`] is shared by every client [`crate::backend::connect`] builds. Tests use it to prove
//! that listings are batched (25 services → 3 `DescribeServices`), the bench uses it to report
//! calls per refresh.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

/// Requests sent, by operation name (`"DescribeServices"`). Cheap to clone: clones share counts.
#[derive(Debug, Clone, Default)]
pub struct ApiCounter {
    counts: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl ApiCounter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts by operation name, e.g. `{"DescribeServices": 3, "ListServices": 1}`.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.lock().clone()
    }

    /// Requests sent for one operation.
    pub fn get(&self, operation: &str) -> u64 {
        self.lock().get(operation).copied().unwrap_or(0)
    }

    /// All requests sent.
    pub fn total(&self) -> u64 {
        self.lock().values().sum()
    }

    /// Forget every count.
    pub fn reset(&self) {
        self.lock().clear();
    }

    /// Count one request.
    pub fn record(&self, operation: &str) {
        *self.lock().entry(operation.to_string()).or_insert(0) += 1;
    }

    /// The SDK interceptor that feeds this counter; attach it to a client's config.
    pub fn interceptor(&self) -> CountingInterceptor {
        CountingInterceptor {
            counter: self.clone(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, u64>> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Records every attempt right before it goes on the wire, so retries count too.
#[derive(Debug, Clone)]
pub struct CountingInterceptor {
    counter: ApiCounter,
}

impl Intercept for CountingInterceptor {
    fn name(&self) -> &'static str {
        "OpsdeckApiCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg
            .load::<Metadata>()
            .map(Metadata::name)
            .unwrap_or("unknown");
        self.counter.record(operation);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_counts() {
        let counter = ApiCounter::new();
        let other = counter.clone();
        counter.record("DescribeServices");
        other.record("DescribeServices");
        other.record("ListServices");
        assert_eq!(counter.get("DescribeServices"), 2);
        assert_eq!(counter.total(), 3);
        assert_eq!(
            counter.snapshot().into_iter().collect::<Vec<_>>(),
            vec![
                ("DescribeServices".to_string(), 2),
                ("ListServices".to_string(), 1)
            ]
        );
        other.reset();
        assert_eq!(counter.total(), 0);
    }
}
