//! The visible view's fetch: at most one runs, and a newer one stops it.
//!
//! Every fetch carries a generation and `update` drops an answer whose generation is not the
//! one in flight, so a fetch for a view the user has left is wasted work: a `:hosts` refresh
//! (26 requests) went on for a second after the user moved on and slowed the next view from
//! 86 ms to 305 ms. Aborting the task drops its requests where they are.

use std::sync::{Arc, Mutex};

use tokio::task::AbortHandle;

/// Holds the abort handles of the newest visible-view fetch. Cheap to clone: clones share it.
#[derive(Debug, Clone, Default)]
pub struct VisibleFetch {
    current: Arc<Mutex<Running>>,
}

#[derive(Debug, Default)]
struct Running {
    generation: u64,
    /// Usually one; a view may fetch more than one thing under one generation.
    handles: Vec<AbortHandle>,
}

impl VisibleFetch {
    /// Run the fetch of `generation` in a task; older fetches still running are aborted.
    /// A fetch older than the newest one (generations only grow, so it cannot happen) is
    /// dropped without running.
    pub fn spawn(&self, generation: u64, fetch: impl Future<Output = ()> + Send + 'static) {
        let mut running = self.lock();
        if generation < running.generation {
            return;
        }
        running.abort_older_than(generation);
        running.handles.retain(|h| !h.is_finished());
        running.handles.push(tokio::spawn(fetch).abort_handle());
    }

    /// The user is on the view of `generation` now (the Docker and log views fetch nothing
    /// here): abort the fetches of older ones.
    pub fn abort_older_than(&self, generation: u64) {
        self.lock().abort_older_than(generation);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Running> {
        // Plain data: a panic cannot leave it half-written.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Running {
    fn abort_older_than(&mut self, generation: u64) {
        if self.generation < generation {
            for handle in self.handles.drain(..) {
                handle.abort();
            }
            self.generation = generation;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_newer_fetch_aborts_the_older() {
        let visible = VisibleFetch::default();
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        let slow = tx.clone();
        visible.spawn(1, async move {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            let _ = slow.send(1).await;
        });
        visible.spawn(2, async move {
            let _ = tx.send(2).await;
        });
        // Both senders are gone once the first task is aborted and the second has sent.
        assert_eq!(rx.recv().await, Some(2));
        assert_eq!(rx.recv().await, None);
    }

    #[tokio::test]
    async fn a_view_without_a_fetch_aborts_the_last_one() {
        let visible = VisibleFetch::default();
        let (tx, mut rx) = tokio::sync::mpsc::channel::<u8>(1);
        visible.spawn(1, async move {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            let _ = tx.send(1).await;
        });
        visible.abort_older_than(1);
        visible.abort_older_than(2);
        assert_eq!(rx.recv().await, None);
    }
}
