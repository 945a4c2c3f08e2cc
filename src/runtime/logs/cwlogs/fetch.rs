//! Reading `FilterLogEvents` for a tail: every page of every query of a scope, merged in time
//! order, bounded per call.

use crate::backend::BackendError;
use crate::backend::logs::{AwsLogs, CwEvent, GroupQuery, StreamSelection, merge_in_time_order};

/// Pages (with events) one call reads per query before handing over (the next poll goes on
/// from there).
const MAX_PAGES_PER_POLL: usize = 5;

/// Every event of `queries` from `from` to `to` (inclusive), merged in time order, and
/// whether all pages were read. When a query stops early, events after the point it
/// reached are left for the next call, so that nothing is skipped.
pub async fn fetch(
    logs: &AwsLogs,
    queries: &[GroupQuery],
    from: i64,
    to: Option<i64>,
) -> Result<(Vec<CwEvent>, bool), BackendError> {
    let mut batches = Vec::with_capacity(queries.len());
    let mut cut: Option<i64> = None;
    for query in queries {
        let (events, complete) = fetch_query(logs, query, from, to).await?;
        if !complete {
            let last = events.last().map_or(from, |e| e.timestamp);
            cut = Some(cut.map_or(last, |c: i64| c.min(last)));
        }
        batches.push(events);
    }
    let mut events = merge_in_time_order(batches);
    if let Some(cut) = cut {
        events.retain(|e| e.timestamp <= cut);
    }
    Ok((events, cut.is_none()))
}

async fn fetch_query(
    logs: &AwsLogs,
    query: &GroupQuery,
    from: i64,
    to: Option<i64>,
) -> Result<(Vec<CwEvent>, bool), BackendError> {
    match pages(logs, query, from, to).await {
        Err(BackendError::NotFound { .. })
            if matches!(query.streams, StreamSelection::Names(_)) =>
        {
            // AWS may refuse stream names that do not exist yet (a task that has not
            // logged): ask which exist and read those.
            let StreamSelection::Names(names) = &query.streams else {
                return Ok((Vec::new(), true));
            };
            let existing = logs.existing_streams(&query.group, names).await?;
            if existing.is_empty() || existing.len() == names.len() {
                return Ok((Vec::new(), true));
            }
            let narrowed = GroupQuery {
                streams: StreamSelection::Names(existing),
                ..query.clone()
            };
            pages(logs, &narrowed, from, to).await
        }
        other => other,
    }
}

async fn pages(
    logs: &AwsLogs,
    query: &GroupQuery,
    from: i64,
    to: Option<i64>,
) -> Result<(Vec<CwEvent>, bool), BackendError> {
    let mut events = Vec::new();
    let mut token = None;
    let mut full_pages = 0;
    // Empty pages (the server still scanning) do not count, up to a limit.
    for _ in 0..MAX_PAGES_PER_POLL * 10 {
        let page = logs.filter_page(query, Some(from), to, token).await?;
        if !page.events.is_empty() {
            full_pages += 1;
        }
        events.extend(page.events);
        token = page.next_token;
        if token.is_none() {
            return Ok((events, true));
        }
        if full_pages >= MAX_PAGES_PER_POLL {
            break;
        }
    }
    Ok((events, false))
}
