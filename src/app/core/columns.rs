//! Which columns of a table show at a width: priorities, compact forms and the horizontal
//! offset. The model needs this to bound the offset (`scroll_left`/`scroll_right`), and the
//! renderer (`ui::columns`) shares the room out among the columns chosen here.
//!
//! 1. The first column is pinned: it never drops and never scrolls away.
//! 2. Every other column starts at its minimum width. While they do not fit (one space
//!    between columns), a group of columns that has a compact form is replaced by it (the
//!    services' DESIRED, RUNNING and PENDING become one TASKS cell, `1/3 +2`); then the column
//!    of lowest priority is dropped, the rightmost first among equals.
//! 3. Dropped columns that fit in the room left come back, highest priority first, and a
//!    compact group is shown whole again when it fits.
//! 4. Scrolled right by `n`, the columns hidden unscrolled are shown in their order from the
//!    `n`th on, instead of the columns of lowest priority: one press shows the first hidden
//!    ones, each further press goes one hidden column further, until the last is in sight.

use std::cmp::Reverse;

use crate::app::core::table::Column;

/// What a table shows at a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// One flag per column: shown or not.
    pub shown: Vec<bool>,
    /// How far it is scrolled right (the offset, clamped).
    pub before: usize,
    /// Hidden columns that scrolling right still shows.
    pub after: usize,
}

/// A column, or a group of columns with its compact form, as it is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Single(usize),
    /// Columns `first..first + count`, and the compact column that stands for them.
    Group {
        first: usize,
        count: usize,
        compact: usize,
    },
}

/// How a unit is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Hidden,
    Full,
    Compact,
}

/// The columns shown at `width`, scrolled by `offset` (clamped to [`max_offset`]).
pub fn choose(columns: &[Column], width: u16, offset: usize) -> Choice {
    let units = units(columns);
    let hidden = hidden_unscrolled(columns, &units, width);
    let offset = offset.min(max_offset_of(columns, &units, width, &hidden));
    let forms = scrolled(columns, &units, width, &hidden, offset);
    let mut shown = vec![false; columns.len()];
    for (unit, form) in units.iter().zip(&forms) {
        match (unit, form) {
            (Unit::Single(i), Form::Full | Form::Compact) => shown[*i] = true,
            (Unit::Group { first, count, .. }, Form::Full) => shown[*first..first + count]
                .iter_mut()
                .for_each(|s| *s = true),
            (Unit::Group { compact, .. }, Form::Compact) => shown[*compact] = true,
            (_, Form::Hidden) => {}
        }
    }
    Choice {
        shown,
        before: offset,
        after: still_hidden(&hidden, &forms, offset),
    }
}

/// The width of a table beside a pane: `percent` of the `width` they share. The views draw
/// their panes with it, and `update` bounds the offset with it.
pub fn beside_pane(width: u16, percent: u16) -> u16 {
    (u32::from(width) * u32::from(percent.min(100)) / 100) as u16
}

/// How far right a table scrolls at `width`: 0 when everything shows; else until the last
/// hidden column is in sight.
pub fn max_offset(columns: &[Column], width: u16) -> usize {
    let units = units(columns);
    let hidden = hidden_unscrolled(columns, &units, width);
    max_offset_of(columns, &units, width, &hidden)
}

fn max_offset_of(columns: &[Column], units: &[Unit], width: u16, hidden: &[usize]) -> usize {
    (1..=hidden.len())
        .find(|&offset| {
            let forms = scrolled(columns, units, width, hidden, offset);
            still_hidden(hidden, &forms, offset) == 0
        })
        .unwrap_or(hidden.len())
}

/// The units hidden unscrolled, in display order.
fn hidden_unscrolled(columns: &[Column], units: &[Unit], width: u16) -> Vec<usize> {
    let forms = scrolled(columns, units, width, &[], 0);
    (0..units.len())
        .filter(|&u| forms[u] == Form::Hidden)
        .collect()
}

/// Hidden units after the one scrolling by `offset` brought in that are still not shown.
fn still_hidden(hidden: &[usize], forms: &[Form], offset: usize) -> usize {
    hidden
        .iter()
        .skip(offset.saturating_sub(1))
        .filter(|&&u| forms[u] == Form::Hidden)
        .count()
}

/// Rules 2 to 4: the pinned unit, then (scrolled) the hidden units from the `offset`th on,
/// then the rest by priority, highest first and leftmost first among equals.
fn scrolled(
    columns: &[Column],
    units: &[Unit],
    width: u16,
    hidden: &[usize],
    offset: usize,
) -> Vec<Form> {
    let brought: Vec<usize> = if offset == 0 {
        Vec::new()
    } else {
        hidden.iter().skip(offset - 1).copied().collect()
    };
    let mut rest: Vec<usize> = (1..units.len()).filter(|u| !brought.contains(u)).collect();
    rest.sort_by_key(|&u| (Reverse(priority(columns, units[u])), u));
    let preference: Vec<usize> = brought.into_iter().chain(rest).collect();
    arrange(columns, units, width, &preference)
}

/// The units in display order: the pinned column first, each group once.
fn units(columns: &[Column]) -> Vec<Unit> {
    let group_of = |i: usize| {
        columns.iter().enumerate().find_map(|(c, col)| {
            col.compact_for
                .filter(|&(first, count)| {
                    // A compact form of nothing, of the pinned column or past the end is ignored.
                    first > 0 && count > 0 && first + count <= columns.len()
                })
                .filter(|&(first, count)| i >= first && i < first + count)
                .map(|(first, count)| (first, count, c))
        })
    };
    let mut units = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        if column.compact_for.is_some() && i > 0 {
            continue;
        }
        match group_of(i) {
            Some((first, count, compact)) if first == i => units.push(Unit::Group {
                first,
                count,
                compact,
            }),
            Some(_) => {}
            None => units.push(Unit::Single(i)),
        }
    }
    units
}

fn unit_width(columns: &[Column], unit: Unit, form: Form) -> u32 {
    match (unit, form) {
        (_, Form::Hidden) => 0,
        (Unit::Single(i), _) => u32::from(columns[i].min),
        (Unit::Group { first, count, .. }, Form::Full) => {
            columns[first..first + count]
                .iter()
                .map(|c| u32::from(c.min))
                .sum::<u32>()
                + count.saturating_sub(1) as u32
        }
        (Unit::Group { compact, .. }, Form::Compact) => u32::from(columns[compact].min),
    }
}

fn priority(columns: &[Column], unit: Unit) -> u8 {
    match unit {
        Unit::Single(i) => columns[i].priority,
        Unit::Group { first, count, .. } => columns[first..first + count]
            .iter()
            .map(|c| c.priority)
            .max()
            .unwrap_or(0),
    }
}

/// Width the units take with one space between them.
fn needed(columns: &[Column], units: &[Unit], forms: &[Form]) -> u32 {
    let shown = forms.iter().filter(|&&f| f != Form::Hidden).count() as u32;
    units
        .iter()
        .zip(forms)
        .map(|(&u, &f)| unit_width(columns, u, f))
        .sum::<u32>()
        + shown.saturating_sub(1)
}

/// Rules 2 and 3 for the units in `preference` (most wanted first; the pinned unit is not in
/// it and is always shown).
fn arrange(columns: &[Column], units: &[Unit], width: u16, preference: &[usize]) -> Vec<Form> {
    let total = u32::from(width);
    let mut forms = vec![Form::Full; units.len()];
    let fits = |forms: &[Form]| needed(columns, units, forms) <= total;
    let is_group = |u: usize| matches!(units[u], Unit::Group { .. });
    while !fits(&forms) {
        let group = preference
            .iter()
            .rev()
            .copied()
            .find(|&u| is_group(u) && forms[u] == Form::Full);
        if let Some(u) = group {
            forms[u] = Form::Compact;
            continue;
        }
        match preference
            .iter()
            .rev()
            .copied()
            .find(|&u| forms[u] != Form::Hidden)
        {
            Some(u) => forms[u] = Form::Hidden,
            None => break,
        }
    }
    for &u in preference {
        if forms[u] != Form::Hidden {
            continue;
        }
        for form in [Form::Full, Form::Compact] {
            forms[u] = form;
            if fits(&forms) {
                break;
            }
            forms[u] = Form::Hidden;
        }
    }
    for &u in preference {
        if forms[u] == Form::Compact && is_group(u) {
            forms[u] = Form::Full;
            if !fits(&forms) {
                forms[u] = Form::Compact;
            }
        }
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A services-like table: name, status, a group of three with a compact form, two more.
    const COLS: &[Column] = &[
        Column::text("NAME", 30).min(20),
        Column::text("STATUS", 8).priority(3),
        Column::num("DESIRED", 7).priority(8),
        Column::num("RUNNING", 7).priority(8),
        Column::num("PENDING", 7).priority(8),
        Column::num("TASKS", 9).min(7).compact_for(2, 3),
        Column::text("LAUNCH", 8).priority(1),
        Column::text("TASK DEF", 22).min(16).priority(4),
        Column::text("ROLLOUT", 11).priority(6),
        Column::num("AGE", 5).priority(5),
    ];

    fn titles(choice: &Choice) -> Vec<&'static str> {
        COLS.iter()
            .zip(&choice.shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| c.title)
            .collect()
    }

    #[test]
    fn at_80_the_group_is_compact_and_low_priorities_drop() {
        let c = choose(COLS, 78, 0);
        assert_eq!(
            titles(&c),
            ["NAME", "STATUS", "TASKS", "TASK DEF", "ROLLOUT", "AGE"]
        );
        assert_eq!((c.before, c.after), (0, 1));
    }

    #[test]
    fn a_little_short_only_the_compact_form_is_needed() {
        let c = choose(COLS, 90, 0);
        assert_eq!(
            titles(&c),
            [
                "NAME", "STATUS", "TASKS", "LAUNCH", "TASK DEF", "ROLLOUT", "AGE"
            ]
        );
        assert_eq!((c.before, c.after), (0, 0));
    }

    #[test]
    fn at_100_every_column_shows_whole() {
        let c = choose(COLS, 98, 0);
        assert_eq!(c.shown.iter().filter(|s| **s).count(), 9);
        assert!(!c.shown[5]);
    }

    #[test]
    fn at_160_and_200_every_column_shows_whole() {
        for width in [158, 198] {
            let c = choose(COLS, width, 0);
            assert!(!c.shown[5], "{width}: no compact form");
            assert_eq!(c.shown.iter().filter(|s| **s).count(), 9);
            assert_eq!(max_offset(COLS, width), 0);
        }
    }

    #[test]
    fn a_small_column_comes_back_when_a_large_one_made_room() {
        const C: &[Column] = &[
            Column::text("NAME", 10),
            Column::text("BIG", 20).priority(1),
            Column::text("SMALL", 3),
        ];
        // SMALL (lowest) goes first, then BIG; SMALL fits again where BIG was.
        assert_eq!(choose(C, 20, 0).shown, [true, false, true]);
        assert_eq!(choose(C, 20, 0).after, 1);
    }

    #[test]
    fn the_name_never_drops_and_alone_it_is_all_there_is() {
        let c = choose(COLS, 10, 0);
        assert_eq!(titles(&c), ["NAME"]);
        assert_eq!(c.after, 6);
        // Wider than the table: nothing to scroll to that would fit.
        assert_eq!(choose(COLS, 10, 3).shown.iter().filter(|s| **s).count(), 1);
        assert!(choose(&[], 10, 0).shown.is_empty());
    }

    #[test]
    fn right_shows_the_hidden_columns_instead_of_the_lowest() {
        assert_eq!(max_offset(COLS, 78), 1);
        let c = choose(COLS, 78, 1);
        // LAUNCH was hidden; STATUS, the lowest shown, makes room.
        assert_eq!(
            titles(&c),
            ["NAME", "TASKS", "LAUNCH", "TASK DEF", "ROLLOUT", "AGE"]
        );
        assert_eq!((c.before, c.after), (1, 0));
        // Past the end it stays at the end.
        assert_eq!(choose(COLS, 78, 9), c);
    }

    #[test]
    fn narrow_tables_go_one_hidden_column_further_each_time() {
        // Hidden unscrolled: STATUS, LAUNCH, TASK DEF, AGE.
        assert_eq!(titles(&choose(COLS, 40, 0)), ["NAME", "TASKS", "ROLLOUT"]);
        assert_eq!(max_offset(COLS, 40), 4);
        let steps: Vec<(Vec<&str>, usize)> = (1..=4)
            .map(|offset| {
                let c = choose(COLS, 40, offset);
                (titles(&c), c.after)
            })
            .collect();
        assert_eq!(
            steps,
            [
                (vec!["NAME", "STATUS", "LAUNCH"], 2),
                (vec!["NAME", "LAUNCH", "AGE"], 1),
                (vec!["NAME", "TASK DEF"], 1),
                (vec!["NAME", "TASKS", "AGE"], 0),
            ]
        );
    }

    #[test]
    fn a_compact_form_of_columns_that_are_not_there_is_ignored() {
        const C: &[Column] = &[
            Column::text("NAME", 10),
            Column::text("A", 10),
            Column::num("X", 3).compact_for(1, 9),
        ];
        assert_eq!(choose(C, 15, 0).shown, [true, false, false]);
        assert_eq!(choose(C, 40, 0).shown, [true, true, false]);
    }

    #[test]
    fn without_priorities_columns_drop_from_the_right() {
        const PLAIN: &[Column] = &[
            Column::text("NAME", 30).min(20),
            Column::text("A", 10),
            Column::text("B", 10),
        ];
        assert_eq!(choose(PLAIN, 41, 0).shown, [true, true, false]);
        assert_eq!(choose(PLAIN, 42, 0).shown, [true, true, true]);
    }
}
