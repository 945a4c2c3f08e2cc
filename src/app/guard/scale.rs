//! Desired counts: what the user typed (`7`, `+2`, `-1`) and the limits a new count must
//! respect before anything is asked or sent.

use crate::app::core::keys::fixed::CANCEL;

/// Largest count anyone can type (ECS and Auto Scaling take 32-bit counts).
const MAX_COUNT: i64 = i32::MAX as i64;

/// A desired count as typed: absolute (`7`) or relative (`+2`, `-1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesiredInput {
    Absolute(i64),
    Relative(i64),
}

/// Parse `7`, `+2` or `-1` (surrounding spaces allowed).
pub fn parse_desired(text: &str) -> Result<DesiredInput, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("type a count: 7, +2 or -1 ({CANCEL} cancels)"));
    }
    let (sign, digits) = match text.as_bytes()[0] {
        b'+' => (Some(1), text[1..].trim_start()),
        b'-' => (Some(-1), text[1..].trim_start()),
        _ => (None, text),
    };
    let not_a_count = || format!("`{text}` is not a count: type 7, +2 or -1");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_count());
    }
    // More digits than any count can have: too large, whatever they say.
    let value: i64 = if digits.trim_start_matches('0').len() > 12 {
        i64::MAX / 2
    } else {
        digits.parse().map_err(|_| not_a_count())?
    };
    Ok(match sign {
        Some(s) => DesiredInput::Relative(s * value),
        None => DesiredInput::Absolute(value),
    })
}

/// The new count `input` asks for, starting from `current`.
pub fn resolve(current: i32, input: DesiredInput) -> Result<i32, String> {
    let target = match input {
        DesiredInput::Absolute(v) => v,
        DesiredInput::Relative(d) => i64::from(current).saturating_add(d),
    };
    if target < 0 {
        let DesiredInput::Relative(d) = input else {
            return Err("a count cannot be negative: nothing was sent".to_string());
        };
        return Err(format!(
            "a count cannot be negative ({current} {} {} = {target}): nothing was sent",
            if d < 0 { '-' } else { '+' },
            d.abs()
        ));
    }
    if target > MAX_COUNT {
        return Err(format!(
            "{target} is too large for a count: nothing was sent"
        ));
    }
    i32::try_from(target)
        .map_err(|_| format!("{target} is too large for a count: nothing was sent"))
}

/// The limits a new count must stay within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits<'a> {
    /// What is scaled, for messages (`service web`, `group web-asg`).
    pub what: &'a str,
    /// The configured ceiling (`[ops] max_desired`).
    pub ceiling: i32,
    /// An Auto Scaling group's min and max size.
    pub group_bounds: Option<(i32, i32)>,
}

/// Check `target` (from `current`) against `limits`: the one-line reason it is refused.
pub fn check_target(current: i32, target: i32, limits: Limits<'_>) -> Result<(), String> {
    let what = limits.what;
    if target == current {
        return Err(format!(
            "{what} already has desired {current}: nothing to change"
        ));
    }
    if let Some((min, max)) = limits.group_bounds {
        if target > max {
            return Err(format!(
                "{target} is above the max size {max} of {what}: nothing was sent (raise the max size in AWS first)"
            ));
        }
        if target < min {
            return Err(format!(
                "{target} is below the min size {min} of {what}: nothing was sent (lower the min size in AWS first)"
            ));
        }
    }
    if target > limits.ceiling && target > current {
        return Err(format!(
            "{target} is above the ceiling of {} ([ops] max_desired): nothing was sent",
            limits.ceiling
        ));
    }
    Ok(())
}

/// The whole path from typed text to a checked target.
pub fn target_from_text(current: i32, text: &str, limits: Limits<'_>) -> Result<i32, String> {
    let target = resolve(current, parse_desired(text)?)?;
    check_target(current, target, limits)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVC: Limits<'static> = Limits {
        what: "service web",
        ceiling: 100,
        group_bounds: None,
    };

    #[test]
    fn absolute_and_relative_counts() {
        assert_eq!(target_from_text(3, "7", SVC), Ok(7));
        assert_eq!(target_from_text(3, " +2 ", SVC), Ok(5));
        assert_eq!(target_from_text(3, "-1", SVC), Ok(2));
        assert_eq!(target_from_text(3, "0", SVC), Ok(0));
        assert_eq!(target_from_text(3, "007", SVC), Ok(7));
    }

    #[test]
    fn bad_input_says_what_to_type() {
        for bad in ["abc", "+", "-", "1.5", "7x", "--1", "+-2", "½"] {
            let err = target_from_text(3, bad, SVC).unwrap_err();
            assert!(
                err.contains("is not a count: type 7, +2 or -1"),
                "{bad}: {err}"
            );
        }
        assert_eq!(
            target_from_text(3, "", SVC).unwrap_err(),
            "type a count: 7, +2 or -1 (esc cancels)"
        );
    }

    #[test]
    fn negatives_and_huge_values_are_refused() {
        assert_eq!(
            target_from_text(3, "-5", SVC).unwrap_err(),
            "a count cannot be negative (3 - 5 = -2): nothing was sent"
        );
        let err = target_from_text(3, "99999999999999999999999", SVC).unwrap_err();
        assert!(err.contains("too large"), "{err}");
        let err = target_from_text(3, "+2147483647", SVC).unwrap_err();
        assert!(err.contains("too large"), "{err}");
    }

    #[test]
    fn limits_are_checked() {
        assert_eq!(
            target_from_text(3, "3", SVC).unwrap_err(),
            "service web already has desired 3: nothing to change"
        );
        assert_eq!(
            target_from_text(3, "101", SVC).unwrap_err(),
            "101 is above the ceiling of 100 ([ops] max_desired): nothing was sent"
        );
        // Coming down from above the ceiling is allowed.
        assert_eq!(target_from_text(150, "120", SVC), Ok(120));
        let group = Limits {
            what: "group web-asg",
            ceiling: 100,
            group_bounds: Some((1, 6)),
        };
        assert_eq!(
            target_from_text(3, "7", group).unwrap_err(),
            "7 is above the max size 6 of group web-asg: nothing was sent (raise the max size in AWS first)"
        );
        assert!(
            target_from_text(3, "0", group)
                .unwrap_err()
                .starts_with("0 is below the min size 1 of group web-asg")
        );
        assert_eq!(target_from_text(3, "+3", group), Ok(6));
    }
}
