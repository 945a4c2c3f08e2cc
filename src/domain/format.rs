//! Small text formatting shared by views: ages and truncation.

use unicode_width::UnicodeWidthChar;

/// A compact age like `45s`, `12m`, `3h`, `5d` from two epoch-second instants.
pub fn age(since: Option<i64>, now: i64) -> String {
    let Some(since) = since else {
        return String::new();
    };
    let secs = (now - since).max(0);
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        s => format!("{}d", s / 86_400),
    }
}

/// Cut `text` to at most `width` terminal columns, ending with `…` when cut.
pub fn truncate(text: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The user part of a caller identity: `arn:aws:sts::1:assumed-role/Admin/alice` → `alice`.
pub fn short_who(who: &str) -> &str {
    if who.starts_with("arn:") {
        who.rsplit('/').next().unwrap_or(who)
    } else {
        who
    }
}

/// `text` with `label` after it in `width` columns: the text gives way first, so the label
/// (`redeploying…`) stays whole while there is room for it.
pub fn with_label(text: &str, label: &str, width: usize) -> String {
    let label_width: usize = label.chars().map(|c| c.width().unwrap_or(0)).sum();
    if label_width + 2 > width {
        return truncate(label, width);
    }
    format!("{} {label}", truncate(text, width - label_width - 1))
}

/// `HH:MM:SS` of an epoch time, shifted to local time.
pub fn clock_time(epoch: i64, offset_secs: i32) -> String {
    let secs = (epoch + i64::from(offset_secs)).rem_euclid(86_400);
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_stays_whole_and_the_text_gives_way() {
        assert_eq!(
            with_label("payments-api", "redeploying…", 40),
            "payments-api redeploying…"
        );
        assert_eq!(
            with_label("payments-api", "redeploying…", 20),
            "paymen… redeploying…"
        );
        assert_eq!(with_label("payments-api", "redeploying…", 10), "redeployi…");
    }

    #[test]
    fn clock_times_wrap_at_midnight() {
        assert_eq!(clock_time(0, 0), "00:00:00");
        assert_eq!(clock_time(3_661, 0), "01:01:01");
        assert_eq!(clock_time(0, -3_600), "23:00:00");
    }

    #[test]
    fn ages_pick_the_largest_unit() {
        assert_eq!(age(Some(100), 145), "45s");
        assert_eq!(age(Some(0), 3_599), "59m");
        assert_eq!(age(Some(0), 7_200), "2h");
        assert_eq!(age(Some(0), 86_400 * 3), "3d");
        assert_eq!(age(None, 10), "");
        assert_eq!(age(Some(50), 10), "0s");
    }

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("hello", 10), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("abc", 0), "");
    }
}
