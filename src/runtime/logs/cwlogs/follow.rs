//! Following a scope: history first, then live tail, falling back to polling.
//!
//! - History: the last `history` events of the last day, or of a shorter window when the
//!   log is busy (or everything since the start time asked for), with `FilterLogEvents` (interleaved, one call per page for all streams).
//! - Live: `StartLiveTail`, reconnected when a session ends (three hours, errors). Each new
//!   session is followed by one `FilterLogEvents` from the newest event seen, which fills the
//!   gap between sessions; [`Seen`] drops what was already shown.
//! - Polling: one `FilterLogEvents` per poll interval (per log group, per 100 streams), from
//!   the newest timestamp seen, inclusive, less a few seconds for events ingested late.
//!   Errors back off (doubling, up to a minute) and are reported; the tail resumes by itself.

use std::time::{Duration, Instant};

use crate::backend::BackendError;
use crate::backend::logs::{AwsLogs, CwEvent, LiveEnd, LiveUpdate, Seen};
use crate::domain::logs::{LogLine, LogStream};
use crate::runtime::logs::cwlogs::Reporter;
use crate::runtime::logs::cwlogs::fetch::fetch;
use crate::runtime::logs::cwlogs::scope::{Changes, ResolveError, Scope};

use crate::runtime::logs::cwlogs::CwSettings;

/// Windows tried for the history, longest first: a quiet service still shows its last lines
/// (from hours ago), while a busy log falls back to a shorter window it can read whole.
const HISTORY_WINDOWS_MS: [i64; 5] = [24 * 3_600_000, 3_600_000, 10 * 60_000, 60_000, 10_000];
/// How far back live tail events are remembered (streams arrive out of order).
const LIVE_WINDOW_MS: i64 = 120_000;
/// A gap-filling query after a new live session also looks this far behind the newest event.
const BRIDGE_MS: i64 = 10_000;
/// Polls re-read this far behind the newest event: an event is stamped when it is logged
/// but ingested later (the awslogs driver sends batches every few seconds), so another
/// stream's event older than the newest one seen can still come. [`Seen`] drops the repeats.
const POLL_SLACK_MS: i64 = 10_000;
/// How far back events are remembered while polling: the slack polls re-read (it also lets
/// a later live session's gap-filling query, [`BRIDGE_MS`] back, recognise them).
const POLL_WINDOW_MS: i64 = POLL_SLACK_MS;
/// Polls never look further back than this once caught up (an idle log's newest event may be
/// hours old).
const MAX_LOOKBACK_MS: i64 = 5 * 60_000;
/// A session the server closes sooner than this does not really stream (emulators replay
/// and close): poll instead.
const SHORT_SESSION: Duration = Duration::from_secs(20);
/// Live tail failures in a row before polling takes over.
const LIVE_FAILURES: u32 = 3;
/// Longest wait between attempts after errors.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// Lines per `LogMsg::Lines`.
const LINES_PER_MSG: usize = 5_000;
/// A new task's streams are read back this far (it may have logged before it was noticed).
const CATCH_UP_MS: i64 = 30_000;

/// Why the live loop handed over to polling.
struct Fallback {
    /// Try live tail again at this time (`None`: never).
    retry_at: Option<Instant>,
}

/// The engine of one CloudWatch tail.
pub struct Follower {
    pub logs: AwsLogs,
    pub scope: Scope,
    pub out: Reporter,
    pub settings: CwSettings,
    /// Start of the history asked for (`:logs … -15m`), ms since the epoch.
    pub start_ms: Option<i64>,
    pub history: usize,
    pub seen: Seen,
    /// Where a poll starts when nothing has been seen yet.
    floor_ms: i64,
    /// The last poll stopped before the end (pages left): do not skip ahead.
    behind: bool,
    next_refresh: Instant,
}

impl Follower {
    pub fn new(
        logs: AwsLogs,
        scope: Scope,
        out: Reporter,
        settings: CwSettings,
        start_ms: Option<i64>,
        history: usize,
    ) -> Self {
        Self {
            logs,
            scope,
            out,
            next_refresh: Instant::now() + settings.refresh_interval,
            settings,
            start_ms,
            history,
            seen: Seen::new(),
            floor_ms: now_ms(),
            behind: false,
        }
    }

    /// Follow until the tail is stopped (the task is aborted) or the app is gone.
    pub async fn run(mut self) {
        if !self.resolve_first().await {
            return;
        }
        self.seen.set_window(if self.settings.live {
            LIVE_WINDOW_MS
        } else {
            POLL_WINDOW_MS
        });
        self.read_history().await;
        let mut live_allowed = self.settings.live;
        loop {
            if live_allowed {
                match self.follow_live().await {
                    Some(fallback) => {
                        let until = fallback.retry_at;
                        live_allowed = until.is_some();
                        if !self.follow_polling(until).await {
                            return;
                        }
                    }
                    None => return,
                }
            } else if !self.follow_polling(None).await {
                return;
            }
        }
    }

    /// Resolve the streams, retrying with backoff. `false` when the tail must end.
    async fn resolve_first(&mut self) -> bool {
        let mut delay = self.settings.poll_interval;
        loop {
            match self.scope.resolve().await {
                Ok(changes) => {
                    return self.tell(&changes).await;
                }
                Err(ResolveError::Fatal(reason)) => {
                    self.out.ended(reason).await;
                    return false;
                }
                Err(ResolveError::Retry(message)) => {
                    if !self.out.problem(message).await {
                        return false;
                    }
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    async fn tell(&mut self, changes: &Changes) -> bool {
        for message in &changes.messages {
            if !self.out.problem(message.clone()).await {
                return false;
            }
        }
        true
    }

    /// The recent past: everything since the start time asked for, else the last `history`
    /// events of the longest window that can be read whole.
    async fn read_history(&mut self) {
        let now = now_ms();
        if let Some(start) = self.start_ms {
            // Everything from `start` on: polls page through it (and go on from there).
            self.floor_ms = start;
            self.behind = true;
            if let Err(e) = self.poll_once().await {
                self.out.problem(e.user_message()).await;
            }
            return;
        }
        let queries = self.scope.queries();
        for (i, window) in HISTORY_WINDOWS_MS.iter().enumerate() {
            let from = now - window;
            match fetch(&self.logs, &queries, from, None).await {
                Ok((events, complete)) if complete || i + 1 == HISTORY_WINDOWS_MS.len() => {
                    self.floor_ms = from;
                    let fresh = self.seen.fresh(events);
                    let skip = fresh.len().saturating_sub(self.history);
                    let lines = self.lines(fresh.into_iter().skip(skip));
                    self.out.lines(lines).await;
                    self.behind = !complete;
                    return;
                }
                Ok(_) => continue,
                Err(e) => {
                    self.floor_ms = now;
                    self.out.problem(e.user_message()).await;
                    return;
                }
            }
        }
    }

    /// Live tail sessions, one after the other. `None` when the tail must end.
    async fn follow_live(&mut self) -> Option<Fallback> {
        let mut failures = 0u32;
        let mut sampled = false;
        loop {
            let spec = match self.scope.live_spec(&self.logs).await {
                Ok(spec) => spec,
                Err(why) => {
                    // No streams yet (a service without running tasks): poll until the next
                    // refresh may bring some. Otherwise say why, and try again much later.
                    let retry = if self.scope.queries().is_empty() {
                        self.settings.refresh_interval
                    } else {
                        if !self
                            .out
                            .problem(format!("live tail not possible ({why}): polling instead"))
                            .await
                        {
                            return None;
                        }
                        self.settings.live_retry
                    };
                    return Some(Fallback {
                        retry_at: Some(Instant::now() + retry),
                    });
                }
            };
            let mut session = match self.logs.start_live(&spec).await {
                Ok(session) => session,
                Err(e) => {
                    let retry = e
                        .retry_later
                        .then(|| Instant::now() + self.settings.live_retry);
                    let message = format!(
                        "live tail unavailable: {} — polling instead",
                        e.error.user_message()
                    );
                    if !self.out.problem(message).await {
                        return None;
                    }
                    return Some(Fallback { retry_at: retry });
                }
            };
            self.seen.set_window(LIVE_WINDOW_MS);
            if !self.out.mode("LIVE".to_string()).await {
                return None;
            }
            // Fill the gap since the history or the previous session.
            if let Err(e) = self.bridge().await {
                self.out.problem(e.user_message()).await;
            }
            let restart = loop {
                let refresh_at = tokio::time::Instant::from_std(self.next_refresh);
                tokio::select! {
                    update = session.next() => match update {
                        Ok(Some(LiveUpdate::Started)) => {}
                        Ok(Some(LiveUpdate::Events { events, sampled: now_sampled })) => {
                            failures = 0;
                            if now_sampled != sampled {
                                sampled = now_sampled;
                                if !self.out.sampled(sampled).await {
                                    return None;
                                }
                            }
                            let fresh = self.seen.fresh(events);
                            let lines = self.lines(fresh.into_iter());
                            if !self.out.lines(lines).await {
                                return None;
                            }
                        }
                        Ok(None) => {
                            if session.started().elapsed() < SHORT_SESSION {
                                tracing::info!("live tail session closed at once: polling");
                                return Some(Fallback { retry_at: None });
                            }
                            break true;
                        }
                        Err(LiveEnd::Timeout) => break true,
                        Err(LiveEnd::Failed(message)) => {
                            failures += 1;
                            if failures >= LIVE_FAILURES {
                                self.out.problem(format!("live tail keeps failing ({message}): polling instead")).await;
                                return Some(Fallback { retry_at: Some(Instant::now() + self.settings.live_retry) });
                            }
                            if !self.out.problem(format!("live tail interrupted ({message}): reconnecting")).await {
                                return None;
                            }
                            tokio::time::sleep(self.settings.poll_interval * 2u32.pow(failures)).await;
                            break true;
                        }
                    },
                    _ = tokio::time::sleep_until(refresh_at), if self.scope.refreshes() => {
                        match self.refresh().await {
                            Some(true) => break true,
                            Some(false) => {}
                            None => return None,
                        }
                    }
                }
            };
            if sampled {
                sampled = false;
                self.out.sampled(false).await;
            }
            if !restart {
                return None;
            }
        }
    }

    /// Poll until `until` (then try live again), or for ever. `false` when the tail must end.
    async fn follow_polling(&mut self, until: Option<Instant>) -> bool {
        self.seen.set_window(POLL_WINDOW_MS);
        let base = self.settings.poll_interval;
        let mut delay = base;
        if !self.out.mode(poll_mode(base)).await {
            return false;
        }
        loop {
            if self.behind {
                // Pages were left: go on at once.
                tokio::task::yield_now().await;
            } else {
                tokio::time::sleep(delay).await;
            }
            if self.scope.refreshes()
                && Instant::now() >= self.next_refresh
                && self.refresh().await.is_none()
            {
                return false;
            }
            match self.poll_once().await {
                Ok(()) => {
                    if delay != base {
                        delay = base;
                        if !self.out.mode(poll_mode(base)).await {
                            return false;
                        }
                    }
                }
                Err(e) => {
                    self.behind = false;
                    delay = (delay * 2).min(MAX_BACKOFF);
                    if !self.out.problem(e.user_message()).await
                        || !self.out.mode(poll_mode(delay)).await
                    {
                        return false;
                    }
                }
            }
            if until.is_some_and(|at| Instant::now() >= at) {
                return true;
            }
        }
    }

    /// List the service's tasks again; read new tasks' recent past. `Some(changed)`, or
    /// `None` when the tail must end.
    async fn refresh(&mut self) -> Option<bool> {
        self.next_refresh = Instant::now() + self.settings.refresh_interval;
        match self.scope.resolve().await {
            Ok(changes) => {
                if !self.tell(&changes).await {
                    return None;
                }
                if !changes.added.is_empty() {
                    let queries = self.scope.queries_for(&changes.added);
                    let from =
                        now_ms() - CATCH_UP_MS - self.settings.refresh_interval.as_millis() as i64;
                    // Up to just before the newest event: the next poll covers the rest.
                    let to = self.seen.newest().map(|n| n - 1);
                    match fetch(&self.logs, &queries, from, to).await {
                        Ok((events, _)) => {
                            // Older than the newest event: only `accept` what the window
                            // covers (it may have been shown by a gap-filling query); the
                            // rest was never queried for these streams.
                            let floor = self
                                .seen
                                .newest()
                                .map_or(i64::MIN, |n| n - self.seen.window_ms());
                            let events: Vec<CwEvent> = events
                                .into_iter()
                                .filter(|e| e.timestamp < floor || self.seen.accept(e))
                                .collect();
                            let lines = self.lines(events.into_iter());
                            if !self.out.lines(lines).await {
                                return None;
                            }
                        }
                        Err(e) => {
                            self.out.problem(e.user_message()).await;
                        }
                    }
                }
                Some(changes.changed)
            }
            Err(ResolveError::Fatal(m) | ResolveError::Retry(m)) => {
                if !self.out.problem(m).await {
                    return None;
                }
                Some(false)
            }
        }
    }

    /// One poll: everything from the newest timestamp seen (inclusive, less the slack) on.
    async fn poll_once(&mut self) -> Result<(), BackendError> {
        let now = now_ms();
        let newest = self.seen.newest().unwrap_or(self.floor_ms);
        // From the newest timestamp, inclusive; with some slack for late ingestion once
        // caught up (while behind, strictly from there, so that every poll progresses).
        let mut from = if self.behind {
            newest
        } else {
            newest - POLL_SLACK_MS
        };
        from = from.max(self.floor_ms);
        if !self.behind {
            from = from.max(now - MAX_LOOKBACK_MS);
        }
        let queries = self.scope.queries();
        let (events, complete) = fetch(&self.logs, &queries, from, None).await?;
        self.behind = !complete;
        if self.seen.newest().is_none() && complete {
            // Nothing yet: the next poll need not look at this stretch again, but keep a
            // margin for late ingestion.
            self.floor_ms = self.floor_ms.max(now - MAX_LOOKBACK_MS);
        }
        let fresh = self.seen.fresh(events);
        let lines = self.lines(fresh.into_iter());
        self.out.lines(lines).await;
        Ok(())
    }

    /// After a new live session: one query from a little before the newest event seen.
    async fn bridge(&mut self) -> Result<(), BackendError> {
        let Some(newest) = self.seen.newest() else {
            return Ok(());
        };
        let queries = self.scope.queries();
        let (events, _) = fetch(&self.logs, &queries, newest - BRIDGE_MS, None).await?;
        let fresh = self.seen.fresh(events);
        let lines = self.lines(fresh.into_iter());
        self.out.lines(lines).await;
        Ok(())
    }

    /// Events → log lines (a multi-line message makes several lines), labelled.
    fn lines(&mut self, events: impl Iterator<Item = CwEvent>) -> Vec<LogLine> {
        let mut out = Vec::new();
        for event in events {
            let (label, colour) = self.scope.label(&event.stream);
            let template = LogLine::default()
                .at(event.timestamp)
                .on(LogStream::Cloud)
                .labelled(&label, colour);
            out.extend(LogLine::split(event.message.as_bytes(), &template));
        }
        out
    }
}

/// The mode badge while polling.
pub fn poll_mode(interval: Duration) -> String {
    format!("POLL {}s", interval.as_secs().max(1))
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Lines in messages of at most [`LINES_PER_MSG`].
pub fn chunks(lines: Vec<LogLine>) -> Vec<Vec<LogLine>> {
    if lines.len() <= LINES_PER_MSG {
        return vec![lines];
    }
    let mut out = Vec::new();
    let mut rest = lines;
    while rest.len() > LINES_PER_MSG {
        let tail = rest.split_off(LINES_PER_MSG);
        out.push(rest);
        rest = tail;
    }
    out.push(rest);
    out
}
