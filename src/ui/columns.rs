//! How every table fits its columns to the width it has: one rule, driven by each column's
//! minimum and preferred width (`app::core::table::Column`).
//!
//! 1. Every column starts at its minimum.
//! 2. Columns are dropped from the right (width 0) until the rest fit, one space between
//!    columns; the first column is never dropped, and alone it takes all there is.
//! 3. Room left over widens the columns shown towards their preferred width, left to right.

use crate::app::core::table::Column;

/// Column widths for `total` terminal columns (0 for a column that is not shown).
pub fn fit_columns(columns: &[Column], total: u16) -> Vec<u16> {
    let mut widths: Vec<u16> = columns.iter().map(|c| c.min).collect();
    if widths.is_empty() {
        return widths;
    }
    let total = u32::from(total);
    while needed(&widths) > total {
        match widths.iter().rposition(|&w| w > 0) {
            Some(i) if i > 0 => widths[i] = 0,
            _ => {
                widths[0] = total as u16;
                return widths;
            }
        }
    }
    let mut spare = total - needed(&widths);
    for (width, column) in widths.iter_mut().zip(columns) {
        if *width == 0 || spare == 0 {
            continue;
        }
        let grow = u32::from(column.preferred.saturating_sub(*width)).min(spare);
        *width += grow as u16;
        spare -= grow;
    }
    widths
}

/// [`fit_columns`], then whatever is still left goes to the last column shown, so rows drawn
/// as padded text lines (the grouped containers list) reach the right edge.
pub fn fit_columns_to_edge(columns: &[Column], total: u16) -> Vec<u16> {
    let mut widths = fit_columns(columns, total);
    let spare = u32::from(total).saturating_sub(needed(&widths));
    if let Some(last) = widths.iter().rposition(|&w| w > 0) {
        widths[last] = widths[last].saturating_add(spare as u16);
    }
    widths
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

    #[test]
    fn columns_shrink_to_their_minimum_before_any_is_dropped() {
        assert_eq!(fit_columns(COLS, 100), vec![30, 10, 12, 5]);
        assert_eq!(fit_columns(COLS, 60), vec![30, 10, 12, 5]);
        // Room is given back left to right: the name first.
        assert_eq!(fit_columns(COLS, 55), vec![30, 10, 7, 5]);
        assert_eq!(fit_columns(COLS, 44), vec![20, 10, 6, 5]);
        // Then B goes, and the room it leaves widens the name and MIDDLE again.
        assert_eq!(fit_columns(COLS, 43), vec![25, 10, 6, 0]);
        assert_eq!(fit_columns(COLS, 10), vec![10, 0, 0, 0]);
        assert_eq!(fit_columns(&[], 10), Vec::<u16>::new());
    }

    #[test]
    fn to_the_edge_gives_the_rest_to_the_last_column_shown() {
        assert_eq!(fit_columns_to_edge(COLS, 100), vec![30, 10, 12, 45]);
        assert_eq!(fit_columns_to_edge(COLS, 43), vec![25, 10, 6, 0]);
        assert_eq!(fit_columns_to_edge(COLS, 10), vec![10, 0, 0, 0]);
    }

    #[test]
    fn every_width_fits_exactly_or_less() {
        for total in 0..200u16 {
            for fit in [fit_columns, fit_columns_to_edge] {
                let w = fit(COLS, total);
                assert!(needed(&w) <= u32::from(total), "{total}: {w:?}");
            }
            assert_eq!(needed(&fit_columns_to_edge(COLS, total)), u32::from(total));
        }
    }
}
