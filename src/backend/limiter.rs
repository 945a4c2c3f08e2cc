//! Client-side rate limits for the ECS describe calls, so that parallel batches stay within
//! what ECS allows instead of being throttled and retried.
//!
//! ECS meters each API action with a token bucket; for the describe calls it holds 50 tokens
//! and refills 20 a second. We keep a bucket per action with the same shape: a burst of 50
//! goes out at once (a 500-service view in one go), a 2,000-service view then paces itself
//! at 20 describes a second. Shared by every clone of the clients, like the account's limit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// Tokens a bucket holds (the burst ECS allows).
pub const BURST: f64 = 50.0;
/// Tokens added per second (the rate ECS sustains).
pub const REFILL_PER_SEC: f64 = 20.0;

/// One token bucket per action name. Cheap to clone: clones share the buckets.
#[derive(Debug, Clone, Default)]
pub struct RateLimits {
    buckets: Arc<Mutex<HashMap<&'static str, Bucket>>>,
}

impl RateLimits {
    /// Wait until `action` may be sent. Callers are served in the order they ask.
    pub async fn acquire(&self, action: &'static str) {
        let wait = {
            let mut buckets = self
                .buckets
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            buckets
                .entry(action)
                .or_insert_with(|| Bucket::full(now))
                .reserve(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

/// A token bucket that lends ahead: a token taken from an empty bucket is paid back by the
/// refill, and the taker waits for that moment. Waiters queue by arrival without a loop.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn full(now: Instant) -> Bucket {
        Bucket {
            tokens: BURST,
            at: now,
        }
    }

    /// Take one token at `now`; how long to wait before using it.
    fn reserve(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * REFILL_PER_SEC).min(BURST);
        self.at = now;
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / REFILL_PER_SEC)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_refill_rate() {
        let start = Instant::now();
        let mut bucket = Bucket::full(start);
        for _ in 0..50 {
            assert_eq!(bucket.reserve(start), Duration::ZERO);
        }
        // The 51st waits for one refill (50 ms), the 52nd for two.
        assert_eq!(bucket.reserve(start), Duration::from_millis(50));
        assert_eq!(bucket.reserve(start), Duration::from_millis(100));
        // A second later 20 tokens came back, of which two were lent: 18 free ones.
        let later = start + Duration::from_secs(1);
        for _ in 0..18 {
            assert_eq!(bucket.reserve(later), Duration::ZERO);
        }
        assert!(bucket.reserve(later) > Duration::ZERO);
    }

    #[test]
    fn an_idle_bucket_fills_up_to_the_burst_only() {
        let start = Instant::now();
        let mut bucket = Bucket::full(start);
        let later = start + Duration::from_secs(3600);
        for _ in 0..50 {
            assert_eq!(bucket.reserve(later), Duration::ZERO);
        }
        assert!(bucket.reserve(later) > Duration::ZERO);
    }
}
