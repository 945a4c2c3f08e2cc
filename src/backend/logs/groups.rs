//! The account's log groups, for the log groups view: `DescribeLogGroups`, every page.

use crate::backend::error::BackendError;
use crate::backend::logs::AwsLogs;
use crate::domain::loggroups::{
    LogGroupClass, LogGroupRow, group_arn, secs_from_millis, stored_bytes,
};

impl AwsLogs {
    /// Every log group of the account and region, by name.
    pub async fn groups(&self) -> Result<Vec<LogGroupRow>, BackendError> {
        let groups: Vec<_> = self
            .client()
            .describe_log_groups()
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| {
                BackendError::from_sdk("DescribeLogGroups", e).with_endpoint(&self.endpoint)
            })?;
        let mut rows: Vec<LogGroupRow> = groups
            .iter()
            .map(|g| LogGroupRow {
                name: g.log_group_name().unwrap_or_default().to_string(),
                arn: group_arn(g.log_group_arn(), g.arn()),
                stored_bytes: stored_bytes(g.stored_bytes()),
                retention_days: g.retention_in_days(),
                created_at: secs_from_millis(g.creation_time()),
                class: g
                    .log_group_class()
                    .map(|c| LogGroupClass::parse(c.as_str()))
                    .unwrap_or_default(),
            })
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(rows)
    }
}
