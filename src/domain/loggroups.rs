//! CloudWatch log groups as the log groups view (`:logs` alone) lists them.

/// A log group's storage class.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LogGroupClass {
    #[default]
    Standard,
    InfrequentAccess,
    Delivery,
    /// A class this build does not know, as the service named it.
    Other(String),
}

impl LogGroupClass {
    /// The class as the API names it (`STANDARD`, `INFREQUENT_ACCESS`, `DELIVERY`).
    pub fn parse(text: &str) -> Self {
        match text {
            "STANDARD" => LogGroupClass::Standard,
            "INFREQUENT_ACCESS" => LogGroupClass::InfrequentAccess,
            "DELIVERY" => LogGroupClass::Delivery,
            other => LogGroupClass::Other(other.to_string()),
        }
    }

    /// A short label for the `CLASS` column.
    pub fn label(&self) -> &str {
        match self {
            LogGroupClass::Standard => "standard",
            LogGroupClass::InfrequentAccess => "infrequent",
            LogGroupClass::Delivery => "delivery",
            LogGroupClass::Other(text) => text,
        }
    }
}

/// One log group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogGroupRow {
    pub name: String,
    /// The group's ARN, without the `:*` the API appends to `arn`.
    pub arn: String,
    /// Bytes stored, as last reported (the service updates it with a delay).
    pub stored_bytes: u64,
    /// Days events are kept; `None`: they never expire.
    pub retention_days: Option<i32>,
    /// Creation time, seconds since the Unix epoch.
    pub created_at: Option<i64>,
    pub class: LogGroupClass,
}

impl LogGroupRow {
    /// The `RETENTION` cell: `30d`, or `never` when events are kept forever.
    pub fn retention(&self) -> String {
        match self.retention_days {
            Some(days) => format!("{days}d"),
            None => "never".to_string(),
        }
    }
}

/// Epoch milliseconds (as the API gives creation times) to epoch seconds.
pub fn secs_from_millis(ms: Option<i64>) -> Option<i64> {
    ms.map(|ms| ms.div_euclid(1_000))
}

/// The group ARN from the API's two fields: `logGroupArn`, else `arn` without its `:*`.
pub fn group_arn(log_group_arn: Option<&str>, arn: Option<&str>) -> String {
    log_group_arn
        .or_else(|| arn.map(|a| a.trim_end_matches(":*")))
        .unwrap_or_default()
        .to_string()
}

/// Stored bytes as reported (never negative) to a count.
pub fn stored_bytes(reported: Option<i64>) -> u64 {
    reported.map_or(0, |b| u64::try_from(b).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_parse_from_the_api_names() {
        assert_eq!(LogGroupClass::parse("STANDARD"), LogGroupClass::Standard);
        assert_eq!(
            LogGroupClass::parse("INFREQUENT_ACCESS").label(),
            "infrequent"
        );
        assert_eq!(LogGroupClass::parse("DELIVERY").label(), "delivery");
        assert_eq!(LogGroupClass::parse("NEW_CLASS").label(), "NEW_CLASS");
    }

    #[test]
    fn retention_says_never_when_events_are_kept() {
        let mut row = LogGroupRow::default();
        assert_eq!(row.retention(), "never");
        row.retention_days = Some(30);
        assert_eq!(row.retention(), "30d");
    }

    #[test]
    fn conversions_from_the_api_fields() {
        assert_eq!(
            secs_from_millis(Some(1_700_000_000_999)),
            Some(1_700_000_000)
        );
        assert_eq!(secs_from_millis(None), None);
        let arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/web";
        assert_eq!(group_arn(None, Some(&format!("{arn}:*"))), arn);
        assert_eq!(group_arn(Some(arn), Some("other:*")), arn);
        assert_eq!(group_arn(None, None), "");
        assert_eq!(stored_bytes(Some(2_048)), 2_048);
        assert_eq!(stored_bytes(Some(-1)), 0);
        assert_eq!(stored_bytes(None), 0);
    }
}
