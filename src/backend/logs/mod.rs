//! CloudWatch Logs adapter: `FilterLogEvents` pages, log group lookups and listing, and live
//! tail sessions.
//!
//! SDK types stop here: callers get [`CwEvent`]s and [`BackendError`]s. The tail logic that
//! decides when to poll and when to stream lives in `runtime::cwlogs`.

mod cursor;
mod groups;
mod live;
pub mod livetail_endpoint;
pub mod streams;

use std::error::Error as StdError;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::backend::aws::AwsClients;
use crate::backend::error::BackendError;

pub use crate::backend::logs::cursor::{Seen, merge_in_time_order};
pub use crate::backend::logs::live::{LiveEnd, LiveSession, LiveSpec, LiveStartError, LiveUpdate};

/// Most stream names one `FilterLogEvents` (and one live tail session) accepts.
pub const MAX_STREAM_NAMES: usize = 100;
/// Most log groups one live tail session accepts.
pub const MAX_LIVE_GROUPS: usize = 10;

/// One log event, whichever API delivered it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CwEvent {
    /// Milliseconds since the Unix epoch.
    pub timestamp: i64,
    pub group: String,
    pub stream: String,
    pub message: String,
    /// `FilterLogEvents` gives every event an id; live tail does not.
    pub event_id: Option<String>,
}

/// Which streams of a log group to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamSelection {
    /// Every stream of the group.
    All,
    /// Streams whose name starts with this.
    Prefix(String),
    /// Exactly these streams (an ECS service's or task's streams).
    Names(Vec<String>),
}

impl StreamSelection {
    /// Whether an event of `stream` belongs to the selection. Checked on every event too,
    /// because emulators ignore some filters (moto ignores `logStreamNamePrefix`).
    pub fn matches(&self, stream: &str) -> bool {
        match self {
            StreamSelection::All => true,
            StreamSelection::Prefix(prefix) => stream.starts_with(prefix.as_str()),
            StreamSelection::Names(names) => names.iter().any(|n| n == stream),
        }
    }
}

/// What to read from one log group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupQuery {
    pub group: String,
    pub streams: StreamSelection,
    /// A CloudWatch filter pattern, applied by the server.
    pub pattern: Option<String>,
}

/// One page of `FilterLogEvents`.
#[derive(Debug, Clone, Default)]
pub struct FilterPage {
    /// In time order (interleaved across streams).
    pub events: Vec<CwEvent>,
    pub next_token: Option<String>,
}

/// Reads CloudWatch Logs. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AwsLogs {
    client: aws_sdk_cloudwatchlogs::Client,
    /// Named in "cannot reach" errors.
    endpoint: String,
}

impl AwsLogs {
    /// From the shared clients; errors name the endpoint override when there is one.
    pub fn from_clients(clients: &AwsClients) -> Self {
        Self::new(clients.logs.clone(), clients.endpoint_label())
    }

    /// From a bare client; `endpoint` is only used in error messages.
    pub fn new(client: aws_sdk_cloudwatchlogs::Client, endpoint: impl Into<String>) -> Self {
        Self {
            client,
            endpoint: endpoint.into(),
        }
    }

    /// The SDK client (live tail sessions are started on it).
    pub(crate) fn client(&self) -> &aws_sdk_cloudwatchlogs::Client {
        &self.client
    }

    /// One `FilterLogEvents` call: events of `query.group` from `start_ms` (inclusive) to
    /// `end_ms` (inclusive), continuing at `token`. With [`StreamSelection::Names`] the
    /// names must be at most [`MAX_STREAM_NAMES`].
    pub async fn filter_page(
        &self,
        query: &GroupQuery,
        start_ms: Option<i64>,
        end_ms: Option<i64>,
        token: Option<String>,
    ) -> Result<FilterPage, BackendError> {
        #[allow(deprecated)] // AWS ignores it (always interleaved); moto needs it.
        let mut request = self
            .client
            .filter_log_events()
            .log_group_name(&query.group)
            .interleaved(true)
            .set_start_time(start_ms)
            .set_end_time(end_ms)
            .set_next_token(token)
            .set_filter_pattern(query.pattern.clone());
        match &query.streams {
            StreamSelection::All => {}
            StreamSelection::Prefix(prefix) => request = request.log_stream_name_prefix(prefix),
            StreamSelection::Names(names) => {
                request = request.set_log_stream_names(Some(names.clone()));
            }
        }
        let out = request
            .send()
            .await
            .map_err(|e| self.fail("FilterLogEvents", &query.group, e))?;
        let events = out
            .events()
            .iter()
            .filter_map(|e| {
                let stream = e.log_stream_name().unwrap_or_default();
                if !query.streams.matches(stream) {
                    return None;
                }
                Some(CwEvent {
                    timestamp: e.timestamp()?,
                    group: query.group.clone(),
                    stream: stream.to_string(),
                    message: e.message().unwrap_or_default().to_string(),
                    event_id: e.event_id().map(str::to_string),
                })
            })
            .collect();
        Ok(FilterPage {
            events,
            // An empty token means the end, like none.
            next_token: out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        })
    }

    /// The ARN of log group `group` (live tail names groups by ARN). A missing group is
    /// [`BackendError::NotFound`] naming it.
    pub async fn group_arn(&self, group: &str) -> Result<String, BackendError> {
        let out = self
            .client
            .describe_log_groups()
            .log_group_name_prefix(group)
            .limit(50)
            .send()
            .await
            .map_err(|e| self.fail("DescribeLogGroups", group, e))?;
        let found = out
            .log_groups()
            .iter()
            .find(|g| g.log_group_name() == Some(group))
            .ok_or_else(|| not_found_group(group))?;
        let arn = found
            .log_group_arn()
            .map(str::to_string)
            .or_else(|| found.arn().map(|a| a.trim_end_matches(":*").to_string()))
            .ok_or_else(|| BackendError::Other(format!("log group {group} has no ARN")))?;
        Ok(arn)
    }

    /// Which of `names` exist in `group` (one `DescribeLogStreams` per shared prefix page).
    pub async fn existing_streams(
        &self,
        group: &str,
        names: &[String],
    ) -> Result<Vec<String>, BackendError> {
        let prefix = common_prefix(names);
        let mut found = Vec::new();
        let mut token = None;
        loop {
            let mut request = self
                .client
                .describe_log_streams()
                .log_group_name(group)
                .set_next_token(token);
            if !prefix.is_empty() {
                request = request.log_stream_name_prefix(prefix);
            }
            let out = request
                .send()
                .await
                .map_err(|e| self.fail("DescribeLogStreams", group, e))?;
            found.extend(
                out.log_streams()
                    .iter()
                    .filter_map(|s| s.log_stream_name())
                    .filter(|s| names.iter().any(|n| n == s))
                    .map(str::to_string),
            );
            token = out
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            if token.is_none() || found.len() == names.len() {
                return Ok(found);
            }
        }
    }

    fn fail<E>(
        &self,
        operation: &'static str,
        group: &str,
        err: SdkError<E, HttpResponse>,
    ) -> BackendError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        let code = err
            .as_service_error()
            .and_then(ProvideErrorMetadata::code)
            .map(str::to_string);
        let err = BackendError::from_sdk(operation, err).with_endpoint(&self.endpoint);
        match code.as_deref() {
            Some("ResourceNotFoundException") => not_found_group(group),
            _ => err,
        }
    }
}

fn not_found_group(group: &str) -> BackendError {
    BackendError::NotFound {
        what: format!("log group {group} (check the name, region and profile)"),
    }
}

/// The longest prefix all `names` share.
fn common_prefix(names: &[String]) -> &str {
    let Some(first) = names.first() else {
        return "";
    };
    let mut len = first.len();
    for name in &names[1..] {
        len = first
            .char_indices()
            .zip(name.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map(|((i, a), _)| i + a.len_utf8())
            .unwrap_or(0)
            .min(len);
    }
    &first[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_match_streams() {
        assert!(StreamSelection::All.matches("x"));
        let prefix = StreamSelection::Prefix("app/web/".into());
        assert!(prefix.matches("app/web/1"));
        assert!(!prefix.matches("app/worker/1"));
        let names = StreamSelection::Names(vec!["a".into(), "b".into()]);
        assert!(names.matches("b"));
        assert!(!names.matches("c"));
    }

    #[test]
    fn common_prefix_of_stream_names() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            common_prefix(&names(&["app/web/1", "app/web/2"])),
            "app/web/"
        );
        assert_eq!(common_prefix(&names(&["app/web/1"])), "app/web/1");
        assert_eq!(common_prefix(&names(&["a", "b"])), "");
        assert_eq!(common_prefix(&[]), "");
    }
}
