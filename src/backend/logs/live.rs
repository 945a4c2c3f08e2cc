//! CloudWatch Logs live tail (`StartLiveTail`): one streaming session.
//!
//! A session delivers events as they are ingested, in updates about once a second, and ends
//! after three hours (`SessionTimeoutException`) or on a streaming error. Above 500 events/s AWS
//! samples the events and says so in each update's metadata.

use std::time::Instant;

use aws_sdk_cloudwatchlogs::types::StartLiveTailResponseStream;
use aws_sdk_cloudwatchlogs::types::error::StartLiveTailResponseStreamError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::backend::error::{BackendError, one_line};
use crate::backend::logs::{AwsLogs, CwEvent, StreamSelection};

/// What one live tail session follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSpec {
    /// `(ARN, name)` of each log group (at most [`crate::backend::logs::MAX_LIVE_GROUPS`]).
    pub groups: Vec<(String, String)>,
    /// Stream filter; only allowed by AWS with a single group (checked again on each event).
    pub streams: StreamSelection,
    pub pattern: Option<String>,
}

/// A session could not be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveStartError {
    pub error: BackendError,
    /// Worth trying live tail again later (limits, throttling, network); otherwise the endpoint
    /// or the permissions do not allow it and polling is the way.
    pub retry_later: bool,
}

/// What a running session delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveUpdate {
    /// The session is established.
    Started,
    /// Events (in time order) and whether AWS is sampling them.
    Events { events: Vec<CwEvent>, sampled: bool },
}

/// Why a session stopped delivering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEnd {
    /// Sessions end after three hours: start a new one.
    Timeout,
    /// A streaming error, as a one-line message.
    Failed(String),
}

/// A running live tail session.
#[derive(Debug)]
pub struct LiveSession {
    receiver: aws_sdk_cloudwatchlogs::primitives::event_stream::EventReceiver<
        StartLiveTailResponseStream,
        StartLiveTailResponseStreamError,
    >,
    spec: LiveSpec,
    started: Instant,
}

impl AwsLogs {
    /// Start a live tail session.
    pub async fn start_live(&self, spec: &LiveSpec) -> Result<LiveSession, LiveStartError> {
        let mut request = self
            .client()
            .start_live_tail()
            .set_log_group_identifiers(Some(
                spec.groups.iter().map(|(arn, _)| arn.clone()).collect(),
            ))
            .set_log_event_filter_pattern(spec.pattern.clone());
        if spec.groups.len() == 1 {
            match &spec.streams {
                StreamSelection::All => {}
                StreamSelection::Prefix(p) => request = request.log_stream_name_prefixes(p),
                StreamSelection::Names(names) => {
                    request = request.set_log_stream_names(Some(names.clone()));
                }
            }
        }
        match request.send().await {
            Ok(out) => Ok(LiveSession {
                receiver: out.response_stream,
                spec: spec.clone(),
                started: Instant::now(),
            }),
            Err(err) => {
                let code = err
                    .as_service_error()
                    .and_then(ProvideErrorMetadata::code)
                    .map(str::to_string);
                let error = BackendError::from_sdk("StartLiveTail", err);
                let retry_later = matches!(code.as_deref(), Some("LimitExceededException"))
                    || error.is_transient() && !matches!(&error, BackendError::Api { .. });
                Err(LiveStartError { error, retry_later })
            }
        }
    }
}

impl LiveSession {
    /// When the session was started.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// The next update; `Ok(None)` when the server closed the stream.
    pub async fn next(&mut self) -> Result<Option<LiveUpdate>, LiveEnd> {
        match self.receiver.recv().await {
            Ok(Some(StartLiveTailResponseStream::SessionStart(_))) => Ok(Some(LiveUpdate::Started)),
            Ok(Some(StartLiveTailResponseStream::SessionUpdate(update))) => {
                let sampled = update.session_metadata().is_some_and(|m| m.sampled());
                let mut events: Vec<CwEvent> = update
                    .session_results()
                    .iter()
                    .filter_map(|e| self.event(e))
                    .collect();
                events.sort_by_key(|e| e.timestamp);
                Ok(Some(LiveUpdate::Events { events, sampled }))
            }
            Ok(Some(_)) => Ok(Some(LiveUpdate::Events {
                events: Vec::new(),
                sampled: false,
            })),
            Ok(None) => Ok(None),
            Err(err) => {
                let code = err.as_service_error().and_then(ProvideErrorMetadata::code);
                if code == Some("SessionTimeoutException") {
                    return Err(LiveEnd::Timeout);
                }
                tracing::debug!(error = %DisplayErrorContext(&err), "live tail session failed");
                let detail = match err
                    .as_service_error()
                    .and_then(ProvideErrorMetadata::message)
                {
                    Some(m) => format!("{}: {m}", code.unwrap_or("error")),
                    None => DisplayErrorContext(&err).to_string(),
                };
                Err(LiveEnd::Failed(one_line(&detail)))
            }
        }
    }

    /// Our event, if it belongs to a followed group and stream (emulators do not always
    /// honour the session's filters).
    fn event(&self, e: &aws_sdk_cloudwatchlogs::types::LiveTailSessionLogEvent) -> Option<CwEvent> {
        let identifier = e.log_group_identifier().unwrap_or_default();
        let group = self
            .spec
            .groups
            .iter()
            .find(|(arn, name)| same_group(identifier, arn, name))
            .map(|(_, name)| name.clone())?;
        let stream = e.log_stream_name().unwrap_or_default();
        if !self.spec.streams.matches(stream) {
            return None;
        }
        Some(CwEvent {
            timestamp: e.timestamp()?,
            group,
            stream: stream.to_string(),
            message: e.message().unwrap_or_default().to_string(),
            event_id: None,
        })
    }
}

/// Live tail names a group by ARN (with or without `:*`), sometimes `account:name`.
fn same_group(identifier: &str, arn: &str, name: &str) -> bool {
    let identifier = identifier.trim_end_matches(":*");
    identifier == arn.trim_end_matches(":*")
        || identifier == name
        || (identifier.rsplit_once(':').is_some_and(|(_, n)| n == name)
            && !identifier.contains("log-group"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_recognised_by_arn_or_name() {
        let arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/web";
        assert!(same_group(arn, arn, "/ecs/web"));
        assert!(same_group(&format!("{arn}:*"), arn, "/ecs/web"));
        assert!(same_group("123456789012:/ecs/web", arn, "/ecs/web"));
        assert!(!same_group(
            "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/api",
            arn,
            "/ecs/web"
        ));
    }
}
