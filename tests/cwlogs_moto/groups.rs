//! The log groups view's listing: `DescribeLogGroups`, every page.

use opsdeck::backend::logs::AwsLogs;
use opsdeck::domain::loggroups::LogGroupClass;

use super::common;
use super::support::{GROUPS, TestResult, clients};

/// More than one page: `DescribeLogGroups` answers 50 at a time.
const COUNT: usize = 61;

#[tokio::test]
async fn every_page_of_log_groups_comes_back() -> TestResult {
    let Some(url) = common::moto_url() else {
        return Ok(());
    };
    let clients = clients(&url).await?;
    let prefix = format!("/opsdeck-test/list-{}/", common::unique_token(10));
    let names: Vec<String> = (0..COUNT).map(|i| format!("{prefix}g{i:03}")).collect();
    {
        let _lock = GROUPS.lock().await;
        for name in &names {
            clients
                .logs
                .create_log_group()
                .log_group_name(name)
                .send()
                .await?;
        }
    }
    clients
        .logs
        .put_retention_policy()
        .log_group_name(&names[0])
        .retention_in_days(30)
        .send()
        .await?;

    let rows = AwsLogs::from_clients(&clients).groups().await?;
    let ours: Vec<_> = rows
        .iter()
        .filter(|r| r.name.starts_with(&prefix))
        .collect();
    let listed: Vec<&str> = ours.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(listed, names, "every group, in name order");
    let first = ours[0];
    assert_eq!(first.retention_days, Some(30));
    assert_eq!(first.retention(), "30d");
    assert_eq!(ours[1].retention(), "never");
    assert!(
        first.arn.ends_with(&format!(":log-group:{}", names[0])),
        "{first:?}"
    );
    assert!(first.created_at.is_some(), "{first:?}");
    assert_eq!(first.class, LogGroupClass::Standard);

    for name in &names {
        clients
            .logs
            .delete_log_group()
            .log_group_name(name)
            .send()
            .await?;
    }
    Ok(())
}
