//! A log group tail in polling mode.

use std::time::Duration;

use opsdeck::app::logs::LogSource;

use super::common;
use super::support::{
    GROUPS, Tail, TestResult, clients, new_group, new_stream, now_ms, polling, put,
};

fn group_source(
    group: &str,
    prefix: Option<&str>,
    start: Option<&str>,
    pattern: Option<&str>,
) -> LogSource {
    LogSource::Group {
        group: group.to_string(),
        prefix: prefix.map(str::to_string),
        start: start.map(str::to_string),
        pattern: pattern.map(str::to_string),
    }
}

#[tokio::test]
async fn events_put_while_the_tail_is_open_arrive_once_in_order() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let group = {
        let _lock = GROUPS.lock().await;
        new_group(&clients, "order").await?
    };
    new_stream(&clients, &group, "a").await?;
    new_stream(&clients, &group, "b").await?;
    let t0 = now_ms() - 5_000;
    put(&clients, &group, "a", &[(t0, "old-1".into())]).await?;

    let mut tail = Tail::start(&url, polling(), group_source(&group, None, None, None), 100);
    tail.until(Duration::from_secs(10), |t| {
        t.has("old-1") && t.modes.contains(&"POLL 1s".to_string())
    })
    .await;
    // Two streams, interleaved timestamps, put in two rounds while the tail polls.
    let now = now_ms();
    put(
        &clients,
        &group,
        "a",
        &[(now, "new-1".into()), (now + 2, "new-3".into())],
    )
    .await?;
    put(&clients, &group, "b", &[(now + 1, "new-2".into())]).await?;
    tail.until(Duration::from_secs(10), |t| {
        t.has("new-3") && t.has("new-2")
    })
    .await;
    put(&clients, &group, "b", &[(now + 3, "new-4".into())]).await?;
    tail.until(Duration::from_secs(10), |t| t.has("new-4"))
        .await;
    // A few more polls: nothing comes twice.
    tail.idle(Duration::from_millis(2_500)).await;
    assert_eq!(tail.texts(), ["old-1", "new-1", "new-2", "new-3", "new-4"]);
    let stamps: Vec<i64> = tail.lines.iter().filter_map(|l| l.ts_millis).collect();
    assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "{stamps:?}");
    // Several streams of a plain group: each line names its stream.
    assert_eq!(tail.lines[0].label, "a");
    assert_eq!(tail.lines[2].label, "b");
    assert_ne!(tail.lines[0].label_colour, tail.lines[2].label_colour);
    assert!(tail.problems.is_empty(), "{:?}", tail.problems);
    Ok(())
}

#[tokio::test]
async fn equal_timestamps_straddling_two_polls_are_neither_lost_nor_repeated() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let group = {
        let _lock = GROUPS.lock().await;
        new_group(&clients, "straddle").await?
    };
    new_stream(&clients, &group, "s1").await?;
    new_stream(&clients, &group, "s2").await?;
    let mut tail = Tail::start(&url, polling(), group_source(&group, None, None, None), 100);
    tail.until(Duration::from_secs(10), |t| !t.modes.is_empty())
        .await;

    let ts = now_ms();
    put(
        &clients,
        &group,
        "s1",
        &[(ts, "same-ms-1".into()), (ts, "same-ms-2".into())],
    )
    .await?;
    tail.until(Duration::from_secs(10), |t| t.has("same-ms-2"))
        .await;
    // More events with the very same timestamp, after a poll has seen that millisecond;
    // one of them is a line identical to one already shown.
    put(&clients, &group, "s2", &[(ts, "same-ms-3".into())]).await?;
    put(
        &clients,
        &group,
        "s1",
        &[(ts, "same-ms-1".into()), (ts + 1, "next-ms".into())],
    )
    .await?;
    tail.until(Duration::from_secs(10), |t| t.has("next-ms"))
        .await;
    tail.idle(Duration::from_millis(2_500)).await;
    assert_eq!(tail.count("same-ms-1"), 2, "{:?}", tail.texts());
    assert_eq!(tail.count("same-ms-2"), 1, "{:?}", tail.texts());
    assert_eq!(tail.count("same-ms-3"), 1, "{:?}", tail.texts());
    assert_eq!(tail.count("next-ms"), 1, "{:?}", tail.texts());
    assert_eq!(tail.lines.len(), 5);
    Ok(())
}

#[tokio::test]
async fn an_event_ingested_late_from_another_stream_is_not_lost() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let group = {
        let _lock = GROUPS.lock().await;
        new_group(&clients, "late").await?
    };
    new_stream(&clients, &group, "fast").await?;
    new_stream(&clients, &group, "slow").await?;
    let mut tail = Tail::start(&url, polling(), group_source(&group, None, None, None), 100);
    tail.until(Duration::from_secs(10), |t| !t.modes.is_empty())
        .await;
    let now = now_ms();
    put(&clients, &group, "fast", &[(now, "fast-now".into())]).await?;
    tail.until(Duration::from_secs(10), |t| t.has("fast-now"))
        .await;
    // The awslogs driver sends in batches: an event logged 3 s ago by another task arrives
    // after a poll has seen a newer one.
    put(
        &clients,
        &group,
        "slow",
        &[(now - 3_000, "slow-3s-ago".into())],
    )
    .await?;
    tail.until(Duration::from_secs(10), |t| t.has("slow-3s-ago"))
        .await;
    tail.idle(Duration::from_millis(2_500)).await;
    assert_eq!(tail.texts(), ["fast-now", "slow-3s-ago"]);
    Ok(())
}

#[tokio::test]
async fn pages_with_next_token_lose_and_repeat_nothing() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let group = {
        let _lock = GROUPS.lock().await;
        new_group(&clients, "pages").await?
    };
    new_stream(&clients, &group, "big").await?;
    let mut tail = Tail::start(&url, polling(), group_source(&group, None, None, None), 100);
    tail.until(Duration::from_secs(10), |t| !t.modes.is_empty())
        .await;
    // 25,000 events (moto pages by 10,000), ten per millisecond: page ends fall inside a
    // millisecond.
    let base = now_ms() - 3_000;
    let events: Vec<(i64, String)> = (0..25_000)
        .map(|i| (base + i / 10, format!("ev-{i:05}")))
        .collect();
    put(&clients, &group, "big", &events).await?;
    tail.until(Duration::from_secs(60), |t| t.has("ev-24999"))
        .await;
    tail.idle(Duration::from_millis(2_500)).await;
    let texts = tail.texts();
    assert_eq!(texts.len(), 25_000);
    let mut sorted = texts.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 25_000, "duplicates");
    Ok(())
}

#[tokio::test]
async fn start_time_reads_history_and_pattern_filters_server_side() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let group = {
        let _lock = GROUPS.lock().await;
        new_group(&clients, "start").await?
    };
    new_stream(&clients, &group, "app/web/1").await?;
    new_stream(&clients, &group, "other/x").await?;
    let now = now_ms();
    put(
        &clients,
        &group,
        "app/web/1",
        &[
            (now - 3 * 3_600_000, "ERROR too old".into()),
            (now - 90 * 60_000, "ERROR within two hours".into()),
            (now - 60 * 60_000, "INFO within two hours".into()),
        ],
    )
    .await?;
    put(
        &clients,
        &group,
        "other/x",
        &[(now - 30 * 60_000, "ERROR other prefix".into())],
    )
    .await?;
    let source = group_source(&group, Some("app/"), Some("-2h"), Some("ERROR"));
    let mut tail = Tail::start(&url, polling(), source, 100);
    tail.until(Duration::from_secs(10), |t| t.has("ERROR within two hours"))
        .await;
    tail.idle(Duration::from_millis(1_500)).await;
    assert_eq!(tail.texts(), ["ERROR within two hours"]);
    Ok(())
}

#[tokio::test]
async fn a_missing_group_is_a_problem_and_the_tail_resumes_when_it_appears() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let group = format!("/opsdeck-test/missing-{}", common::unique_token(10));
    let mut tail = Tail::start(&url, polling(), group_source(&group, None, None, None), 100);
    tail.until(Duration::from_secs(10), |t| !t.problems.is_empty())
        .await;
    assert_eq!(
        tail.problems[0],
        format!("not found: log group {group} (check the name, region and profile)")
    );
    // The group appears: the tail backs off, then goes on.
    {
        let _lock = GROUPS.lock().await;
        clients
            .logs
            .create_log_group()
            .log_group_name(&group)
            .send()
            .await?;
    }
    new_stream(&clients, &group, "s").await?;
    put(&clients, &group, "s", &[(now_ms(), "finally".into())]).await?;
    tail.until(Duration::from_secs(20), |t| t.has("finally"))
        .await;
    assert!(tail.ended.is_none());
    Ok(())
}

#[tokio::test]
async fn an_invalid_start_time_ends_the_tail_with_a_message() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let mut tail = Tail::start(
        &url,
        polling(),
        group_source("/x", None, Some("-15x"), None),
        100,
    );
    tail.until(Duration::from_secs(5), |t| t.ended.is_some())
        .await;
    assert!(
        tail.ended
            .as_deref()
            .unwrap()
            .starts_with("invalid start time `-15x`"),
        "{:?}",
        tail.ended
    );
    Ok(())
}
