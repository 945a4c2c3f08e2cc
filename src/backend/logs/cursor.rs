//! What a tail has already shown, so that nothing is shown twice and nothing is skipped.
//!
//! Polling re-queries `FilterLogEvents` from the last timestamp seen, INCLUSIVE: events that
//! share that millisecond but arrived after the previous poll are found again, and the ones
//! already shown are recognised by their event id. Live tail events carry no id; they are
//! recognised by their content (stream, timestamp, message), which also covers the hand-over
//! between history, live sessions and polling (emulators replay stored events on every live
//! session).
//!
//! Memory stays bounded: only events within [`Seen::window_ms`] of the newest timestamp are
//! remembered (zero while polling: just the newest millisecond).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::backend::logs::CwEvent;

/// The events remembered for one millisecond.
#[derive(Debug, Clone, Default)]
struct Bucket {
    /// Event ids (`FilterLogEvents`).
    ids: HashSet<String>,
    /// Content keys of events that had an id.
    id_contents: HashSet<u64>,
    /// Content keys of events without an id (live tail).
    live_contents: HashSet<u64>,
}

/// The de-duplication state of one tail.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    buckets: BTreeMap<i64, Bucket>,
    newest: Option<i64>,
    window_ms: i64,
}

impl Seen {
    /// Nothing seen yet; remembers only the newest millisecond until [`Self::set_window`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Remember events up to `window_ms` older than the newest one (live tail delivers
    /// streams out of order); 0 keeps only the newest millisecond (polling).
    pub fn set_window(&mut self, window_ms: i64) {
        self.window_ms = window_ms.max(0);
        self.prune();
    }

    /// How far back events are remembered, in milliseconds.
    pub fn window_ms(&self) -> i64 {
        self.window_ms
    }

    /// The newest timestamp seen: where the next poll starts (inclusive).
    pub fn newest(&self) -> Option<i64> {
        self.newest
    }

    /// Events remembered (for tests and the memory figure).
    pub fn len(&self) -> usize {
        self.buckets
            .values()
            .map(|b| b.ids.len() + b.live_contents.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keep the events not shown yet, in their order, and remember them.
    pub fn fresh(&mut self, events: Vec<CwEvent>) -> Vec<CwEvent> {
        let out: Vec<CwEvent> = events.into_iter().filter(|e| self.accept(e)).collect();
        self.prune();
        out
    }

    /// Whether `event` is new; if so it is remembered.
    pub fn accept(&mut self, event: &CwEvent) -> bool {
        if let Some(newest) = self.newest
            && event.timestamp < newest - self.window_ms
        {
            // Older than anything remembered: already covered by an earlier query (a
            // replay), or so late that it cannot be told apart from one.
            return false;
        }
        let content = content_key(event);
        let bucket = self.buckets.entry(event.timestamp).or_default();
        let new = match &event.event_id {
            Some(id) => {
                let new = !bucket.ids.contains(id) && !bucket.live_contents.contains(&content);
                if new {
                    bucket.ids.insert(id.clone());
                    bucket.id_contents.insert(content);
                }
                new
            }
            None => {
                let new = !bucket.live_contents.contains(&content)
                    && !bucket.id_contents.contains(&content);
                if new {
                    bucket.live_contents.insert(content);
                }
                new
            }
        };
        if new && self.newest.is_none_or(|n| event.timestamp > n) {
            self.newest = Some(event.timestamp);
        }
        new
    }

    fn prune(&mut self) {
        if let Some(newest) = self.newest {
            let keep = self.buckets.split_off(&(newest - self.window_ms));
            self.buckets = keep;
        }
    }
}

fn content_key(event: &CwEvent) -> u64 {
    let mut hasher = DefaultHasher::new();
    event.group.hash(&mut hasher);
    event.stream.hash(&mut hasher);
    event.timestamp.hash(&mut hasher);
    event.message.hash(&mut hasher);
    hasher.finish()
}

/// Merge batches (one per log group, or live updates) into one list in time order; events
/// with equal timestamps keep their batch order.
pub fn merge_in_time_order(batches: Vec<Vec<CwEvent>>) -> Vec<CwEvent> {
    let mut all: Vec<CwEvent> = batches.into_iter().flatten().collect();
    all.sort_by_key(|e| e.timestamp);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(ts: i64, stream: &str, message: &str, id: Option<&str>) -> CwEvent {
        CwEvent {
            timestamp: ts,
            group: "g".into(),
            stream: stream.into(),
            message: message.into(),
            event_id: id.map(str::to_string),
        }
    }

    fn messages(events: &[CwEvent]) -> Vec<&str> {
        events.iter().map(|e| e.message.as_str()).collect()
    }

    #[test]
    fn a_requery_from_the_last_timestamp_repeats_nothing_and_loses_nothing() {
        let mut seen = Seen::new();
        // Poll 1 sees two of the three events at t=100.
        let first = seen.fresh(vec![
            ev(90, "s", "a", Some("1")),
            ev(100, "s", "b", Some("2")),
            ev(100, "t", "c", Some("3")),
        ]);
        assert_eq!(messages(&first), ["a", "b", "c"]);
        assert_eq!(seen.newest(), Some(100));
        // Poll 2 starts at 100 inclusive: the two old ones again, a third one at 100, a newer.
        let second = seen.fresh(vec![
            ev(100, "s", "b", Some("2")),
            ev(100, "t", "c", Some("3")),
            ev(100, "s", "d", Some("4")),
            ev(101, "s", "e", Some("5")),
        ]);
        assert_eq!(messages(&second), ["d", "e"]);
        // Only the newest millisecond is remembered while polling.
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn identical_lines_with_distinct_ids_are_both_kept() {
        let mut seen = Seen::new();
        let out = seen.fresh(vec![
            ev(5, "s", "same", Some("1")),
            ev(5, "s", "same", Some("2")),
        ]);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn live_events_already_shown_by_a_query_are_dropped() {
        let mut seen = Seen::new();
        seen.set_window(60_000);
        seen.fresh(vec![ev(10, "s", "history", Some("1"))]);
        // An emulator's live session replays the stored event, then a new one arrives.
        let live = seen.fresh(vec![ev(10, "s", "history", None), ev(11, "s", "new", None)]);
        assert_eq!(messages(&live), ["new"]);
        // A poll after falling back from live recognises the live event by its content.
        let polled = seen.fresh(vec![
            ev(11, "s", "new", Some("9")),
            ev(12, "s", "z", Some("10")),
        ]);
        assert_eq!(messages(&polled), ["z"]);
    }

    #[test]
    fn live_out_of_order_streams_within_the_window_are_kept() {
        let mut seen = Seen::new();
        seen.set_window(60_000);
        let out = seen.fresh(vec![ev(50_000, "a", "late-stream-first", None)]);
        assert_eq!(out.len(), 1);
        // Another stream delivers an older event later: inside the window, it is new.
        let out = seen.fresh(vec![ev(20_000, "b", "older", None)]);
        assert_eq!(messages(&out), ["older"]);
        // Far older than the window: a replay.
        let out = seen.fresh(vec![ev(-20_000, "b", "ancient", None)]);
        assert!(out.is_empty());
    }

    #[test]
    fn memory_is_bounded_by_the_window() {
        let mut seen = Seen::new();
        seen.set_window(1_000);
        for ts in 0..10_000 {
            seen.accept(&ev(ts, "s", "x", None));
        }
        seen.fresh(Vec::new());
        assert!(seen.len() <= 1_001, "{}", seen.len());
        seen.set_window(0);
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn batches_merge_in_time_order_keeping_ties_stable() {
        let merged = merge_in_time_order(vec![
            vec![
                ev(1, "a", "a1", None),
                ev(3, "a", "a3", None),
                ev(5, "a", "a5", None),
            ],
            vec![
                ev(2, "b", "b2", None),
                ev(3, "b", "b3", None),
                ev(4, "b", "b4", None),
            ],
        ]);
        assert_eq!(messages(&merged), ["a1", "b2", "a3", "b3", "b4", "a5"]);
    }
}
