//! How every table fits its columns to the width it has: one rule, driven by each column's
//! minimum and preferred width, priority and compact form (`app::core::table::Column`).
//!
//! 1. Which columns show, scrolled by the table's offset: `app::core::columns::choose` (the
//!    model bounds the offset with the same rule). Each starts at its minimum; a first column
//!    shown alone takes all there is.
//! 2. Room left over widens the columns shown towards their preferred width, left to right.
//! 3. Room still left goes to the columns whose content is still cut (names, images,
//!    reasons), past their preferred width up to the widest cell, left to right, rather than
//!    to blank space after the last column.

use crate::app::core::columns::choose;
use crate::app::core::table::Column;

/// The widths of a table's columns, and what its title says is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// One width per column, 0 for a column that is not shown.
    pub widths: Vec<u16>,
    /// Columns scrolled past on the left.
    pub before: usize,
    /// Columns hidden that scrolling right reaches.
    pub after: usize,
}

impl Fit {
    /// The title's marker: `← 2 +3 cols →`, or nothing when every column shows.
    pub fn marker(&self) -> String {
        let left = if self.before > 0 {
            format!("← {}", self.before)
        } else {
            String::new()
        };
        let right = match self.after {
            0 => String::new(),
            1 => "+1 col →".to_string(),
            n => format!("+{n} cols →"),
        };
        [left, right]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Column widths for `total` terminal columns, scrolled by `offset`; `wanted` is the widest
/// cell (or title) of each column, for the room left over (missing entries want nothing).
pub fn fit_columns(columns: &[Column], total: u16, offset: usize, wanted: &[u16]) -> Fit {
    let choice = choose(columns, total, offset);
    let mut widths: Vec<u16> = columns
        .iter()
        .zip(&choice.shown)
        .map(|(c, &shown)| if shown { c.min } else { 0 })
        .collect();
    let fit = |widths: Vec<u16>| Fit {
        widths,
        before: choice.before,
        after: choice.after,
    };
    if widths.is_empty() {
        return fit(widths);
    }
    let total = u32::from(total);
    if needed(&widths) > total {
        // Only the first column is left, and it is wider than the table.
        widths[0] = total as u16;
        return fit(widths);
    }
    let mut spare = total - needed(&widths);
    let want = |i: usize| wanted.get(i).copied();
    for (width, column) in widths.iter_mut().zip(columns) {
        if *width == 0 || spare == 0 {
            continue;
        }
        let grow = u32::from(column.preferred.saturating_sub(*width)).min(spare);
        *width += grow as u16;
        spare -= grow;
    }
    for (i, width) in widths.iter_mut().enumerate() {
        if *width == 0 || spare == 0 {
            continue;
        }
        let grow = u32::from(want(i).unwrap_or(0).saturating_sub(*width)).min(spare);
        *width += grow as u16;
        spare -= grow;
    }
    fit(widths)
}

/// [`fit_columns`], then whatever is still left goes to the last column shown, so rows drawn
/// as padded text lines (the grouped containers list) reach the right edge.
pub fn fit_columns_to_edge(columns: &[Column], total: u16, offset: usize, wanted: &[u16]) -> Fit {
    let mut fit = fit_columns(columns, total, offset, wanted);
    let spare = u32::from(total).saturating_sub(needed(&fit.widths));
    if let Some(last) = fit.widths.iter().rposition(|&w| w > 0) {
        fit.widths[last] = fit.widths[last].saturating_add(spare as u16);
    }
    fit
}

/// Width the shown columns take with one space between them.
fn needed(widths: &[u16]) -> u32 {
    let shown = widths.iter().filter(|&&w| w > 0).count() as u32;
    widths.iter().map(|&w| u32::from(w)).sum::<u32>() + shown.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column::text("NAME", 30).min(20),
        Column::text("A", 10),
        Column::text("MIDDLE", 12).min(6),
        Column::num("B", 5),
    ];

    fn widths(total: u16) -> Vec<u16> {
        fit_columns(COLS, total, 0, &[]).widths
    }

    #[test]
    fn columns_shrink_to_their_minimum_before_any_is_dropped() {
        assert_eq!(widths(100), vec![30, 10, 12, 5]);
        assert_eq!(widths(60), vec![30, 10, 12, 5]);
        // Room is given back left to right: the name first.
        assert_eq!(widths(55), vec![30, 10, 7, 5]);
        assert_eq!(widths(44), vec![20, 10, 6, 5]);
        // Then B goes, and the room it leaves widens the name and MIDDLE again.
        assert_eq!(widths(43), vec![25, 10, 6, 0]);
        assert_eq!(widths(10), vec![10, 0, 0, 0]);
        assert_eq!(fit_columns(&[], 10, 0, &[]).widths, Vec::<u16>::new());
    }

    #[test]
    fn spare_room_goes_to_cut_content_not_to_the_end() {
        // The name wants 50 and MIDDLE 20: the name is served first, then MIDDLE.
        let wanted = [50, 1, 20, 1];
        assert_eq!(
            fit_columns(COLS, 100, 0, &wanted).widths,
            vec![50, 10, 20, 5]
        );
        assert_eq!(
            fit_columns(COLS, 80, 0, &wanted).widths,
            vec![50, 10, 12, 5]
        );
        assert_eq!(
            fit_columns(COLS, 200, 0, &wanted).widths,
            vec![50, 10, 20, 5]
        );
        // Content that fits takes nothing past the preferred width.
        assert_eq!(
            fit_columns(COLS, 100, 0, &[4, 1, 8, 1]).widths,
            vec![30, 10, 12, 5]
        );
    }

    #[test]
    fn the_marker_counts_what_is_hidden() {
        assert_eq!(fit_columns(COLS, 100, 0, &[]).marker(), "");
        assert_eq!(fit_columns(COLS, 43, 0, &[]).marker(), "+1 col →");
        assert_eq!(fit_columns(COLS, 25, 0, &[]).marker(), "+3 cols →");
        assert_eq!(fit_columns(COLS, 28, 0, &[]).widths, vec![21, 0, 6, 0]);
        assert_eq!(fit_columns(COLS, 28, 1, &[]).marker(), "← 1 +1 col →");
        let scrolled = fit_columns(COLS, 28, 2, &[]);
        assert_eq!(scrolled.widths, vec![22, 0, 0, 5]);
        assert_eq!(scrolled.marker(), "← 2");
        // Past the end it stays at the end.
        assert_eq!(fit_columns(COLS, 28, 5, &[]), scrolled);
    }

    #[test]
    fn to_the_edge_gives_the_rest_to_the_last_column_shown() {
        let edge = |total| fit_columns_to_edge(COLS, total, 0, &[]).widths;
        assert_eq!(edge(100), vec![30, 10, 12, 45]);
        assert_eq!(edge(43), vec![25, 10, 6, 0]);
        assert_eq!(edge(10), vec![10, 0, 0, 0]);
    }

    #[test]
    fn every_width_fits_exactly_or_less() {
        for total in 0..200u16 {
            for offset in 0..4 {
                for fit in [fit_columns, fit_columns_to_edge] {
                    let w = fit(COLS, total, offset, &[60, 20, 30, 9]).widths;
                    assert!(needed(&w) <= u32::from(total), "{total}: {w:?}");
                }
                let edge = fit_columns_to_edge(COLS, total, offset, &[]).widths;
                assert_eq!(needed(&edge), u32::from(total));
            }
        }
    }
}
