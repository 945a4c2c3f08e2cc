//! CloudWatch logs from the ECS views and the `:logs` command.
//!
//! - `l` on a service tails all its running tasks, merged ([`LogSource::EcsService`]);
//! - `l` on a task tails its containers, on a container just that one ([`LogSource::EcsTask`]);
//! - `:logs` alone lists the account's log groups to pick one from (`View::LogGroups`);
//! - `:logs GROUP [STREAM-PREFIX] [START] [PATTERN…]` tails any log group. START is relative
//!   (`-30s`, `-15m`, `-2h`, `-1d`, `-1h30m`) or an ISO 8601 time (`2024-05-01T10:00:00Z`,
//!   `2024-05-01T10:00` in local time, `2024-05-01`); a `-` in place of the prefix means none.
//!   PATTERN is a CloudWatch filter pattern (`ERROR`, `"connection refused"`).
//!
//! Mistakes are reported in the status bar and nothing is opened.

use crate::app::Action;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::app::core::command::Command;
use crate::app::core::nav::flash;
use crate::app::core::state::AppState;
use crate::app::core::table::Tone;
use crate::app::core::view::View;
use crate::app::logs::{self, LogSource};

/// How `:logs` is typed.
pub const USAGE: &str = ":logs GROUP [STREAM-PREFIX] [-15m|ISO-TIME] [PATTERN…]";

/// The examples a start-time error suggests.
const START_HELP: &str = "use -30s, -15m, -2h, -1d or an ISO time such as 2024-05-01T10:00:00Z";

/// `l` on the services, tasks or containers view: the logs of what is selected.
/// `l` on the services, tasks and containers views.
pub fn on_ecs_action(state: &mut AppState, action: crate::app::Action) -> Option<Vec<Command>> {
    (action == crate::app::Action::TailLogs).then(|| open_for_selection(state))
}

pub fn open_for_selection(state: &mut AppState) -> Vec<Command> {
    let source = match state.view().clone() {
        View::Services { cluster } => {
            state
                .services
                .selected_row()
                .map(|s| LogSource::EcsService {
                    cluster: cluster.clone(),
                    service: s.name.clone(),
                })
        }
        View::Tasks { cluster, .. } => state.tasks.selected_row().map(|t| LogSource::EcsTask {
            cluster: cluster.clone(),
            task: t.arn.clone(),
            container: None,
        }),
        View::Containers { cluster, task } => Some(LogSource::EcsTask {
            cluster,
            task,
            container: state.containers.selected_row().map(|c| c.name.clone()),
        }),
        View::Clusters
        | View::ServiceDetail { .. }
        | View::Docker
        | View::Logs { .. }
        | View::Hosts
        | View::Asgs
        | View::Journal
        | View::LogGroups
        | View::Images
        | View::Describe { .. } => {
            flash(
                state,
                "logs are opened from a service, task or container",
                Tone::Warn,
            );
            return Vec::new();
        }
    };
    match source {
        Some(source) => logs::open(state, source),
        None => {
            let key = state.keymap.key_name(state.key_context(), Action::TailLogs);
            flash(
                state,
                &format!("nothing selected: move to a row, then press {key}"),
                Tone::Warn,
            );
            Vec::new()
        }
    }
}

/// `:logs GROUP [STREAM-PREFIX] [START] [PATTERN…]`; `:logs` alone opens the log groups.
pub fn open_command(state: &mut AppState, args: &[&str]) -> Vec<Command> {
    if args.is_empty() {
        return crate::app::core::nav::open_over_root(state, View::LogGroups);
    }
    match parse_command(args, state.settings.utc_offset_secs) {
        Ok(source) => logs::open(state, source),
        Err(message) => {
            flash(state, &message, Tone::Error);
            Vec::new()
        }
    }
}

/// The source `:logs` asks for, or a one-line message saying what is wrong.
pub fn parse_command(args: &[&str], utc_offset_secs: i32) -> Result<LogSource, String> {
    let Some((group, rest)) = args.split_first() else {
        return Err(format!("which log group? type {USAGE}"));
    };
    check_group(group)?;
    let mut rest = rest.iter().copied().peekable();
    let mut prefix = None;
    let mut start = None;
    match rest.peek() {
        Some(&"-") => {
            rest.next();
        }
        Some(word) if looks_like_start(word) => {}
        Some(word) => {
            prefix = Some(word.to_string());
            rest.next();
        }
        None => {}
    }
    if let Some(word) = rest.peek().copied().filter(|w| looks_like_start(w)) {
        start = Some(canonical_start(word, utc_offset_secs)?);
        rest.next();
    }
    let words: Vec<&str> = rest.collect();
    let pattern = (!words.is_empty()).then(|| words.join(" "));
    if let Some(p) = &pattern {
        check_pattern(p)?;
    }
    Ok(LogSource::Group {
        group: group.to_string(),
        prefix,
        start,
        pattern,
    })
}

/// CloudWatch log group names: 1–512 of `a-z A-Z 0-9 . - _ / #`.
fn check_group(group: &str) -> Result<(), String> {
    let valid = !group.is_empty()
        && group.len() <= 512
        && group
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | '#'));
    if valid {
        Ok(())
    } else {
        Err(format!(
            "invalid log group name `{group}`: use letters, digits and . - _ / # (type {USAGE})"
        ))
    }
}

fn check_pattern(pattern: &str) -> Result<(), String> {
    if pattern.matches('"').count() % 2 == 1 {
        return Err(format!(
            "the filter pattern `{pattern}` has an unmatched \": close the quoted phrase"
        ));
    }
    let opened = pattern.matches('{').count();
    if opened != pattern.matches('}').count() {
        return Err(format!(
            "the filter pattern `{pattern}` has unmatched braces: check the {{ }}"
        ));
    }
    Ok(())
}

/// Words that are meant as a start time: `-15m` (anything that starts with `-`) or a date.
fn looks_like_start(word: &str) -> bool {
    (word.starts_with('-') && word.len() > 1)
        || (word.len() >= 10
            && word.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && word.as_bytes()[4] == b'-')
}

/// The start time as the tail will read it: relative times as typed, ISO times with an
/// explicit offset (local times get the local offset now, so the runtime needs no zone).
pub fn canonical_start(text: &str, utc_offset_secs: i32) -> Result<String, String> {
    if text.starts_with('-') {
        relative_secs(text)?;
        return Ok(text.to_string());
    }
    let at = absolute(text, utc_offset_secs)?;
    at.format(&Rfc3339)
        .map_err(|_| format!("invalid start time `{text}`: {START_HELP}"))
}

/// The start time in seconds since the epoch: `-15m` counts back from `now`; ISO times
/// without an offset are local (`utc_offset_secs` east of UTC). Errors are one line.
pub fn parse_start(text: &str, now: i64, utc_offset_secs: i32) -> Result<i64, String> {
    let text = text.trim();
    let secs = if text.starts_with('-') {
        now - relative_secs(text)?
    } else {
        absolute(text, utc_offset_secs)?.unix_timestamp()
    };
    if secs > now + 60 {
        return Err(format!(
            "start time `{text}` is in the future: use a past time"
        ));
    }
    Ok(secs)
}

/// `-1h30m` → 5400.
fn relative_secs(text: &str) -> Result<i64, String> {
    let invalid = || format!("invalid start time `{text}`: {START_HELP}");
    let body = text.strip_prefix('-').ok_or_else(invalid)?;
    if body.is_empty() {
        return Err(invalid());
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in body.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(invalid()),
        };
        let n: i64 = number.parse().map_err(|_| invalid())?;
        number.clear();
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(invalid)?;
    }
    if !number.is_empty() || total == 0 {
        return Err(invalid());
    }
    // CloudWatch keeps events for at most 10 years.
    if total > 10 * 366 * 86_400 {
        return Err(format!(
            "start time `{text}` is too far back: at most 10 years"
        ));
    }
    Ok(total)
}

fn absolute(text: &str, utc_offset_secs: i32) -> Result<OffsetDateTime, String> {
    let invalid = || format!("invalid start time `{text}`: {START_HELP}");
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at);
    }
    let offset = UtcOffset::from_whole_seconds(utc_offset_secs).unwrap_or(UtcOffset::UTC);
    let local = PrimitiveDateTime::parse(
        text,
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    )
    .or_else(|_| {
        PrimitiveDateTime::parse(
            text,
            format_description!("[year]-[month]-[day]T[hour]:[minute]"),
        )
    })
    .or_else(|_| {
        PrimitiveDateTime::parse(
            text,
            format_description!("[year]-[month]-[day] [hour]:[minute]"),
        )
    })
    .or_else(|_| {
        Date::parse(text, format_description!("[year]-[month]-[day]"))
            .map(|d| PrimitiveDateTime::new(d, Time::MIDNIGHT))
    })
    .map_err(|_| invalid())?;
    Ok(local.assume_offset(offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::core::state::ContextInfo;
    use crate::app::{Action, Msg, Settings, update};
    use crate::domain::ecs::{ContainerRow, ServiceRow, TaskRow};
    use crate::domain::ids::{ClusterName, ServiceName, TaskArn};
    use crate::input::keymap::Keymap;

    fn on(view: View) -> AppState {
        let mut state = AppState::new(
            ContextInfo::default(),
            Settings::default(),
            Keymap::default(),
        );
        state.stack.push(view);
        state
    }

    fn started(commands: &[Command]) -> Option<&LogSource> {
        commands.iter().find_map(|c| match c {
            Command::StartTail { source, .. } => Some(source),
            _ => None,
        })
    }

    #[test]
    fn l_on_a_service_tails_the_service() {
        let mut state = on(View::Services {
            cluster: ClusterName::from("prod"),
        });
        state.services.set_rows(
            vec![ServiceRow {
                cluster: ClusterName::from("prod"),
                name: ServiceName::from("web"),
                ..ServiceRow::default()
            }],
            0,
        );
        let commands = update(&mut state, Msg::Action(Action::TailLogs));
        assert_eq!(
            started(&commands),
            Some(&LogSource::EcsService {
                cluster: "prod".into(),
                service: "web".into()
            })
        );
        assert!(matches!(state.view(), View::Logs { .. }));
    }

    #[test]
    fn l_on_a_task_or_a_container_tails_that() {
        let arn = "arn:aws:ecs:eu-west-1:1:task/prod/0123456789abcdef";
        let mut state = on(View::Tasks {
            cluster: ClusterName::from("prod"),
            service: None,
        });
        state.tasks.set_rows(
            vec![TaskRow {
                arn: TaskArn::from(arn),
                ..TaskRow::default()
            }],
            0,
        );
        let commands = update(&mut state, Msg::Action(Action::TailLogs));
        assert_eq!(
            started(&commands),
            Some(&LogSource::EcsTask {
                cluster: "prod".into(),
                task: arn.into(),
                container: None
            })
        );

        let mut state = on(View::Containers {
            cluster: ClusterName::from("prod"),
            task: TaskArn::from(arn),
        });
        state.containers.set_rows(
            vec![ContainerRow {
                name: "app".into(),
                ..ContainerRow::default()
            }],
            0,
        );
        let commands = update(&mut state, Msg::Action(Action::TailLogs));
        assert_eq!(
            started(&commands),
            Some(&LogSource::EcsTask {
                cluster: "prod".into(),
                task: arn.into(),
                container: Some("app".into())
            })
        );
    }

    #[test]
    fn l_with_nothing_selected_says_so() {
        let mut state = on(View::Services {
            cluster: ClusterName::from("prod"),
        });
        let commands = update(&mut state, Msg::Action(Action::TailLogs));
        assert!(commands.is_empty());
        assert!(
            state
                .flash
                .as_ref()
                .is_some_and(|f| f.text.starts_with("nothing selected"))
        );
    }

    #[test]
    fn a_bad_logs_command_opens_nothing() {
        let mut state = on(View::Clusters);
        let commands = open_command(&mut state, &["/ecs/web", "-15x"]);
        assert!(commands.is_empty());
        assert!(!matches!(state.view(), View::Logs { .. }));
        let flash = state.flash.as_ref().map(|f| (f.text.as_str(), f.tone));
        assert_eq!(
            flash,
            Some((
                "invalid start time `-15x`: use -30s, -15m, -2h, -1d or an ISO time such as 2024-05-01T10:00:00Z",
                Tone::Error
            ))
        );
        let commands = open_command(&mut state, &["/ecs/web", "-15m", "ERROR"]);
        assert!(matches!(
            started(&commands),
            Some(LogSource::Group { start: Some(s), pattern: Some(p), .. }) if s == "-15m" && p == "ERROR"
        ));
    }

    const NOW: i64 = 1_714_557_600; // 2024-05-01T10:00:00Z

    #[test]
    fn relative_start_times() {
        assert_eq!(parse_start("-15m", NOW, 0), Ok(NOW - 900));
        assert_eq!(parse_start("-2h", NOW, 0), Ok(NOW - 7_200));
        assert_eq!(parse_start("-1h30m", NOW, 0), Ok(NOW - 5_400));
        assert_eq!(parse_start("-30s", NOW, 0), Ok(NOW - 30));
        assert_eq!(parse_start("-1d", NOW, 0), Ok(NOW - 86_400));
        for bad in ["-15x", "-", "-m", "-15", "-0m", "--1m", "-1.5h"] {
            let err = parse_start(bad, NOW, 0).unwrap_err();
            assert!(
                err.starts_with(&format!("invalid start time `{bad}`")),
                "{err}"
            );
        }
    }

    #[test]
    fn iso_start_times() {
        assert_eq!(parse_start("2024-05-01T09:00:00Z", NOW, 0), Ok(NOW - 3_600));
        assert_eq!(
            parse_start("2024-05-01T11:00:00+02:00", NOW, 0),
            Ok(NOW - 3_600)
        );
        // Without an offset: local time (here UTC+2).
        assert_eq!(parse_start("2024-05-01T11:00", NOW, 7_200), Ok(NOW - 3_600));
        assert_eq!(
            parse_start("2024-05-01T11:00:00", NOW, 7_200),
            Ok(NOW - 3_600)
        );
        assert_eq!(parse_start("2024-05-01", NOW, 0), Ok(NOW - 36_000));
        let err = parse_start("2024-05-01T12:00:00Z", NOW, 0).unwrap_err();
        assert!(err.contains("in the future"), "{err}");
        let err = parse_start("2024-13-01", NOW, 0).unwrap_err();
        assert!(err.starts_with("invalid start time `2024-13-01`"), "{err}");
    }

    #[test]
    fn local_iso_times_are_pinned_to_the_offset_when_typed() {
        assert_eq!(
            canonical_start("2024-05-01T11:00", 7_200).as_deref(),
            Ok("2024-05-01T11:00:00+02:00")
        );
        assert_eq!(canonical_start("-15m", 7_200).as_deref(), Ok("-15m"));
    }

    #[test]
    fn the_command_line_is_group_prefix_start_pattern() {
        let group = |g: &str, p: Option<&str>, s: Option<&str>, f: Option<&str>| LogSource::Group {
            group: g.into(),
            prefix: p.map(str::to_string),
            start: s.map(str::to_string),
            pattern: f.map(str::to_string),
        };
        assert_eq!(
            parse_command(&["/ecs/web"], 0),
            Ok(group("/ecs/web", None, None, None))
        );
        assert_eq!(
            parse_command(&["/ecs/web", "app/"], 0),
            Ok(group("/ecs/web", Some("app/"), None, None))
        );
        assert_eq!(
            parse_command(&["/ecs/web", "-15m"], 0),
            Ok(group("/ecs/web", None, Some("-15m"), None))
        );
        assert_eq!(
            parse_command(&["/ecs/web", "app/", "-2h", "ERROR"], 0),
            Ok(group("/ecs/web", Some("app/"), Some("-2h"), Some("ERROR")))
        );
        assert_eq!(
            parse_command(&["/ecs/web", "-", "-2h", "\"connection", "refused\""], 0),
            Ok(group(
                "/ecs/web",
                None,
                Some("-2h"),
                Some("\"connection refused\"")
            ))
        );
        assert_eq!(
            parse_command(&["/ecs/web", "app/", "ERROR"], 0),
            Ok(group("/ecs/web", Some("app/"), None, Some("ERROR")))
        );
    }

    #[test]
    fn command_mistakes_are_precise() {
        assert!(
            parse_command(&[], 0)
                .unwrap_err()
                .starts_with("which log group?")
        );
        let err = parse_command(&["/ecs/web", "-15x"], 0).unwrap_err();
        assert_eq!(
            err,
            "invalid start time `-15x`: use -30s, -15m, -2h, -1d or an ISO time such as 2024-05-01T10:00:00Z"
        );
        let err = parse_command(&["/ecs/web", "app/", "yesterday-ish"], 0);
        // Not a time: the rest is a filter pattern.
        assert!(err.is_ok());
        let err = parse_command(&["web logs"], 0).unwrap_err();
        assert!(
            err.starts_with("invalid log group name `web logs`"),
            "{err}"
        );
        let err = parse_command(&["/ecs/web", "-", "-1h", "\"oops"], 0).unwrap_err();
        assert!(err.contains("unmatched \""), "{err}");
    }
}
