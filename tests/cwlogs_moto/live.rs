//! Live tail against moto's `StartLiveTail` (which replays the stored events once and ends).

use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use opsdeck::app::logs::LogSource;
use opsdeck::backend::logs::{AwsLogs, LiveSpec, LiveUpdate, StreamSelection};
use opsdeck::runtime::logs::cwlogs::CwSettings;

use super::common;
use super::support::{
    GROUPS, REGION, Tail, TestResult, clients, new_group, new_stream, now_ms, put,
};

#[tokio::test]
async fn live_tail_streams_through_the_prefix_stripping_interceptor() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    // moto serves the newest group: create it and start the session under the lock.
    let _lock = GROUPS.lock().await;
    let group = new_group(&clients, "live").await?;
    new_stream(&clients, &group, "app/web/1").await?;
    new_stream(&clients, &group, "app/web/2").await?;
    new_stream(&clients, &group, "other").await?;
    let now = now_ms();
    put(
        &clients,
        &group,
        "app/web/1",
        &[(now, "first".into()), (now + 2, "third".into())],
    )
    .await?;
    put(&clients, &group, "app/web/2", &[(now + 1, "second".into())]).await?;
    put(
        &clients,
        &group,
        "other",
        &[(now + 1, "not followed".into())],
    )
    .await?;

    let logs = AwsLogs::from_clients(&clients);
    let arn = logs.group_arn(&group).await?;
    assert!(arn.ends_with(&format!(":log-group:{group}")), "{arn}");
    let spec = LiveSpec {
        groups: vec![(arn.clone(), group.clone())],
        streams: StreamSelection::Names(vec!["app/web/1".into(), "app/web/2".into()]),
        pattern: None,
    };
    let mut session = logs
        .start_live(&spec)
        .await
        .map_err(|e| e.error.user_message())?;
    let mut started = false;
    let mut events = Vec::new();
    while let Some(update) = tokio::time::timeout(Duration::from_secs(10), session.next())
        .await?
        .map_err(|e| format!("{e:?}"))?
    {
        match update {
            LiveUpdate::Started => started = true,
            LiveUpdate::Events {
                events: batch,
                sampled,
            } => {
                assert!(!sampled);
                events.extend(batch);
            }
        }
    }
    drop(_lock);
    assert!(started, "no sessionStart");
    let texts: Vec<&str> = events.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(texts, ["first", "second", "third"]);
    assert!(
        events
            .iter()
            .all(|e| e.group == group && e.event_id.is_none())
    );

    // Without the interceptor the SDK sends live tail to `stream-127.0.0.1`, which does not
    // resolve: the interceptor is what makes it work.
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(&url)
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
        .load()
        .await;
    let bare = AwsLogs::new(aws_sdk_cloudwatchlogs::Client::new(&sdk), url.clone());
    let err = bare
        .start_live(&spec)
        .await
        .expect_err("live tail without the interceptor");
    assert!(
        err.error.user_message().starts_with("cannot reach"),
        "{}",
        err.error.user_message()
    );
    Ok(())
}

#[tokio::test]
async fn live_tail_falls_back_to_polling_without_repeating_or_losing_events() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let lock = GROUPS.lock().await;
    let group = new_group(&clients, "fallback").await?;
    new_stream(&clients, &group, "s").await?;
    let now = now_ms();
    put(
        &clients,
        &group,
        "s",
        &[
            (now - 2_000, "before-1".into()),
            (now - 1_000, "before-2".into()),
        ],
    )
    .await?;
    let settings = CwSettings {
        poll_interval: Duration::from_secs(1),
        live: true,
        ..CwSettings::default()
    };
    let source = LogSource::Group {
        group: group.clone(),
        prefix: None,
        start: None,
        pattern: None,
    };
    let mut tail = Tail::start(&url, settings, source, 100);
    // Live first (moto replays and closes the session), then polling.
    tail.until(Duration::from_secs(15), |t| {
        t.modes.contains(&"POLL 1s".to_string())
    })
    .await;
    drop(lock);
    assert_eq!(tail.modes, ["LIVE", "POLL 1s"]);
    put(&clients, &group, "s", &[(now_ms(), "after".into())]).await?;
    tail.until(Duration::from_secs(10), |t| t.has("after"))
        .await;
    tail.idle(Duration::from_millis(2_500)).await;
    // The replayed events were shown once (by the history), the new one once.
    assert_eq!(tail.texts(), ["before-1", "before-2", "after"]);
    Ok(())
}
